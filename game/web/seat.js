// The seat page: one team's desk. Joined with the seat code the join page left in this tab's storage; a reload
// resumes the same seat with the resume token (protocol.js). Shows the seat's briefing, decisions and advice,
// levers, the public view and the Ready button. Everything is drawn as text (dom.js).
import { _, chosenLanguage, useLanguage } from "./i18n.js";
import { byId, el, replaceChildren, roomFromUrl, setText } from "./dom.js";
import { RoomConnection, resumeKey } from "./protocol.js";
import { LocalClock, renderPublic } from "./public_view.js";

const JOIN_KEY = "alliance-desk.join"; // written by join.js

const state = { public: null, seat: null, advice: new Map(), decisionsShape: "", leversShape: "" };
let connection = null;
let clock = null;
let language = "en";

function status(text) {
  setText("status", text || "");
}

function label() {
  document.title = _("Your desk — Alliance Desk");
  setText("clock-label", _("Time left:"));
  setText("decisions-heading", _("Decisions waiting for you"));
  setText("levers-heading", _("Your policy levers"));
  setText("briefing-heading", _("Briefing"));
  setText("public-briefing-heading", _("What everyone knows"));
  setText("private-briefing-heading", _("For your team only"));
  setText("objectives-heading", _("Your objectives"));
  setText("ready-heading", _("Who is ready"));
  setText("variables-heading", _("Key figures"));
  setText("news-heading", _("News"));
  setText("map-heading", _("Map"));
  const map = byId("map");
  map.alt = _("Map of the scenario's region with its places labelled.");
  map.src = "/map.svg?lang=" + encodeURIComponent(language);
}

function currentTurn() {
  return state.public ? state.public.turn : 0;
}

// --- decisions and advice -------------------------------------------------------------------------------

function decisionForm(decision) {
  const name = "choice-" + decision.event;
  const choices = decision.choices.map((choice) => {
    const id = name + "-" + choice.id;
    const input = el("input", { type: "radio", name: name, id: id, value: choice.id, disabled: !choice.available,
      checked: decision.chosen ? decision.chosen === choice.id : choice.default });
    input.classList.add("choice-input");
    return el("div", { class: "choice" }, input,
      el("label", { for: id }, choice.label + (choice.available ? "" : " (" + _("not available") + ")")),
      choice.text ? el("p", { class: "choice-text muted" }, choice.text) : null);
  });
  const chosen = el("p", { class: "chosen", id: "chosen-" + decision.event });
  const choose = el("button", { type: "submit" }, _("Choose"));
  const ask = el("button", { type: "button", class: "secondary" }, _("Ask the advisors"));
  const advice = el("div", { class: "advice", id: "advice-" + decision.event, "aria-live": "polite" });
  const form = el("form", { class: "decision", "data-event": decision.event },
    el("fieldset", {}, el("legend", {}, decision.title), decision.text ? el("p", {}, decision.text) : null, ...choices),
    chosen, el("p", { class: "buttons" }, choose, " ", ask), advice);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const picked = form.querySelector("input:checked");
    if (!picked) {
      status(_("Pick one of the choices first."));
      return;
    }
    connection.send("choose", { turn: currentTurn(), event: decision.event, choice: picked.value }, (reply) => {
      status(reply.type === "rejected" ? reply.message : _("Your choice is recorded."));
    });
  });
  ask.addEventListener("click", () => {
    connection.send("advice", { turn: currentTurn(), event: decision.event }, (reply) => {
      if (reply.type === "rejected") {
        status(reply.message);
      }
    });
  });
  return form;
}

function renderChosen(decision) {
  const chosen = decision.choices.find((choice) => choice.id === decision.chosen);
  setText("chosen-" + decision.event, chosen ? _("Chosen: {choice}", { choice: chosen.label }) : _("Not chosen yet."));
}

function renderAdvice(event) {
  const box = byId("advice-" + event);
  const advice = state.advice.get(event);
  if (!box || !advice) {
    return;
  }
  if (advice.status === "thinking") {
    replaceChildren(box, [el("p", { class: "muted" }, _("The advisors are thinking…"))]);
  } else if (advice.status === "failed") {
    replaceChildren(box, [el("p", { class: "error" }, _("The advisors could not answer this time."))]);
  } else {
    replaceChildren(box, [
      el("h3", {}, _("Advisors")),
      el("ul", { class: "advisors" }, ...advice.advisors.map((advisor) => el("li", {},
        el("strong", {}, _("{name} recommends: {choice}", { name: advisor.name, choice: advisor.label })),
        advisor.reasons.length ? el("ul", {}, ...advisor.reasons.map((reason) => el("li", {}, reason))) : null))),
      el("h3", {}, _("Forecast for each choice")),
      el("dl", { class: "forecasts" }, ...advice.forecasts.map((forecast) => el("div", { class: "figure" },
        el("dt", {}, forecast.label), el("dd", {}, forecast.summary)))),
    ]);
  }
}

function renderDecisions(seat) {
  // Rebuilt only when the decisions themselves change, so a choice being made is not reset by others' updates.
  const shape = JSON.stringify(seat.decisions.map((d) => [d.event, d.title, d.text, d.choices]));
  const box = byId("decisions");
  if (shape !== state.decisionsShape) {
    state.decisionsShape = shape;
    replaceChildren(box, seat.decisions.length ? seat.decisions.map(decisionForm)
      : [el("p", { class: "muted" }, _("No decision is waiting for your team this turn."))]);
    seat.decisions.forEach((decision) => renderAdvice(decision.event));
  }
  seat.decisions.forEach(renderChosen);
}

// --- levers ---------------------------------------------------------------------------------------------

function leverStep(lever) {
  return (lever.high - lever.low) / 100 || 1;
}

// A lever's value with as many decimals as its range needs (0-100: none; 1.5-5: two).
function shown(value, lever) {
  return Number(value).toFixed(lever.high - lever.low >= 10 ? 0 : 2);
}

function leverRow(lever) {
  const id = "lever-" + lever.id;
  const output = el("output", { for: id, id: id + "-value", class: "lever-value" }, shown(lever.setting, lever));
  const input = el("input", { type: "range", id: id, min: lever.low, max: lever.high, step: leverStep(lever),
    value: lever.setting, "data-lever": lever.id });
  input.addEventListener("input", () => setText(id + "-value", shown(input.value, lever)));
  input.addEventListener("change", () => {
    connection.send("set_lever", { turn: currentTurn(), lever: lever.id, value: Number(input.value) }, (reply) => {
      status(reply.type === "rejected" ? reply.message : _("{lever} set to {value}.",
        { lever: lever.label, value: shown(input.value, lever) }));
    });
  });
  return el("div", { class: "lever" },
    el("label", { for: id }, lever.label, " ", output),
    el("p", { class: "lever-range muted" }, shown(lever.low, lever) + " – " + shown(lever.high, lever)), input);
}

function renderLevers(seat) {
  const shape = JSON.stringify(seat.levers.map((lever) => [lever.id, lever.label, lever.low, lever.high]));
  if (shape !== state.leversShape) {
    state.leversShape = shape;
    replaceChildren(byId("levers"), seat.levers.length ? seat.levers.map(leverRow)
      : [el("p", { class: "muted" }, _("Your team has no levers in this scenario."))]);
  }
  for (const lever of seat.levers) {
    const input = byId("lever-" + lever.id);
    if (input && document.activeElement !== input) {
      input.value = lever.setting;
      setText("lever-" + lever.id + "-value", shown(lever.setting, lever));
    }
  }
}

// --- the seat, the public view, ready ------------------------------------------------------------------

function renderSeat(seat) {
  setText("seat-title", seat.title + (seat.team ? " — " + seat.team : ""));
  setText("public-briefing", seat.public_briefing || "");
  setText("private-briefing", seat.private_briefing || _("Nothing private this time."));
  replaceChildren(byId("objectives"), seat.objectives.map((objective) => el("li", {}, objective)));
  renderDecisions(seat);
  renderLevers(seat);
  renderReady();
}

function renderReady() {
  const button = byId("ready-button");
  const over = state.public && state.public.is_over;
  const ready = state.seat && state.seat.ready;
  setText("ready-button", ready ? _("Waiting for the others") : _("Ready"));
  button.disabled = Boolean(ready || over || !state.seat);
  setText("ready-note", over ? _("The game is over.") : ready
    ? _("Your team is ready. The turn resolves when every team is ready or time is up.")
    : _("Press Ready when your team has decided."));
}

function onMessage(message) {
  if (message.type === "public") {
    const turnChanged = state.public && state.public.turn !== message.turn;
    state.public = message;
    if (turnChanged) {
      state.advice.clear();
      state.decisionsShape = "";
      status(_("A new turn has begun: {date}.", { date: message.date }));
    }
    renderPublic(message, { title: "scenario-title", date: "date", variables: "variables", seats: "seats",
      news: "news" });
    clock.update(message.clock);
    renderReady();
  } else if (message.type === "seat") {
    state.seat = message;
    renderSeat(message);
  } else if (message.type === "advice") {
    if (message.turn === currentTurn()) {
      state.advice.set(message.event, message);
      renderAdvice(message.event);
    }
  } else if (message.type === "clock") {
    clock.update(Object.assign({}, clock.state || {}, message));
  } else if (message.type === "rejected" || message.type === "error") {
    status(message.message);
  }
}

function onStatus(kind, detail) {
  if (kind === "open") {
    setText("connection", _("Connected."));
  } else if (kind === "connecting") {
    setText("connection", _("Connecting…"));
  } else if (kind === "closed") {
    setText("connection", _("Connection lost. Trying again…"));
  } else if (kind === "refused") {
    setText("connection", "");
    refused(detail || _("The server refused this seat."));
  }
}

function refused(message) {
  status(message);
  const main = byId("main");
  replaceChildren(main, [el("section", { class: "panel" }, el("p", { class: "error" }, message),
    el("p", {}, el("a", { href: "/?room=" + encodeURIComponent(roomFromUrl()) }, _("Back to the join page"))))]);
}

// Text laid out before the bundled Japanese font arrived could stay drawn as empty boxes (seen in Chromium):
// both weights are loaded before the first Japanese text is set.
async function japaneseFonts() {
  if (language !== "ja" || !document.fonts) {
    return;
  }
  try {
    await Promise.all([document.fonts.load('400 1em "Alliance Desk JP"', "日本"),
      document.fonts.load('700 1em "Alliance Desk JP"', "日本")]);
  } catch (error) {
    // Without the font the system's own is used.
  }
}

async function start() {
  language = await useLanguage(chosenLanguage());
  await japaneseFonts();
  label();
  clock = new LocalClock("clock", "clock-alert");
  const room = roomFromUrl();
  let joined = {};
  try {
    joined = JSON.parse(sessionStorage.getItem(JOIN_KEY) || "{}");
  } catch (error) {
    joined = {};
  }
  const code = joined.room === room ? joined.code : "";
  if (!room || (!code && !sessionStorage.getItem(resumeKey(room)))) {
    refused(_("Join with the seat code on your role card first."));
    return;
  }
  byId("ready-button").addEventListener("click", () => {
    const turn = currentTurn();
    connection.send("ready", { turn: turn }, (reply) => {
      if (reply.type === "rejected") {
        status(reply.message);
      } else if (currentTurn() === turn) { // else the turn resolved already and the new turn's news stays
        status(_("Your team is ready."));
      }
    });
  });
  renderReady();
  connection = new RoomConnection({ room: room, code: code, language: language, onMessage: onMessage,
    onStatus: onStatus });
  connection.connect();
}

start();

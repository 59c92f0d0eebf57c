// The facilitator's page: the clock, the lock, time-outs, injected events, adjustments, rewinds, devices and
// seat codes, the debrief pack. Every command goes through protocol.js; the server's refusals show in #status.
import { _, chosenLanguage, useLanguage } from "./i18n.js";
import { byId, el, replaceChildren, setText } from "./dom.js";
import { ClockFeed, connectionStatus, enterWithKey } from "./key_entry.js";
import { RoomConnection } from "./protocol.js";
import { LocalClock, readyMark, renderPublic } from "./public_view.js";

let connection = null;
let publicView = null;
let control = null;

function label() {
  document.title = _("Facilitator — Alliance Desk");
  setText("key-heading", _("Facilitator"));
  setText("room-label", _("Room code"));
  setText("key-label", _("Facilitator key"));
  setText("key-button", _("Open the console"));
  setText("clock-label", _("Time left this turn:"));
  setText("clock-heading", _("Clock and room"));
  setText("pause", _("Pause the clock"));
  setText("resume", _("Resume the clock"));
  setText("extend", _("Add one minute"));
  setText("start", _("Start the lesson"));
  setText("lock", _("Lock the room"));
  setText("unlock", _("Unlock the room"));
  setText("seats-heading", _("Seats"));
  setText("seat-col", _("Seat"));
  setText("ready-col", _("Ready"));
  setText("devices-col", _("Devices"));
  setText("actions-col", _("Actions"));
  setText("connections-heading", _("Connected devices"));
  setText("inject-heading", _("Inject an event"));
  setText("inject-label", _("Event"));
  setText("inject-button", _("Inject"));
  setText("adjust-heading", _("Adjust a variable"));
  setText("adjust-variable-label", _("Variable"));
  setText("adjust-value-label", _("New value"));
  setText("adjust-reason-label", _("Reason (shown in the log)"));
  setText("adjust-button", _("Adjust"));
  setText("rewind-heading", _("Rewind"));
  setText("rewind-turn-label", _("Back to the start of turn"));
  setText("rewind-reason-label", _("Reason (shown in the log)"));
  setText("rewind-button", _("Rewind"));
  setText("export-heading", _("Debrief pack"));
  setText("export", _("Export the debrief pack"));
  setText("log-heading", _("Room log"));
}

function status(text) {
  setText("status", text);
}

// Sends a control command; the acknowledgement or the server's reason for refusing it goes to the status line.
function command(type, fields, done) {
  if (!connection || !connection.welcomed) {
    status(_("Not connected: the command was not sent."));
    return;
  }
  status(_("Sending…"));
  connection.send(type, fields, (reply) => {
    status(reply.type === "rejected" ? reply.message : done || _("Done."));
  });
}

function turnFields(fields) {
  return Object.assign({ turn: publicView ? publicView.turn : 0 }, fields);
}

// Rebuilding a list must not throw the keyboard user's place away: the focused control is found again by id.
function keepingFocus(render) {
  const focused = document.activeElement && document.activeElement.id;
  render();
  if (focused && document.activeElement && document.activeElement.id !== focused && byId(focused)) {
    byId(focused).focus();
  }
}

function fillSelect(select, options) {
  const kept = select.value;
  replaceChildren(select, options.map(([value, text]) => el("option", { value: value }, text)));
  if (options.some(([value]) => value === kept)) {
    select.value = kept;
  }
}

function renderSeats() {
  replaceChildren(byId("seats"), control.seats.map((seat) => el("tr", {},
    el("th", { scope: "row" }, seat.title + (seat.team ? " — " + seat.team : "")),
    el("td", {}, readyMark(seat.ready)),
    el("td", {}, String(seat.connections.length)),
    el("td", { class: "buttons" },
      action("timeout-" + seat.role, _("Time out"), _("Time out {seat}", { seat: seat.title }),
        () => command("timeout", turnFields({ role: seat.role }))),
      action("new-code-" + seat.role, _("New code"), _("New seat code for {seat}", { seat: seat.title }),
        () => command("new_code", { role: seat.role }))))));
}

function action(id, text, name, run) {
  const button = el("button", { type: "button", id: id, class: "secondary", "aria-label": name }, text);
  button.addEventListener("click", run);
  return button;
}

function seatTitle(role) {
  const seat = control.seats.find((item) => item.role === role);
  return seat ? seat.title : role;
}

function renderConnections() {
  const kinds = { seat: _("seat"), control: _("facilitator"), projector: _("projector") };
  const items = control.connections.map((item) => {
    const what = item.kind === "seat" ? seatTitle(item.role) : kinds[item.kind] || item.kind;
    const parts = [el("span", {}, what + " (" + item.connection + ")"), " "];
    if (item.kind !== "control") {
      parts.push(action("remove-" + item.connection, _("Remove"), _("Remove device {id}", { id: item.connection }),
        () => command("remove", { connection: item.connection })));
    }
    if (item.kind === "seat") {
      const selectId = "reseat-" + item.connection;
      const select = el("select", { id: selectId });
      fillSelect(select, control.seats.filter((seat) => seat.role !== item.role)
        .map((seat) => [seat.role, seat.title]));
      if (select.options.length) {
        parts.push(" ", el("label", { for: selectId, class: "inline" }, _("Move to")), " ", select, " ",
          action("reseat-button-" + item.connection, _("Move"), _("Move device {id}", { id: item.connection }),
            () => command("reseat", { connection: item.connection, role: select.value })));
      }
    }
    return el("li", {}, ...parts);
  });
  replaceChildren(byId("connections"), items.length ? items : [el("li", { class: "muted" }, _("No devices."))]);
}

function renderControl() {
  keepingFocus(() => {
    setText("lock-state", control.locked ? _("Room locked") : _("Room open to new devices"));
    renderSeats();
    renderConnections();
    fillSelect(byId("inject-event"), control.injectable.map((item) => [item.event, item.title]));
    byId("inject-button").disabled = control.injectable.length === 0;
    byId("inject-event").disabled = control.injectable.length === 0;
    fillSelect(byId("adjust-variable"), control.variables.map((item) => [item.id, item.label]));
    fillSelect(byId("rewind-turn"), control.rewind_turns.map((turn) => [String(turn), String(turn + 1)]));
    byId("rewind-button").disabled = control.rewind_turns.length === 0;
    byId("rewind-turn").disabled = control.rewind_turns.length === 0;
    showVariable();
    replaceChildren(byId("log"), control.log.slice(-20).reverse().map((item) =>
      el("li", {}, el("span", { class: "muted" }, _("Turn {turn}", { turn: item.turn + 1 }) + ": "), item.text)));
  });
}

// The value field starts from the variable's current value, its range given beside the label.
function showVariable() {
  const variable = control && control.variables.find((item) => item.id === byId("adjust-variable").value);
  if (!variable) {
    setText("adjust-value-label", _("New value"));
    return;
  }
  const range = variable.low !== null && variable.high !== null
    ? " " + _("({low} to {high}, now {value})", { low: variable.low, high: variable.high, value: variable.value })
    : " " + _("(now {value})", { value: variable.value });
  setText("adjust-value-label", _("New value") + range);
  const input = byId("adjust-value");
  if (document.activeElement !== input && input.dataset.variable !== variable.id) {
    input.value = String(variable.value);
    input.dataset.variable = variable.id;
  }
}

function wire() {
  byId("pause").addEventListener("click", () => command("pause"));
  byId("resume").addEventListener("click", () => command("resume_clock"));
  byId("extend").addEventListener("click", () => command("extend", { seconds: 60 }));
  byId("start").addEventListener("click", () => command("start"));
  byId("lock").addEventListener("click", () => command("lock"));
  byId("unlock").addEventListener("click", () => command("unlock"));
  byId("export").addEventListener("click", () => {
    setText("export-path", _("Writing the debrief pack…"));
    command("export");
  });
  byId("adjust-variable").addEventListener("change", () => {
    byId("adjust-value").dataset.variable = "";
    showVariable();
  });
  byId("inject-form").addEventListener("submit", (event) => {
    event.preventDefault();
    if (byId("inject-event").value) {
      command("inject", turnFields({ event: byId("inject-event").value }));
    }
  });
  byId("adjust-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const value = Number(byId("adjust-value").value);
    const reason = byId("adjust-reason").value.trim();
    if (byId("adjust-value").value.trim() === "" || !isFinite(value) || !reason) {
      status(_("Give a number and a reason."));
      return;
    }
    command("adjust", turnFields({ variable: byId("adjust-variable").value, value: value, reason: reason }));
  });
  byId("rewind-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const reason = byId("rewind-reason").value.trim();
    if (!reason) {
      status(_("Give a reason."));
      return;
    }
    command("rewind", { turn: Number(byId("rewind-turn").value), reason: reason });
  });
}

async function start() {
  const language = await useLanguage(chosenLanguage());
  label();
  wire();
  const feed = new ClockFeed(new LocalClock("clock", "clock-alert"));
  const forget = enterWithKey({
    storageKey: "alliance-desk.control.",
    secretId: "key",
    missing: _("Type the room code and the facilitator key."),
    open: (room, key) => {
      if (connection) {
        connection.close();
      }
      connection = new RoomConnection({
        room: room,
        code: key,
        language: language,
        onStatus: (state, detail) => {
          connectionStatus(state, detail, _("The server refused this key."));
          if (state === "open") {
            byId("console").hidden = false;
          } else if (state === "refused") {
            byId("console").hidden = true;
            forget(room);
          }
        },
        onMessage: (message) => {
          feed.receive(message);
          if (message.type === "public") {
            publicView = message;
            renderPublic(message, { title: "title", date: "date" });
          } else if (message.type === "control") {
            control = message;
            renderControl();
          } else if (message.type === "new_code") {
            // The reply to new_code is this message, not an ack.
            status(_("A new code was issued."));
            setText("new-code", _("New seat code for {seat}: {code}", { seat: seatTitle(message.role), code: message.code }));
          } else if (message.type === "exported") {
            setText("export-path", _("The debrief pack is in {path}", { path: message.path }));
          } else if (message.type === "error") {
            status(message.message);
          }
        },
      });
      connection.connect();
    },
  });
}

start();

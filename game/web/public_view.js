// The public view as every page shows it: date and turn, the clock, who is ready, key figures, news, ledger.
// It only ever shows the `public` message: the seat's own text is drawn by seat.js.
import { _ } from "./i18n.js";
import { byId, clockText, el, replaceChildren, setText } from "./dom.js";

// The clock counts down locally between the server's `clock` messages (sent on changes and every 5 s).
export class LocalClock {
  constructor(textId, alertId) {
    this.textId = textId;
    this.alertId = alertId;
    this.state = null;
    this.at = 0;
    this.lastAlert = "";
    setInterval(() => this.render(), 1000);
  }

  update(clock) {
    if (!clock) {
      return;
    }
    this.state = clock;
    this.at = performance.now();
    this.render();
  }

  remaining() {
    const state = this.state;
    if (!state || state.remaining === null || state.remaining === undefined) {
      return null;
    }
    return state.paused ? state.remaining : state.remaining - (performance.now() - this.at) / 1000;
  }

  render() {
    const state = this.state;
    if (!state) {
      return;
    }
    let text;
    if (state.limit === null || state.limit === undefined) {
      text = _("No time limit");
    } else if (state.paused) {
      text = _("{time} (paused)", { time: clockText(this.remaining()) });
    } else {
      text = clockText(this.remaining());
    }
    setText(this.textId, text);
    // Spoken only when it changes meaning (a warning, the end, a pause), never every second.
    let alert = "";
    if (state.expired) {
      alert = _("Time is up.");
    } else if (state.paused) {
      alert = _("The clock is paused.");
    } else if (state.warning) {
      alert = _("Little time left this turn.");
    }
    if (alert !== this.lastAlert) {
      this.lastAlert = alert;
      setText(this.alertId, alert);
    }
    byId(this.textId).classList.toggle("warning", Boolean(state.warning || state.expired));
  }
}

export function readyMark(ready) {
  return ready ? "✓ " + _("Ready") : "… " + _("Not ready");
}

export function renderSeats(listId, seats) {
  replaceChildren(byId(listId), seats.map((seat) => el("li", { class: seat.ready ? "ready" : "waiting" },
    el("span", { class: "seat-title" }, seat.title + (seat.team ? " — " + seat.team : "")), " ",
    el("span", { class: "mark" }, readyMark(seat.ready)),
    seat.connected ? null : el("span", { class: "offline" }, " (" + _("not connected") + ")"))));
}

export function renderPublic(view, ids) {
  setText(ids.title, view.title);
  setText(ids.date, view.is_over
    ? _("{date} — the game is over", { date: view.date })
    : _("{date} — turn {turn} of {turns}", { date: view.date, turn: view.turn + 1, turns: view.turns }));
  if (ids.variables) {
    replaceChildren(byId(ids.variables), view.key_variables.map((variable) => el("div", { class: "figure" },
      el("dt", {}, variable.label), el("dd", {}, String(variable.value)))));
  }
  if (ids.seats) {
    renderSeats(ids.seats, view.seats);
  }
  if (ids.news) {
    const news = view.news.slice().reverse();
    replaceChildren(byId(ids.news), news.length ? news.map((item) => el("li", {},
      el("span", { class: "news-date" }, item.date), " ", item.text))
      : [el("li", { class: "muted" }, _("No news yet."))]);
  }
  if (ids.obligations) {
    replaceChildren(byId(ids.obligations), view.obligations.length ? view.obligations.map((row) => el("tr", {},
      el("td", {}, row.title), el("td", {}, row.date || ""), el("td", {}, row.outcome || "")))
      : [el("tr", {}, el("td", { colspan: 3, class: "muted" }, _("No obligations recorded yet.")))]);
  }
  if (ids.briefings) {
    replaceChildren(byId(ids.briefings), view.briefings.map((briefing) => el("article", { class: "briefing" },
      el("h3", {}, briefing.title), el("p", {}, briefing.text))));
  }
  if (ids.ending) {
    setText(ids.ending, view.is_over && view.ending ? view.ending : "");
  }
}

// The facilitator's and the projector's way in: a room code and a secret (the facilitator key or the projector
// token), typed in a form or kept in this tab's sessionStorage so that a reload stays in (closing the tab forgets).
import { _ } from "./i18n.js";
import { byId, roomFromUrl, setText } from "./dom.js";

// options: storageKey (prefix), secretId (the secret's input), missing (the message when a field is empty),
// given (a secret handed over another way, e.g. the address's fragment), open(room, secret).
// Returns forget(room), which the page calls when the server refuses the secret (the form shows again).
export function enterWithKey(options) {
  const form = byId("key-form");
  const language = document.documentElement.lang || "en";
  let room = roomFromUrl();
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    room = byId("room").value.toUpperCase().replace(/[^0-9A-Z]/g, "");
    const secret = byId(options.secretId).value.trim();
    if (room.length !== 6 || !secret) {
      setText("status", options.missing);
      return;
    }
    sessionStorage.setItem(options.storageKey + room, secret);
    history.replaceState(null, "", location.pathname + "?room=" + encodeURIComponent(room) + "&lang=" + language);
    form.hidden = true;
    options.open(room, secret);
  });
  byId("room").value = room;
  const secret = options.given || (room ? sessionStorage.getItem(options.storageKey + room) || "" : "");
  if (room && secret) {
    sessionStorage.setItem(options.storageKey + room, secret);
    options.open(room, secret);
  } else {
    form.hidden = false;
    (room ? byId(options.secretId) : byId("room")).focus();
  }
  return (refused) => {
    sessionStorage.removeItem(options.storageKey + refused);
    form.hidden = false;
  };
}

// The server's `clock` ticks leave out the limit, which only `public` carries: the pages' LocalClock needs both.
export class ClockFeed {
  constructor(clock) {
    this.clock = clock;
    this.limit = null;
  }

  receive(message) {
    if (message.type === "public") {
      this.limit = message.clock.limit;
      this.clock.update(message.clock);
    } else if (message.type === "clock") {
      this.clock.update(Object.assign({ limit: this.limit }, message));
    }
  }
}

export function connectionStatus(state, detail, refusedText) {
  if (state === "open") {
    setText("status", "");
  } else if (state === "refused") {
    setText("status", detail || refusedText);
  } else if (state === "closed") {
    setText("status", _("Connection lost: reconnecting…"));
  }
}

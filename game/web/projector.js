// The projector page: the public view only, large, for the back of the classroom. Its token comes from the
// address's fragment (#token: never sent to the server in a request line or kept in its logs) or the form.
import { _, chosenLanguage, useLanguage } from "./i18n.js";
import { byId, roomFromUrl, setText } from "./dom.js";
import { RoomConnection } from "./protocol.js";
import { LocalClock, renderPublic } from "./public_view.js";

const TOKEN_KEY = "alliance-desk.projector.";
const IDS = { title: "title", date: "date", variables: "variables", seats: "seats", news: "news",
  obligations: "obligations", briefings: "briefings", ending: "ending" };

function label() {
  document.title = _("Projector — Alliance Desk");
  setText("token-heading", _("Projector"));
  setText("room-label", _("Room code"));
  setText("token-label", _("Projector token"));
  setText("token-button", _("Show the room"));
  setText("clock-label", _("Time left this turn:"));
  setText("seats-heading", _("Who is ready"));
  setText("variables-heading", _("Key figures"));
  setText("news-heading", _("News"));
  setText("obligations-heading", _("Obligations"));
  setText("obligation-col", _("Obligation"));
  setText("obligation-date-col", _("Date"));
  setText("obligation-outcome-col", _("Outcome"));
  setText("briefings-heading", _("Briefings"));
}

function tokenFromFragment() {
  const token = decodeURIComponent(location.hash.replace(/^#/, "")).trim();
  if (token) {
    // Out of the visible address at once: the projected screen should not show it.
    history.replaceState(null, "", location.pathname + location.search);
  }
  return token;
}

function show(room, token, language) {
  const clock = new LocalClock("clock", "clock-alert");
  let limit = null;
  const connection = new RoomConnection({
    room: room,
    code: token,
    language: language,
    onStatus: (status, detail) => {
      if (status === "open") {
        setText("status", "");
        byId("token-form").hidden = true;
        byId("board").hidden = false;
      } else if (status === "refused") {
        sessionStorage.removeItem(TOKEN_KEY + room);
        setText("status", detail || _("The server refused this token."));
        byId("token-form").hidden = false;
      } else if (status === "closed") {
        setText("status", _("Connection lost: reconnecting…"));
      }
    },
    onMessage: (message) => {
      if (message.type === "public") {
        limit = message.clock.limit;
        renderPublic(message, IDS);
        clock.update(message.clock);
      } else if (message.type === "clock") {
        clock.update(Object.assign({ limit: limit }, message));
      } else if (message.type === "error") {
        setText("status", message.message);
      }
    },
  });
  connection.connect();
}

async function start() {
  const language = await useLanguage(chosenLanguage());
  label();
  let room = roomFromUrl();
  const form = byId("token-form");
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    room = byId("room").value.toUpperCase().replace(/[^0-9A-Z]/g, "");
    const typed = byId("token").value.trim();
    if (room.length !== 6 || !typed) {
      setText("status", _("Type the room code and the projector token."));
      return;
    }
    form.hidden = true;
    sessionStorage.setItem(TOKEN_KEY + room, typed);
    history.replaceState(null, "", location.pathname + "?room=" + encodeURIComponent(room) + "&lang=" + language);
    show(room, typed, language);
  });
  byId("room").value = room;
  const token = tokenFromFragment() || (room ? sessionStorage.getItem(TOKEN_KEY + room) || "" : "");
  if (room && token) {
    sessionStorage.setItem(TOKEN_KEY + room, token);
    show(room, token, language);
    return;
  }
  form.hidden = false;
  (room ? byId("token") : byId("room")).focus();
}

start();

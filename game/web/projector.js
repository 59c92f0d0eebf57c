// The projector page: the public view only, large, for the back of the classroom. Its token comes from the
// address's fragment (#token: never sent to the server in a request line or kept in its logs) or the form.
import { _, chosenLanguage, useLanguage } from "./i18n.js";
import { byId, setText } from "./dom.js";
import { ClockFeed, connectionStatus, enterWithKey } from "./key_entry.js";
import { RoomConnection } from "./protocol.js";
import { LocalClock, renderPublic } from "./public_view.js";

const IDS = { title: "title", date: "date", variables: "variables", seats: "seats", news: "news",
  obligations: "obligations", briefings: "briefings", ending: "ending" };

function label() {
  document.title = _("Projector — Alliance Desk");
  setText("token-heading", _("Projector"));
  setText("room-label", _("Room code"));
  setText("token-label", _("Projector token"));
  setText("key-button", _("Show the room"));
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

async function start() {
  const language = await useLanguage(chosenLanguage());
  label();
  const feed = new ClockFeed(new LocalClock("clock", "clock-alert"));
  let connection = null;
  const forget = enterWithKey({
    storageKey: "alliance-desk.projector.",
    secretId: "token",
    missing: _("Type the room code and the projector token."),
    given: tokenFromFragment(),
    open: (room, token) => {
      if (connection) {
        connection.close();
      }
      connection = new RoomConnection({
        room: room,
        code: token,
        language: language,
        onStatus: (state, detail) => {
          connectionStatus(state, detail, _("The server refused this token."));
          if (state === "open") {
            byId("board").hidden = false;
          } else if (state === "refused") {
            byId("board").hidden = true;
            forget(room);
          }
        },
        onMessage: (message) => {
          feed.receive(message);
          if (message.type === "public") {
            renderPublic(message, IDS);
          } else if (message.type === "error") {
            setText("status", message.message);
          }
        },
      });
      connection.connect();
    },
  });
}

start();

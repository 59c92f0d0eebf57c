// The join page: the room code (from ?room=), the seat code printed on the role card, the language.
import { LANGUAGES, _, chosenLanguage, useLanguage } from "./i18n.js";
import { byId, el, replaceChildren, roomFromUrl, setText } from "./dom.js";

const CODE_ALPHABET = /^[23456789ABCDEFGHJKLMNPQRSTUVWXYZ]+$/;
export const JOIN_KEY = "alliance-desk.join";

function normalised(text) {
  return text.toUpperCase().replace(/[\s-]/g, "");
}

function label() {
  document.title = _("Join a room — Alliance Desk");
  setText("intro", _("Type the room code and the seat code from your role card."));
  setText("room-label", _("Room code"));
  setText("code-label", _("Seat code"));
  setText("language-label", _("Language"));
  setText("join-button", _("Join"));
  setText("facilitator-link", _("Facilitator"));
  setText("projector-link", _("Projector"));
}

async function start() {
  let language = await useLanguage(chosenLanguage());
  const select = byId("language");
  replaceChildren(select, Object.entries(LANGUAGES).map(([code, name]) =>
    el("option", { value: code, selected: code === language }, name)));
  label();
  byId("room").value = roomFromUrl();
  (byId("room").value ? byId("code") : byId("room")).focus();
  select.addEventListener("change", async () => {
    language = await useLanguage(select.value);
    label();
  });
  byId("join-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const room = normalised(byId("room").value);
    const code = normalised(byId("code").value);
    let problem = "";
    if (room.length !== 6 || !CODE_ALPHABET.test(room)) {
      problem = _("A room code has six letters and digits, like K7M2QX.");
    } else if (code.length !== 8 || !CODE_ALPHABET.test(code)) {
      problem = _("A seat code has eight letters and digits, like ABCD-EFGH.");
    }
    setText("join-error", problem);
    if (problem) {
      return;
    }
    // The code goes to the seat page in this tab's storage, not in the address (it would stay in the history).
    sessionStorage.setItem(JOIN_KEY, JSON.stringify({ room: room, code: code }));
    sessionStorage.removeItem("alliance-desk.resume." + room);
    location.assign("/seat?room=" + encodeURIComponent(room) + "&lang=" + language);
  });
}

start();

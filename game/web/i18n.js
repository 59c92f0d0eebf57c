// The web client's `_()`: the same gettext catalogues as the game, as /i18n/<lang>.json (msgid -> text).
// tools/update_catalogs.py extracts every call of `_` with literal text from game/web/**/*.js.

export const LANGUAGES = { en: "English", ja: "日本語" };
const STORAGE_KEY = "alliance-desk.language";
let table = {};

export function chosenLanguage() {
  const asked = new URLSearchParams(location.search).get("lang");
  const stored = sessionStorage.getItem(STORAGE_KEY);
  const language = asked || stored || (navigator.language || "en").slice(0, 2);
  return language in LANGUAGES ? language : "en";
}

export async function useLanguage(language) {
  const response = await fetch("/i18n/" + language + ".json");
  table = response.ok ? await response.json() : {};
  sessionStorage.setItem(STORAGE_KEY, language);
  document.documentElement.lang = language;
  return language;
}

// `message` in the chosen language, `{name}` placeholders filled from `values` (a missing one stays as it is).
export function _(message, values) {
  const text = Object.prototype.hasOwnProperty.call(table, message) ? table[message] : message;
  if (!values) {
    return text;
  }
  return text.replace(/\{(\w+)\}/g, (whole, name) => (name in values ? String(values[name]) : whole));
}

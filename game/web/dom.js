// Building the page with text only: every string goes in as a text node, never as HTML.

export function byId(id) {
  return document.getElementById(id);
}

// el("li", {class: "news"}, "text", otherNode): attributes are set one by one (never "on..." handlers).
export function el(tag, attributes, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes || {})) {
    if (value === false || value === null || value === undefined) {
      continue;
    }
    if (name.startsWith("on")) {
      throw new Error("handlers are added with addEventListener");
    }
    node.setAttribute(name, value === true ? "" : String(value));
  }
  for (const child of children) {
    if (child === null || child === undefined || child === false) {
      continue;
    }
    node.appendChild(typeof child === "string" || typeof child === "number" ? document.createTextNode(String(child)) : child);
  }
  return node;
}

export function setText(id, text) {
  const node = byId(id);
  if (node.textContent !== text) {
    node.textContent = text;
  }
}

export function replaceChildren(node, children) {
  while (node.firstChild) {
    node.removeChild(node.firstChild);
  }
  for (const child of children) {
    node.appendChild(child);
  }
}

export function roomFromUrl() {
  const room = new URLSearchParams(location.search).get("room") || "";
  return room.toUpperCase().replace(/[^0-9A-Z]/g, "").slice(0, 6);
}

// Minutes and seconds of a clock: "4:05"; "--:--" for no limit.
export function clockText(seconds) {
  if (seconds === null || seconds === undefined || !isFinite(seconds)) {
    return "--:--";
  }
  const whole = Math.max(0, Math.ceil(seconds));
  return Math.floor(whole / 60) + ":" + String(whole % 60).padStart(2, "0");
}

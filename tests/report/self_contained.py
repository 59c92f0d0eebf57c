"""What "self-contained" means for the pack's HTML, as a checker the tests share: no element or style may load
anything from outside the page — no script, stylesheet, font, image or frame by address or by file."""

from __future__ import annotations

import re
from html.parser import HTMLParser

URL_ATTRIBUTES = {"src", "href", "xlink:href", "srcset", "poster", "data", "action", "formaction", "background"}
CSS_URL = re.compile(r"url\(\s*['\"]?([^'\")]+)|@import\s+['\"]?([^'\"\s;]+)", re.IGNORECASE)


def external(reference: str) -> bool:
    """True for anything but a link inside the page (`#section`) or inline data."""
    reference = reference.strip()
    return not (reference.startswith("#") or reference.startswith("data:") or reference == "")


class ReferenceFinder(HTMLParser):
    """Collects every outside reference of a page: (what, where) pairs."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, str]] = []
        self.tags: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        if tag == "script":
            self.found.append(("script", dict(attrs).get("src") or "inline script"))
        if tag in {"iframe", "object", "embed"}:
            self.found.append((tag, str(dict(attrs))))
        for name, value in attrs:
            if value is None:
                continue
            if name in URL_ATTRIBUTES and external(value):
                self.found.append((f"<{tag} {name}>", value))
            if name == "style":
                self._css(value, f"<{tag} style>")
        self._in_style = tag == "style"

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        self._in_style = False

    def handle_endtag(self, tag: str) -> None:
        if tag == "style":
            self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self._css(data, "<style>")

    def _css(self, css: str, where: str) -> None:
        for match in CSS_URL.finditer(css):
            reference = match.group(1) or match.group(2)
            if external(reference):
                self.found.append((where, reference))


def outside_references(page: str) -> list[tuple[str, str]]:
    finder = ReferenceFinder()
    finder.feed(page)
    finder.close()
    return finder.found


def tags(page: str) -> list[str]:
    finder = ReferenceFinder()
    finder.feed(page)
    return finder.tags

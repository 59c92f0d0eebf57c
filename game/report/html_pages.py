"""The pack's and the cards' HTML, from the Jinja2 templates in `templates/` (autoescaped, strict).

Only the charts are inserted unescaped: `game.report.svg` builds them and escapes every text in them.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import jinja2

from game.report.cards import RoleCard
from game.report.embedded_font import font_face_rule
from game.report.pack import Pack

TEMPLATES = Path(__file__).resolve().parent / "templates"


@cache
def environment() -> jinja2.Environment:
    """The templates' environment: HTML autoescaping, an error for any undefined name, no stray whitespace."""
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def pack_html(pack: Pack) -> str:
    """The pack as one self-contained HTML page."""
    return with_embedded_font(environment().get_template("pack.html").render(pack=pack))


def cards_html(cards: list[RoleCard], language: str, title: str, heading: dict[str, str]) -> str:
    """The role cards as one printable HTML page (each card's private side on a page of its own)."""
    return with_embedded_font(
        environment().get_template("cards.html").render(cards=cards, language=language, title=title, text=heading))


def with_embedded_font(page: str) -> str:
    """The page with the game's Japanese font inlined when it shows Japanese (see `embedded_font`)."""
    rule = font_face_rule(page)
    return page.replace("</head>", f"<style>{rule}</style>\n</head>", 1) if rule else page

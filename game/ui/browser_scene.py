"""The scenario browser: every shipped scenario and mod in calendar order, with its details.

A mod that does not load is listed too (after the others), with its diagnostics in place of the
details, so its author sees what to fix instead of wondering where it went.
"""

from __future__ import annotations

import re
import threading
import time
from functools import partial
from pathlib import Path

import pygame
from pydantic import BaseModel
from pygame_gui.elements import UIButton, UIScrollingContainer

from game.resources import scenarios_dir
from game.scenario.catalog import CatalogEntry, discover, scenario_files
from game.scenario.loader import mods_dir
from game.scenario.models import Scenario
from game.scenario.months import month_number, year_and_month
from game.ui.i18n import _, ngettext, scenario_text
from game.ui.scene import GoTo, Scene, Transition
from game.ui.scrolling import reveal_row
from game.ui.text_layout import fit_line
from game.ui.text_pane import Block, TextPane


def period_of(scenario: Scenario) -> str:
    """The scenario's period as written, else the years its calendar covers (e.g. '1959–1961')."""
    if scenario.period is not None:
        return scenario_text(scenario.period)
    return calendar_years(scenario)


_YEAR = re.compile(r"(?<!\d)\d{4}(?!\d)")


def period_years(scenario: Scenario) -> str:
    """The first and last year of the scenario's period, e.g. '1959–1960' (short enough for the browser's list).

    Taken from the period as the author wrote it (which may end before the calendar's last turn does, or
    count fiscal years), else from the calendar.
    """
    text = scenario_text(scenario.period) if scenario.period is not None else ""
    # Years in a parenthesis qualify the period ("2022–2027 (from late 2025: hypothetical)"); they do not end it.
    years = _YEAR.findall(text.split("(")[0]) or _YEAR.findall(text)
    if years:
        return years[0] if years[0] == years[-1] else f"{years[0]}–{years[-1]}"
    return calendar_years(scenario)


def calendar_years(scenario: Scenario) -> str:
    """The years the scenario's calendar covers, e.g. '1959–1961'."""
    start = month_number(scenario.calendar.start)
    year = year_and_month(start)[0]
    end_year = year_and_month(start + scenario.calendar.turns * scenario.calendar.months_per_turn() - 1)[0]
    return str(year) if end_year == year else f"{year}–{end_year}"


def kind_label(scenario: Scenario) -> str:
    """'Historical', 'Hypothetical', or 'Partly hypothetical': a hypothetical scenario with a historical path
    (a `history_check`) follows the record up to a point and invents the rest, as the 2022 build-up does."""
    if not scenario.hypothetical:
        return _("Historical")
    return _("Partly hypothetical") if scenario.history_check is not None else _("Hypothetical")


def cited_source_ids(scenario: Scenario) -> set[str]:
    """Ids of the sources the scenario cites anywhere: history notes' `sources:`, variables', opinion groups'
    and levers' `source:`, treaties' `sources:`, and any other `source`/`sources` field of the format.

    A scenario that extends a base inherits every source the base lists; only these are its own evidence.
    Fields are found by walking the validated models, so a citation field added to the format later is
    counted without a change here. (An influence's `from` is also called `source` in the models; it names a
    variable, which the intersection with the declared source ids leaves out.)
    """
    declared = {source.id for source in scenario.sources}
    found: set[str] = set()
    stack: list[object] = [scenario]
    while stack:
        item = stack.pop()
        if isinstance(item, BaseModel):
            for name in type(item).model_fields:
                value = getattr(item, name)
                if name in ("source", "sources", "summary_sources"):
                    if isinstance(value, str):
                        found.add(value)
                    elif isinstance(value, list):
                        found.update(v for v in value if isinstance(v, str))
                if isinstance(value, BaseModel | list | tuple | dict):
                    stack.append(value)
        elif isinstance(item, list | tuple):
            stack.extend(v for v in item if isinstance(v, BaseModel | list | tuple | dict))
        elif isinstance(item, dict):
            stack.extend(v for v in item.values() if isinstance(v, BaseModel | list | tuple | dict))
    return found & declared


Signature = tuple[tuple[str, int, int], ...]
_catalog_cache: dict[Path | None, tuple[Signature, list[CatalogEntry]]] = {}
_cache_lock = threading.Lock()


def catalog_signature(data_dir: Path | None) -> Signature:
    """Every scenario and mod file with its modification time and size (cheap: no file is read)."""
    signature = []
    for folder in (scenarios_dir(), mods_dir(data_dir)):
        for path in scenario_files(folder):
            try:
                stat = path.stat()
            except OSError:
                continue
            signature.append((str(path), stat.st_mtime_ns, stat.st_size))
    return tuple(signature)


def fresh_cached_catalog(data_dir: Path | None) -> list[CatalogEntry] | None:
    """The catalogue loaded before, if no scenario or mod file was added, removed or changed since; else None."""
    with _cache_lock:
        cached = _catalog_cache.get(data_dir)
    if cached is not None and cached[0] == catalog_signature(data_dir):
        return list(cached[1])
    return None


def cached_catalog(data_dir: Path | None) -> list[CatalogEntry]:
    """`discover(data_dir)`, loaded again only when a scenario or mod file was added, removed or changed.

    Loading every scenario takes a few hundred milliseconds or more; the browser is opened again and again.
    """
    fresh = fresh_cached_catalog(data_dir)
    if fresh is not None:
        return fresh
    key = catalog_signature(data_dir)
    entries = discover(data_dir)
    with _cache_lock:
        _catalog_cache[data_dir] = (key, entries)
    return list(entries)


class CatalogLoader:
    """Loads the catalogue in a worker thread, so the window keeps drawing (and says so) while it does."""

    def __init__(self, data_dir: Path | None) -> None:
        self.entries: list[CatalogEntry] | None = None
        self.error: str | None = None
        self.started = time.monotonic()
        self._thread = threading.Thread(target=self._run, args=(data_dir,), name="catalog", daemon=True)
        self._thread.start()

    def _run(self, data_dir: Path | None) -> None:
        try:
            self.entries = cached_catalog(data_dir)
        except Exception as error:  # a bug in loading must reach the player as a message, not a silent hang
            self.error = f"{type(error).__name__}: {error}"

    @property
    def done(self) -> bool:
        return not self._thread.is_alive()

    def wait(self, timeout: float = 60.0) -> None:
        """Block until loaded (tests and screenshots only)."""
        self._thread.join(timeout)


def chronological(entries: list[CatalogEntry]) -> list[CatalogEntry]:
    """Playable scenarios by calendar start (then title); broken files last, by file name."""
    def key(entry: CatalogEntry) -> tuple[int, str, str]:
        scenario = entry.result.scenario
        if scenario is None:
            return (1, "", entry.path.name)
        return (0, scenario.calendar.start, scenario_text(scenario.title))

    return sorted(entries, key=key)


class BrowserScene(Scene):
    """Pick a scenario."""

    name = "browser"

    def __init__(self, app: object, entries: list[CatalogEntry] | None = None, select: Path | None = None) -> None:
        super().__init__(app)  # type: ignore[arg-type]
        self.select = select  # the scenario to show selected (coming back from the role screen)
        self.entries: list[CatalogEntry] = []
        self.selected = 0
        self.loader: CatalogLoader | None = None
        known = entries if entries is not None else fresh_cached_catalog(self.app.data_dir)
        if known is not None:
            self._show(known)
        else:
            self.loader = CatalogLoader(self.app.data_dir)
        self.pane: TextPane | None = None
        self.choose_button: UIButton | None = None
        self.row_labels: list[str] = []  # the list's rows as shown (period · title), in order
        self._title: tuple[tuple[object, ...], pygame.Surface] | None = None

    def _show(self, entries: list[CatalogEntry]) -> None:
        self.entries = chronological(entries)
        playable = [i for i, e in enumerate(self.entries) if e.result.scenario is not None]
        chosen = [i for i, e in enumerate(self.entries) if self.select is not None and e.path == self.select]
        self.selected = (chosen or playable or [0])[0]

    @property
    def loading(self) -> bool:
        """True while the catalogue is being read (the screen shows a message and takes only Esc)."""
        return self.loader is not None

    def status_text(self) -> str:
        """What the screen says while it loads (empty once loaded)."""
        if self.loader is None:
            return ""
        return _("Reading the scenarios and your mods")

    def build(self) -> None:
        width, height = self.app.layout_size
        margin, button_h, gap = self.px(24), self.px(34), self.px(6)
        if self.loading:
            w = self.px(200)
            self.button(pygame.Rect(margin, height - margin - button_h, w, button_h), _("Back"), self._back,
                        name="back")
            return
        top = self.px(12) + self.app.fonts.display.get_linesize() + self.px(12)
        bottom = height - margin - button_h - self.px(12)
        list_w = max(self.px(300), width * 2 // 5)
        list_rect = pygame.Rect(margin, top, list_w, bottom - top)
        scroller = self.keep(UIScrollingContainer(list_rect, self.app.manager, allow_scroll_x=False))
        inner_w = list_rect.w - self.px(22)
        y = 0
        self.row_labels = []
        for index, entry in enumerate(self.entries):
            row_y = y
            broken = entry.result.scenario is None
            label = fit_line(self.app.fonts.body, self._list_label(entry), inner_w - self.px(20))
            self.row_labels.append(label)

            def reveal(row_y: int = row_y) -> None:
                reveal_row(scroller, row_y, list_rect.h, button_h)

            button = self.button(pygame.Rect(0, y, inner_w, button_h), label, partial(self._pick, index),
                                 container=scroller, class_id="@broken" if broken else "@list_item",
                                 name=f"scenario-{index}", reveal=reveal)
            if index == self.selected:
                button.select()  # type: ignore[no-untyped-call]
            y += button_h + gap
        scroller.set_scrollable_area_dimensions((inner_w, max(1, y)))
        detail = pygame.Rect(list_rect.right + margin, top, width - list_rect.right - 2 * margin, bottom - top)
        self.pane = TextPane(detail, self._detail_blocks(), self.app.palette.border)
        w = self.px(200)
        self.button(pygame.Rect(margin, height - margin - button_h, w, button_h), _("Back"), self._back, name="back")
        self.choose_button = self.button(
            pygame.Rect(width - margin - w, height - margin - button_h, w, button_h), _("Choose your role"),
            self._choose, class_id="@primary", name="choose",
        )
        if not self._playable():
            self.choose_button.disable()  # type: ignore[no-untyped-call]
        if self.focus.index is None and self.entries:
            self.focus.focus_named(f"scenario-{self.selected}")

    def _list_label(self, entry: CatalogEntry) -> str:
        scenario = entry.result.scenario
        if scenario is None:
            return f"▲ {entry.path.name}"
        tags = []
        if scenario.hypothetical:
            tags.append(kind_label(scenario))
        if not entry.shipped:
            tags.append(_("Mod"))
        # The list gives the calendar's years (the details give the period in full), so that titles fit.
        title = f"{period_years(scenario)} · {scenario_text(scenario.title)}"
        return f"{title}  ({', '.join(tags)})" if tags else title

    def _detail_blocks(self) -> list[Block]:
        palette, fonts = self.app.palette, self.app.fonts
        if not self.entries:
            return [Block(fonts.body, _("No scenarios found."), palette.text_muted)]
        entry = self.entries[self.selected]
        scenario = entry.result.scenario
        if scenario is None:
            blocks = [
                Block(fonts.heading, entry.path.name, palette.warning, self.px(8)),
                Block(fonts.body, _("This scenario cannot be played: it has errors."), palette.warning, self.px(8)),
            ]
            blocks += [Block(fonts.small, d.format(), palette.text, self.px(4)) for d in entry.result.diagnostics]
            return blocks
        roles = [scenario_text(scenario.roles[r].title) for r in scenario.playable_roles()]
        kind = kind_label(scenario)
        blocks = [
            Block(fonts.heading, scenario_text(scenario.title), palette.text, self.px(4)),
            Block(fonts.body, kind + ("" if entry.shipped else f" · {_('Mod')}"),
                  palette.warning if scenario.hypothetical else palette.accent, self.px(8)),
            Block(fonts.body, f"{_('Period')}: {period_of(scenario)}", palette.text, self.px(2)),
            Block(fonts.body, f"{_('Difficulty')}: {_(scenario.difficulty)}", palette.text, self.px(2)),
            Block(fonts.body, f"{_('Roles')}: {', '.join(roles)}", palette.text, self.px(10)),
            Block(fonts.body, scenario_text(scenario.summary), palette.text, self.px(12)),
        ]
        warnings = [d for d in entry.result.diagnostics if d.severity != "error"]
        for diagnostic in warnings:
            blocks.append(Block(fonts.small, diagnostic.format(), palette.warning, self.px(4)))
        if scenario.sources:
            cited = cited_source_ids(scenario)
            shown = [source for source in scenario.sources if source.id in cited]
            blocks.append(Block(fonts.heading, f"{_('Sources')} ({len(shown)})", palette.text, self.px(4)))
            for source in shown:
                line = source.title + (f" — {source.url}" if source.url else "")
                blocks.append(Block(fonts.small, "• " + line, palette.text_muted, self.px(4)))
            rest = len(scenario.sources) - len(shown)
            if rest:
                text = ngettext(
                    "{n} other listed source is not cited by this scenario.",
                    "{n} other listed sources (mostly from shared base files) are not cited by this scenario.", rest,
                )
                blocks.append(Block(fonts.small, text, palette.text_muted, self.px(4)))
        return blocks

    def _playable(self) -> bool:
        return bool(self.entries) and self.entries[self.selected].result.scenario is not None

    def _pick(self, index: int) -> Transition:
        if index == self.selected and self._playable():
            return self._choose()  # a second activation of the selected row goes on, as a double-click would
        self.selected = index
        self.rebuild()
        return None

    def _back(self) -> Transition:
        return GoTo("title")

    def _choose(self) -> Transition:
        if not self._playable():
            return None
        return GoTo("role", entry=self.entries[self.selected])

    def settle(self) -> None:
        if self.loader is not None:
            self.loader.wait()
            self.update(0.0)

    def update(self, dt: float) -> Transition:
        loader = self.loader
        if loader is not None and loader.done:
            self.loader = None
            self._show(loader.entries or [])
            if loader.error is not None:
                self.app.notify(loader.error, kind="error", seconds=8.0)
            # Keys pressed while loading were for a list that was not there yet: drop them, don't replay them.
            pygame.event.clear((pygame.KEYDOWN, pygame.KEYUP, pygame.TEXTINPUT))
            self.focus.index = None
            self.rebuild()
        return None

    def handle_event(self, event: pygame.event.Event) -> Transition:
        if event.type == pygame.KEYDOWN and event.key == pygame.K_ESCAPE:
            return self._back()
        if self.loading:
            return None
        if event.type == pygame.KEYDOWN and event.key in (pygame.K_UP, pygame.K_DOWN) and self.entries:
            step = -1 if event.key == pygame.K_UP else 1
            self.selected = (self.selected + step) % len(self.entries)
            self.rebuild()
            self.focus.focus_named(f"scenario-{self.selected}")
            current = self.focus.current
            if current is not None and current.reveal is not None:
                current.reveal()
            return None
        if self.pane is not None:
            self.pane.handle_event(event)
        return None

    def draw(self, surface: pygame.Surface) -> None:
        key = (id(self.app.fonts.display), self.app.palette.name, _("Choose a scenario"))
        if self._title is None or self._title[0] != key:  # rendered once, not every frame
            self._title = (key, self.app.fonts.display.render(key[2], True, self.app.palette.text))
        surface.blit(self._title[1], (self.px(24), self.px(12)))
        if self.loader is not None:
            self._draw_loading(surface, time.monotonic() - self.loader.started)
            return
        if self.pane is not None:
            self.pane.draw(surface)

    def _draw_loading(self, surface: pygame.Surface, elapsed: float) -> None:
        palette, fonts = self.app.palette, self.app.fonts
        width, height = self.app.layout_size
        dots = "." * (1 + int(elapsed * 3) % 3)
        text = fonts.heading.render(f"{self.status_text()} {dots}", True, palette.text_muted)
        surface.blit(text, text.get_rect(center=(width // 2, height // 2)))

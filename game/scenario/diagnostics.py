"""Diagnostics: every problem found in a scenario, with where it is and how to fix it."""

from __future__ import annotations

import bisect
import difflib
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from typing import Literal

Severity = Literal["error", "warning", "info"]


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One problem: `file:line:col: severity: key.path: message (hint)`.

    Lines and columns are 1-based, as editors show them; 0 means "unknown".
    """

    file: str
    line: int
    col: int
    severity: Severity
    path: str
    message: str
    hint: str | None = field(default=None, compare=False)

    def format(self) -> str:
        where = f"{self.file}:{self.line}:{self.col}"
        path = f" {self.path}:" if self.path else ""
        hint = f" ({self.hint})" if self.hint else ""
        return f"{where}: {self.severity}:{path} {self.message}{hint}"

    def to_json(self) -> dict[str, object]:
        return {
            "file": self.file,
            "line": self.line,
            "col": self.col,
            "severity": self.severity,
            "path": self.path,
            "message": self.message,
            "hint": self.hint,
        }


def has_errors(diagnostics: Iterable[Diagnostic]) -> bool:
    return any(d.severity == "error" for d in diagnostics)


def did_you_mean(name: str, candidates: Iterable[str]) -> str | None:
    """A 'did you mean ...?' hint for a misspelt name, or None when nothing is close."""
    matches = difflib.get_close_matches(name, sorted(set(candidates)), n=1, cutoff=0.6)
    return f"did you mean '{matches[0]}'?" if matches else None


MAX_HINTS = 100
"""Did-you-mean hints computed per file; a file with thousands of unknown names gets the first ones."""
_SHORTLIST_FROM = 64  # pools at least this large are searched through the index
_NEIGHBOURS = 12


class Suggestions:
    """Did-you-mean hints for one file, cheap however many names are unknown.

    Each pool of candidates is indexed once (pools are the same objects call after call): sorted,
    and sorted by reversed spelling. A misspelt name shares its start with names next to it in the
    first order and its end with names next to it in the second, so difflib compares it with a few
    dozen neighbours instead of every name. After MAX_HINTS hints no more are computed.
    """

    def __init__(self) -> None:
        self.given = 0
        self._indexes: dict[tuple[int, ...], tuple[tuple[Collection[str], ...], list[str], list[str]]] = {}

    def hint(self, name: str, *pools: Collection[str]) -> str | None:
        if self.given >= MAX_HINTS:
            return None
        self.given += 1
        forward, backward = self._index(pools)
        if len(forward) < _SHORTLIST_FROM:
            candidates = forward
        else:
            candidates = _neighbours(forward, name) + [n[::-1] for n in _neighbours(backward, name[::-1])]
        matches = difflib.get_close_matches(name, candidates, n=1, cutoff=0.6)
        return f"did you mean '{matches[0]}'?" if matches else None

    def _index(self, pools: tuple[Collection[str], ...]) -> tuple[list[str], list[str]]:
        key = tuple(id(pool) for pool in pools)
        found = self._indexes.get(key)
        if found is None:
            names = sorted({n for pool in pools for n in pool})
            found = (pools, names, sorted(n[::-1] for n in names))  # pools kept so that their ids stay theirs
            self._indexes[key] = found
        return found[1], found[2]


def _neighbours(ordered: list[str], name: str) -> list[str]:
    at = bisect.bisect_left(ordered, name)
    return ordered[max(0, at - _NEIGHBOURS): at + _NEIGHBOURS]

"""A time source for a classroom room (its `now`) that moves only when a test moves it."""

from __future__ import annotations


class FakeTime:
    """`room = Room(..., now=fake)`; then `fake.advance(301)` (or `fake.now += 301`) runs the clock out."""

    def __init__(self, start: float = 0.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds

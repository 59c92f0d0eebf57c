"""The room's codes: the room code, one seat code per role, the facilitator key, the projector token and the
resume tokens issued to devices, plus the limiter of failed joins.

Everything comes from `secrets` and is compared with `hmac.compare_digest`. Seat and room codes are typed by
hand, so dashes, spaces and case are ignored; the keys and tokens are pasted or kept by the browser, so they are
compared exactly. The codes live in the room folder's `codes.json` (mode 0600, written atomically) so a
resumed server accepts the same codes and the same resume tokens.
"""

from __future__ import annotations

import hmac
import json
import secrets
import time
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from game.play.saves import write_text_atomically

ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, no 1/I: read off a card and typed
ROOM_CODE_LENGTH = 6
SEAT_CODE_LENGTH = 8
MAX_RESUME_TOKENS = 2000  # a bound on what codes.json keeps (a class is 40 devices, reloads reuse tokens)


class CodesError(ValueError):
    """codes.json is missing or malformed; the message names the file."""


def random_code(length: int) -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(length))


def new_seat_code() -> str:
    """A seat code as printed on a role card: `XXXX-XXXX`."""
    code = random_code(SEAT_CODE_LENGTH)
    return f"{code[:4]}-{code[4:]}"


def normalise(code: str) -> str:
    """A typed room or seat code as compared: no dashes or spaces, upper case."""
    return "".join(code.split()).replace("-", "").upper()


def same_secret(given: str, expected: str) -> bool:
    """Constant-time equality of two texts (the time does not tell how much of a guess was right)."""
    return hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8"))


@dataclass
class RoomCodes:
    room: str
    seats: dict[str, str]  # role -> seat code as printed (XXXX-XXXX)
    control: str
    projector: str
    resume: dict[str, str] = field(default_factory=dict)  # resume token -> role
    locked: bool = False  # the lesson started: seat codes admit no new device (kept here so a resume keeps it)

    @classmethod
    def new(cls, roles: Iterable[str]) -> RoomCodes:
        seats: dict[str, str] = {}
        for role in roles:
            code = new_seat_code()
            while normalise(code) in {normalise(c) for c in seats.values()}:
                code = new_seat_code()
            seats[role] = code
        return cls(random_code(ROOM_CODE_LENGTH), seats, secrets.token_urlsafe(16), secrets.token_urlsafe(16))

    def is_room(self, given: str) -> bool:
        return same_secret(normalise(given), self.room)

    def seat_of(self, given: str) -> str | None:
        """The role whose seat code this is, or None (every seat is compared, so the time tells nothing)."""
        typed = normalise(given)
        found = None
        for role, code in self.seats.items():
            if same_secret(typed, normalise(code)):
                found = role
        return found

    def is_control(self, given: str) -> bool:
        return same_secret(given, self.control)

    def is_projector(self, given: str) -> bool:
        return same_secret(given, self.projector)

    def issue_resume(self, role: str) -> str:
        """A fresh resume token for a device that joined `role`'s seat."""
        token = secrets.token_urlsafe(24)
        self.resume[token] = role
        while len(self.resume) > MAX_RESUME_TOKENS:
            del self.resume[next(iter(self.resume))]
        return token

    def resume_role(self, given: str) -> str | None:
        found = None
        for token, role in self.resume.items():
            if same_secret(given, token):
                found = role
        return found

    def revoke(self, token: str) -> None:
        self.resume.pop(token, None)

    def revoke_role(self, role: str) -> None:
        """Every resume token of `role`'s seat stops working (a new seat code was issued)."""
        for token in [t for t, r in self.resume.items() if r == role]:
            del self.resume[token]

    def renew_seat(self, role: str) -> str:
        """A fresh seat code for `role`; the old one, and the devices' resume tokens for it, stop working."""
        code = new_seat_code()
        self.seats[role] = code
        self.revoke_role(role)
        return code

    def to_json(self) -> dict[str, Any]:
        return {"room": self.room, "seats": dict(self.seats), "control": self.control,
                "projector": self.projector, "resume": dict(self.resume), "locked": self.locked}

    @classmethod
    def read(cls, path: Path) -> RoomCodes:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise CodesError(f"{path}: no codes file (is this a room folder?)") from None
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
            raise CodesError(f"{path}: could not read the room's codes: {error}") from None
        texts = ("room", "control", "projector")
        if (not isinstance(data, dict) or not all(isinstance(data.get(key), str) for key in texts)
                or not _text_map(data.get("seats")) or not _text_map(data.get("resume", {}), empty=True)):
            raise CodesError(f"{path}: the room's codes are malformed (expected room, seats, control, projector)")
        return cls(data["room"], dict(data["seats"]), data["control"], data["projector"], dict(data.get("resume", {})),
                   data.get("locked") is True)

    def write(self, path: Path) -> None:
        write_private_json(path, self.to_json())


def _text_map(value: object, *, empty: bool = False) -> bool:
    return (isinstance(value, dict) and (empty or bool(value))
            and all(isinstance(k, str) and isinstance(v, str) for k, v in value.items()))


def write_private_json(path: Path, data: dict[str, Any]) -> None:
    """Write `data` to `path` atomically, readable by its owner only (mode 0600): it holds the room's secrets.
    Raises `SaveError`. (`write_text_atomically` writes through `mkstemp`, whose files are created 0600.)"""
    write_text_atomically(path, json.dumps(data, ensure_ascii=False, indent=1))


class JoinLimiter:
    """Failed joins per client address: `limit` in `window` seconds, then "wait N seconds"."""

    def __init__(self, limit: int = 10, window: float = 60.0, now: Callable[[], float] = time.monotonic,
                 max_addresses: int = 10_000) -> None:
        self.limit = limit
        self.window = window
        self._now = now
        self._max_addresses = max_addresses
        self._failures: dict[str, deque[float]] = {}

    def wait_seconds(self, address: str) -> float:
        """0 when `address` may try now, else how long it must wait."""
        failures = self._recent(address)
        if len(failures) < self.limit:
            return 0.0
        return max(1.0, failures[0] + self.window - self._now())

    def failed(self, address: str) -> None:
        if address not in self._failures and len(self._failures) >= self._max_addresses:
            self._failures.pop(next(iter(self._failures)))  # bounded memory: forget the oldest address
        self._recent(address).append(self._now())

    def _recent(self, address: str) -> deque[float]:
        failures = self._failures.setdefault(address, deque())
        cutoff = self._now() - self.window
        while failures and failures[0] <= cutoff:
            failures.popleft()
        return failures

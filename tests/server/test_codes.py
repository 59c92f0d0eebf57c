"""Room codes: their alphabet and shape, loose typing of seat codes, exact keys, renewal, and the join limiter."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from game.server.codes import ALPHABET, CodesError, JoinLimiter, RoomCodes
from tests.fake_time import FakeTime


def test_codes_have_the_card_alphabet_and_shape() -> None:
    codes = RoomCodes.new(["a", "b", "c"])
    assert len(codes.room) == 6 and set(codes.room) <= set(ALPHABET)
    for code in codes.seats.values():
        assert len(code) == 9 and code[4] == "-" and set(code.replace("-", "")) <= set(ALPHABET)
    assert len(set(codes.seats.values())) == 3 and codes.control != codes.projector


def test_seat_codes_are_typed_loosely_keys_exactly() -> None:
    codes = RoomCodes.new(["a", "b"])
    assert codes.seat_of(codes.seats["b"].lower().replace("-", "")) == "b"
    codes.seats["a"] = "2222-2222"
    assert codes.seat_of("2222 2222") == "a" and codes.seat_of("2222-2223") is None
    assert codes.is_control(codes.control) and not codes.is_control(codes.control.swapcase())
    assert not codes.is_projector(codes.control)


def test_renewing_a_seat_code_revokes_the_old_code_and_its_tokens(tmp_path: Path) -> None:
    codes = RoomCodes.new(["a", "b"])
    old, token, other = codes.seats["a"], codes.issue_resume("a"), codes.issue_resume("b")
    codes.renew_seat("a")
    assert codes.seat_of(old) is None and codes.resume_role(token) is None and codes.resume_role(other) == "b"
    codes.locked = True
    codes.write(tmp_path / "codes.json")
    assert stat.S_IMODE((tmp_path / "codes.json").stat().st_mode) == 0o600
    assert RoomCodes.read(tmp_path / "codes.json") == codes
    (tmp_path / "bad.json").write_text('{"room": 1}')
    with pytest.raises(CodesError, match="malformed"):
        RoomCodes.read(tmp_path / "bad.json")


def test_the_limiter_counts_failures_per_address_within_its_window() -> None:
    clock = FakeTime(100.0)
    limiter = JoinLimiter(limit=3, window=60.0, now=clock)
    for _ in range(3):
        assert limiter.wait_seconds("10.0.0.5") == 0
        limiter.failed("10.0.0.5")
    assert limiter.wait_seconds("10.0.0.5") == pytest.approx(60.0)
    assert limiter.wait_seconds("10.0.0.6") == 0
    clock.advance(61)
    assert limiter.wait_seconds("10.0.0.5") == 0

"""Property test: however a valid scenario is damaged, loading gives a model or diagnostics, never an exception."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from game.resources import scenarios_dir
from game.scenario.diagnostics import Diagnostic
from game.scenario.loader import LoadResult, load_scenario_text

MINIMAL = Path(__file__).resolve().parent.parent / "fixtures" / "minimal_scenario.yaml"
EXAMPLE = scenarios_dir() / "example_alliance.yaml"
SOURCES = [path for path in (MINIMAL, EXAMPLE) if path.is_file()]

# Values that exercise the reader and the models: YAML 1.1 words, dates, odd numbers, tags, flow syntax.
ODD_VALUES = [
    "", "~", "no", "YES", "on", "1960-01-19", "1960-13", "-1", "1e400", "0x1F", ".nan", "[]", "{}", "[a, b",
    "'unclosed", '"x"', "!!python/object/apply:os.system [ls]", "*nothing", "&anchor x", "- item", "a: b: c",
    "99999999999999999999999", "turn >", "clip(", "lever.defense_budget", "ja: 日本", "\t", "%", "@", "`x`",
]

mutation = st.one_of(
    st.tuples(st.just("delete"), st.integers(0, 10_000)),
    st.tuples(st.just("duplicate"), st.integers(0, 10_000)),
    st.tuples(st.just("value"), st.integers(0, 10_000), st.sampled_from(ODD_VALUES)),
    st.tuples(st.just("text"), st.integers(0, 10_000), st.text(max_size=12)),
    st.tuples(st.just("indent"), st.integers(0, 10_000), st.integers(-4, 4)),
)


def mutate(text: str, steps: list[tuple[object, ...]]) -> str:
    lines = text.splitlines()
    for step in steps:
        if not lines:
            break
        kind, index = step[0], int(step[1]) % len(lines)  # type: ignore[call-overload]
        line = lines[index]
        if kind == "delete":
            del lines[index]
        elif kind == "duplicate":
            lines.insert(index, line)
        elif kind == "value":
            key, colon, _ = line.partition(": ")
            lines[index] = f"{key}: {step[2]}" if colon else f"{line} {step[2]}"
        elif kind == "text":
            cut = len(line) // 2
            lines[index] = line[:cut] + str(step[2]) + line[cut:]
        else:
            shift = int(step[2])  # type: ignore[call-overload]
            lines[index] = " " * shift + line if shift >= 0 else line[min(-shift, len(line) - len(line.lstrip())):]
    return "\n".join(lines) + "\n"


@pytest.mark.slow  # hypothesis: hundreds of damaged scenarios
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(source=st.sampled_from(SOURCES), steps=st.lists(mutation, min_size=1, max_size=4))
def test_damaged_scenarios_load_to_a_model_or_diagnostics(source: Path, steps: list[tuple[object, ...]]) -> None:
    text = mutate(source.read_text(encoding="utf-8"), steps)
    result = load_scenario_text(text, file=str(source))
    assert isinstance(result, LoadResult)
    assert all(isinstance(d, Diagnostic) and d.line >= 0 and d.col >= 0 for d in result.diagnostics)
    if result.scenario is None and not result.abstract:
        assert not result.ok, "no scenario and no error"
    else:
        assert result.ok

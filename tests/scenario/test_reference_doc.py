"""docs/scenario-reference.md is generated from the models and must not go stale."""

from __future__ import annotations

from pathlib import Path

from game.scenario import models
from game.scenario.reference_doc import reference_markdown

REFERENCE = Path(__file__).resolve().parent.parent.parent / "docs" / "scenario-reference.md"


def test_reference_is_up_to_date() -> None:
    assert REFERENCE.read_text(encoding="utf-8") == reference_markdown(), (
        "docs/scenario-reference.md is stale: run `python tools/generate_reference.py`"
    )


def test_every_model_and_field_is_documented() -> None:
    text = reference_markdown()
    for name in ("Scenario", "ScenarioBase", "Event", "Choice", "Effect", "Obligation", "Place", "Advisor"):
        assert f"\n## {name}\n" in text
    for name, info in models.Influence.model_fields.items():
        assert f"| `{info.alias or name}` |" in text
    assert "| `drift` | number (≥ 0, ≤ 1) | `0.0` |" in text

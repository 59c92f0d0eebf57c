"""Regenerate docs/scenario-reference.md from the scenario models: `python tools/generate_reference.py`."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from game.scenario.reference_doc import reference_markdown  # noqa: E402

REFERENCE = ROOT / "docs" / "scenario-reference.md"


def main() -> int:
    REFERENCE.write_text(reference_markdown(), encoding="utf-8")
    print(f"wrote {REFERENCE.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

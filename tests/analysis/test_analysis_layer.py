"""Without Dask, `sweep --dask` says what to install (the import check of every layer, analysis
included, is in tests/engine/test_soak_and_layers.py)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def test_dask_asked_for_without_distributed_is_a_clear_error(tmp_path: Path) -> None:
    spec = tmp_path / "spec.yaml"
    spec.write_text("scenario: example_alliance\nruns: 2\n", encoding="utf-8")
    code = (
        "import sys\n"
        "sys.modules['distributed'] = None\n"
        "from game.cli import main\n"
        f"sys.exit(main(['sweep', {str(spec)!r}, '--dask', 'local', '--out', {str(tmp_path / 'out.csv')!r}]))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert result.returncode == 2, result.stderr
    assert "--dask needs the optional package distributed" in result.stderr

"""A sweep spec (YAML): a scenario, its variants, an optional grid, policies, seeds and runs per seed.

```yaml
scenario: example_alliance        # an id, or a path relative to the spec
variants:
  - id: base
  - id: calm
    set: {variables: {tension: {initial: 20}}}
grid:                             # optional: every combination of these values, in every variant
  variables.tension.drift: [0.02, 0.05]
policies: [random, historical]
seeds: [1, 2]
runs: 100
```

Each variant's `set` is laid over the scenario with `loader.load_overlaid` (the `extends` rules, merged
all the way down); a grid point is one more overlay, built from its dotted paths (`events.crisis.chance`
names the event whose id is `crisis`). Every variant is validated before anything runs, and problems
name the spec's file and line when they come from the spec.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, ValidationError

from game.scenario.diagnostics import Diagnostic
from game.scenario.loader import (
    default_roots,
    display_name,
    find_scenario_file,
    load_overlaid,
    validation_diagnostics,
)
from game.scenario.models import Id, Scenario, Strict
from game.scenario.yaml_reader import Document, KeyPath, NodePosition, locate, read_yaml_bytes

SweepPolicy = Literal["random", "first", "historical"]
GridValue = bool | int | float | str


class SweepVariant(Strict):
    """One variant: an id and an overlay on the scenario (none: the scenario as it is)."""

    id: Id = Field(description="Names the variant in the results.")
    set: dict[str, Any] = Field(default_factory=dict, description="Laid over the scenario, merged all the way down.")


class SweepSpecModel(Strict):
    """The spec file as written."""

    scenario: str = Field(min_length=1, description="A scenario id, or a path relative to the spec file.")
    variants: list[SweepVariant] = Field(default_factory=lambda: [SweepVariant(id="base")], min_length=1)
    grid: dict[str, list[GridValue]] = Field(
        default_factory=dict, description="Dotted path -> values; every combination runs in every variant."
    )
    policies: list[SweepPolicy] = Field(default_factory=lambda: list[SweepPolicy](["random"]), min_length=1)
    seeds: list[int] = Field(default_factory=lambda: [0], min_length=1)
    runs: int = Field(100, ge=1, le=1_000_000, description="Games per (variant, grid point, policy, seed).")
    turns: int | None = Field(None, ge=1, description="Turns per game (default: the scenario's).")


@dataclass(frozen=True)
class SweepVariantScenario:
    """A variant at one grid point, validated."""

    variant: str
    grid: tuple[tuple[str, GridValue], ...]  # (dotted path, value) in the spec's grid order
    scenario: Scenario


@dataclass(frozen=True)
class SweepSpec:
    """A spec read and checked: every variant × grid point as a validated scenario."""

    path: Path
    text: str  # the spec as written (for the manifest)
    scenario_path: Path
    model: SweepSpecModel
    variants: tuple[SweepVariantScenario, ...]

    @property
    def grid_keys(self) -> tuple[str, ...]:
        return tuple(self.model.grid)


def read_sweep_spec(path: Path, data_dir: Path | None = None) -> tuple[SweepSpec | None, list[Diagnostic]]:
    """Read, validate and expand a spec; (None, diagnostics) when anything is wrong."""
    shown = display_name(path)
    try:
        raw = path.read_bytes()
    except OSError as error:
        return None, [Diagnostic(shown, 1, 1, "error", "", f"cannot read the file: {error.strerror or error}")]
    document = read_yaml_bytes(raw, shown)
    if document.data is None:
        return None, list(document.diagnostics) or [Diagnostic(shown, 1, 1, "error", "", "the spec is empty")]
    try:
        model = SweepSpecModel.model_validate(document.data)
    except ValidationError as error:
        return None, [*document.diagnostics, *validation_diagnostics(error, document, SweepSpecModel)]
    problems = list(document.diagnostics)
    seen: set[str] = set()
    for index, variant in enumerate(model.variants):
        if variant.id in seen:
            problems.append(_at(document, ("variants", index, "id"), f"the variant id '{variant.id}' is used twice"))
        seen.add(variant.id)
    for index, seed in enumerate(model.seeds):
        if seed < 0:
            problems.append(_at(document, ("seeds", index), f"a seed must be 0 or more, not {seed}"))
    scenario_path = _scenario_path(model.scenario, path.parent, data_dir)
    if scenario_path is None:
        problems.append(_at(document, ("scenario",), f"no scenario with the id or file '{model.scenario}'"))
    if problems or scenario_path is None:
        return None, problems
    roots = [*default_roots(data_dir), scenario_path.parent]
    plain = load_overlaid(scenario_path, [], roots=roots)
    if plain.scenario is None:
        return None, list(plain.diagnostics)
    base_data = plain.scenario.model_dump(mode="json", by_alias=True)
    variants: list[SweepVariantScenario] = []
    grid_keys = list(model.grid)
    for point in itertools.product(*(model.grid[key] for key in grid_keys)):
        grid = tuple(zip(grid_keys, point, strict=True))
        grid_overlay, grid_problems = _grid_overlay(document, grid, base_data)
        problems.extend(grid_problems)
        for index, variant in enumerate(model.variants):
            overlays = [_sub_document(document, ("variants", index, "set"), variant.set), grid_overlay]
            result = load_overlaid(scenario_path, overlays, roots=roots)
            problems.extend(d for d in result.diagnostics if d.severity == "error" and d not in problems)
            if result.scenario is not None:
                variants.append(SweepVariantScenario(variant.id, grid, result.scenario))
    if problems:
        return None, list(dict.fromkeys(problems))  # a grid problem is found once per grid point
    # Variant-major order: every grid point of the first variant, then of the next.
    order = {variant.id: index for index, variant in enumerate(model.variants)}
    variants.sort(key=lambda v: order[v.variant])
    text = raw.decode("utf-8", errors="replace")
    return SweepSpec(path, text, scenario_path, model, tuple(variants)), []


def _at(document: Document, path: KeyPath, message: str, hint: str | None = None) -> Diagnostic:
    where = locate(document, path).value
    return Diagnostic(where.file, where.line, where.col, "error", ".".join(str(p) for p in path), message, hint)


def _scenario_path(name: str, folder: Path, data_dir: Path | None) -> Path | None:
    from game.scenario.catalog import SCENARIO_SUFFIXES

    candidate = folder / name
    if name.lower().endswith(SCENARIO_SUFFIXES) or "/" in name:
        return candidate if candidate.is_file() else None
    found, _ = find_scenario_file(name, default_roots(data_dir))
    return found


def _sub_document(document: Document, prefix: KeyPath, data: dict[str, Any]) -> Document:
    """The part of `document` under `prefix` as a document of its own (positions kept)."""
    positions = {path[len(prefix):]: where for path, where in document.positions.items()
                 if path[: len(prefix)] == prefix}
    positions.setdefault((), locate(document, prefix))
    traps = {path[len(prefix):]: text for path, text in document.bool_traps.items() if path[: len(prefix)] == prefix}
    return Document(document.file, data, positions, [], traps)


def _grid_overlay(
    document: Document, grid: Sequence[tuple[str, GridValue]], base: dict[str, Any]
) -> tuple[Document, list[Diagnostic]]:
    """One grid point as an overlay: each dotted path becomes nested mappings, and a step into a list
    of things with ids becomes `[{id: step, ...}]`. Positions point at the grid key in the spec."""
    data: dict[str, Any] = {}
    positions: dict[KeyPath, NodePosition] = {(): locate(document, ("grid",))}
    problems: list[Diagnostic] = []
    for dotted, value in grid:
        where = locate(document, ("grid", dotted))
        steps = dotted.split(".")
        target: Any = data
        current: Any = base
        path: list[str | int] = []
        for depth, step in enumerate(steps):
            last = depth == len(steps) - 1
            if isinstance(current, list):
                index = next((i for i, item in enumerate(current)
                              if isinstance(item, dict) and item.get("id") == step), None)
                if index is None:
                    problems.append(_at(document, ("grid", dotted), f"'{step}' in '{dotted}' is not the id of an item"))
                    break
                items: list[dict[str, Any]] = target
                entry = next((item for item in items if item["id"] == step), None)
                if entry is None:
                    entry = {"id": step}
                    items.append(entry)
                path.append(items.index(entry))
                positions[tuple(path)] = where
                target, current = entry, current[index]
                continue
            if not isinstance(current, dict):
                problems.append(_at(document, ("grid", dotted), f"'{dotted}' goes past a value at '{step}'"))
                break
            path.append(step)
            positions[tuple(path)] = where
            following = current.get(step)
            if last:
                target[step] = value
            else:
                target = target.setdefault(step, [] if isinstance(following, list) else {})
            current = following
    return Document(document.file, data, positions, [], {}), problems

"""`python main.py new-scenario NAME`: write a commented starter scenario that validates clean."""

from __future__ import annotations

import re
import sys
from pathlib import Path

from game.scenario.models import ID_PATTERN
from game.scenario.schema import SCHEMA_FILE_NAME

STARTER = """\
# yaml-language-server: $schema=./{schema_file}
# Your editor completes and checks this file with the schema: create it once with
#   python main.py schema > {schema_file}
# Check the scenario at any time with
#   python main.py validate {file_name}
# Every key is described in docs/scenario-reference.md; docs/modding.md is the tutorial.
format: 1
id: {scenario_id}
title: "{title}"
summary: >-
  One paragraph for the scenario browser: who the players are, what is at stake.
difficulty: easy
hypothetical: true           # a made-up scenario; set false when it follows real events
authors: [You]

# One turn per quarter, two years.  Quote months: "1960-05".
calendar: {{start: "1960-01", turn: quarter, turns: 8}}

sources:
  - id: my_source
    title: Where a figure or a date comes from
    url: https://example.org/

actors:
  home: {{name: Home country, iso: [JPN], color: "#d55e00"}}
  ally: {{name: Ally, iso: [USA], color: "#0072b2"}}

# Quantities of the world; values are clamped to `range` every turn.
variables:
  tension:
    label: Regional tension
    initial: 40
    baseline: 40
    drift: 0.1               # closes 10% of the gap to the baseline each turn
    noise: 1
    key: true                # shown on the dashboard
    source: my_source

# Opinion groups generate the variables opinion.<group>.<issue>.
opinion:
  issues:
    alliance: {{label: The alliance}}
  groups:
    voters:
      label: Voters
      actor: home
      weight: 1
      initial: {{alliance: 50}}

# Relations generate relation.<a>.<b> (from -100 to 100).
relations:
  - {{between: [home, ally], initial: 50}}

# Standing causal links: every turn `to += weight * (from - pivot)`.
influences:
  - {{from: tension, to: opinion.voters.alliance, weight: 0.05, pivot: 50}}

roles:
  leader:
    actor: home
    title: Head of government
    briefing:
      public: You lead the home country through two uneasy years.
    levers:                  # a lever generates lever.<id>; only its role moves it
      defense_budget: {{label: Defense budget, unit: "% of GDP", range: [0.5, 3], initial: 1}}
    objectives:
      - {{id: keep_support, label: Keep the voters behind the alliance, when: "opinion.voters.alliance >= 50"}}
  ally_leader:
    actor: ally
    title: Head of the allied government
    playable: false          # always played by the AI

events:
  - id: crisis
    owner: leader
    title: A crisis at sea
    text: A patrol boat is rammed near the disputed islands.
    when: "turn >= 1 and tension >= 30"  # tension starts at 40: the crisis breaks in the second turn
    chance: 1.0                          # certain once the condition holds (try 0.5)
    choices:
      - id: protest
        label: Protest firmly
        effects:
          - {{target: tension, amount: 5, duration: 2}}
      - id: ask_the_ally
        label: Ask the ally for support
        default: true
        effects:
          - {{target: relation.home.ally, amount: 5}}

endings:
  - id: calm
    title: Calm returns
    text: The crisis passes.
    at_end: true

map:
  view: [118, 20, 150, 47]   # west, south, east, north in degrees
  places:
    - {{id: capital, name: Capital, at: [139.69, 35.69], kind: city, actor: home, shows: tension}}
"""


def starter_text(scenario_id: str, file_name: str) -> str:
    """The starter scenario for `scenario_id`."""
    title = scenario_id.replace("_", " ").capitalize()
    return STARTER.format(scenario_id=scenario_id, title=title, file_name=file_name, schema_file=SCHEMA_FILE_NAME)


def _target(name: str) -> tuple[Path, str]:
    path = Path(name)
    if path.suffix.lower() not in (".yaml", ".yml"):
        path = path.with_name(path.name + ".yaml")
    scenario_id = re.sub(r"[^a-z0-9_]", "_", path.stem.lower())
    return path, scenario_id


def run_new_scenario(name: str, *, force: bool) -> int:
    """Write NAME.yaml (or the given path); refuse to overwrite without `force`. Exit 0, or 2 on a problem."""
    path, scenario_id = _target(name)
    if not re.match(ID_PATTERN, scenario_id):
        print(f"new-scenario: '{scenario_id}' cannot be an id: it must start with a letter "
              "(letters, digits and '_' after that)", file=sys.stderr)
        return 2
    if path.exists() and not force:
        print(f"new-scenario: {path} already exists (use --force to overwrite it)", file=sys.stderr)
        return 2
    if not path.parent.is_dir():
        print(f"new-scenario: the folder {path.parent} does not exist", file=sys.stderr)
        return 2
    try:
        path.write_text(starter_text(scenario_id, path.name), encoding="utf-8")
    except OSError as exc:
        print(f"new-scenario: cannot write {path}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    print(f"wrote {path}; check it with: python main.py validate {path}")
    return 0

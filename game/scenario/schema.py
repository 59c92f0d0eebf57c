"""`python main.py schema`: the JSON Schema of the scenario format, for editors.

The schema is pydantic's, post-processed for yaml-language-server (VS Code's YAML extension and
others): a `$schema` and a `title` at the top, and one schema for both kinds of file — an ordinary
scenario, and an abstract base (`abstract: true`) in which every section is optional. A file opts in
with a first line such as `# yaml-language-server: $schema=./alliance-desk.schema.json`.
"""

from __future__ import annotations

import json
import sys
from typing import Any

from game.scenario.models import FORMAT_VERSION, Scenario, ScenarioBase

DRAFT = "https://json-schema.org/draft/2020-12/schema"
SCHEMA_FILE_NAME = "alliance-desk.schema.json"


def _close_mappings(node: Any) -> None:
    """Mappings keyed by ids or language codes reject other keys, as the models do."""
    if isinstance(node, dict):
        if "patternProperties" in node and "additionalProperties" not in node:
            node["additionalProperties"] = False
        for value in node.values():
            _close_mappings(value)
    elif isinstance(node, list):
        for value in node:
            _close_mappings(value)


def scenario_json_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a scenario file or an abstract base file."""
    schema: dict[str, Any] = Scenario.model_json_schema(by_alias=True)
    required = list(schema.pop("required", []))
    base_required = list(ScenarioBase.model_json_schema(by_alias=True).get("required", []))
    _close_mappings(schema)
    # Sections merged field by field with a base may leave out required fields that the base
    # supplies; those fields are required only in a file that extends nothing.
    field_by_field: dict[str, Any] = {}
    for section in ("calendar", "map", "opinion", "grades"):
        ref = schema["properties"][section].get("$ref", "")
        definition = schema["$defs"].get(ref.rsplit("/", 1)[-1], {})
        if definition.get("required"):
            field_by_field[section] = {"required": definition.pop("required")}
    # The root keeps every property (so editors complete all of them); what is required depends
    # on whether the file is an abstract base or extends one.
    return {
        "$schema": DRAFT,
        "title": f"Alliance Desk scenario (format {FORMAT_VERSION})",
        **{key: value for key, value in schema.items() if key != "title"},
        "if": {"properties": {"abstract": {"const": True}}, "required": ["abstract"]},
        "then": {"required": base_required},
        # A file that extends a base gets the missing sections from it.
        "else": {
            "if": {"required": ["extends"]},
            "then": {"required": ["format", "id"]},
            "else": {"required": required, "properties": field_by_field},
        },
    }


def print_schema() -> int:
    """Print the schema as JSON on stdout; always succeeds."""
    try:
        print(json.dumps(scenario_json_schema(), indent=2, ensure_ascii=False))
        sys.stdout.flush()
    except BrokenPipeError:  # `python main.py schema | head` closes the pipe early
        pass
    return 0

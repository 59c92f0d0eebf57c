"""`docs/scenario-reference.md`, generated from the models' field descriptions.

The models are the only place a field is described; this module renders them (through their JSON
Schema, which already knows aliases, constraints and nesting) as one Markdown table per model.
`tools/generate_reference.py` writes the file and a test fails when the file is stale.
"""

from __future__ import annotations

import inspect
import json
from typing import Any

from pydantic import BaseModel
from pydantic_core import PydanticUndefined

from game.scenario import models
from game.scenario.models import (
    COLOR_PATTERN,
    FORMAT_VERSION,
    ID_PATTERN,
    LANGUAGE_PATTERN,
    VARIABLE_ID_PATTERN,
    YEAR_MONTH_PATTERN,
    Scenario,
    ScenarioBase,
)

_PATTERNS = {
    ID_PATTERN: "id",
    VARIABLE_ID_PATTERN: "variable id",
    YEAR_MONTH_PATTERN: 'month `"YYYY-MM"`',
    COLOR_PATTERN: 'colour `"#rrggbb"`',
    LANGUAGE_PATTERN: "language code",
    r"^[A-Z]{3}$": "ISO alpha-3 code",
}


def _model_classes() -> dict[str, type[BaseModel]]:
    return {
        name: cls for name, cls in inspect.getmembers(models, inspect.isclass)
        if issubclass(cls, BaseModel) and cls.__module__ == models.__name__
    }


def _anchor(name: str) -> str:
    return name.lower()


def _is_text(options: list[Any]) -> bool:
    types = {o.get("type") for o in options}
    return types == {"string", "object"} and any(LANGUAGE_PATTERN in o.get("patternProperties", {}) for o in options)


def _is_expression(options: list[Any]) -> bool:
    return {o.get("type") for o in options} == {"string", "number", "integer", "boolean"}


def _constraints(node: dict[str, Any]) -> str:
    parts = []
    for key, sign in (("minimum", "≥"), ("exclusiveMinimum", ">"), ("maximum", "≤"), ("exclusiveMaximum", "<")):
        if key in node:
            parts.append(f"{sign} {node[key]:g}")
    if "minItems" in node and "prefixItems" not in node:
        parts.append(f"at least {node['minItems']} item" + ("s" if node["minItems"] != 1 else ""))
    if "minProperties" in node:
        parts.append(f"at least {node['minProperties']} entr" + ("ies" if node["minProperties"] != 1 else "y"))
    return f" ({', '.join(parts)})" if parts else ""


def type_text(node: dict[str, Any]) -> str:
    """A readable type for a JSON Schema fragment: `text`, `list of [Event](#event)`, ..."""
    if "$ref" in node:
        name = node["$ref"].rsplit("/", 1)[-1]
        return f"[{name}](#{_anchor(name)})"
    if "anyOf" in node:
        options = [o for o in node["anyOf"] if o.get("type") != "null"]
        if _is_text(options):
            return "text"
        if _is_expression(options):
            return "expression"
        return " or ".join(type_text(o) for o in options)
    if "const" in node:
        return f"`{json.dumps(node['const'])}`"
    if "enum" in node:
        return " or ".join(f"`{value}`" for value in node["enum"])
    kind = node.get("type")
    if kind == "string":
        return _PATTERNS.get(node.get("pattern", ""), "text")
    if kind == "number":
        return "number" + _constraints(node)
    if kind == "integer":
        return "whole number" + _constraints(node)
    if kind == "boolean":
        return "true/false"
    if kind == "array":
        if "prefixItems" in node:
            return "[" + ", ".join(type_text(item) for item in node["prefixItems"]) + "]"
        return "list of " + type_text(node.get("items", {})) + _constraints(node)
    if kind == "object":
        patterns = node.get("patternProperties") or {}
        if patterns:
            pattern, value = next(iter(patterns.items()))
            return f"mapping of {_PATTERNS.get(pattern, 'key')} → {type_text(value)}" + _constraints(node)
        if isinstance(node.get("additionalProperties"), dict):
            return f"mapping of key → {type_text(node['additionalProperties'])}" + _constraints(node)
        return "mapping"
    return "any"


def _default_text(cls: type[BaseModel], key: str, required: bool) -> str:
    if required:
        return "**required**"
    for name, info in cls.model_fields.items():
        if key in (name, info.alias):
            if info.default_factory is not None:
                made = info.default_factory()  # type: ignore[call-arg]
                if isinstance(made, BaseModel):
                    return "(see its defaults)"
                return "`" + json.dumps(made) + "`"
            if info.default is PydanticUndefined or info.default is None:
                return "—"
            default = info.default
            if isinstance(default, tuple):
                default = list(default)
            return "`" + json.dumps(default, ensure_ascii=False) + "`"
    return "—"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _model_section(
    name: str, node: dict[str, Any], cls: type[BaseModel], defs: dict[str, Any], same_keys: dict[str, Any] | None = None
) -> list[str]:
    lines = [f"## {name}", "", _cell(node.get("description", "")), ""]
    properties: dict[str, Any] = node.get("properties", {})
    if not properties:
        return lines
    required = set(node.get("required", []))
    lines += ["| key | type | default | description |", "|---|---|---|---|"]
    for key, prop in properties.items():
        description = prop.get("description", "")
        if not description and same_keys:  # a base's key means what the scenario's key means
            description = same_keys.get(key, {}).get("description", "")
        if not description and "$ref" in prop:  # a field without its own text: the model's docstring
            description = defs.get(prop["$ref"].rsplit("/", 1)[-1], {}).get("description", "")
        lines.append(
            f"| `{key}` | {_cell(type_text(prop))} | {_cell(_default_text(cls, key, key in required))} "
            f"| {_cell(description)} |"
        )
    lines.append("")
    return lines


def _order(schema: dict[str, Any]) -> list[str]:
    """Models in the order a reader meets them, starting at the scenario's top level."""
    defs: dict[str, Any] = schema.get("$defs", {})
    order: list[str] = []

    def refs(node: Any) -> list[str]:
        found: list[str] = []
        if isinstance(node, dict):
            if "$ref" in node:
                found.append(node["$ref"].rsplit("/", 1)[-1])
            for value in node.values():
                found.extend(refs(value))
        elif isinstance(node, list):
            for value in node:
                found.extend(refs(value))
        return found

    queue = refs(schema.get("properties", {}))
    while queue:
        name = queue.pop(0)
        if name in order or name not in defs:
            continue
        order.append(name)
        queue.extend(refs(defs[name].get("properties", {})))
    return order


def reference_markdown() -> str:
    """The whole reference page."""
    schema = Scenario.model_json_schema(by_alias=True)
    classes = _model_classes()
    lines = [
        f"# Scenario format reference (format {FORMAT_VERSION})",
        "",
        "<!-- Generated from game/scenario/models.py by `python tools/generate_reference.py`; do not edit. -->",
        "",
        "Every key a scenario file may contain, with its type, its default and what it means. "
        "The tutorial is [modding.md](modding.md). Types: *text* is a plain string or a mapping of "
        "language codes to strings (`{en: Okinawa, ja: 沖縄}`); an *id* is lower-case letters, digits "
        "and `_`; an *expression* is a formula over variable ids (or a plain number); a *month* is "
        'written `"1960-05"`. Unknown keys are errors.',
        "",
        "Files can share content with `extends: path/to/base.yaml` (relative to the file). Mappings of "
        "ids merge by key (the file's entry replaces the base's whole entry: no deep merge); `opinion`, "
        "`map`, `calendar` and `grades` merge field by field; lists whose items have an `id` merge by id "
        "(same id replaces, new ids are appended); any other value replaces the base's.",
        "",
    ]
    defs = schema["$defs"]
    lines += _model_section("Scenario", schema, Scenario, defs)
    for name in _order(schema):
        lines += _model_section(name, defs[name], classes[name], defs)
    lines += _model_section(
        "ScenarioBase", ScenarioBase.model_json_schema(by_alias=True), ScenarioBase, defs,
        schema["properties"],
    )
    return "\n".join(lines).rstrip() + "\n"

"""From a file to a validated `Scenario`: read YAML, merge `extends` bases, validate, check references.

Three passes, each collecting every problem it finds as a `Diagnostic` with the file, line and
column where it was written (content inherited from a base names the base's file):

1. `yaml_reader` reads each file into plain data plus a position map;
2. bases named by `extends:` are read the same way and merged under the file (see `merge_documents`);
3. the merged data is validated against the pydantic models; when that succeeds, `references`
   checks every id, range, date and expression.

Merge rules for `extends:` (documented for modders in docs/modding.md):
- top-level sections that are mappings of ids (`actors`, `variables`, `roles`) merge by key: the
  file's entry replaces the base's entry of the same key as a whole (no deep merge);
- `opinion`, `map`, `calendar` and `grades` merge field by field with the same rules one level down;
- lists whose items all have an `id` (`events`, `endings`, `sources`, `treaties`, `map.places`, ...)
  merge by id: an item replaces the base's item with the same id, new ids are appended;
- any other value (and a list without ids) in the file replaces the base's;
- `id`, `abstract` and `extends` are never inherited.

`extends:` names an abstract base or a playable scenario, by path (relative to the file) or by a
scenario id found in the scenario roots. A file that extends a playable scenario is a variant of it
and must set an `id` of its own.

`overlay_document` applies the same rules all the way down (a mapping inside an entry merges key by
key instead of replacing the entry): a sweep's variant changes one value without restating the rest.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from types import UnionType
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError

from game.resources import scenarios_dir, user_data_dir
from game.scenario.diagnostics import Diagnostic, did_you_mean, has_errors
from game.scenario.models import (
    COLOR_PATTERN,
    ID_PATTERN,
    LANGUAGE_PATTERN,
    VARIABLE_ID_PATTERN,
    YEAR_MONTH_PATTERN,
    Scenario,
    ScenarioBase,
)
from game.scenario.source_file import FileProblem, read_limited, resolved_path
from game.scenario.yaml_reader import (
    MAX_FILE_BYTES,
    SIZE_HINT,
    Document,
    KeyPath,
    NodePosition,
    bool_trap_message,
    format_path,
    locate,
    read_yaml_bytes,
    read_yaml_text,
)

MAX_EXTENDS_DEPTH = 8
_NOT_INHERITED = frozenset({"id", "abstract", "extends"})
_FIELD_BY_FIELD = frozenset({"opinion", "map", "calendar", "grades"})


@dataclass(frozen=True)
class LoadResult:
    """The outcome of loading one file.

    `scenario` is None when there are errors (and always for an abstract base, whose
    `abstract` flag is then True). `files` lists the file and every base it extends.
    """

    path: Path
    scenario: Scenario | None
    diagnostics: tuple[Diagnostic, ...]
    abstract: bool = False
    files: tuple[Path, ...] = ()
    scenario_id: str | None = None

    @property
    def ok(self) -> bool:
        """True when no diagnostic is an error."""
        return not has_errors(self.diagnostics)


def mods_dir(data_dir: Path | None = None) -> Path:
    """Where the user's own scenarios live: `<data>/mods`."""
    return user_data_dir(data_dir) / "mods"


def default_roots(data_dir: Path | None = None) -> list[Path]:
    """The folders `extends:` may reach: shipped scenarios and the user's mods."""
    return [scenarios_dir(), mods_dir(data_dir)]


def display_name(path: Path) -> str:
    """A file name as the user wants to see it: relative to the current folder when inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except (ValueError, OSError, RuntimeError):  # RuntimeError: a symlink loop (Python < 3.13)
        return str(path)


def load_scenario(path: Path, *, roots: Sequence[Path] | None = None) -> LoadResult:
    """Load, merge, validate and cross-check one scenario (or base) file; never raises on bad content.

    `roots` are the folders a base named by `extends:` must lie in (by default the shipped
    scenarios and the user's mods); the file's own folder is always one of them.
    """
    return load_scenario_with_document(path, roots=roots)[0]


def load_scenario_with_document(path: Path, *, roots: Sequence[Path] | None = None) -> tuple[LoadResult, Document]:
    """`load_scenario`, with the merged document (positions of every key, for reports on the content)."""
    allowed = _resolved_roots([*(roots if roots is not None else default_roots()), path.parent])
    document, files = _read_with_bases(path, display_name(path), allowed, [])
    return _validate(path, document, files), document


def load_scenario_text(text: str, *, file: str = "<text>") -> LoadResult:
    """Load a scenario from text (tests, the editor's reload); `extends:` is relative to `file`'s folder."""
    folder = Path(file).parent if file != "<text>" else Path.cwd()
    allowed = _resolved_roots([*default_roots(), folder])
    document = read_yaml_text(text, file)
    files: list[Path] = []
    document = _apply_extends(document, folder, allowed, [], files)
    return _validate(Path(file), document, tuple(files))


def load_overlaid(path: Path, overlays: Sequence[Document], *, roots: Sequence[Path] | None = None) -> LoadResult:
    """The scenario at `path` with each overlay laid over it in turn (`merge_documents(..., deep=True)`),
    then validated: a sweep's variant. Problems in an overlay name the overlay's own file and line."""
    allowed = _resolved_roots([*(roots if roots is not None else default_roots()), path.parent])
    document, files = _read_with_bases(path, display_name(path), allowed, [])
    for overlay in overlays:
        if document.data is None or overlay.data is None:
            break
        document = merge_documents(document, overlay, deep=True)
    return _validate(path, document, files)


def _resolved_roots(roots: Sequence[Path]) -> list[Path]:
    resolved = []
    for root in roots:
        try:
            resolved.append(root.resolve())
        except (OSError, RuntimeError):
            continue
    return resolved


def _error(document: Document, path: KeyPath, message: str, hint: str | None = None) -> Diagnostic:
    where = locate(document, path).value
    return Diagnostic(where.file, where.line, where.col, "error", format_path(path), message, hint)


# --- reading files and their bases ------------------------------------------------------------


def _read_with_bases(path: Path, shown: str, roots: list[Path], chain: list[Path]) -> tuple[Document, tuple[Path, ...]]:
    try:
        raw = read_limited(path, MAX_FILE_BYTES)
    except FileProblem as exc:
        hint = SIZE_HINT if "too large" in str(exc) else None
        problem = Diagnostic(shown, 1, 1, "error", "", str(exc), hint)
        return Document(shown, None, diagnostics=[problem]), (path,)
    document = read_yaml_bytes(raw, shown)
    files = [path]
    document = _apply_extends(document, path.parent, roots, [*chain, resolved_path(path)], files)
    return document, tuple(files)


def _apply_extends(
    document: Document, folder: Path, roots: list[Path], chain: list[Path], files: list[Path]
) -> Document:
    """Merge the base named by `extends:` (if any) under `document`; problems are reported at `extends:`."""
    if document.data is None or "extends" not in document.data:
        return document
    written = document.data["extends"]
    if written is None:
        return document
    if not isinstance(written, str) or not written.strip():
        document.diagnostics.append(_error(
            document, ("extends",), "`extends` must be the path of a base file or a scenario id"
        ))
        return _without_content(document)
    try:
        base = (folder / written).resolve()
    except (OSError, RuntimeError, ValueError) as exc:
        document.diagnostics.append(_error(document, ("extends",), f"cannot use the path '{written}': {exc}"))
        return _without_content(document)
    if not base.is_file() and _is_scenario_id(written):
        found, known = find_scenario_file(written, roots, chain)
        if found is None:
            document.diagnostics.append(_error(
                document, ("extends",), f"no base file or scenario with the id '{written}' in the scenario folders",
                did_you_mean(written, known),
            ))
            return _without_content(document)
        base = found
    if not any(base.is_relative_to(root) for root in roots):
        document.diagnostics.append(_error(
            document, ("extends",), f"'{written}' is outside the scenario folders",
            "a base must be in the shipped scenarios folder, the mods folder or this file's folder",
        ))
        return _without_content(document)
    if base in chain:
        cycle = " -> ".join(display_name(p) for p in [*chain[chain.index(base):], base])
        document.diagnostics.append(_error(document, ("extends",), f"circular `extends`: {cycle}", None))
        return _without_content(document)
    if len(chain) > MAX_EXTENDS_DEPTH:
        document.diagnostics.append(_error(
            document, ("extends",), f"more than {MAX_EXTENDS_DEPTH} levels of `extends`", None
        ))
        return _without_content(document)
    if not base.exists():  # anything else that exists but is no regular file is reported when it is read
        siblings = [p.name for p in base.parent.glob("*.y*ml")] if base.parent.is_dir() else []
        document.diagnostics.append(_error(
            document, ("extends",), f"base file '{written}' not found", did_you_mean(base.name, siblings)
        ))
        return _without_content(document)
    base_document, base_files = _read_with_bases(base, display_name(base), roots, chain)
    files.extend(base_files)
    document.diagnostics.extend(base_document.diagnostics)
    if base_document.data is None:
        document.diagnostics.append(
            _error(document, ("extends",), f"the base '{written}' has errors (listed with its file name)")
        )
        return _without_content(document)
    if base_document.data.get("abstract") is not True:
        # A playable scenario as the base: the result is a variant, a scenario of its own.
        base_id = base_document.data.get("id")
        own_id = document.data.get("id")
        if own_id is None or own_id == base_id:
            problem = "needs its own `id`" if own_id is None else "has the same `id` as the scenario it extends"
            # Reported at `extends:` (or at the repeated id) under the path `id`, so that the validator's
            # "missing required key 'id'" is not added on top of it.
            where = locate(document, ("extends",) if own_id is None else ("id",)).value
            document.diagnostics.append(Diagnostic(
                where.file, where.line, where.col, "error", "id",
                f"a scenario that extends the playable scenario '{base_id}' {problem}",
                f"add a new id, e.g. `id: {base_id}_variant`",
            ))
    base_document.diagnostics = []
    return merge_documents(base_document, document)


def _is_scenario_id(written: str) -> bool:
    return re.fullmatch(ID_PATTERN, written) is not None


def find_scenario_file(
    scenario_id: str, roots: Sequence[Path], chain: Sequence[Path] = ()
) -> tuple[Path | None, list[str]]:
    """The file in the scenario roots whose top-level `id` is `scenario_id` (files in `chain` skipped),
    and every id seen before it (for a did-you-mean). Only reads the YAML: nothing is validated."""
    known: list[str] = []
    seen: set[Path] = set()
    for root in roots:
        if not root.is_dir():
            continue
        for candidate in sorted(root.rglob("*")):
            if candidate.suffix.lower() not in (".yaml", ".yml") or not candidate.is_file():
                continue
            resolved = candidate.resolve()
            if resolved in seen or resolved in chain:
                continue
            seen.add(resolved)
            try:
                data = read_yaml_bytes(resolved.read_bytes(), display_name(resolved)).data
            except OSError:
                continue
            written_id = data.get("id") if data is not None else None
            if written_id == scenario_id:
                return resolved, known
            if isinstance(written_id, str):
                known.append(written_id)
    return None, known


def _without_content(document: Document) -> Document:
    """The document is not validated further: a missing base would only add confusing errors."""
    return Document(document.file, None, document.positions, document.diagnostics, document.bool_traps)


# --- merging -----------------------------------------------------------------------------------

Remap = dict[KeyPath, KeyPath]


def _has_ids(items: list[Any]) -> bool:
    return all(isinstance(item, dict) and isinstance(item.get("id"), str) for item in items)


def _merge_value(
    path: KeyPath, base: Any, child: Any, from_base: Remap, from_child: Remap, *, deep: bool = False,
    child_path: KeyPath | None = None,
) -> Any:
    """`child` over `base` at `path` (the merged path, which is also the base's: merging never moves a
    base item); `child_path` is where the child's value was written, when that differs (a list item
    merged into the base's item of the same id)."""
    written = path if child_path is None else child_path
    if isinstance(base, dict) and isinstance(child, dict):
        by_field = deep or (len(path) == 1 and path[0] in _FIELD_BY_FIELD)
        from_child[written] = path
        if by_field:
            merged: dict[Any, Any] = {}
            for key in base:
                if key not in child:
                    merged[key] = base[key]
                    from_base[(*path, key)] = (*path, key)
                elif deep:  # an overlay keeps the base's order (variables keep their columns)
                    merged[key] = None
            for key in child:
                if key in base:
                    merged[key] = _merge_value((*path, key), base[key], child[key], from_base, from_child, deep=deep,
                                               child_path=(*written, key))
                else:
                    merged[key] = child[key]
                    from_child[(*written, key)] = (*path, key)
            return merged
        for key in base:
            if key not in child:
                from_base[(*path, key)] = (*path, key)
        return {**{k: v for k, v in base.items() if k not in child}, **child}
    if isinstance(base, list) and isinstance(child, list) and base and child and _has_ids(base) and _has_ids(child):
        from_child[written] = path
        merged_items = list(base)
        where = {item["id"]: index for index, item in enumerate(base)}
        replaced = set()
        for index, item in enumerate(child):
            if item["id"] in where and item["id"] not in replaced:
                target = where[item["id"]]
                if deep:
                    merged_items[target] = _merge_value((*path, target), base[target], item, from_base, from_child,
                                                        deep=True, child_path=(*written, index))
                else:
                    merged_items[target] = item
                    from_child[(*written, index)] = (*path, target)
                replaced.add(item["id"])
            else:
                target = len(merged_items)
                merged_items.append(item)
                from_child[(*written, index)] = (*path, target)
        for index, item in enumerate(base):
            if item["id"] not in replaced:
                from_base[(*path, index)] = (*path, index)
        return merged_items
    from_child[written] = path
    return child


def _remap(positions: dict[KeyPath, Any], remap: Remap) -> dict[KeyPath, Any]:
    out: dict[KeyPath, Any] = {}
    for path, value in positions.items():
        for end in range(len(path), 0, -1):
            target = remap.get(path[:end])
            if target is not None:
                out[target + path[end:]] = value
                break
    return out


def merge_documents(base: Document, child: Document, *, deep: bool = False) -> Document:
    """`child` laid over `base` (rules in the module docstring); positions follow the content.

    `deep` merges mappings key by key at every level and list items with the same id item by item (a
    variant's overlay); `id`, `abstract` and `extends` then come from the base unless the child sets them.
    """
    assert base.data is not None and child.data is not None
    from_base: Remap = {}
    from_child: Remap = {}
    data: dict[str, Any] = {}
    not_inherited = frozenset() if deep else _NOT_INHERITED
    for key, value in base.data.items():
        if key not in child.data and key not in not_inherited:
            data[key] = value
            from_base[(key,)] = (key,)
    for key, value in child.data.items():
        if key in base.data and key not in not_inherited:
            data[key] = _merge_value((key,), base.data[key], value, from_base, from_child, deep=deep)
        else:
            data[key] = value
            from_child[(key,)] = (key,)
    positions: dict[KeyPath, NodePosition] = _remap(base.positions, from_base)
    positions.update(_remap(child.positions, from_child))
    positions[()] = child.positions.get((), locate(child, ()))
    traps: dict[KeyPath, str] = _remap(base.bool_traps, from_base)
    traps.update(_remap(child.bool_traps, from_child))
    return Document(child.file, data, positions, [*base.diagnostics, *child.diagnostics], traps)


# --- validation --------------------------------------------------------------------------------


def _validate(path: Path, document: Document, files: tuple[Path, ...]) -> LoadResult:
    diagnostics = list(document.diagnostics)
    data = document.data
    written_id = data.get("id") if data is not None else None
    scenario_id = written_id if isinstance(written_id, str) else None
    if data is None:
        return LoadResult(path, None, _sorted(diagnostics), False, files, scenario_id)
    abstract = data.get("abstract") is True
    model: type[Scenario] | type[ScenarioBase] = ScenarioBase if abstract else Scenario
    # A key already reported by the reader (a boolean key) would only be reported again.
    reported = {d.path for d in diagnostics}
    try:
        validated = model.model_validate(data)
    except ValidationError as exc:
        diagnostics.extend(d for d in validation_diagnostics(exc, document, model) if d.path not in reported)
        return LoadResult(path, None, _sorted(diagnostics), abstract, files, scenario_id)
    except (RecursionError, ValueError, TypeError) as exc:  # defensive: pydantic should report, not raise
        diagnostics.append(_error(document, (), f"cannot validate the file: {exc}"))
        return LoadResult(path, None, _sorted(diagnostics), abstract, files, scenario_id)
    if isinstance(validated, Scenario):
        from game.scenario.references import check_references

        diagnostics.extend(check_references(validated, document))
    scenario = validated if isinstance(validated, Scenario) and not has_errors(diagnostics) else None
    return LoadResult(path, scenario, _sorted(diagnostics), abstract, files, scenario_id)


def _sorted(diagnostics: list[Diagnostic]) -> tuple[Diagnostic, ...]:
    return tuple(sorted(set(diagnostics)))


# --- pydantic errors -> diagnostics --------------------------------------------------------------

_PATTERN_NAMES: dict[str, tuple[str, str]] = {
    ID_PATTERN: ("an id", "ids are lower-case letters, digits and '_', starting with a letter: `okinawa_bases`"),
    VARIABLE_ID_PATTERN: ("a variable id", "lower-case words joined by dots: `opinion.okinawa.bases`"),
    YEAR_MONTH_PATTERN: ("a month", 'write a month as YYYY-MM, e.g. "1960-05"'),
    COLOR_PATTERN: ("a colour", 'write a colour as "#rrggbb", in quotes: # starts a comment'),
    LANGUAGE_PATTERN: ("a language code", "a two-letter code such as en or ja"),
    r"^[A-Z]{3}$": ("an ISO 3166-1 alpha-3 country code", "three capital letters, e.g. JPN"),
}


def _describe(value: Any) -> str:
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, int | float):
        return f"the number {value:g}" if abs(value) >= 1e16 else f"the number {value}"
    if isinstance(value, str):
        return f"the text '{value}'" if len(value) < 40 else "text"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return "nothing" if value is None else type(value).__name__


def _number_hint(value: Any) -> str | None:
    """Why a number was read as something else, for the YAML 1.1 traps and quoted numbers."""
    if isinstance(value, bool):
        return "write a number (YAML reads true/false, yes/no, on/off as booleans)"
    if not isinstance(value, str):
        return None
    try:
        number = float(value)
    except ValueError:
        return None
    if value.lstrip("+-")[:1] == "0" and value.lstrip("+-")[1:2].isdigit():
        return "YAML 1.1 reads a number with a leading 0 as octal, or as text when it has an 8 or 9: drop the 0"
    if not math.isfinite(number):
        return "numbers must be finite: write an ordinary number"
    if "e" in value.lower() and "." not in value:
        return f"YAML 1.1 reads {value} as text: write it with a point and a signed exponent, e.g. 1.0e+5"
    if "e" in value.lower() and not any(sign in value.lower() for sign in ("e-", "e+")):
        return f"YAML 1.1 reads {value} as text: give the exponent a sign, e.g. 1.5e+3"
    return "remove the quotes: a number is written without them"


_EXPECTED = {
    "string_type": "text",
    "float_type": "a number",
    "float_parsing": "a number",
    "int_type": "a whole number",
    "int_parsing": "a whole number",
    "int_from_float": "a whole number",
    "bool_type": "true or false",
    "bool_parsing": "true or false",
    "dict_type": "a mapping (key: value lines)",
    "model_type": "a mapping (key: value lines)",
    "model_attributes_type": "a mapping (key: value lines)",
    "list_type": "a list (lines starting with '- ', or [a, b])",
    "tuple_type": "a list (lines starting with '- ', or [a, b])",
    "literal_error": "one of the allowed words",
}


@dataclass
class _Problem:
    path: KeyPath
    kind: str
    message: str
    hint: str | None
    at_key: bool = False
    union: tuple[KeyPath, str] | None = None
    value: Any = None


def _child(current: Any, part: str | int) -> tuple[bool, Any]:
    if isinstance(current, dict) and part in current:
        return True, current[part]
    if isinstance(current, list) and isinstance(part, int) and 0 <= part < len(current):
        return True, current[part]
    return False, None


def _resolve(loc: tuple[int | str, ...], data: Any, kind: str) -> tuple[KeyPath, bool, tuple[KeyPath, str] | None]:
    """Follow pydantic's `loc` through the data: the key path, whether a key is at fault, the union branch."""
    current = data
    path: list[str | int] = []
    at_key = False
    union: tuple[KeyPath, str] | None = None
    for index, part in enumerate(loc):
        if part == "[key]":
            at_key = True
            continue
        found, child = _child(current, part)
        if found:
            path.append(part)
            current = child
        elif kind == "missing" and index == len(loc) - 1:
            path.append(part)
        elif isinstance(part, str) and union is None:
            union = (tuple(path), part)  # a union member's name, e.g. 'str' or 'dict[...]'
        elif isinstance(part, int):
            path.append(part)  # an index past the end of a short list
    return tuple(path), at_key, union


def _model_fields_at(model: type[BaseModel], path: KeyPath) -> list[str]:
    """The keys allowed in the mapping at `path` (for did-you-mean on an unknown key)."""
    annotation: Any = model
    for part in path:
        annotation = _step(annotation, part)
        if annotation is None:
            return []
    found = _as_model(annotation)
    if found is None:
        return []
    return [info.alias or name for name, info in found.model_fields.items()]


def _as_model(annotation: Any) -> type[BaseModel] | None:
    for candidate in _alternatives(annotation):
        if isinstance(candidate, type) and issubclass(candidate, BaseModel):
            return candidate
    return None


def _alternatives(annotation: Any) -> list[Any]:
    origin = get_origin(annotation)
    if origin is Annotated:
        return _alternatives(get_args(annotation)[0])
    if origin is Union or isinstance(annotation, UnionType):
        return [alt for arg in get_args(annotation) for alt in _alternatives(arg)]
    return [annotation]


def _step(annotation: Any, part: str | int) -> Any:
    for candidate in _alternatives(annotation):
        if isinstance(candidate, type) and issubclass(candidate, BaseModel):
            for name, info in candidate.model_fields.items():
                if part in (name, info.alias):
                    return info.annotation
            return None
        origin = get_origin(candidate)
        args = get_args(candidate)
        if origin is list and isinstance(part, int):
            return args[0]
        if origin is tuple and isinstance(part, int):
            return args[min(part, len(args) - 1)] if args else None
        if origin is dict:
            return args[1]
    return None


def _problem(error: Any, data: Any, model: type[BaseModel], traps: dict[KeyPath, str]) -> _Problem:
    kind: str = error["type"]
    path, at_key, union = _resolve(tuple(error["loc"]), data, kind)
    value = error.get("input")
    message: str = error["msg"]
    hint: str | None = None
    ctx = error.get("ctx") or {}
    trap = traps.get(path)
    if trap is not None and not at_key:
        message, hint = bool_trap_message(trap)
        return _Problem(path, "bool_trap", message, hint, union=None, value=value)
    if kind == "missing":
        message = f"missing required key '{path[-1]}'"
    elif kind == "extra_forbidden":
        name = str(path[-1])
        message = f"unknown key '{name}'"
        hint = did_you_mean(name, _model_fields_at(model, path[:-1]))
        at_key = True
    elif kind == "string_pattern_mismatch":
        named = _PATTERN_NAMES.get(str(ctx.get("pattern")))
        what, hint = named if named else ("valid here", None)
        message = f"'{value}' is not {what}" if named else f"'{value}' does not match the pattern {ctx.get('pattern')}"
    elif kind == "value_error":
        message = message.removeprefix("Value error, ")
    elif kind == "literal_error":
        expected = str(ctx.get("expected", ""))
        message = f"{_describe(value)} is not allowed here; expected {expected}"
        words = [w.strip(" '") for w in expected.replace(" or ", ",").split(",")]
        hint = did_you_mean(str(value), words) if isinstance(value, str) else None
    elif kind in _EXPECTED:
        message = f"expected {_EXPECTED[kind]}, found {_describe(value)}"
        if kind in {"float_type", "int_type"}:
            hint = _number_hint(value)
    elif kind in {"greater_than", "greater_than_equal", "less_than", "less_than_equal"}:
        message = f"{value} is out of range: it " + message.replace("Input should be", "should be")
    elif kind in {"too_short", "too_long"}:
        message = message.replace(" after validation", "").replace("List", "the list").replace("Tuple", "the list")
        message = message.replace("Dictionary", "the mapping")
    elif kind == "string_too_long":
        message = message.replace("String", "the text")
    else:
        message = message.replace("Input should be", "should be")
    return _Problem(path, kind, message, hint, at_key, union, value)


def validation_diagnostics(error: ValidationError, document: Document, model: type[BaseModel]) -> list[Diagnostic]:
    """Every pydantic error as a diagnostic at the key or value at fault."""
    problems = [_problem(e, document.data, model, document.bool_traps) for e in error.errors()]
    # A value that fits no member of a union (e.g. text or {en: ..}) gives one error per member; keep
    # the members that got past the type check (their errors are specific), or merge the type errors.
    groups: dict[KeyPath, list[_Problem]] = {}
    for problem in problems:
        if problem.union is not None:
            groups.setdefault(problem.union[0], []).append(problem)
    kept: list[_Problem] = [p for p in problems if p.union is None]
    for union_path, members in groups.items():
        type_only = [p for p in members if p.path == union_path and p.kind in _EXPECTED]
        specific = [p for p in members if p not in type_only]
        if specific:
            kept.extend(specific)
        else:
            expected = []
            for p in type_only:
                if _EXPECTED[p.kind] not in expected:
                    expected.append(_EXPECTED[p.kind])
            first = type_only[0]
            first.message = f"expected {' or '.join(expected)}, found {_describe(first.value)}"
            if isinstance(first.value, int | float) and not isinstance(first.value, bool):
                first.hint = "quote it if it is text"
            kept.append(first)
    # A misspelt key also makes the right key "missing": the did-you-mean already says it all.
    misspelt = {
        (*p.path[:-1], p.hint.split("'")[1]) for p in kept if p.kind == "extra_forbidden" and p.hint is not None
    }
    kept = [p for p in kept if not (p.kind == "missing" and p.path in misspelt)]
    diagnostics = []
    for problem in kept:
        if problem.kind == "missing":
            node = locate(document, problem.path[:-1])
            position = node.key or node.value
        else:
            node = locate(document, problem.path)
            position = (node.key or node.value) if problem.at_key else node.value
        diagnostics.append(Diagnostic(
            position.file, position.line, position.col, "error", format_path(problem.path), problem.message,
            problem.hint,
        ))
    return diagnostics

"""Safe YAML reading that remembers where every key and value was written.

PyYAML's parser (libyaml's when available) turns the text into a stream of events; we build
plain Python values from those events ourselves, with an explicit stack instead of recursion,
so that we keep a position for every key path, refuse anything that is not plain data (python
tags, merge keys), catch duplicate keys and the YAML 1.1 boolean traps, and bound the work an
alias bomb or a deeply nested file can cause. Nothing is ever constructed from a tag, and
nothing here raises on bad input: every problem becomes a `Diagnostic`.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import yaml
from yaml.events import (
    AliasEvent,
    DocumentEndEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
)
from yaml.nodes import ScalarNode
from yaml.resolver import Resolver

from game.scenario.diagnostics import Diagnostic

KeyPath = tuple[str | int, ...]

MAX_FILE_BYTES = 1024 * 1024
MAX_DEPTH = 64
MAX_NODES = 100_000
SIZE_HINT = "split the scenario with `extends:` or remove unused content"

_TAG = "tag:yaml.org,2002:"
_PLAIN_TAGS = frozenset(_TAG + name for name in ("str", "int", "float", "bool", "null", "timestamp", "map", "seq"))
# YAML 1.1 reads these words as booleans; PyYAML resolves yes/no/on/off (any common case).
# First characters for which YAML 1.1 may read a plain scalar as something other than text
# (booleans, null, numbers, dates, merge and value keys); any other plain scalar is text.
_RESOLVABLE_FIRST = frozenset("yYnNtTfFoO~-+0123456789.<=")
_STR = _TAG + "str"
_MAP = _TAG + "map"
_SEQ = _TAG + "seq"
_COLLECTION_TAGS = frozenset({_MAP, _SEQ})
_INT = _TAG + "int"
_NUMBER_TAGS = frozenset({_INT, _TAG + "float"})
_TRAP_WORDS = frozenset({"yes", "no", "on", "off", "y", "n"})


class Position(NamedTuple):
    """Where something is written: file name as shown to the user, 1-based line and column.

    (A named tuple rather than a dataclass: one is made for every key and value, and tuples are
    several times cheaper to create.)
    """

    file: str
    line: int
    col: int


class NodePosition(NamedTuple):
    """Position of a value, and of its key when the value sits in a mapping.

    `quoted` is True for a single- or double-quoted scalar (its text starts one column later);
    `one_line` is True for a flow scalar written on a single line, so that a column inside the
    text maps to a column in the file.
    """

    value: Position
    key: Position | None = None
    quoted: bool = False
    one_line: bool = True


@dataclass
class Document:
    """Plain data read from YAML, with positions and the problems found while reading."""

    file: str
    data: dict[str, Any] | None
    positions: dict[KeyPath, NodePosition] = field(default_factory=dict)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    # Values written as yes/no/on/off that YAML 1.1 turned into booleans: path -> original text.
    bool_traps: dict[KeyPath, str] = field(default_factory=dict)


def format_path(path: KeyPath) -> str:
    """`('events', 3, 'when')` -> `events[3].when`."""
    text = ""
    for part in path:
        if isinstance(part, int) and not isinstance(part, bool):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text


def bool_trap_message(text: str) -> tuple[str, str]:
    """Message and hint for a word YAML 1.1 reads as a boolean."""
    value = "true" if text.lower() in {"yes", "on", "y"} else "false"
    return f"'{text}' is read as the boolean {value} in YAML 1.1", f'quote it: "{text}"'


class _Limit(Exception):
    """Reading stopped at a limit; carries the diagnostic to report."""

    def __init__(self, diagnostic: Diagnostic) -> None:
        super().__init__(diagnostic.message)
        self.diagnostic = diagnostic


_CParser: Any = getattr(getattr(yaml, "_yaml", None), "CParser", None)

USING_LIBYAML = _CParser is not None
"""True when PyYAML was built with libyaml: scanning and parsing then run in C."""


def _parser(text: str, *, fast: bool) -> Any:
    """An object with `get_event()`: libyaml's parser, or PyYAML's pure-Python one."""
    if fast and _CParser is not None:
        return _CParser(text)
    return yaml.SafeLoader(text)


# Events and marks come from libyaml or from PyYAML's Python parser, whose type stubs differ.
Mark = Any


def _position(file: str, mark: Mark) -> Position:
    return Position(file, mark.line + 1, mark.column + 1)


def _line_col_of_offset(text: bytes, offset: int) -> tuple[int, int]:
    before = text[:offset]
    line = before.count(b"\n") + 1
    col = offset - (before.rfind(b"\n") + 1) + 1
    return line, col


def decode_source(raw: bytes, file: str) -> tuple[str | None, Diagnostic | None]:
    """Check size and encoding; the text, or a diagnostic saying why there is none."""
    if len(raw) > MAX_FILE_BYTES:
        return None, Diagnostic(
            file, 1, 1, "error", "",
            f"file is too large ({len(raw):,} bytes; the limit is {MAX_FILE_BYTES:,} bytes)", SIZE_HINT,
        )
    nul = raw.find(b"\x00")
    if nul >= 0:
        line, col = _line_col_of_offset(raw, nul)
        return None, Diagnostic(
            file, line, col, "error", "", "this is a binary file, not YAML text", "save the scenario as UTF-8 text"
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line, col = _line_col_of_offset(raw, exc.start)
        return None, Diagnostic(
            file, line, col, "error", "", f"the file is not valid UTF-8 (byte 0x{raw[exc.start]:02x})",
            "save the scenario as UTF-8 text",
        )
    return text, None


def read_yaml_bytes(raw: bytes, file: str) -> Document:
    """Read YAML from bytes (size and encoding checked first)."""
    text, problem = decode_source(raw, file)
    if text is None:
        assert problem is not None
        return Document(file, None, diagnostics=[problem])
    return read_yaml_text(text, file)


def read_yaml_text(text: str, file: str, *, fast: bool = True) -> Document:
    """Read a YAML document whose top level must be a mapping; never raises on bad input.

    `fast=False` uses PyYAML's pure-Python parser even when libyaml is available (for tests).
    """
    if len(text) > MAX_FILE_BYTES // 4:  # cheap pre-check; only long texts pay for encoding
        _, too_large = decode_source(text.encode("utf-8", "replace"), file)
        if too_large is not None:
            return Document(file, None, diagnostics=[too_large])
    builder = _Builder(file)
    parser: Any = None
    try:
        parser = _parser(text, fast=fast)  # the reader checks the characters right away
        data = builder.build(parser)
    except _Limit as limit:
        return Document(file, None, builder.positions, [*builder.diagnostics, limit.diagnostic])
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
        problem = exc.problem or "not valid YAML"
        context = f" ({exc.context}" if exc.context else ""
        if exc.context and exc.context_mark is not None and exc.context_mark.line != (mark.line if mark else -1):
            context += f" that starts at line {exc.context_mark.line + 1}"
        context += ")" if context else ""
        return Document(file, None, diagnostics=[
            Diagnostic(file, line, col, "error", "", f"not valid YAML: {problem}{context}", _yaml_hint(problem))
        ])
    except yaml.reader.ReaderError as exc:
        return Document(file, None, diagnostics=[_reader_problem(exc, text, file)])
    except yaml.YAMLError as exc:
        return Document(file, None, diagnostics=[Diagnostic(file, 1, 1, "error", "", f"not valid YAML: {exc}", None)])
    finally:
        if parser is not None:
            parser.dispose()
    if data is None:
        return Document(file, None, builder.positions, builder.diagnostics, builder.bool_traps)
    return Document(file, data, builder.positions, builder.diagnostics, builder.bool_traps)


def _reader_problem(exc: yaml.reader.ReaderError, text: str, file: str) -> Diagnostic:
    """A character YAML does not allow (control characters), at its line and column."""
    before = text[: min(exc.position, len(text))]
    line = before.count("\n") + 1
    col = len(before) - (before.rfind("\n") + 1) + 1
    return Diagnostic(
        file, line, col, "error", "", f"the character U+{exc.character:04X} is not allowed in YAML",
        "remove it (it is a control character, invisible in most editors)",
    )


def _yaml_hint(problem: str) -> str | None:
    if "mapping values are not allowed" in problem:
        return "a value containing ': ' must be quoted"
    if "found character '\\t'" in problem or "tab" in problem:
        return "indent with spaces, not tabs"
    if "could not find expected ':'" in problem:
        return "check the indentation of the lines above"
    if "expected a single document" in problem:
        return "remove the `---` separator: one scenario per file"
    return None


def _kind(event: Any) -> str:
    if isinstance(event, MappingStartEvent):
        return "a mapping"
    if isinstance(event, SequenceStartEvent):
        return "a list"
    if isinstance(event, ScalarEvent):
        return f"the value {event.value!r}"
    return "an alias"


_SKIP = object()  # the value of a node that was refused (reported already)


@dataclass
class _Frame:
    """A mapping or list being built."""

    path: KeyPath
    value: Any  # dict, list, or _SKIP for a collection whose content is ignored
    anchor: str | None
    size: int = 1  # values in it once aliases are expanded, itself included
    index: int = 0  # next list index
    key: Any = None  # the key waiting for its value
    key_mark: Mark | None = None
    has_key: bool = False
    skip_value: bool = False  # the key was refused: ignore its value
    seen: dict[Any, Mark] = field(default_factory=dict)


class _Builder:
    """Builds plain values from parser events, recording positions and problems on the way."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.positions: dict[KeyPath, NodePosition] = {}
        self.diagnostics: list[Diagnostic] = []
        self.bool_traps: dict[KeyPath, str] = {}
        self._anchors: dict[str, tuple[Any, int]] = {}
        self._open_anchors: set[str] = set()
        self._total = 0
        self._resolver = Resolver()
        self._constructor = yaml.SafeLoader("")

    def _error(self, mark: Mark, path: KeyPath, message: str, hint: str | None = None) -> None:
        where = _position(self.file, mark)
        self.diagnostics.append(Diagnostic(self.file, where.line, where.col, "error", format_path(path), message, hint))

    def _limit(self, mark: Mark, path: KeyPath, message: str, hint: str | None) -> _Limit:
        where = _position(self.file, mark)
        return _Limit(Diagnostic(self.file, where.line, where.col, "error", format_path(path[:8]), message, hint))

    def build(self, parser: Any) -> dict[str, Any] | None:
        """The document's top-level mapping, or None (with a diagnostic saying why)."""
        event = parser.get_event()  # StreamStart
        event = parser.get_event()
        if isinstance(event, StreamEndEvent):
            self._error(event.start_mark, (), "the file is empty", "start with `format: 1` and `id: my_scenario`")
            return None
        assert isinstance(event, DocumentStartEvent)
        first = parser.peek_event()
        if isinstance(first, ScalarEvent) and first.value == "" and first.tag is None and first.implicit[0]:
            self._error(first.start_mark, (), "the file is empty", "start with `format: 1` and `id: my_scenario`")
            return None
        if not isinstance(first, MappingStartEvent):
            self._error(
                first.start_mark, (),
                f"the top level must be a mapping of keys (format:, id:, title:, ...), not {_kind(first)}",
            )
            return None
        root = self._document(parser)
        end = parser.get_event()
        assert isinstance(end, DocumentEndEvent)
        after = parser.get_event()
        if isinstance(after, DocumentStartEvent):
            self._error(
                after.start_mark, (), "not valid YAML: a second document starts here (expected a single document)",
                "remove the `---` separator: one scenario per file",
            )
            return None
        return root

    def _document(self, parser: Any) -> dict[str, Any] | None:
        stack: list[_Frame] = []
        result: Any = None
        while True:
            event = parser.get_event()
            kind = type(event)
            if kind is MappingEndEvent or kind is SequenceEndEvent:
                frame = stack.pop()
                if frame.anchor is not None:
                    self._open_anchors.discard(frame.anchor)
                    self._anchors[frame.anchor] = (frame.value, frame.size)
                if not stack:
                    result = frame.value
                    break
                self._attach(stack[-1], frame.value, frame.size)
                continue
            parent = stack[-1] if stack else None
            in_mapping = parent is not None and type(parent.value) is dict
            if in_mapping and not parent.has_key:  # type: ignore[union-attr]
                self._key(parser, parent, event)  # type: ignore[arg-type]
                continue
            if parent is None:
                path: KeyPath = ()
            elif in_mapping:
                path = (*parent.path, parent.key)
            else:
                path = (*parent.path, parent.index)
            skipping = parent is not None and (parent.value is _SKIP or parent.skip_value)
            self._total += 1
            if kind is AliasEvent:
                value, size = self._alias(event, path)
                if not skipping:
                    self._record(path, event, parent)
                if parent is not None:
                    self._attach(parent, value, size)
                continue
            tag = event.tag
            if kind is MappingStartEvent or kind is SequenceStartEvent:
                if len(stack) >= MAX_DEPTH:
                    raise self._limit(
                        event.start_mark, path, f"nesting is deeper than {MAX_DEPTH} levels",
                        "a scenario never needs this much nesting; check for unbalanced brackets",
                    )
                is_map = kind is MappingStartEvent
                if tag is None or tag == "!":
                    tag = _MAP if is_map else _SEQ
                refused = skipping or not self._collection_tag_ok(tag, is_map, event.start_mark, path)
                if not skipping:
                    self._record(path, event, parent)
                value = _SKIP if refused else ({} if is_map else [])
                if event.anchor is not None:
                    self._open_anchors.add(event.anchor)
                stack.append(_Frame(path, value, event.anchor))
                continue
            assert isinstance(event, ScalarEvent)
            if skipping:
                scalar: Any = None
            else:
                self._record(path, event, parent)
                scalar = self._scalar(event, path, is_key=False)
            if event.anchor is not None:
                self._anchors[event.anchor] = (scalar, 1)
            if parent is None:
                return None  # the top level was checked to be a mapping
            self._attach(parent, scalar, 1)
        return result if isinstance(result, dict) else None

    def _tag_ok(self, tag: str, mark: Mark, path: KeyPath) -> bool:
        if tag in _PLAIN_TAGS:
            return True
        self._error(
            mark, path, f"the tag '{tag.replace(_TAG, '!!')}' is not allowed",
            "scenarios are plain data: strings, numbers, booleans, lists and mappings; remove the tag",
        )
        return False

    def _collection_tag_ok(self, tag: str, is_map: bool, mark: Mark, path: KeyPath) -> bool:
        if not self._tag_ok(tag, mark, path):
            return False
        if tag == (_MAP if is_map else _SEQ):
            return True
        self._error(mark, path, f"the tag '{tag.replace(_TAG, '!!')}' cannot be put on "
                    f"{'a mapping' if is_map else 'a list'}", "remove the tag")
        return False

    def _attach(self, parent: _Frame, value: Any, size: int) -> None:
        parent.size += size
        if isinstance(parent.value, dict):
            if not parent.skip_value:
                parent.value[parent.key] = None if value is _SKIP else value
            parent.has_key = False
            parent.skip_value = False
        elif isinstance(parent.value, list):
            parent.value.append(None if value is _SKIP else value)
            parent.index += 1
        else:
            parent.index += 1

    def _alias(self, event: Any, path: KeyPath) -> tuple[Any, int]:
        name = event.anchor
        if name in self._open_anchors:
            raise self._limit(event.start_mark, path, f"the alias *{name} refers to a mapping or list it is part of",
                              "an alias cannot contain itself")
        if name not in self._anchors:
            self._error(event.start_mark, path, f"unknown alias *{name}", f"define it first with &{name}")
            return None, 1
        value, size = self._anchors[name]
        self._total += size
        if self._total > MAX_NODES:
            raise self._limit(
                event.start_mark, path,
                f"the document expands to more than {MAX_NODES:,} values (are aliases `*name` nested too deep?)",
                "write the content out instead of repeating aliases",
            )
        return value, size

    def _key(self, parser: Any, frame: _Frame, event: Any) -> None:
        frame.has_key = True
        frame.key_mark = event.start_mark
        if not isinstance(event, ScalarEvent):
            self._error(event.start_mark, frame.path, "a key must be plain text", None)
            frame.skip_value = True
            if isinstance(event, MappingStartEvent | SequenceStartEvent):
                self._skip_collection(parser)
            return
        if frame.value is _SKIP:
            frame.skip_value = True
            return
        tag = event.tag if event.tag not in (None, "!") else None
        if tag is None and event.value == "<<" and event.implicit[0]:
            self._error(event.start_mark, frame.path, "YAML merge keys (<<) are not supported",
                        "use `extends:` to share content")
            frame.skip_value = True
            return
        if tag is not None and tag not in _PLAIN_TAGS:
            self._tag_ok(tag, event.start_mark, frame.path)
            frame.skip_value = True
            return
        if tag in _COLLECTION_TAGS:
            self._error(event.start_mark, frame.path, "a key must be plain text",
                        f"remove the tag '{tag.replace(_TAG, '!!')}'")
            frame.skip_value = True
            return
        reported = len(self.diagnostics)
        key = self._scalar(event, frame.path, is_key=True)
        if key is None and len(self.diagnostics) > reported:
            frame.skip_value = True  # the key could not be read; that is reported already
            return
        if isinstance(key, bool):
            message, hint = bool_trap_message(event.value)
            self._error(event.start_mark, (*frame.path, event.value), f"the key {message}", hint)
            key = event.value
        elif key is None:
            self._error(event.start_mark, frame.path, "a key is empty (null)", "write a name before the ':'")
            frame.skip_value = True
            return
        elif isinstance(key, float):
            key = event.value
        if key in frame.seen:
            first = _position(self.file, frame.seen[key])
            self._error(
                event.start_mark, (*frame.path, key),
                f"duplicate key '{key}' (first written at line {first.line}, column {first.col})",
                "remove one of them; a key may appear only once in a mapping",
            )
            frame.skip_value = True
            return
        frame.seen[key] = event.start_mark
        frame.key = key

    def _skip_collection(self, parser: Any) -> None:
        depth = 1
        while depth:
            event = parser.get_event()
            if isinstance(event, MappingStartEvent | SequenceStartEvent):
                depth += 1
            elif isinstance(event, MappingEndEvent | SequenceEndEvent):
                depth -= 1

    def _record(self, path: KeyPath, event: Any, parent: _Frame | None) -> None:
        quoted = False
        one_line = True
        start: Any = event.start_mark
        end: Any = event.end_mark
        if isinstance(event, ScalarEvent):
            quoted = event.style in ("'", '"')
            one_line = start.line == end.line and event.style not in ("|", ">")
        key_mark = parent.key_mark if parent is not None and isinstance(parent.value, dict) else None
        self.positions[path] = NodePosition(
            _position(self.file, event.start_mark),
            _position(self.file, key_mark) if key_mark is not None else None,
            quoted,
            one_line,
        )

    def _scalar(self, event: Any, path: KeyPath, *, is_key: bool) -> Any:
        tag = event.tag
        if tag is None or tag == "!":
            value = event.value
            if not event.implicit[0] or (value and value[0] not in _RESOLVABLE_FIRST):
                return self._text(event, path)  # quoted, or plain text that cannot be anything else
            tag = self._resolver.resolve(ScalarNode, value, event.implicit)  # type: ignore[no-untyped-call]
            if tag in _NUMBER_TAGS:
                self._number_trap(event, path, tag)
        if tag == _STR or tag == _TAG + "timestamp":
            # Dates stay as written: months are YYYY-MM text, and the models say what a full date means.
            return self._text(event, path)
        if tag not in _PLAIN_TAGS:
            self._tag_ok(tag, event.start_mark, path)
            return None
        if tag in _COLLECTION_TAGS:
            self._error(event.start_mark, path, f"the tag '{tag.replace(_TAG, '!!')}' is for "
                        f"{'a mapping' if tag == _MAP else 'a list'}, not for the value {event.value!r}",
                        "remove the tag")
            return None
        node = ScalarNode(tag, event.value, event.start_mark, event.end_mark, event.style)
        try:
            value = self._constructor.construct_object(node)
        except Exception as exc:  # PyYAML's constructors raise KeyError, IndexError, ... on odd text
            self._error(event.start_mark, path, f"cannot read {event.value!r} as {tag.replace(_TAG, '!!')}"
                        + (f": {exc}" if isinstance(exc, ValueError | yaml.YAMLError) else ""),
                        "remove the tag, or quote the value if it is text")
            return None
        if isinstance(value, bool) and not is_key and event.value.lower() in _TRAP_WORDS:
            self.bool_traps[path] = event.value
        if isinstance(value, float) and not math.isfinite(value):
            self._error(event.start_mark, path, f"{event.value} is not a finite number", "use an ordinary number")
            return None
        return value


    def _text(self, event: Any, path: KeyPath) -> str | None:
        """The scalar's text, or None (reported) when it holds a control character (written as an escape)."""
        text: str = event.value
        bad = _CONTROL.search(text)
        if bad is None:
            return text
        mark = event.start_mark
        where = _position(self.file, mark)
        offset = 1 if event.style in ("'", '"') else 0
        col = where.col + offset + bad.start() if event.start_mark.line == event.end_mark.line else where.col
        self.diagnostics.append(Diagnostic(
            self.file, where.line, col, "error", format_path(path),
            f"the text holds the control character U+{ord(bad.group()):04X} (character {bad.start() + 1})",
            "remove it: control characters are invisible and break the display",
        ))
        return None

    def _number_trap(self, event: Any, path: KeyPath, tag: str) -> None:
        """Warn where YAML 1.1 reads a plain scalar as a number the writer did not mean (012, 1:30)."""
        text: str = event.value
        digits = text.lstrip("+-")
        if ":" in digits:
            kind = "base-60 (sexagesimal) number"
        elif tag == _INT and len(digits) > 1 and digits[0] == "0" and digits.replace("_", "").isdigit() \
                and int(digits.replace("_", ""), 8) != int(digits.replace("_", "")):
            kind = "octal number"
        else:
            return
        number = self._constructor.construct_object(ScalarNode(tag, text))
        where = _position(self.file, event.start_mark)
        self.diagnostics.append(Diagnostic(
            self.file, where.line, where.col, "warning", format_path(path),
            f"'{text}' is read as the {kind} {number:g} in YAML 1.1", f'quote it ("{text}") if it is text, '
            f"or write {number:g}",
        ))


_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def locate(document: Document, path: KeyPath) -> NodePosition:
    """Position of `path`, or of its nearest written ancestor (a default fills in what is not written)."""
    for end in range(len(path), -1, -1):
        found = document.positions.get(path[:end])
        if found is not None:
            return found
    return NodePosition(Position(document.file, 1, 1))

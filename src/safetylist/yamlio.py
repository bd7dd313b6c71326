"""Safe YAML reading that keeps positions, and the canonical writer.

Reading: libyaml's safe composer when present (about four times faster than the
pure-Python one), then a walk over the node tree that records where every value
sits, so that a validation error can name its line. The walk also rejects what
PyYAML would accept silently: duplicate keys, anchors/aliases (no task file
needs them, and refusing them makes "billion laughs" harmless), non-string keys.
Timestamps are not resolved by YAML: Pydantic parses dates, so an impossible
date such as 2022-02-30 is a located error instead of a bare ValueError.

Writing: one canonical layout, emitted line by line from the models. It is
byte-stable (the same data always gives the same bytes), keeps every item's
text on one line, and changes only the lines of what changed, so that git diffs
and merges stay small.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

import yaml

try:  # libyaml when present
    from yaml import CSafeLoader as _BaseLoader
except ImportError:  # pragma: no cover - depends on the PyYAML build
    from yaml import SafeLoader as _BaseLoader  # type: ignore[assignment]

_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_STR = "tag:yaml.org,2002:str"


class _Loader(_BaseLoader):
    pass


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != _TIMESTAMP]
    for first, resolvers in _BaseLoader.yaml_implicit_resolvers.items()
}

Path = tuple[Any, ...]
MAX_DEPTH = 64  # a campaign file nests 6 levels; anything far deeper is not one


@dataclass
class Located:
    """Plain data from a YAML document, and where each value sits, found when asked.

    Positions are not kept for every value (a large file has millions): ``positions``
    reads the text's events again and records just the paths asked for, so a run that
    reports problems pays one more pass, and a clean one none.
    """

    data: Any
    text: str = ""
    problems: list[tuple[int, int, str, str]] = field(default_factory=list)  # line, col, rule, message
    _known: dict[Path, tuple[int, int]] = field(default_factory=dict)
    _known_keys: dict[Path, tuple[int, int]] = field(default_factory=dict)
    # Every path a pass has looked for, found or not: a path the text lacks is not looked for
    # again (one pass per such path would make a file's problems quadratic in their number).
    _sought: set[Path] = field(default_factory=set)

    def positions(self, paths: list[Path]) -> None:
        """Find (in one pass) the positions of ``paths`` and of their parents, and their keys'."""
        wanted: set[Path] = set()
        for path in paths:
            path = tuple(path)
            while path not in wanted:
                wanted.add(path)
                if not path:
                    break
                path = path[:-1]
        wanted -= self._sought
        wanted -= self._known.keys()
        if wanted:
            self._sought |= wanted
            _Events(self.text, None, wanted, self._known, self._known_keys).run()

    def position(self, path: Path) -> tuple[int, int]:
        """Line and column of the value at ``path``, or of its nearest located parent."""
        path = tuple(path)
        if path not in self._known:
            self.positions([path])
        while path:
            if path in self._known:
                return self._known[path]
            path = path[:-1]
        return self._known.get((), (1, 1))

    def key_position(self, path: Path) -> tuple[int, int] | None:
        """Line and column of the key that names ``path`` (after ``positions`` asked for it)."""
        path = tuple(path)
        if path not in self._known:
            self.positions([path])
        return self._known_keys.get(path)


class YamlSyntaxError(Exception):
    def __init__(self, line: int, col: int, message: str):
        super().__init__(message)
        self.line, self.col, self.message = line, col, message


def _pos(mark: Any) -> tuple[int, int]:
    return (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)


def load_located(text: str) -> Located:
    """Parse one YAML document safely; raise ``YamlSyntaxError`` on bad syntax.

    Structural problems that still leave usable data (duplicate keys, aliases,
    unsupported tags) are collected in ``Located.problems``, each with the id of its rule
    (``safetylist.rules.reading``).
    """
    located = Located(data=None, text=text)
    located.data = _Events(text, located.problems).run()
    return located


class _Events:
    """One pass over a document's events (libyaml's parser when present): the data built
    directly, without the node tree (which costs several times the text in memory), or,
    with ``wanted``, only the positions of those paths."""

    def __init__(self, text: str, problems: list[tuple[int, int, str, str]] | None,
                 wanted: set[Path] | None = None, marks: dict[Path, tuple[int, int]] | None = None,
                 key_marks: dict[Path, tuple[int, int]] | None = None):
        self.text = text
        self.problems = problems if problems is not None else []
        self.wanted = wanted
        self.marks = marks if marks is not None else {}
        self.key_marks = key_marks if key_marks is not None else {}
        self.build = wanted is None

    def run(self) -> Any:
        self.loader = _Loader(self.text)
        try:
            try:
                self.loader.get_event()  # StreamStart
                if self.loader.check_event(yaml.StreamEndEvent):
                    return None
                self.loader.get_event()  # DocumentStart
                value = self.value((), 0)
                self.loader.get_event()  # DocumentEnd
                if not self.loader.check_event(yaml.StreamEndEvent):
                    event = self.loader.get_event()
                    line, col = _pos(event.start_mark if event is not None else None)
                    raise YamlSyntaxError(line, col, "YAML syntax: expected a single document "
                                          "in the stream, but found another document")
                return value
            except yaml.MarkedYAMLError as exc:
                mark = exc.problem_mark or exc.context_mark
                line, col = _pos(mark)
                msg = exc.problem or exc.context or "invalid YAML"
                if exc.context and exc.problem:
                    where = ""
                    if exc.context_mark is not None and exc.context_mark.line + 1 != line:
                        where = f" started at line {exc.context_mark.line + 1}"
                    msg = f"{exc.context}{where}: {exc.problem}"
                raise YamlSyntaxError(line, col, f"YAML syntax: {msg}") from None
            except yaml.reader.ReaderError as exc:
                before = self.text[: exc.position]
                line = before.count("\n") + 1
                col = len(before) - (before.rfind("\n") + 1) + 1
                raise YamlSyntaxError(line, col, f"unacceptable character #x{exc.character:04x}: "
                                      "control characters are not allowed; remove it") from None
            except yaml.YAMLError as exc:
                raise YamlSyntaxError(1, 1, "YAML syntax: " + " ".join(str(exc).split())) from None
        finally:
            self.loader.dispose()

    def problem(self, event: Any, rule: str, message: str) -> None:
        if self.build:
            line, col = _pos(event.start_mark)
            self.problems.append((line, col, rule, message))

    def skip(self, event: Any) -> None:
        """The rest of a collection whose start is ``event``, read and dropped."""
        depth = 1
        while depth:
            e = self.loader.get_event()
            if isinstance(e, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                depth += 1
            elif isinstance(e, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                depth -= 1

    def value(self, path: Path, depth: int) -> Any:
        event: Any = self.loader.get_event()  # an event, never None, before the stream's end
        if self.wanted is not None and path in self.wanted:
            self.marks[path] = _pos(event.start_mark)
        if isinstance(event, yaml.AliasEvent):
            self.problem(event, "anchors", "anchors and aliases are not allowed in registry files")
            return None
        if isinstance(event, yaml.ScalarEvent):
            return self.scalar(event) if self.build else None
        collection = isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent))
        if depth > MAX_DEPTH:
            self.problem(event, "nesting", f"nested more than {MAX_DEPTH} levels deep")
            if collection:
                self.skip(event)
            return None
        if isinstance(event, yaml.MappingStartEvent):
            if event.tag not in (None, "!", "tag:yaml.org,2002:map"):
                self.problem(event, "tags", f"unsupported tag {event.tag}")
                self.skip(event)
                return None
            return self.mapping(path, depth)
        if isinstance(event, yaml.SequenceStartEvent):
            if event.tag not in (None, "!", "tag:yaml.org,2002:seq"):
                self.problem(event, "tags", f"unsupported tag {event.tag}")
                self.skip(event)
                return None
            out = []
            i = 0
            while not self.loader.check_event(yaml.SequenceEndEvent):
                item = self.value(path + (i,), depth + 1)
                if self.build:
                    out.append(item)
                i += 1
            self.loader.get_event()
            return out
        raise yaml.YAMLError(f"unexpected event {type(event).__name__}")  # pragma: no cover

    def mapping(self, path: Path, depth: int) -> dict[str, Any] | None:
        out: dict[str, Any] = {}
        first_line: dict[str, int] = {}
        while not self.loader.check_event(yaml.MappingEndEvent):
            key_event = self.loader.peek_event()
            if not isinstance(key_event, yaml.ScalarEvent) or self._tag(key_event) != _STR:
                self.problem(key_event, "key-type", "keys must be plain strings")
                self.value(path + ("?",), depth + 1)  # the key, dropped
                self.value(path + ("?",), depth + 1)  # and its value
                continue
            self.loader.get_event()
            key = key_event.value
            child = path + (key,)
            if self.wanted is not None and child in self.wanted and child not in self.key_marks:
                self.key_marks[child] = _pos(key_event.start_mark)
            if key == "<<":
                self.problem(key_event, "anchors", "merge keys (<<) are not allowed in registry files")
                self.value(path + ("<<",), depth + 1)
                continue
            if key in first_line:
                self.problem(key_event, "duplicate-key", f"duplicate key '{key}' (first at line {first_line[key]})")
                self.value(path + ("?",), depth + 1)
                continue
            first_line[key] = _pos(key_event.start_mark)[0]
            value = self.value(child, depth + 1)
            if self.build:
                out[key] = value
        self.loader.get_event()
        return out

    def _tag(self, event: Any) -> str:
        if event.tag is None or event.tag == "!":
            return self.loader.resolve(yaml.ScalarNode, event.value, event.implicit)
        return event.tag

    def scalar(self, event: Any) -> Any:
        tag = self._tag(event)
        if tag == _STR:
            return event.value
        constructor = self.loader.yaml_constructors.get(tag)
        if constructor is None or tag not in _SAFE_TAGS:
            self.problem(event, "tags", f"unsupported tag {tag}")
            return None
        node = yaml.ScalarNode(tag, event.value, event.start_mark, event.end_mark, event.style)
        try:
            return constructor(self.loader, node)
        except yaml.YAMLError as exc:
            self.problem(event, "syntax", f"cannot read value: {getattr(exc, 'problem', None) or exc}")
            return None


_SAFE_TAGS = {"tag:yaml.org,2002:null", "tag:yaml.org,2002:bool", "tag:yaml.org,2002:int",
              "tag:yaml.org,2002:float", "tag:yaml.org,2002:binary"}


def comments(text: str) -> list[tuple[int, int, str]]:
    """Every comment of a YAML text as (line, column, comment): whole-line ones and those at a
    line's end. A ``#`` inside quotes, or not after a space, is text, as YAML reads it."""
    found = []
    for n, line in enumerate(text.split("\n"), 1):
        quote: str | None = None
        i = 0
        while i < len(line):
            ch = line[i]
            if quote == '"':
                if ch == "\\":
                    i += 1
                elif ch == '"':
                    quote = None
            elif quote == "'":
                if ch == "'" and line[i + 1:i + 2] == "'":
                    i += 1  # '' inside single quotes is a quote character
                elif ch == "'":
                    quote = None
            elif ch in "\"'" and (i == 0 or line[i - 1] in " \t[{,:-?"):
                quote = ch
            elif ch == "#" and (i == 0 or line[i - 1] in " \t"):
                found.append((n, i + 1, line[i:].rstrip("\r")))
                break
            i += 1
    return found


# Writing ----------------------------------------------------------------------

_resolver = yaml.resolver.Resolver()
_SURROGATE = re.compile("[\ud800-\udfff]")
_FLOW_UNSAFE = set(",[]{}?")  # PyYAML ends a plain scalar at any of these in flow context
_PLAIN_START_UNSAFE = set("-?:,[]{}#&*!|>'\"%@`~ ")


# What a YAML 1.2 reader (core schema) takes for a non-string, beyond what PyYAML's YAML 1.1
# resolver knows: 1e3, 0o17, .inf in any case, +1, and the rest of the core schema's forms.
_YAML12_NON_STRING = re.compile(
    r"""^(?:~|null|Null|NULL|true|True|TRUE|false|False|FALSE
        |[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+
        |[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?
        |[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$""", re.X)


class UnwritableText(ValueError):
    """Text that no file should hold: a lone surrogate (bytes that were not UTF-8)."""


def scalar(value: Any, flow: bool = False) -> str:
    """One scalar, on one line: plain where every YAML reader reads it back as the same string.

    Raises ``UnwritableText`` for a lone surrogate, which is not text but the remains of
    bytes that were not UTF-8: it never reaches a file.
    """
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value)
    if _SURROGATE.search(text):
        raise UnwritableText(f"text holds bytes that are not UTF-8: {text!r}")
    if _plain_ok(text, flow):
        return text
    return double_quoted(text)


def _printable(ch: str) -> bool:
    # What a YAML reader accepts raw and reads back as the same character.
    o = ord(ch)
    return (0x20 <= o <= 0x7E or 0xA0 <= o <= 0xD7FF or 0xE000 <= o <= 0xFFFD
            or 0x10000 <= o <= 0x10FFFF) and o not in (0x2028, 0x2029, 0xFEFF)


def double_quoted(text: str) -> str:
    """A double-quoted scalar on one line; everything unprintable is escaped."""
    out = ['"']
    for ch in text:
        if ch == '"' or ch == "\\":
            out.append("\\" + ch)
        elif _printable(ch):
            out.append(ch)
        elif ch in "\n\t\r":
            out.append({"\n": "\\n", "\t": "\\t", "\r": "\\r"}[ch])
        elif ord(ch) <= 0xFF:
            out.append(f"\\x{ord(ch):02x}")
        elif ord(ch) <= 0xFFFF:
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(f"\\U{ord(ch):08x}")
    out.append('"')
    return "".join(out)


def _plain_ok(text: str, flow: bool) -> bool:
    if not text or text != text.strip() or text[0] in _PLAIN_START_UNSAFE:
        return False
    if any(ord(ch) < 32 or ord(ch) == 127 or 0x80 <= ord(ch) < 0xA0 for ch in text):
        return False
    if ": " in text or " #" in text or text.endswith(":") or "\u2028" in text or "\u2029" in text:
        return False
    if "\ufeff" in text:
        return False
    if flow and (_FLOW_UNSAFE & set(text) or ":" in text or "#" in text):
        return False
    # Anything YAML 1.1 or 1.2 would read as a number, bool, null or date must be quoted.
    if _YAML12_NON_STRING.match(text):
        return False
    return _resolver.resolve(yaml.ScalarNode, text, (True, False)) == _STR


def flow_map(pairs: list[tuple[str, Any]]) -> str:
    return "{" + ", ".join(f"{k}: {scalar(v, flow=True)}" for k, v in pairs) + "}"

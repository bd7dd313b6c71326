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


class _Loader(_BaseLoader):  # type: ignore[misc,valid-type]
    pass


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != _TIMESTAMP]
    for first, resolvers in _BaseLoader.yaml_implicit_resolvers.items()
}

Path = tuple[Any, ...]
MAX_DEPTH = 64  # a campaign file nests 6 levels; anything far deeper is not one


@dataclass
class Located:
    """Plain data from a YAML document, with the 1-based position of each value."""

    data: Any
    marks: dict[Path, tuple[int, int]] = field(default_factory=dict)
    key_marks: dict[Path, tuple[int, int]] = field(default_factory=dict)
    problems: list[tuple[int, int, str]] = field(default_factory=list)

    def position(self, path: Path) -> tuple[int, int]:
        """Line and column of the value at ``path``, or of its nearest located parent."""
        path = tuple(path)
        while path:
            if path in self.marks:
                return self.marks[path]
            path = path[:-1]
        return self.marks.get((), (1, 1))


class YamlSyntaxError(Exception):
    def __init__(self, line: int, col: int, message: str):
        super().__init__(message)
        self.line, self.col, self.message = line, col, message


def _pos(mark: Any) -> tuple[int, int]:
    return (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)


def load_located(text: str) -> Located:
    """Parse one YAML document safely; raise ``YamlSyntaxError`` on bad syntax.

    Structural problems that still leave usable data (duplicate keys, aliases,
    unsupported tags) are collected in ``Located.problems``.
    """
    loader = _Loader(text)
    try:
        try:
            node = loader.get_single_node()
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
            before = text[: exc.position]
            line = before.count("\n") + 1
            col = len(before) - (before.rfind("\n") + 1) + 1
            raise YamlSyntaxError(line, col, f"unacceptable character #x{exc.character:04x}: "
                                  "control characters are not allowed; remove it") from None
        except yaml.YAMLError as exc:
            raise YamlSyntaxError(1, 1, "YAML syntax: " + " ".join(str(exc).split())) from None
        located = Located(data=None)
        if node is not None:
            located.data = _Walker(loader, located).walk(node, ())
        return located
    finally:
        loader.dispose()


class _Walker:
    def __init__(self, loader: Any, located: Located):
        self.loader = loader
        self.located = located
        self.seen: set[int] = set()

    def problem(self, node: Any, message: str) -> None:
        line, col = _pos(node.start_mark)
        self.located.problems.append((line, col, message))

    def walk(self, node: Any, path: Path) -> Any:
        self.located.marks[path] = _pos(node.start_mark)
        if len(path) > MAX_DEPTH:
            self.problem(node, f"nested more than {MAX_DEPTH} levels deep")
            return None
        if id(node) in self.seen:
            self.problem(node, "anchors and aliases are not allowed in registry files")
            return None
        self.seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            if node.tag != "tag:yaml.org,2002:map":
                self.problem(node, f"unsupported tag {node.tag}")
                return None
            out: dict[str, Any] = {}
            for key_node, value_node in node.value:
                if not isinstance(key_node, yaml.ScalarNode) or key_node.tag != _STR:
                    self.problem(key_node, "keys must be plain strings")
                    continue
                key = key_node.value
                if key == "<<":
                    self.problem(key_node, "merge keys (<<) are not allowed in registry files")
                    continue
                if key in out:
                    line, _ = self.located.marks[path + (key,)]
                    self.problem(key_node, f"duplicate key '{key}' (first at line {line})")
                    continue
                self.located.key_marks[path + (key,)] = _pos(key_node.start_mark)
                out[key] = self.walk(value_node, path + (key,))
            return out
        if isinstance(node, yaml.SequenceNode):
            if node.tag != "tag:yaml.org,2002:seq":
                self.problem(node, f"unsupported tag {node.tag}")
                return None
            return [self.walk(child, path + (i,)) for i, child in enumerate(node.value)]
        try:
            return self.loader.construct_object(node, deep=True)
        except yaml.YAMLError as exc:
            self.problem(node, f"cannot read value: {getattr(exc, 'problem', None) or exc}")
            return None


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

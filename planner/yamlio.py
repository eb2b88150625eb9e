"""Safe YAML loading that remembers where every value came from.

Values are built from PyYAML's node tree with the safe constructor only (no Python objects), so
every field path can be mapped back to its line. Duplicate keys, alias bombs, deep nesting,
huge files and non-UTF-8 bytes are refused with a clear message.
"""

from __future__ import annotations

import hashlib
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from planner.errors import InputError, Issue, shown

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_NODES = 200_000
MAX_DEPTH = 64
MAX_INT_BITS = 1024
"""Integers beyond the float range (about 1.8e308) are refused: no figure of a plan is that large."""

Path_ = tuple[str | int, ...]


class _Loader(yaml.SafeLoader):
    """SafeLoader that also reads 1e6-style numbers as floats (YAML 1.1 wants a dot)."""


_FLOAT_1E6 = re.compile(r"^[-+]?[0-9][0-9_]*(\.[0-9_]*)?[eE][-+]?[0-9]+$")
_Loader.add_implicit_resolver("tag:yaml.org,2002:float", _FLOAT_1E6, list("-+0123456789"))

if getattr(yaml, "__with_libyaml__", False):

    class _FastLoader(yaml.CSafeLoader):  # type: ignore[name-defined,misc]
        """The same resolver on libyaml's C parser: about ten times faster on the catalog files."""

    _FastLoader.add_implicit_resolver("tag:yaml.org,2002:float", _FLOAT_1E6, list("-+0123456789"))
    _COMPOSER: type = _FastLoader
else:  # pragma: no cover - PyYAML built without libyaml
    _COMPOSER = _Loader


@dataclass
class LoadedYaml:
    """A parsed document and the line of each value in it."""

    file: str
    data: Any
    lines: dict[Path_, int] = field(default_factory=dict)
    duplicates: list[Issue] = field(default_factory=list)
    """Duplicate keys (the first kept), for a caller that reports them with the schema's problems."""

    def line_of(self, path: Path_) -> int | None:
        """Line of the value at `path`, or of its nearest parent that has one."""
        path = tuple(path)
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return self.lines.get((), None)


def load_yaml(file: Path | str, *, duplicates_later: bool = False) -> LoadedYaml:
    """Read a YAML file safely; raise InputError with file and line on any problem. With `duplicates_later`,
    duplicate keys are returned in `duplicates` (the first of each kept) for the caller to report with the
    schema's problems, instead of raised alone."""
    name = str(file)
    try:
        with open(file, "rb") as handle:  # read at most one byte past the limit, never the whole of a huge file
            raw = handle.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise InputError([Issue(name, "", f"cannot read file: {exc.strerror or exc}")]) from None
    if len(raw) > MAX_FILE_BYTES:
        msg = f"file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB; a country or catalog file is a few KB"
        raise InputError([Issue(name, "", msg)])
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        msg = f"not UTF-8 text (byte 0x{raw[exc.start]:02x})"
        raise InputError([Issue(name, "", msg, line=line, hint="save the file as UTF-8")]) from None
    key = (name, hashlib.sha256(raw).digest())
    if key not in _PARSED:  # `validate` loads a country once per scenario: parse it once
        if len(_PARSED) >= 8:
            _PARSED.pop(next(iter(_PARSED)))
        _PARSED[key] = parse_yaml(text, name, duplicates_later=True)
    cached = _PARSED[key]
    if cached.duplicates and not duplicates_later:
        raise InputError(list(cached.duplicates))
    return LoadedYaml(name, plain_copy(cached.data), dict(cached.lines), list(cached.duplicates))


_PARSED: dict[tuple[str, bytes], LoadedYaml] = {}


def plain_copy(value: Any) -> Any:
    """A deep copy of plain YAML data (dicts, lists, scalars), several times faster than copy.deepcopy."""
    if isinstance(value, dict):
        return {k: plain_copy(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain_copy(v) for v in value]
    return value


_OPEN_QUOTE = re.compile(r"""(?:^|[\s:\[{,-])(["'])""")


def _unclosed_quote(lines: list[str], first: int, last: int) -> int | None:
    """0-based index of the first line in [first, last] whose value opens a quote it does not close."""
    for i in range(max(first, 0), min(last, len(lines) - 1) + 1):
        body = lines[i].split(" #", 1)[0] if "#" in lines[i] and '"' not in lines[i] else lines[i]
        opened = _OPEN_QUOTE.search(body)
        if not opened:
            continue
        quote = opened.group(1)
        rest = body[opened.end() :]
        closed = rest.replace('\\"', "").count(quote) if quote == '"' else rest.replace("''", "").count(quote)
        if closed == 0:
            return i
    return None


def _misplaced_colon(lines: list[str], at: int) -> tuple[int, str, str]:
    """Where a 'mapping values are not allowed' error comes from: a value holding ': ', or the line above.

    A line `key: value` read as the continuation of the value above it means either that line lacks
    its colon or this line is indented deeper than its siblings.
    """
    here = lines[at].split(" #", 1)[0].strip() if at < len(lines) else ""
    above = next((i for i in range(at - 1, -1, -1) if lines[i].strip() and not lines[i].lstrip().startswith("#")), None)
    if here.count(": ") + here.endswith(":") > 1 or above is None:
        return at, "a value holds ': '", "put a value that holds ': ' in quotes, e.g. name: \"Phase 1: pilot\""
    prior = lines[above].split(" #", 1)[0].strip().removeprefix("- ")
    if ":" not in prior:
        return above, "a key without ':' after it", "write `key: value`, with a space after the colon"
    return (
        at,
        "this line is indented deeper than the line above, so it reads as part of that value",
        "keys of one block start in the same column, indented with spaces under their parent",
    )


def _indent(line: str) -> str:
    return line[: len(line) - len(line.lstrip(" \t"))]


def syntax_issue(text: str, name: str, exc: yaml.MarkedYAMLError) -> Issue:
    """A YAML syntax error as the user would describe it: the line at fault, what is wrong there, the fix.

    libyaml reports where parsing gave up, which for an unclosed quote or a key without a colon is some
    lines after the mistake; the context mark and the text itself say where the mistake is.
    """
    lines = text.splitlines()
    problem = exc.problem or exc.context or "invalid YAML"
    at = exc.problem_mark.line if exc.problem_mark else (exc.context_mark.line if exc.context_mark else None)
    start = exc.context_mark.line if exc.context_mark else at
    hint = None
    quoted = _unclosed_quote(lines, start, at) if at is not None and start is not None else None
    if quoted is not None and ("quoted scalar" in (exc.context or "") or "expected" in problem):
        at, problem = quoted, "a quoted text opened on this line is not closed"
        hint = "end it with the same quote mark on the same line"
    elif (
        "\t" in problem
        or "tab" in problem
        or (
            "cannot start any token" in problem  # not an unclosed bracket that happens to sit on a tabbed line
            and at is not None
            and 0 <= at < len(lines)
            and "\t" in _indent(lines[at])
        )
    ):
        problem = "this line is indented with a tab"
        hint = "indent with spaces, not tabs"
    elif "could not find expected ':'" in problem and exc.context_mark:
        at, problem = exc.context_mark.line, "a key without ':' after it"
        hint = "write `key: value`, with a space after the colon"
    elif "mapping values are not allowed" in problem and at is not None:
        at, problem, hint = _misplaced_colon(lines, at)
    elif "cannot start any token" in problem:
        hint = "put a value that starts with @ or ` in quotes"
    elif "expected ',' or ']'" in problem or "expected ',' or '}'" in problem:
        if exc.context_mark:
            at = exc.context_mark.line
        closer = "]" if "]" in problem else "}"
        problem = f"a list or mapping opened on this line is not closed with '{closer}'"
        hint = f"close it with '{closer}' or write one item per line"
    elif "expected key" in problem or "expected <block end>" in problem or "'-' indicator" in problem:
        problem = "this line's indentation does not match the lines above it"
        hint = "keys of one block start in the same column, indented with spaces under their parent"
    shown_line = ""
    if at is not None and 0 <= at < len(lines) and lines[at].strip():
        shown_line = f' (line reads "{lines[at].strip()[:60]}")'
    line = at + 1 if at is not None else None
    return Issue(name, "", f"YAML syntax error: {problem}{shown_line}", line=line, hint=hint)


def parse_yaml(text: str, name: str = "<string>", *, duplicates_later: bool = False) -> LoadedYaml:
    """Parse YAML text; see load_yaml."""
    try:
        _check_depth(text, name)
        node = yaml.compose(text, Loader=_COMPOSER)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        problem = exc.problem or exc.context or "invalid YAML"
        if "nesting depth" in problem:  # PyYAML >= 6.0.4 has a depth limit of its own
            raise InputError([Issue(name, "", f"nesting deeper than {MAX_DEPTH} levels", line=line)]) from None
        raise InputError([syntax_issue(text, name, exc)]) from None
    except yaml.YAMLError as exc:
        raise InputError([Issue(name, "", f"YAML error: {exc}")]) from None
    except RecursionError:
        raise InputError([Issue(name, "", f"nesting deeper than {MAX_DEPTH} levels")]) from None
    except UnicodeError:  # lone surrogates, e.g. from undecodable command-line bytes
        raise InputError([Issue(name, "", "not valid Unicode text", hint="save the file as UTF-8")]) from None
    loaded = LoadedYaml(name, None)
    if node is not None:
        _check_expanded_size(node, name)
        builder = _Builder(loaded)
        try:
            loaded.data = builder.build(node, (), 0)
        except RecursionError:
            raise InputError([Issue(name, "", f"nesting deeper than {MAX_DEPTH} levels")]) from None
        duplicates = [i for i in builder.problems if i.message.startswith("duplicate key")]
        values = [i for i in builder.problems if not i.message.startswith("duplicate key")]
        if values or (duplicates and not duplicates_later):  # every bad value and duplicate key at once
            raise InputError(builder.problems)
        loaded.duplicates = duplicates
    return loaded


def _check_expanded_size(root: yaml.Node, name: str) -> None:
    """Refuse an alias bomb (or an alias that contains itself) from the node graph, counting each shared node
    once: milliseconds, where building 200,000 values first takes a second."""
    sizes: dict[int, int] = {}
    open_nodes: set[int] = set()

    def size(node: yaml.Node) -> int:
        key = id(node)
        if key in sizes:
            return sizes[key]
        if key in open_nodes:
            msg = f"nesting deeper than {MAX_DEPTH} levels (or an alias that contains itself)"
            raise InputError([Issue(name, "", msg, line=node.start_mark.line + 1)])
        total = 1
        if isinstance(node, yaml.SequenceNode | yaml.MappingNode):
            open_nodes.add(key)
            children = node.value if isinstance(node, yaml.SequenceNode) else [v for _, v in node.value]
            for child in children:
                total = min(total + size(child), MAX_NODES + 1)
            open_nodes.discard(key)
        sizes[key] = total
        return total

    if size(root) > MAX_NODES:
        raise InputError([Issue(name, "", f"document expands to more than {MAX_NODES} values (an alias bomb?)")])


def _check_depth(text: str, name: str) -> None:
    """Refuse deep nesting from the event stream before composing (libyaml's composer recurses in C and
    would crash the interpreter on a few hundred thousand brackets instead of raising RecursionError)."""
    depth = 0
    opening = (yaml.SequenceStartEvent, yaml.MappingStartEvent)
    closing = (yaml.SequenceEndEvent, yaml.MappingEndEvent)
    for event in yaml.parse(text, Loader=_COMPOSER):
        if isinstance(event, opening):
            depth += 1
            if depth > MAX_DEPTH:
                line = event.start_mark.line + 1 if event.start_mark else None
                raise InputError([Issue(name, "", f"nesting deeper than {MAX_DEPTH} levels", line=line)])
        elif isinstance(event, closing):
            depth -= 1


_SCALAR_TAGS = {f"tag:yaml.org,2002:{name}" for name in ("str", "int", "float", "bool", "null", "timestamp")}
_NODE_TAGS = {
    yaml.ScalarNode: _SCALAR_TAGS,
    yaml.MappingNode: {"tag:yaml.org,2002:map"},
    yaml.SequenceNode: {"tag:yaml.org,2002:seq"},
}
_PLAIN_TAGS = set().union(*_NODE_TAGS.values())
_KIND = {yaml.ScalarNode: "a single value", yaml.MappingNode: "a mapping", yaml.SequenceNode: "a list"}
_TAG_NOUN = {
    "int": "an integer",
    "float": "a number",
    "bool": "true or false",
    "null": "null",
    "timestamp": "a date (YYYY-MM-DD)",
    "str": "text",
    "map": "a mapping",
    "seq": "a list",
}


def _looks_like_a_date(text: str) -> bool:
    """Whether YAML reads `text` as a date by its form alone (2027-13-01), whatever tag it carries."""
    return _Loader.resolve(_Loader(""), yaml.ScalarNode, text, (True, False)) == "tag:yaml.org,2002:timestamp"


class _Builder:
    """Turns a node tree into plain dicts, lists and scalars, recording lines."""

    def __init__(self, loaded: LoadedYaml) -> None:
        self.loaded = loaded
        self.count = 0
        self.constructor = _Loader("")
        self.problems: list[Issue] = []
        """Values that cannot be read (a non-finite number, an integer beyond range, a value its tag refuses) and
        duplicate keys: collected, the rest of the file read on, and all raised together by load_yaml."""

    def build(self, node: yaml.Node, path: Path_, depth: int) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            msg = f"document expands to more than {MAX_NODES} values (an alias bomb?)"
            raise InputError([Issue(self.loaded.file, "", msg)])
        if depth > MAX_DEPTH:
            msg = f"nesting deeper than {MAX_DEPTH} levels (or an alias that contains itself)"
            where = _dotted(path[:6]) + (" ..." if len(path) > 6 else "")
            raise InputError([Issue(self.loaded.file, where, msg, line=node.start_mark.line + 1)])
        self.loaded.lines.setdefault(path, node.start_mark.line + 1)
        line = node.start_mark.line + 1
        if node.tag not in _PLAIN_TAGS:
            msg = f"YAML tag `{shown(node.tag)}` is not allowed; write plain values"
            raise InputError([Issue(self.loaded.file, _dotted(path), msg, line=line)])
        if node.tag not in _NODE_TAGS[type(node)]:
            tag = node.tag.rsplit(":", 1)[-1]
            msg = f"`!!{tag}` on {_KIND[type(node)]}: expected {_TAG_NOUN[tag]}"
            raise InputError([Issue(self.loaded.file, _dotted(path), msg, line=line, hint="remove the tag")])
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path, depth)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, (*path, i), depth + 1) for i, item in enumerate(node.value)]
        return self._scalar(node, path)

    def _scalar(self, node: yaml.ScalarNode, path: Path_) -> Any:
        """A plain value; a tag with a value it cannot take (`!!int abc`) or an absurd number is an InputError."""
        line = node.start_mark.line + 1
        try:
            value = self.constructor.construct_object(node, deep=True)
        except (yaml.YAMLError, ValueError, KeyError, TypeError, OverflowError, AttributeError, IndexError) as exc:
            tag = node.tag.rsplit(":", 1)[-1]
            if tag == "timestamp" and _looks_like_a_date(node.value):
                return node.value  # 2027-13-01 looks like a date and is none: the schema says so with the rest
            if "digits" in str(exc):  # Python refuses int() of more than 4,300 digits
                msg = f"the integer `{shown(node.value)}` is far too large"
                self.problems.append(Issue(self.loaded.file, _dotted(path), msg, line=line))
                return None
            msg = f"`{shown(node.value)}` is not {_TAG_NOUN.get(tag, 'a valid value')} (`!!{tag}`)"
            hint = f"write {_TAG_NOUN.get(tag, 'a valid value')}, or drop any `!!{tag}` tag and quote text"
            self.problems.append(Issue(self.loaded.file, _dotted(path), msg, line=line, hint=hint))
            return None
        if isinstance(value, float) and not math.isfinite(value):
            msg = f"`{shown(node.value)}` is not a finite number"
            hint = "write a number, e.g. 1e6; leave the key out for no limit"
            self.problems.append(Issue(self.loaded.file, _dotted(path), msg, line=line, hint=hint))
            return None
        if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > MAX_INT_BITS:
            msg = f"the integer `{shown(node.value)}` is beyond the range of numbers the planner uses (about 1e308)"
            self.problems.append(Issue(self.loaded.file, _dotted(path), msg, line=line))
            return None
        return value

    def _mapping(self, node: yaml.MappingNode, path: Path_, depth: int) -> dict[Any, Any]:
        try:
            self.constructor.flatten_mapping(node)
        except yaml.YAMLError as exc:  # `<<:` onto a value that is not a mapping (or a list of mappings)
            problem = getattr(exc, "problem", None) or "invalid merge key"
            mark = getattr(exc, "problem_mark", None)
            line = mark.line + 1 if mark else node.start_mark.line + 1
            msg = f"merge key `<<`: {problem}"
            hint = "`<<: *anchor` merges a mapping; write the keys out instead"
            raise InputError([Issue(self.loaded.file, _dotted(path), msg, line=line, hint=hint)]) from None
        out: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                msg = "mapping keys must be plain text"
                raise InputError([Issue(self.loaded.file, _dotted(path), msg, line=key_node.start_mark.line + 1)])
            before = len(self.problems)
            key = self._scalar(key_node, path)
            if key is None and len(self.problems) > before:  # a key its tag refuses: said once, the rest read on
                continue
            if not isinstance(key, str | int | float | bool) or key is None:
                msg = "mapping keys must be plain text"
                raise InputError([Issue(self.loaded.file, _dotted(path), msg, line=key_node.start_mark.line + 1)])
            key = str(key)
            if key in out:  # the first is kept and the rest of the file read on, for its other problems
                msg = f"duplicate key `{key}` (first at line {self.loaded.lines[(*path, key)]})"
                line = key_node.start_mark.line + 1
                self.problems.append(Issue(self.loaded.file, _dotted((*path, key)), msg, line=line))
                continue
            self.loaded.lines[(*path, key)] = key_node.start_mark.line + 1
            out[key] = self.build(value_node, (*path, key), depth + 1)
        return out


def _dotted(path: Path_) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


dotted_path = _dotted

"""The YAML loader: lines for every value, and hostile input refused with a clear message."""

from __future__ import annotations

import pytest

from planner.errors import InputError
from planner.yamlio import MAX_FILE_BYTES, load_yaml, parse_yaml


def test_lines_point_at_keys_and_list_items():
    loaded = parse_yaml("a: 1\nb:\n  - x: 2\n  - y: 3\n")
    assert loaded.line_of(("a",)) == 1
    assert loaded.line_of(("b",)) == 2
    assert loaded.line_of(("b", 1, "y")) == 4
    # a missing child falls back to its nearest parent
    assert loaded.line_of(("b", 1, "missing")) == 4


def test_scientific_notation_without_dot_is_a_float():
    assert parse_yaml("tokens: 2e12\nsmall: 1.5e-3\n").data == {"tokens": 2e12, "small": 1.5e-3}


def test_duplicate_key_is_refused_with_both_lines():
    with pytest.raises(InputError) as info:
        parse_yaml("sites:\n  a: 1\n  a: 2\n", "c.yaml")
    issue = info.value.issues[0]
    assert issue.line == 3
    assert "duplicate key `a`" in issue.message and "line 2" in issue.message


def test_syntax_error_has_a_line():
    with pytest.raises(InputError) as info:
        parse_yaml("a: 1\nb: [1, 2\nc: 3\n", "c.yaml")
    assert info.value.issues[0].line is not None
    assert "YAML syntax error" in info.value.issues[0].message


@pytest.mark.parametrize(
    ("text", "line", "words", "hint"),
    [
        # libyaml gives up at line 5 (end of stream); the mistake is the quote opened on line 2
        ("a:\n  name: 'foo\n  x: 1\n  y: 2\n", 2, "quoted text opened on this line is not closed", "quote"),
        # libyaml reports line 3; the key without a colon is on line 2
        ("a:\n  rate 0.1\n  years: 3\n", 2, "key without ':'", "key: value"),
        ("a:\n  b: 1\n   c: 2\n", 3, "indented deeper", "same column"),
        ("a:\n  b: 1\n\tc: 2\n", 3, "tab", "spaces, not tabs"),
        ("hardware: [a, b\nsites:\n  x: 1\n", 1, "not closed with ']'", "close it"),
        ("a:\n  name: Phase 1: pilot\n", 2, "holds ': '", "quotes"),
    ],
)
def test_syntax_error_points_at_the_mistake_and_says_what_to_do(text, line, words, hint):
    with pytest.raises(InputError) as info:
        parse_yaml(text, "c.yaml")
    issue = info.value.issues[0]
    assert (issue.line, words in issue.message, hint in (issue.hint or "")) == (line, True, True), issue.format()


def test_alias_bomb_is_refused():
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 9):
        refs = ", ".join([f"*a{i - 1}"] * 10)
        lines.append(f"a{i}: &a{i} [{refs}]")
    with pytest.raises(InputError, match="alias bomb"):
        parse_yaml("\n".join(lines))


def test_deep_nesting_is_refused():
    text = "a: " + "[" * 200 + "]" * 200
    with pytest.raises(InputError, match="nesting"):
        parse_yaml(text)


def test_python_objects_are_not_constructed():
    with pytest.raises(InputError):
        parse_yaml("a: !!python/object/apply:os.system ['echo hi']\n")


def test_non_utf8_bytes(tmp_path):
    path = tmp_path / "latin1.yaml"
    path.write_bytes("name: Malásia\n".encode("latin-1"))
    with pytest.raises(InputError) as info:
        load_yaml(path)
    assert "UTF-8" in info.value.issues[0].message and info.value.issues[0].line == 1


def test_huge_file_is_refused_without_reading_it_all(tmp_path):
    path = tmp_path / "big.yaml"
    path.write_bytes(b"#" * (MAX_FILE_BYTES + 10))
    with pytest.raises(InputError, match="larger than"):
        load_yaml(path)


def test_missing_file(tmp_path):
    with pytest.raises(InputError, match="cannot read"):
        load_yaml(tmp_path / "nope.yaml")

"""The on-disk parse cache of catalog files (planner/catalog.py): never stale, never unsafe, same catalog."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from planner import catalog as catalog_module
from planner.catalog import load_catalog


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    directory = tmp_path / "cache"
    monkeypatch.setenv("PLANNER_CACHE_DIR", str(directory))
    catalog_module._PARSE_MEMO.clear()  # the in-process memo would hide the disk cache
    return directory


def _parsed(file: Path) -> object:
    catalog_module._PARSE_MEMO.clear()
    loaded, _ = catalog_module._load_catalog_yaml(file)
    return loaded.data


def test_cached_catalog_equals_the_parsed_one(cache_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cold = load_catalog()  # parses every file and fills the cache
    assert len(list(cache_dir.glob("*.pickle"))) >= 5
    catalog_module._PARSE_MEMO.clear()
    warm = load_catalog()  # reads every file from the cache
    monkeypatch.setenv("PLANNER_CACHE_DIR", "off")
    catalog_module._PARSE_MEMO.clear()
    uncached = load_catalog()
    for section in ("hardware", "efficiency_profiles", "models", "references"):
        assert warm.section(section) == uncached.section(section) == cold.section(section)
    assert warm.origin == uncached.origin and warm.file_hashes == uncached.file_hashes


def test_an_edited_file_is_parsed_again(cache_dir: Path, tmp_path: Path) -> None:
    file = tmp_path / "entry.yaml"
    file.write_text("value: 1\nwhen: 2025-09-09\n")
    first = _parsed(file)
    file.write_text("value: 2\nwhen: 2025-09-09\n")  # same size, same second: only the bytes differ
    assert _parsed(file) == {"value": 2, "when": first["when"]}  # type: ignore[index]
    assert str(first["when"]) == "2025-09-09"  # type: ignore[index]  # dates survive the cache


def test_a_damaged_or_hostile_cache_file_is_ignored(cache_dir: Path, tmp_path: Path) -> None:
    file = tmp_path / "entry.yaml"
    file.write_text("value: 3\n")
    _parsed(file)
    (cached,) = cache_dir.glob("*.pickle")
    cached.write_bytes(b"not a pickle")
    assert _parsed(file) == {"value": 3}
    hostile = pickle.dumps({"sha256": cached.stem[-64:], "data": Path("/etc"), "lines": {}})
    cached.write_bytes(hostile)  # any class but plain data and dates is refused, and the file parsed again
    assert _parsed(file) == {"value": 3}


def test_cache_off_writes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PLANNER_CACHE_DIR", "off")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    file = tmp_path / "entry.yaml"
    file.write_text("value: 4\n")
    assert _parsed(file) == {"value": 4}
    assert not (tmp_path / "xdg").exists()

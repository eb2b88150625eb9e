"""Property tests: whatever country.yaml or catalog file a user writes, `planner` answers with an exit code and a
message, never a traceback.

Documents start from the tiny valid country of conftest.py (one site, one year, one serving workload on one or two
hardware options, so each solve takes well under a second) and are mutated: values replaced by other types,
keys dropped or added, numbers pushed out of range, ids misspelt, random unicode, or the file replaced by random
YAML text or bytes. The CI run keeps `max_examples` modest; a longer hunt:

    PLANNER_HYPOTHESIS_EXAMPLES=2000 python -m pytest tests/test_property_inputs.py -p no:randomly
"""

from __future__ import annotations

import copy
import os
from pathlib import Path
from typing import Any

import yaml
from conftest import ROOT, tiny_country
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from planner.cli import app

EXAMPLES = int(os.environ.get("PLANNER_HYPOTHESIS_EXAMPLES", "40"))
SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much],
    derandomize=os.environ.get("PLANNER_HYPOTHESIS_RANDOM") is None,
)
ALLOWED_EXITS = {0, 1, 3}

# ---------------------------------------------------------------------------------------------- strategies

numbers = st.one_of(
    st.integers(min_value=-(10**20), max_value=10**20),
    st.sampled_from([0, -1, 1, 10**400, -(10**400), 2**63, 10**30, 1e-300, 1e300, 1e308, -0.0, 0.5, 1.0000001]),
    st.floats(allow_nan=False, allow_infinity=False),
)
scalars = st.one_of(
    numbers,
    st.text(max_size=20),
    st.booleans(),
    st.none(),
    st.sampled_from(["", "hgx_h100", "llama_3_1_8b", "serving", "MY", "ZZ", "2027", "∞", "Ünïcødé", "🤖", "\u202e"]),
)
values = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=3), st.dictionaries(st.text(max_size=8), children, max_size=3)
    ),
    max_leaves=6,
)
keys = st.one_of(st.text(max_size=12), st.sampled_from(["kind", "id", "hardware", "users", "extra", "sites", "__"]))


def _paths(doc: Any, prefix: tuple = ()) -> list[tuple]:
    """Every path to a value in a nested document."""
    out = [prefix] if prefix else []
    if isinstance(doc, dict):
        for key, value in doc.items():
            out.extend(_paths(value, (*prefix, key)))
    elif isinstance(doc, list):
        for i, value in enumerate(doc):
            out.extend(_paths(value, (*prefix, i)))
    return out


def _parent(doc: Any, path: tuple) -> Any:
    for part in path[:-1]:
        doc = doc[part]
    return doc


@st.composite
def mutated(draw: st.DrawFn, base: dict[str, Any]) -> dict[str, Any]:
    """`base` with one to four random edits."""
    doc = copy.deepcopy(base)
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        paths = _paths(doc)
        if not paths:
            break
        path = draw(st.sampled_from(paths))
        parent = _parent(doc, path)
        action = draw(st.sampled_from(["replace", "drop", "add", "scale", "rename"]))
        if action == "replace":
            parent[path[-1]] = draw(values)
        elif action == "drop":
            del parent[path[-1]]
        elif action == "add" and isinstance(parent, dict):
            parent[draw(keys)] = draw(values)
        elif action == "scale" and isinstance(parent[path[-1]], int | float) and not isinstance(parent[path[-1]], bool):
            factor = draw(st.sampled_from([0, -1, 1e-300, 1e-12, 1e-3, 10, 1e6, 1e12, 1e30, 1e300]))
            parent[path[-1]] = parent[path[-1]] * factor
        elif action == "rename" and isinstance(parent, dict):
            new_key = draw(keys)
            parent[new_key] = parent.pop(path[-1])
    return doc


def countries() -> st.SearchStrategy[dict[str, Any]]:
    """Valid tiny countries (one or two hardware options, sometimes a site power limit) and their mutations."""
    base = st.builds(
        lambda hw, power: tiny_country(
            hardware=hw, sites={"main_dc": {**tiny_country()["sites"]["main_dc"], "power_kw": power}}
        ),
        st.sampled_from([["hgx_h100"], ["mi300x_8x"], ["hgx_h100", "mi300x_8x"], ["atlas_800i_a2"]]),
        st.sampled_from([2000, 50, 5, 1e9]),
    )
    return base.flatmap(lambda doc: st.one_of(st.just(doc), mutated(doc)))


# ---------------------------------------------------------------------------------------------- the check


def run_cli(*args: str):
    """Run the CLI in-process, catching everything, and check it ended the way a user should see."""
    result = CliRunner().invoke(app, [str(a) for a in args], catch_exceptions=True)
    exc = result.exception
    assert exc is None or isinstance(exc, SystemExit), f"unhandled {type(exc).__name__}: {exc}\n{result.output}"
    assert result.exit_code in ALLOWED_EXITS, f"exit {result.exit_code}\n{result.output}"
    assert "Traceback" not in result.output
    assert result.output.strip(), "no message at all"
    if result.exit_code == 1:
        assert "error" in result.output or "problem" in result.output, result.output
    return result


def _dump(doc: Any) -> str:
    return yaml.safe_dump(doc, sort_keys=False, allow_unicode=True)


@SETTINGS
@given(doc=countries(), formats=st.sampled_from(["json", "json,md,html"]))
def test_any_country_document_gives_an_exit_code_and_a_message(tmp_path_factory, doc, formats):
    work = tmp_path_factory.mktemp("prop")
    country = work / "country.yaml"
    country.write_text(_dump(doc), encoding="utf-8")
    result = run_cli("size", country, "--out", work / "out", "--format", formats)
    if result.exit_code == 1:
        assert not (work / "out" / "plan.json").exists(), "an input error must not write a plan"
    else:
        assert (work / "out" / "plan.json").exists()


@SETTINGS
@given(text=st.one_of(st.text(max_size=300), st.text(alphabet="{}[]:-,&*!|>'\"#% \n\tab1", max_size=200)))
def test_random_yaml_text_is_an_input_error(tmp_path_factory, text):
    work = tmp_path_factory.mktemp("text")
    country = work / "country.yaml"
    country.write_text(text, encoding="utf-8", errors="surrogatepass")
    result = run_cli("validate", country)
    assert result.exit_code == 1


@SETTINGS
@given(data=st.binary(max_size=300))
def test_random_bytes_are_an_input_error(tmp_path_factory, data):
    work = tmp_path_factory.mktemp("bytes")
    country = work / "country.yaml"
    country.write_bytes(data)
    result = run_cli("validate", country)
    assert result.exit_code == 1


def _hardware_entry(hw_id: str) -> dict[str, Any]:
    doc = yaml.safe_load((ROOT / "catalogs" / "hardware" / "nvidia.yaml").read_text(encoding="utf-8"))
    return next(h for h in doc["hardware"] if h["id"] == hw_id)


@SETTINGS
@given(entry=mutated(_hardware_entry("hgx_h100")), formats=st.sampled_from(["json", "json,md"]))
def test_any_user_catalog_entry_gives_an_exit_code_and_a_message(tmp_path_factory, entry, formats):
    work = tmp_path_factory.mktemp("cat")
    (work / "catalog").mkdir()
    (work / "catalog" / "mine.yaml").write_text(_dump({"hardware": [entry]}), encoding="utf-8")
    country = work / "country.yaml"
    country.write_text(_dump(tiny_country(hardware=["hgx_h100"])), encoding="utf-8")
    run_cli("size", country, "--out", work / "out", "--catalog", work / "catalog", "--format", formats)


def test_the_unmutated_documents_solve(tmp_path: Path):
    """The starting points themselves are valid, so the mutations test something."""
    country = tmp_path / "country.yaml"
    country.write_text(_dump(tiny_country()), encoding="utf-8")
    assert run_cli("size", country, "--out", tmp_path / "out").exit_code == 0
    (tmp_path / "catalog").mkdir()
    (tmp_path / "catalog" / "mine.yaml").write_text(_dump({"hardware": [_hardware_entry("hgx_h100")]}))
    result = run_cli("size", country, "--out", tmp_path / "out2", "--catalog", tmp_path / "catalog")
    assert result.exit_code == 0


@SETTINGS
@given(
    formats=st.one_of(st.text(max_size=15), st.sampled_from(["json", "md,html", "JSON, md", ",", "pdf,exe"])),
    time_limit=st.one_of(st.none(), st.sampled_from(["0", "-1", "nan", "inf", "1e-9", "abc", "30"])),
    solver=st.one_of(st.none(), st.sampled_from(["highs", "cbc", "gurobi", ""])),
)
def test_any_command_line_options_give_an_exit_code_and_a_message(tmp_path_factory, formats, time_limit, solver):
    work = tmp_path_factory.mktemp("opts")
    country = work / "country.yaml"
    country.write_text(_dump(tiny_country(hardware=["mi300x_8x"])), encoding="utf-8")
    args = ["size", str(country), "--out", str(work / "out"), "--format", formats]
    args += ["--time-limit", time_limit] if time_limit is not None else []
    args += ["--solver", solver] if solver is not None else []
    result = CliRunner().invoke(app, args, catch_exceptions=True)
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert result.exit_code in {0, 1, 2, 3, 4}, result.output  # 2: a usage error Click reports (e.g. a non-number)
    assert "Traceback" not in result.output and result.output.strip()

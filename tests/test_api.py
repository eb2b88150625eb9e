"""The Python API: `import planner` exposes it, the README's example runs, and it agrees with the CLI."""

from __future__ import annotations

import json
import re
import shutil

import pytest
from conftest import EXAMPLES, ROOT, tiny_country

import planner


def test_import_planner_exposes_the_api():
    for name in ("load", "size", "compare", "sweep", "Plan", "Spec", "InputError", "__version__"):
        assert getattr(planner, name) is not None
    with pytest.raises(AttributeError):
        planner.no_such_thing  # noqa: B018


def test_readme_example_runs(tmp_path, monkeypatch):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Python API", 1)[1]
    code = re.search(r"```python\n(.*?)```", section, re.S).group(1)
    shutil.copytree(EXAMPLES, tmp_path / "examples")
    monkeypatch.chdir(tmp_path)
    scope: dict = {}
    exec(compile(code, "README.md", "exec"), scope)  # noqa: S102 - the README's own example
    plan, again = scope["plan"], scope["again"]
    assert plan.feasible and again.to_json() == plan.to_json()
    assert (tmp_path / "plan_out" / "report.html").exists()
    assert scope["result"]["ranking_by_npv"]


def test_api_and_cli_give_the_same_plan(tmp_path, cli):
    result = cli("size", EXAMPLES / "kazakhstan.yaml", "--out", tmp_path, "--format", "json", "-q")
    assert result.exit_code == 0
    from_cli = json.loads((tmp_path / "plan.json").read_text())
    from_api = planner.size(planner.load(EXAMPLES / "kazakhstan.yaml")).as_dict()
    for key in ("totals", "allocations", "workloads", "costs_by_year"):
        assert from_api[key] == from_cli[key], key


def test_a_dict_is_a_country(tmp_path):
    plan = planner.size(planner.load(tiny_country(), set={"planning.discount_rate": 0.05}))
    assert plan.feasible and plan.planning["discount_rate"] == 0.05
    tables = plan.tables(pandas=False)
    assert sum(r["capex_usd"] for r in tables["allocations"]) == pytest.approx(plan.totals.capex_usd)


def test_api_errors_name_the_dict():
    doc = tiny_country()
    doc["sites"]["main_dc"]["power_kw"] = "lots"
    with pytest.raises(planner.InputError) as info:
        planner.load(doc)
    assert "<dict>" in info.value.format() and "power_kw" in info.value.format()


def test_api_names_are_not_shadowed_by_submodules():
    """Importing every submodule leaves `planner.compare` and `planner.sweep` the API functions."""
    import importlib
    import pkgutil

    for info in pkgutil.walk_packages(planner.__path__, "planner."):
        if not info.name.endswith("__main__"):  # running it would run the CLI
            importlib.import_module(info.name)
    for name in ("load", "size", "compare", "sweep"):
        assert callable(getattr(planner, name)), name
        assert not isinstance(getattr(planner, name), type(planner)), name

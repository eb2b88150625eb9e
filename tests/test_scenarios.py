"""Overrides and scenarios: precedence, conflicts, provenance, built-ins."""

from __future__ import annotations

import pytest

from planner.errors import InputError
from planner.pipeline import load_spec
from planner.scenarios import parse_set, resolve
from tests.conftest import tiny_country, write_yaml


def _doc():
    doc = tiny_country()
    doc["budget"] = {"capex_usd": 10e6}
    doc["overrides"] = {
        "lean": {"budget.capex_usd": 5e6, "sites.main_dc.power_kw": 900},
        "big_sites": {"sites.main_dc.power_kw": 5000},
        "frugal": {"budget.capex_usd": 2e6},
    }
    doc["scenarios"] = {
        "lean_then_big": ["lean", "big_sites"],  # conflict: both set sites.main_dc.power_kw
        "austere": ["frugal"],
        "nested": ["austere", "nvidia_only"],
    }
    return doc


def test_scenario_then_set_precedence():
    doc, applied = resolve(_doc(), "lean", ["budget.capex_usd=7e6"])
    assert doc["budget"]["capex_usd"] == 7e6  # --set wins over the scenario
    assert doc["sites"]["main_dc"]["power_kw"] == 900  # the scenario wins over the base file
    assert [(a.key, a.old, a.new, a.source) for a in applied] == [
        ("budget.capex_usd", 10e6, 5e6, "lean"),
        ("sites.main_dc.power_kw", 2000, 900, "lean"),
        ("budget.capex_usd", 5e6, 7e6, "--set"),
    ]


def test_base_is_untouched_by_resolution():
    base = _doc()
    resolve(base, "lean", [])
    assert base["budget"]["capex_usd"] == 10e6


def test_two_overrides_setting_one_key_in_a_scenario_is_an_error():
    with pytest.raises(InputError, match="`lean` and `big_sites` both set `sites.main_dc.power_kw`"):
        resolve(_doc(), "lean_then_big", [])


def test_nested_scenarios_and_builtins():
    doc, applied = resolve(_doc(), "nested", [])
    assert doc["budget"]["capex_usd"] == 2e6
    assert doc["policy"]["allowed_vendors"] == ["nvidia"]
    assert [a.source for a in applied] == ["frugal", "nvidia_only", "nvidia_only"]


def test_country_refines_a_builtin_of_the_same_name():
    doc = _doc()
    doc["overrides"]["nvidia_only"] = {"policy.allowed_vendors": ["nvidia"], "budget.capex_usd": 3e6}
    resolved, _ = resolve(doc, "nvidia_only", [])
    assert resolved["budget"]["capex_usd"] == 3e6 and resolved["policy"]["allowed_vendors"] == ["nvidia"]


def test_unknown_scenario_suggests_close_name():
    with pytest.raises(InputError) as info:
        resolve(_doc(), "nvidia_olny", [])
    assert "did you mean `nvidia_only`" in info.value.format()


def test_scenario_cycle_is_an_error():
    doc = _doc()
    doc["scenarios"]["loop_a"] = ["loop_b"]
    doc["scenarios"]["loop_b"] = ["loop_a"]
    with pytest.raises(InputError, match="includes itself"):
        resolve(doc, "loop_a", [])


def test_set_parsing_and_errors():
    assert parse_set("budget.capex_usd=90e6") == ("budget.capex_usd", 90e6)
    assert parse_set("policy.allowed_vendors=[huawei, amd]") == ("policy.allowed_vendors", ["huawei", "amd"])
    with pytest.raises(InputError, match="KEY=VALUE"):
        parse_set("budget.capex_usd")
    with pytest.raises(InputError, match="set twice"):
        resolve(_doc(), None, ["budget.capex_usd=1", "budget.capex_usd=2"])


def test_setting_through_a_value_is_an_error():
    with pytest.raises(InputError, match="not a mapping"):
        resolve(_doc(), None, ["budget.capex_usd.extra=1"])


def test_applied_overrides_reach_plan_json(cli, tmp_path):
    import json

    path = write_yaml(tmp_path / "c.yaml", _doc())
    result = cli(
        "size",
        path,
        "--scenario",
        "austere",
        "--set",
        "sites.main_dc.power_kw=3000",
        "--out",
        tmp_path / "o",
        "--format",
        "json",
        "-q",
    )
    assert result.exit_code in (0, 3), result.output
    plan = json.loads((tmp_path / "o" / "plan.json").read_text())
    assert plan["scenario"] == "austere"
    assert {(a["key"], a["source"]) for a in plan["applied_overrides"]} == {
        ("budget.capex_usd", "frugal"),
        ("sites.main_dc.power_kw", "--set"),
    }


def test_an_invalid_override_value_is_reported_with_the_field(cli, tmp_path, catalog):
    path = write_yaml(tmp_path / "c.yaml", _doc())
    with pytest.raises(InputError) as info:
        load_spec(path, catalog, sets=["sites.main_dc.power_kw=-3"])
    assert "sites.main_dc.power_kw" in info.value.format()


def test_problems_in_a_scenario_file_name_that_file(cli, tmp_path):
    country = write_yaml(tmp_path / "c.yaml", tiny_country())
    scen = write_yaml(tmp_path / "what_if.yaml", {"overrides": {"a": {"budget.capex": 1}}, "scenarios": {"s": ["a"]}})
    result = cli("validate", country, "--scenarios", scen)
    assert result.exit_code == 1
    assert f"{scen} (override `a`)" in result.output and "unknown key `capex`" in result.output


@pytest.mark.parametrize(
    ("definitions", "expected"),
    [
        ({"overrides": [1, 2]}, "must be a mapping of names"),
        ({"scenarios": 7}, "must be a mapping of names"),
        ({"overrides": {"a": 5}}, "override `a` must map dotted keys"),
        ({"overrides": {"a": ["x"]}}, "override `a` must map dotted keys"),
        ({"scenarios": {"s": "a"}}, "scenario `s` must be a list"),
    ],
)
def test_malformed_definitions_are_input_errors(cli, tmp_path, definitions, expected):
    country = write_yaml(tmp_path / "c.yaml", tiny_country())
    in_file = write_yaml(tmp_path / "defs.yaml", definitions)
    result = cli("validate", country, "--scenarios", in_file, "--scenario", "nvidia_only")
    assert result.exit_code == 1 and expected in result.output
    inline = write_yaml(tmp_path / "inline.yaml", {**tiny_country(), **definitions})
    result = cli("validate", inline, "--scenario", "a")
    assert result.exit_code == 1 and "Traceback" not in result.output


def test_a_sensitivity_change_of_a_key_the_user_set_replaces_it(catalog, tmp_path):
    """New-user trial: `planner size --set workloads.chat.users=3e6` solved for minutes, then the proposal's users
    +20 % sensitivity point set the key a second time and the run failed with 'set twice on the command line'.
    The proposal's sensitivity solves and what-if variants layer their --set over the user's."""
    from planner.pipeline import size
    from planner.proposal import sensitivity_changes
    from planner.scenarios import layered_sets

    path = write_yaml(tmp_path / "c.yaml", tiny_country())
    loaded = load_spec(path, catalog, sets=["workloads.chat.users=300000"])
    plan = size(loaded, catalog)
    users = [c for c in sensitivity_changes(loaded, plan) if any(s.startswith("workloads.chat.users=") for s in c.sets)]
    assert users, "the sensitivity analysis varies the users"
    sets = layered_sets(["workloads.chat.users=300000"], users[0].sets, ["planning.objective=max_served"])
    moved = load_spec(path, catalog, sets=sets)
    assert moved.spec.workloads["chat"].users != 300000
    assert moved.spec.workloads["chat"].users == pytest.approx(300000, rel=0.5)
    assert layered_sets(["a=1", "b=2"], ["a=3"]) == ["b=2", "a=3"]
    with pytest.raises(InputError, match="set twice"):  # the user's own two --set of one key stay an error
        load_spec(path, catalog, sets=["workloads.chat.users=1", "workloads.chat.users=2"])

"""A serving workload may allow hardware without its precision's native units to run at the nearest native one;
the plan and the report then say so. Without it, such hardware is left out and the plan says how to allow it."""

from __future__ import annotations

import pytest
from conftest import tiny_country, write_yaml

from planner.perf.serving import serving_estimate
from planner.pipeline import load_spec, size

ASCEND = "atlas_800i_a2"


def _doc(allow: bool | None) -> dict:
    doc = tiny_country(hardware=[ASCEND])
    doc["workloads"]["chat"]["precision"] = "fp8"
    if allow is not None:
        doc["workloads"]["chat"]["allow_precision_substitution"] = allow
    return doc


def test_fp8_on_ascend_is_left_out_and_the_plan_says_how_to_allow_it(catalog, tmp_path) -> None:
    plan = size(load_spec(write_yaml(tmp_path / "c.yaml", _doc(None)), catalog), catalog)
    assert plan.status == "infeasible"
    text = plan.model_dump_json()
    assert "no native fp8" in text and "allow_precision_substitution" in text


def test_allowed_substitution_runs_at_int8_and_is_recorded(catalog, tmp_path) -> None:
    plan = size(load_spec(write_yaml(tmp_path / "c.yaml", _doc(True)), catalog), catalog)
    assert plan.status == "optimal"
    point = next(w for w in plan.workloads if w.name == "chat").per_unit[ASCEND]
    assert point.precision_substitution and "fp8 -> int8" in point.precision_substitution
    # the same rate as asking for int8 weights, activations and KV cache outright (an independent route)
    hw = catalog.hardware[ASCEND]
    direct = serving_estimate(
        catalog.models["llama_3_1_8b"], hw, catalog.efficiency_profiles[hw.efficiency_profile], 500, 300,
        tpot_ms=50, precision="weights=int8,activations=int8,kv=int8", scenario="server", percentile=95.0,
    )
    assert point.output_tokens_per_s == pytest.approx(direct.output_tokens_per_s_per_unit, rel=1e-9)
    written = plan.report(tmp_path / "out", ["md"])
    report = next(p for p in written if p.suffix == ".md").read_text(encoding="utf-8")
    assert "serves at another one" in report and "fp8 -> int8" in report


def test_the_estimate_says_when_a_substitution_would_make_it_feasible(catalog) -> None:
    hw = catalog.hardware[ASCEND]
    profile = catalog.efficiency_profiles[hw.efficiency_profile]
    model = catalog.models["llama_3_1_8b"]
    lacking = serving_estimate(model, hw, profile, 500, 300, precision="fp8")
    native = serving_estimate(model, hw, profile, 500, 300, precision="int8")
    assert not lacking.feasible and lacking.unsupported_precision
    assert native.feasible and not native.unsupported_precision

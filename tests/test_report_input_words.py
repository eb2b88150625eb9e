"""The proposal's "requirements as stated" says what the country file gave, including what the plan changed."""

from __future__ import annotations

from planner.plan import Names
from planner.report.proposal import _decision_words, workload_inputs


def test_a_decision_date_that_has_passed_says_so() -> None:
    plan = {"planning": {"decision_date": "2026-07-01"}}
    words = _decision_words({"decision_date": "2026-03-01"}, plan)
    assert "2026-07-01" in words and "2026-03-01" in words and "passed" in words
    assert _decision_words({"decision_date": "2026-09-01"}, {"planning": {"decision_date": "2026-09-01"}}) == (
        "2026-09-01"
    )
    assert _decision_words({}, plan) == "2026-07-01"


def test_the_answer_spread_and_a_substitution_allowance_are_stated() -> None:
    chat = {
        "kind": "serving",
        "model": "llama_3_1_8b",
        "users": 1e6,
        "requests_per_user_per_day": 5,
        "input_tokens_per_request": 500,
        "output_tokens_per_request": 300,
        "output_tokens_cv": 1.0,
        "allow_precision_substitution": True,
    }
    facts = workload_inputs({"workloads": {"chat": chat}}, Names())[0]["facts"]
    assert "answer lengths spread (standard deviation 1× the mean)" in facts
    assert "may serve at another one" in facts
    plain = {k: v for k, v in chat.items() if k not in ("output_tokens_cv", "allow_precision_substitution")}
    facts = workload_inputs({"workloads": {"chat": plain}}, Names())[0]["facts"]
    assert "spread" not in facts and "another one" not in facts


def test_emissions_unknown_are_not_zero(catalog, tmp_path) -> None:
    """Testland is not in the country catalog and its site gives no grid carbon intensity: the plan's emissions
    are null and the report says why, instead of 0 t CO2e; with an intensity they are counted."""
    from conftest import tiny_country, write_yaml

    from planner.pipeline import load_spec, size

    doc = tiny_country(hardware=["hgx_h100"])
    plan = size(load_spec(write_yaml(tmp_path / "a.yaml", doc), catalog), catalog)
    assert plan.totals.emissions_tco2_per_year is None
    text = next(p for p in plan.report(tmp_path / "a", ["md"]) if p.suffix == ".md").read_text(encoding="utf-8")
    assert "Emissions not counted" in text
    doc["sites"]["main_dc"]["grid_gco2_per_kwh"] = 500
    plan = size(load_spec(write_yaml(tmp_path / "b.yaml", doc), catalog), catalog)
    assert plan.totals.emissions_tco2_per_year > 0


def test_the_pipeline_caveat_appears_exactly_when_a_used_layout_pipelines(catalog, tmp_path) -> None:
    """A plan leaning on pp > 1 layouts says the model charges no pipeline bubbles; one without says nothing."""
    import re

    from conftest import tiny_country, write_yaml

    from planner.pipeline import load_spec, size
    from planner.report.workloads import serving

    for model, hw in (("llama_3_1_70b", "hgx_h100"), ("llama_3_1_8b", "hgx_h100")):
        doc = tiny_country(hardware=[hw])
        doc["workloads"]["chat"].update(model=model, precision="fp8")
        plan = size(load_spec(write_yaml(tmp_path / f"{model}.yaml", doc), catalog), catalog)
        data = plan.model_dump(mode="json")
        used = {p["hardware"] for w in data["workloads"] for p in w.get("placements") or []}
        piped = any(
            re.search(r"pp=([2-9]|\d\d)", w["per_unit"][h]["layout"] or "")
            for w in data["workloads"]
            for h in used
            if h in w.get("per_unit", {})
        )
        notes = " ".join(n for row in serving(data, Names()) for n in row["notes"])
        assert ("without pipeline bubbles" in notes) == piped, (model, notes)


def test_validate_says_what_a_country_missing_from_the_catalog_lacks(tmp_path) -> None:
    from conftest import tiny_country, write_yaml
    from typer.testing import CliRunner

    from planner.cli import app

    runner = CliRunner()
    missing = runner.invoke(app, ["validate", str(write_yaml(tmp_path / "tl.yaml", tiny_country()))])
    assert missing.exit_code == 0 and "TL is not in the country catalog" in missing.output
    doc = tiny_country()
    doc["country"] = {"name": "Malaysia", "iso2": "MY"}
    doc["sites"]["main_dc"]["jurisdiction"] = "MY"
    known = runner.invoke(app, ["validate", str(write_yaml(tmp_path / "my.yaml", doc))])
    assert known.exit_code == 0 and "not in the country catalog" not in known.output

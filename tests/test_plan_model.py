"""The typed plan: plan.json is its JSON, a saved plan re-renders from the catalog entries it carries, and a
damaged file is refused with a message, not a traceback."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
import yaml
from conftest import EXAMPLES, ROOT, tiny_country, write_yaml

from planner.errors import InputError
from planner.plan import SCHEMA_VERSION, Plan


@pytest.fixture(scope="module")
def saved_plan(tmp_path_factory) -> Path:
    from typer.testing import CliRunner

    from planner.cli import app

    out = tmp_path_factory.mktemp("saved")
    result = CliRunner().invoke(app, ["size", str(EXAMPLES / "kazakhstan.yaml"), "--out", str(out), "-q"])
    assert result.exit_code == 0, result.output
    return out / "plan.json"


def test_plan_json_is_the_typed_plan(saved_plan):
    text = saved_plan.read_text(encoding="utf-8")
    plan = Plan.parse(text)
    assert plan.schema_version == SCHEMA_VERSION
    assert plan.to_json() == text
    # the plan carries every catalog entry it used, with the references they cite
    used = {a.hardware for a in plan.allocations}
    assert used <= {h.id for h in plan.catalog.hardware}
    for hw in plan.catalog.hardware:
        assert hw.source.ref in plan.catalog.references
    assert {w.model for w in plan.workloads} <= {m.id for m in plan.catalog.models}


def test_schema_plan_is_published(cli):
    result = cli("schema", "plan")
    assert result.exit_code == 0
    schema = json.loads(result.output)
    assert {"status", "totals", "allocations", "catalog", "schema_version"} <= set(schema["properties"])


def _damaged(saved: Path, tmp_path: Path, change) -> Path:
    doc = json.loads(saved.read_text())
    change(doc)
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(doc) if not isinstance(doc, str) else doc)
    return path


def _set(path: tuple, value):
    def change(doc):
        target = doc
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value

    return change


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (_set(("totals", "capex_usd"), "lots"), "totals.capex_usd"),
        (_set(("years",), [2028, 10**30]), "years.1"),
        (_set(("allocations", 0, "units"), -3), "allocations.0.units"),
        (_set(("status",), "great"), "status"),
        (_set(("totals", "surprise"), 1), "totals.surprise"),
        (_set(("schema_version",), "1"), "schema version"),
        (_set(("allocations", 0, "units"), 999), "was changed after"),  # valid, but not what the planner wrote
        (_set(("totals", "capex_usd"), 1.0), "was changed after"),
    ],
)
def test_a_damaged_plan_is_refused_with_its_field(saved_plan, tmp_path, cli, change, expected):
    path = _damaged(saved_plan, tmp_path, change)
    result = cli("report", path, "--out", tmp_path / "out")
    assert result.exit_code == 1
    assert expected in result.output and "Traceback" not in result.output
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    "text",
    [
        '{"status": "optimal", "totals": {"capex_usd": NaN}}',
        '{"status": "optimal", "totals": {"capex_usd": Infinity}}',
        "[" * 100_000 + "]" * 100_000,
        '{"status": ' + "[" * 50_000 + "]" * 50_000 + ', "totals": {}}',
        "not json at all",
        '{"comparison": true}',
    ],
)
def test_non_plans_are_refused(tmp_path, cli, text):
    path = tmp_path / "plan.json"
    path.write_text(text)
    result = cli("report", path)
    assert result.exit_code == 1
    assert "Traceback" not in result.output and "problem" in result.output


def test_report_renders_the_same_after_the_catalog_changes(tmp_path, cli, monkeypatch):
    """Size with a user catalog (a model of its own and a bundled server repriced), then delete it and edit a
    bundled price: `planner report` renders the same figures, from the entries the plan carries."""
    user = tmp_path / "my_catalog"
    user.mkdir()
    models = yaml.safe_load((ROOT / "catalogs" / "models.yaml").read_text())
    base = next(m for m in models["models"] if m["id"] == "llama_3_1_8b")
    nvidia = yaml.safe_load((ROOT / "catalogs" / "hardware" / "nvidia.yaml").read_text())
    h100 = next(h for h in nvidia["hardware"] if h["id"] == "hgx_h100")
    catalog = {
        "models": [{**base, "id": "national_8b", "name": "National 8B (own model)"}],
        "hardware": [{**h100, "price_usd_per_unit": 333_000.0, "price_decline_per_year": 0.0}],
    }
    (user / "extra.yaml").write_text(yaml.safe_dump(catalog, sort_keys=False))
    doc = tiny_country()
    doc["workloads"]["chat"]["model"] = "national_8b"
    doc["hardware"] = ["hgx_h100"]
    country = write_yaml(tmp_path / "c.yaml", doc)
    out = tmp_path / "plan"
    result = cli("size", country, "--catalog", user, "--out", out, "--format", "json,md,html,xlsx", "-q")
    assert result.exit_code == 0, result.output
    before = {name: (out / name).read_bytes() for name in ("report.md", "report.html")}
    assert "National 8B (own model)" in before["report.md"].decode()
    saved = json.loads((out / "plan.json").read_text())
    assert saved["allocations"][0]["unit_price_usd"] == 333_000.0  # the user's price, not the bundled one
    unit = saved["allocations"][0]["capex_usd"] / saved["allocations"][0]["units"]
    assert f"${unit:,.0f}" in before["report.md"].decode()

    shutil.rmtree(user)
    bundled = tmp_path / "bundled"
    shutil.copytree(ROOT / "catalogs", bundled / "catalogs")
    edited = bundled / "catalogs" / "hardware" / "nvidia.yaml"
    edited.write_text(re.sub(r"price_usd_per_unit: \d+", "price_usd_per_unit: 999999", edited.read_text()))
    monkeypatch.setattr("planner.catalog.bundled_dir", lambda name: bundled / name)
    from planner.catalog import load_catalog

    assert load_catalog().hardware["hgx_h100"].price_usd_per_unit == 999999  # today's catalog did change
    again = tmp_path / "again"
    result = cli("report", out / "plan.json", "--out", again, "--format", "md,html,xlsx")
    assert result.exit_code == 0, result.output
    for name, content in before.items():
        assert (again / name).read_bytes() == content, name


def test_max_served_reports_what_it_gives_up(tmp_path, catalog):
    """A case that is infeasible under min_cost (resilience needs a second site that cannot hold the load)
    becomes a max_served plan that says it gave up resilience, never a silent 100 %."""
    from planner.pipeline import load_spec, size

    doc = tiny_country()
    doc["workloads"]["chat"]["users"] = 5_000_000  # several units' worth; the small site holds one
    doc["sites"]["small_dc"] = {**doc["sites"]["main_dc"], "name": "Small DC", "power_kw": 20, "racks": 1}
    doc["policy"] = {"resilience_fraction": 0.9}
    assert size(load_spec(write_yaml(tmp_path / "a.yaml", doc), catalog), catalog).status == "infeasible"
    doc["planning"]["objective"] = "max_served"
    plan = size(load_spec(write_yaml(tmp_path / "b.yaml", doc), catalog), catalog)
    assert plan.feasible
    assert plan.served.by_family["resilience"] < 1.0
    assert plan.served.share < 1.0
    assert plan.served.by_family["demand_coverage"] == pytest.approx(1.0)
    assert any(g.family == "resilience" for g in plan.served.given_up)


def test_a_loose_gap_is_not_called_optimal(catalog):
    """HiGHS stops at the first plan within 50 % of its bound on Malaysia (a few per cent dearer than the optimum);
    that plan is feasible with its gap, not optimal."""
    from planner.pipeline import load_spec, size

    loose = size(load_spec(EXAMPLES / "malaysia.yaml", catalog, sets=["solver.mip_gap=0.5"]), catalog)
    exact = size(load_spec(EXAMPLES / "malaysia.yaml", catalog), catalog)
    assert exact.status == "optimal"
    assert loose.totals.npv_usd > exact.totals.npv_usd * 1.02  # the early plan really is worse
    assert loose.status == "feasible" and loose.solver.mip_gap > 1e-4


def test_a_plan_file_that_does_not_exist_is_an_input_error(tmp_path):
    with pytest.raises(InputError, match="cannot read plan"):
        Plan.read(tmp_path / "missing.json")


def test_solver_noise_below_zero_reads_as_zero(saved_plan):
    """HiGHS can return a staff top-up of -1.6e-13: the plan holds 0, while a real negative figure (a bug) is
    still refused rather than mistaken for an input error."""
    from pydantic import ValidationError

    data = json.loads(saved_plan.read_text(encoding="utf-8"))
    data["costs_by_year"][0]["staff_fte"] = -1.6e-13
    assert Plan.model_validate(data).costs_by_year[0].staff_fte == 0.0
    data["costs_by_year"][0]["staff_fte"] = -0.5
    with pytest.raises(ValidationError):
        Plan.model_validate(data)

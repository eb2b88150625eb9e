"""The bundled examples as a user runs them, a user catalog picked up by `planner size`, and
`planner size` agreeing with `planner estimate` (one source of truth for the performance model)."""

from __future__ import annotations

import json
import shutil

import yaml

from planner.cli import _register_subcommands, app
from tests.conftest import EXAMPLES, tiny_country, write_yaml

if "estimate" not in {g.name for g in app.registered_groups}:
    _register_subcommands()


def test_infeasible_example_names_each_short_family(cli, tmp_path):
    result = cli("size", EXAMPLES / "kenya_infeasible.yaml", "--out", tmp_path, "--format", "json")
    assert result.exit_code == 3, result.output
    plan = json.loads((tmp_path / "plan.json").read_text())
    assert plan["status"] == "infeasible"
    families = {s["family"] for s in plan["diagnosis"]["shortfalls"]}
    assert {"site_power", "budget_capex"} <= families
    names = plan["names"]["sites"]
    for shortfall in plan["diagnosis"]["shortfalls"]:
        # the terminal names sites by their names, not their ids
        message = shortfall["message"]
        for sid, name in names.items():
            message = message.replace(f"`{sid}`", name)
        assert shortfall["amount"] > 0 and message in result.output
        assert "`" not in message


def test_user_catalog_hardware_is_used_by_size(cli, tmp_path, catalog):
    # a user's own server: an H100 box at half the price, under a new id
    source = yaml.safe_load((EXAMPLES.parent / "catalogs" / "hardware" / "nvidia.yaml").read_text())
    entry = next(h for h in source["hardware"] if h["id"] == "hgx_h100")
    entry = {**entry, "id": "my_h100_box", "name": "Local integrator H100 box", "price_usd_per_unit": 140000.0}
    user = tmp_path / "my_catalog"
    user.mkdir()
    write_yaml(user / "mine.yaml", {"hardware": [entry]})
    doc = tiny_country(hardware=["hgx_h100", "my_h100_box"])
    result = cli(
        "size",
        write_yaml(tmp_path / "c.yaml", doc),
        "--catalog",
        user,
        "--out",
        tmp_path / "o",
        "--format",
        "json",
        "-q",
    )
    assert result.exit_code == 0, result.output
    plan = json.loads((tmp_path / "o" / "plan.json").read_text())
    assert {a["hardware"] for a in plan["allocations"]} == {"my_h100_box"}


def test_broken_user_catalog_is_rejected_with_file_line_and_field(cli, tmp_path):
    user = tmp_path / "bad_catalog"
    user.mkdir()
    shutil.copy(EXAMPLES.parent / "catalogs" / "hardware" / "amd.yaml", user / "amd.yaml")
    text = (user / "amd.yaml").read_text().replace("power_kw_per_unit: ", "power_kw_per_unit: -", 1)
    (user / "amd.yaml").write_text(text)
    line = next(i for i, t in enumerate(text.splitlines(), 1) if "power_kw_per_unit: -" in t)
    result = cli("validate", write_yaml(tmp_path / "c.yaml", tiny_country()), "--catalog", user)
    assert result.exit_code == 1
    assert f"amd.yaml:{line}" in result.output and "power_kw_per_unit" in result.output


def test_size_and_estimate_agree_on_per_unit_throughput(cli, tmp_path):
    doc = tiny_country(hardware=["hgx_h100"], languages={"en": 1.0})
    result = cli("size", write_yaml(tmp_path / "c.yaml", doc), "--out", tmp_path / "o", "--format", "json", "-q")
    assert result.exit_code == 0, result.output
    plan = json.loads((tmp_path / "o" / "plan.json").read_text())
    per_unit = plan["workloads"][0]["per_unit"]["hgx_h100"]
    work = doc["workloads"]["chat"]
    premium = plan["workloads"][0]["language_premium"]
    assert premium == 1.0  # English only: the same token counts go to both commands
    estimate = cli(
        "estimate",
        "serve",
        "--model",
        work["model"],
        "--hardware",
        "hgx_h100",
        "--input-tokens",
        work["input_tokens_per_request"],
        "--output-tokens",
        work["output_tokens_per_request"],
        "--tpot-ms",
        work["tpot_ms"],
        "--scenario",
        "server",  # the workload's target is a p95 under random arrivals (the default `latency_target`)
        "--percentile",
        "95",
        "--json",
    )
    assert estimate.exit_code == 0, estimate.output
    served = json.loads(estimate.output)
    assert served["output_tokens_per_s"] == per_unit["output_tokens_per_s"]
    assert served["chips_per_replica"] == per_unit["chips_per_replica"]
    assert served["batch"] == per_unit["batch"]


def test_total_rows_sit_in_their_own_tables(cli, tmp_path):
    import re

    result = cli("size", EXAMPLES / "kazakhstan.yaml", "--out", tmp_path, "-q")
    assert result.exit_code == 0, result.output
    plan = json.loads((tmp_path / "plan.json").read_text())
    html = (tmp_path / "report.html").read_text()
    sections = dict(re.findall(r'<section id="([a-z-]+)"[^>]*>(.*?)</section>', html, flags=re.S))
    bom_table = sections["bom"].split("<table")[1]
    last_row = bom_table.split("</tbody>")[0].rsplit("<tr", 1)[1]
    assert "Total" in last_row and f"${plan['totals']['capex_usd']:,.0f}" in last_row
    assert "Total" not in sections["capacity"]


def test_schema_text_lists_every_key_with_its_meaning(cli):
    result = cli("schema", "--text")
    assert result.exit_code == 0
    for key in ("sites.<id>.power_kw", "workloads.<id>.tpot_ms", "policy.vendor_max_share", "budget.capex_usd"):
        assert key in result.output
    # every key line is followed by its description
    lines = result.output.splitlines()
    keys = [i for i, line in enumerate(lines) if ": " in line and not line.startswith("    ") and "[" not in line]
    undocumented = [lines[i] for i in keys if i + 1 >= len(lines) or not lines[i + 1].startswith(" " * 4)]
    assert undocumented == [], undocumented


def test_an_infeasible_plan_still_states_each_workloads_demand(cli, tmp_path):
    result = cli("size", EXAMPLES / "kenya_infeasible.yaml", "--out", tmp_path, "--format", "json", "-q")
    assert result.exit_code == 3
    plan = json.loads((tmp_path / "plan.json").read_text())
    for w in plan["workloads"]:
        assert w["demand"]["value"] > 0 and w["demand"]["unit"]
        assert w["capacity"]["value"] == 0.0


def test_report_vendor_shares_are_plan_json_shares(cli, tmp_path):
    result = cli("size", EXAMPLES / "malaysia.yaml", "--out", tmp_path, "--format", "json,md", "-q")
    assert result.exit_code == 0, result.output
    plan = json.loads((tmp_path / "plan.json").read_text())
    md = (tmp_path / "report.md").read_text()
    section = md.split("Accelerators by vendor", 1)[1].split("\n\n", 2)[1]
    for share in plan["vendor_shares"].values():
        if share["accelerators"] > 0:
            assert f"{share['accelerators']:.0%}" in section


def test_the_template_runs_as_shipped_and_every_change_mark_names_a_key(cli, tmp_path):
    # a new user copies examples/template.yaml: it must size as it stands, and each CHANGE mark sits on a key line
    text = (EXAMPLES / "template.yaml").read_text()
    result = cli("size", EXAMPLES / "template.yaml", "--out", tmp_path, "--format", "json", "--short", "-q")
    assert result.exit_code == 0, result.output
    plan = json.loads((tmp_path / "plan.json").read_text())
    assert plan["status"] in ("optimal", "feasible") and plan["allocations"]
    marked = [line.split("#")[0].strip() for line in text.splitlines() if "# CHANGE" in line]
    assert len(marked) >= 5 and all(":" in key and not key.startswith("#") for key in marked)
    # the catalog filled what the template leaves out (PUE and electricity price) and says so
    assert {"sites.abuja_dc.pue", "sites.abuja_dc.electricity_usd_per_kwh"} <= {
        d["field"] for d in plan["defaults_applied"]
    }

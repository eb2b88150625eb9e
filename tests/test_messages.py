"""Messages a new-user trial found confusing: each reproduced with a small country file, each now precise."""

from __future__ import annotations

import json
import re

import pytest

from tests.conftest import tiny_country, write_yaml


def _validate(cli, tmp_path, doc, *extra):
    path = write_yaml(tmp_path / "country.yaml", doc)
    return cli("validate", path, *extra)


def _training(**fields) -> dict:
    job = {"kind": "fine_tuning", "model": "llama_3_1_8b", "tokens": 1e9, "deadline_days": 45}
    job.update(fields)
    return job


def test_training_run_past_the_horizon_is_an_input_error(cli, tmp_path):
    # 2027–2030 plan ends 2030-12-31 (exclusive end 2031-01-01); 45 days must fit: last start 2031-01-01 − 45 days
    doc = tiny_country(planning={"start_year": 2027, "years": 4, "discount_rate": 0.0})
    doc["workloads"]["tune"] = _training(earliest_start="2030-12-20")
    result = _validate(cli, tmp_path, doc)
    assert result.exit_code == 1, result.output
    assert "workloads.tune.earliest_start" in result.output
    assert "earliest_start + deadline_days must fall within the horizon" in result.output
    assert "start by 2030-11-17" in result.output  # 2031-01-01 minus 45 days
    assert "Traceback" not in result.output


def test_training_run_ending_on_the_last_day_is_accepted(cli, tmp_path):
    doc = tiny_country(planning={"start_year": 2027, "years": 4, "discount_rate": 0.0})
    doc["workloads"]["tune"] = _training(earliest_start="2030-11-17")  # ends (exclusive) 2031-01-01
    result = _validate(cli, tmp_path, doc)
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize(
    ("section", "field", "written", "expected"),
    [
        ("site", "power_kw", "1.5MW", "1.5 MW is 1500 in kilowatts"),  # 1.5 × 1000 kW
        ("workload", "ttft_ms", "2s", "2 s is 2000 in milliseconds"),  # 2 × 1000 ms
        ("site", "electricity_usd_per_kwh", "12k", "12 k is 12000 in US dollars"),
        ("workload", "users", "1 million", "1 million is 1000000: write 1e6"),  # a trial's "50 million"
    ],
)
def test_unit_hint_is_in_the_fields_unit(cli, tmp_path, section, field, written, expected):
    doc = tiny_country()
    target = doc["sites"]["main_dc"] if section == "site" else doc["workloads"]["chat"]
    target[field] = written
    result = _validate(cli, tmp_path, doc)
    assert result.exit_code == 1
    assert expected in result.output, result.output
    assert "1.5e6" not in result.output  # the old hint, wrong for a kW field


def test_thousands_separators_hint_gives_the_plain_number(cli, tmp_path):
    doc = tiny_country()
    doc["workloads"]["chat"]["users"] = "1,500,000"
    result = _validate(cli, tmp_path, doc)
    assert result.exit_code == 1
    assert "write 1500000" in result.output, result.output


@pytest.mark.parametrize(
    ("field", "written", "expected"),
    [
        ("electricity_usd_per_kwh", "0,14", "write 0.14: the decimal separator is a point"),  # not 14
        ("pue", "1,7", "write 1.7: the decimal separator is a point"),  # not 17
        ("power_kw", "1,500", "write 1500 (or 1.5 if the comma was a decimal comma)"),  # either reading
        ("electricity_usd_per_kwh", "0,140", "write 0.14: the decimal separator is a point"),  # 0,140 is no thousand
    ],
)
def test_a_decimal_comma_is_read_as_a_decimal_comma(cli, tmp_path, field, written, expected):
    """New-user trial (French): '0,14' got 'write 14 (or 14)', and 14 $/kWh then passed: 100 x the power bill."""
    doc = tiny_country()
    doc["sites"]["main_dc"][field] = written
    result = _validate(cli, tmp_path, doc)
    assert result.exit_code == 1
    assert expected in result.output, result.output


def test_a_growth_written_in_percent_and_a_price_in_cents_are_named(cli, tmp_path):
    doc = tiny_country()
    doc["workloads"]["chat"]["growth_per_year"] = 25
    result = _validate(cli, tmp_path, doc)
    assert result.exit_code == 1 and "write 0.25 for 25 % a year" in result.output, result.output
    doc = tiny_country()
    doc["sites"]["main_dc"]["electricity_usd_per_kwh"] = 14  # above any tariff: an error, with the reading
    result = _validate(cli, tmp_path, doc)
    assert result.exit_code == 1 and "if you meant 14 cents, write 0.14" in result.output, result.output
    doc["sites"]["main_dc"]["electricity_usd_per_kwh"] = 1.4  # above any grid, below any tariff: a note
    result = _validate(cli, tmp_path, doc)
    assert result.exit_code == 0 and "if you meant 1.4 cents, write 0.014" in result.output, result.output


def test_a_price_in_the_local_currency_and_a_pue_in_percent_are_named(cli, tmp_path):
    """New-user trial (Nigeria): 225 written for an electricity price of 225 naira a kWh drew only "if you meant
    225 cents" (2.25 $/kWh, absurd too) from validate and nothing from size; at the catalog's 1,495 NGN a dollar it
    is 0.151 $/kWh. A PUE of 170 (percent) had no hint."""
    doc = tiny_country()
    doc["country"] = {"name": "Nigeria", "iso2": "NG"}
    doc["sites"]["main_dc"]["jurisdiction"] = "NG"
    doc["sites"]["main_dc"]["electricity_usd_per_kwh"] = 225
    result = _validate(cli, tmp_path, doc)  # above any tariff (5 $/kWh): an error (trial, Uzbekistan: 900 soum)
    assert result.exit_code == 1, result.output
    assert "if you meant 225 NGN (at 1,495 a dollar), write 0.151" in result.output, result.output
    assert "cents" not in result.output and "electricity_usd_per_kwh" in result.output
    doc["sites"]["main_dc"]["electricity_usd_per_kwh"] = 0.3
    doc["sites"]["main_dc"]["pue"] = 170
    result = _validate(cli, tmp_path, doc)
    assert result.exit_code == 1 and "write 1.7 for 170 %" in result.output, result.output


def test_a_country_code_in_lower_case_is_named_with_its_upper_case(cli, tmp_path):
    """`iso2: ng` read "not an ISO 3166 alpha-2 code (e.g. MY)"; it is Nigeria's code in lower case."""
    doc = tiny_country()
    doc["country"]["iso2"] = "ng"
    result = _validate(cli, tmp_path, doc)
    assert result.exit_code == 1 and "`ng` is in lower case" in result.output and "write `NG`" in result.output
    doc["country"]["iso2"] = "N1"
    assert "not an ISO 3166 alpha-2 code" in _validate(cli, tmp_path, doc).output


def test_problems_of_later_checks_come_with_the_schemas(cli, tmp_path):
    """New-user trial (Nigeria): an impossible date (2027-13-01) stopped at the YAML reader and hid ten other
    problems; shares that do not sum to 1 hid an unknown language among them; an undefined data class waited for
    the schema's problems to be fixed. All come at once now."""
    doc = tiny_country()
    doc["languages"] = {"en": 0.6, "pcm": 0.5}
    doc["planning"]["discount_rate"] = 8
    doc["workloads"]["chat"]["data_class"] = "citizens"
    doc["data_locality"] = {"citizen": {"jurisdictions": ["TL"]}}
    path = write_yaml(tmp_path / "country.yaml", doc)
    text = path.read_text().replace("discount_rate: 8", "discount_rate: 8\n  decision_date: 2026-13-01")
    path.write_text(text)
    result = cli("validate", path)
    assert result.exit_code == 1
    for expected in (
        "they must sum to 1",
        "unknown language `pcm`",
        "fold its share into a language the catalog has",
        "data class `citizens` is not defined",
        "`2026-13-01` is not a date",
        "write 0.08 for 8 %",
    ):
        assert expected in result.output, (expected, result.output)


def test_two_sites_of_one_name_are_told_apart(cli, tmp_path):
    """Two sites named alike printed two rows "2029 Lagos DC ... 6" that could not be told apart (trial): the
    reports add the id to a shared name, and validate says so."""
    import copy

    from planner.pipeline import site_names
    from planner.schema.country import CountrySpec

    doc = tiny_country()
    ((sid, site),) = doc["sites"].items()
    doc["sites"]["second_dc"] = copy.deepcopy(site)
    doc["sites"]["second_dc"]["name"] = "  " + site["name"].upper()
    result = _validate(cli, tmp_path, doc)
    assert result.exit_code == 0 and "sites.second_dc.name" in result.output, result.output
    names = site_names(CountrySpec.model_validate(doc))
    assert names == {sid: f"{site['name']} ({sid})", "second_dc": f"  {site['name'].upper()} (second_dc)"}


def test_a_decision_date_in_the_past_is_noted(cli, tmp_path):
    """decision_date 2026-03-01 with today 2026-07-01 (the tests' date): orders are dated from today, which
    validate and size said nowhere (a trial found its first order "due by" the day of the run)."""
    doc = tiny_country()
    doc["planning"]["decision_date"] = "2026-03-01"
    result = _validate(cli, tmp_path, doc)
    assert result.exit_code == 0, result.output
    assert "planning.decision_date is 2026-03-01, in the past: orders are dated from today (2026-07-01)" in (
        result.output
    )
    doc["planning"]["decision_date"] = "2026-09-01"
    assert "in the past" not in _validate(cli, tmp_path, doc).output


def test_bad_quarter_hints_at_the_quarter_syntax_and_unknown_ids_come_with_it(cli, tmp_path):
    doc = tiny_country(hardware=["hgx_h100", "atlas_9000"])
    doc["workloads"]["chat"]["go_live"] = "2027Q5"
    doc["workloads"]["chat"]["model"] = "llama_9_9b"
    result = _validate(cli, tmp_path, doc)
    assert result.exit_code == 1
    assert "workloads.chat.go_live" in result.output
    assert "a date YYYY-MM-DD or a quarter like 2027Q3" in result.output
    assert "too short" not in result.output  # pydantic's own wording
    assert "unknown model `llama_9_9b`" in result.output  # reported with the schema error, not after it
    assert "unknown hardware `atlas_9000`" in result.output
    assert "3 problems found" in result.output, result.output
    assert "Traceback" not in result.output


def test_year_outside_horizon_is_reported_with_key_typos(cli, tmp_path):
    doc = tiny_country(planning={"start_year": 2027, "years": 4, "discount_rate": 0.0})
    doc["workloads"]["tune"] = _training(year=2033)
    doc["sites"]["main_dc"]["powr_kw"] = 10
    result = _validate(cli, tmp_path, doc)
    assert result.exit_code == 1
    assert "unknown key `powr_kw`" in result.output
    assert "year 2033 is outside the planning horizon 2027–2030" in result.output
    assert "2 problems found" in result.output, result.output


def test_schema_and_reference_problems_on_one_field_are_not_doubled(cli, tmp_path):
    doc = tiny_country()
    doc["workloads"]["chat"]["model"] = "Llama-3.1-8B"  # pattern error; it is also not a catalog id
    result = _validate(cli, tmp_path, doc)
    assert "1 problem found" in result.output, result.output


def test_bad_option_values_are_usage_errors_in_one_line(cli, tmp_path):
    path = write_yaml(tmp_path / "country.yaml", tiny_country())
    lang = cli("size", path, "--out", tmp_path / "out", "--lang", "uz")
    assert lang.exit_code == 2  # README: 2 is a usage error
    assert "unsupported language `uz`; choose from en," in lang.output
    fmt = cli("size", path, "--out", tmp_path / "out", "--format", "docx")
    assert fmt.exit_code == 2
    lines = [line for line in fmt.output.splitlines() if line.strip()]
    assert lines == ["error: --format: unknown output format `docx`; choose from json, md, html, pdf, xlsx"]
    assert not (tmp_path / "out").exists()


def test_serve_estimate_latency_label_has_no_stray_space():
    from typer.testing import CliRunner

    from planner.cli_estimate import estimate_app

    args = ["--model", "llama_3_1_8b", "--hardware", "hgx_h100", "--input-tokens", "500", "--output-tokens", "300"]
    more = ["--tpot-ms", "50", "--scenario", "server", "--percentile", "99"]
    result = CliRunner().invoke(estimate_app, ["serve", *args, *more], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "latency (p99) " in result.output
    assert "(p99 )" not in result.output


def test_monte_carlo_lines_name_workloads():
    from planner.plan import Names, Uncertainty
    from planner.uncertainty.text import uncertainty_text

    spread = {"p10": 1e6, "p50": 2e6, "p90": 3e6}
    u = Uncertainty.model_validate(
        {
            "samples": 100,
            "seed": 1,
            "npv_usd": spread,
            "capex_usd": spread,
            "opex_usd_per_year": spread,
            "tco_usd": spread,
            "all_met": 0.25,
            "serving": [
                {
                    "workload": "yordamchi",
                    "year": 2027,
                    "probability": 0.25,
                    "demand_p50": 1,
                    "demand_p90": 2,
                    "capacity_p10": 1,
                    "capacity_p50": 1,
                }
            ],
            "training": [{"workload": "uz_llm", "probability": 0.9, "deadline_days": 45}],
        }
    )
    names = Names(workloads={"yordamchi": "Yordamchi citizen assistant", "uz_llm": "Uzbek LLM pretraining"})
    text = uncertainty_text(u, names)
    assert "least likely: Yordamchi citizen assistant in 2027 meets its demand in 25%" in text
    assert "Uzbek LLM pretraining ends by its deadline in 90%" in text
    assert "yordamchi" not in text


def test_rule_costs_are_in_the_terminal_summary():
    from planner.summary import _rule_cost_lines

    plan = {
        "rule_costs": [
            {
                "rule": "sovereignty",
                "description": "data stays home",
                "status_without": "optimal",
                "npv_usd_without": 8e6,
                "cost_usd": 2.5e6,
            },
            {
                "rule": "resilience",
                "description": "survive a site loss",
                "status_without": "infeasible",
                "npv_usd_without": None,
                "cost_usd": None,
            },
        ]
    }
    lines = _rule_cost_lines(plan)
    assert "What each sovereignty rule costs" in lines[1]
    assert "  - sovereignty (data stays home): $2.5 M" in lines
    assert "  - resilience (survive a site loss): no plan without it either" in lines
    assert _rule_cost_lines({"rule_costs": None}) == []


def test_confidence_sizing_progress_is_one_short_human_line_per_try(cli, tmp_path):
    doc = tiny_country(uncertainty={"demand": {"low": -0.3, "high": 0.5}, "samples": 200, "seed": 3})
    doc["workloads"]["chat"]["users"] = 4e6
    doc["planning"]["confidence"] = 0.9
    result = cli("size", write_yaml(tmp_path / "country.yaml", doc), "--out", tmp_path / "out")
    assert result.exit_code == 0, result.output
    tries = [line for line in result.stderr.splitlines() if "confidence" in line]
    assert tries, result.stderr
    assert all(line.startswith("sizing for 90% confidence, try ") and len(line) < 80 for line in tries), tries
    assert "quantile" not in result.stderr  # the internal wording


# --- infeasible diagnosis text --------------------------------------------------------------------------------


def test_shortfall_names_the_quarter_as_a_reader_writes_it():
    from planner.sizing.diagnose import shortfall_message

    text = shortfall_message("delivery_capacity__g0__dgx_b200__2027__q1", 12.0)
    assert "12 more `dgx_b200` units would have to work in Q1 2027" in text
    assert "2027 q1" not in text


def test_identical_shortfall_lines_are_listed_once():
    from planner.sizing.diagnose import remedy_lines

    same = {"message": "12 more `dgx_b200` units would have to work in Q1 2027"}
    other = {"message": "capex budget short by $9.6 M"}
    diagnosis = {
        "shortfalls": [same, same, other],
        "remedies": [{"family": "capex_budget", "shortfalls": [same, same]}],
    }
    short, remedies = remedy_lines(diagnosis)
    assert short == [same["message"], other["message"]]
    assert remedies[0].count("would have to work") == 1


@pytest.mark.parametrize(("kw", "expected"), [(0.3, "0.3 kW"), (4.46, "4.5 kW"), (212.0, "212 kW"), (3200, "3.20 MW")])
def test_small_power_shortfall_never_reads_zero(kw, expected):
    from planner.sizing.diagnose import format_amount

    assert format_amount(kw, "kW") == expected


def test_resilience_shortfall_names_only_sites_the_workload_may_use():
    from types import SimpleNamespace

    from planner.sizing.diagnose import _resilience_message, shortfall_message

    built = SimpleNamespace(variables=SimpleNamespace(groups={"yordamchi": frozenset({"tashkent_dc", "samarkand_dc"})}))
    row = ("almaty_cloud", "yordamchi", "2028")
    plain = shortfall_message("resilience__" + "__".join(row), 500.0)
    text = _resilience_message(built, row, 500.0, plain)
    assert not text.startswith("losing site `almaty_cloud`")
    assert "(`samarkand_dc`, `tashkent_dc`)" in text and "500 output tokens/s" in text
    own = ("tashkent_dc", "yordamchi", "2028")  # a site it may use: the family's own wording stands
    own_plain = shortfall_message("resilience__" + "__".join(own), 500.0)
    assert _resilience_message(built, own, 500.0, own_plain) == own_plain
    assert own_plain.startswith("losing site `tashkent_dc` leaves `yordamchi` short")


def test_a_single_remedy_is_not_introduced_as_any_one_of_these(cli, tmp_path):
    from tests.conftest import EXAMPLES

    result = cli("size", EXAMPLES / "kenya_infeasible.yaml", "--out", tmp_path / "out", "--format", "json")
    assert result.exit_code == 3
    out = result.stdout.splitlines()
    start = next(i for i, line in enumerate(out) if "restores feasibility" in line)
    items = [line for line in out[start + 1 :] if line.startswith("  - ")]
    header = out[start]
    assert header == (
        "Any one of these alone restores feasibility:" if len(items) > 1 else "This alone restores feasibility:"
    )
    assert not re.search(r"(?<![\d.,])0 kW", result.stdout)


def test_a_binding_row_prints_its_limit_on_both_sides():
    """A row at its limit up to the solver's tolerance reads "300,737 of 300,737", not "300,738 of 300,737"."""
    from planner.report.rules import _binding

    row = {"family": "export_quantity", "lhs": 300737.5000001, "rhs": 300737.49999, "shadow_price": None}
    assert _binding(row, None, ["x"])["level"].startswith("300,737 of 300,737")
    slack = {**row, "lhs": 250_000.0}
    assert _binding(slack, None, ["x"])["level"].startswith("250,000 of 300,737")


def test_a_latency_target_below_every_floor_names_the_field_and_the_value(cli, tmp_path):
    """TPOT 1 ms is below the floor of both options (a 70B-class step takes milliseconds): exit 3, the remedy is
    to raise that one field to the lowest floor, which plan.json and the terminal both state."""
    doc = tiny_country()
    doc["workloads"]["chat"]["tpot_ms"] = 1
    path = write_yaml(tmp_path / "country.yaml", doc)
    result = cli("size", path, "--out", tmp_path / "out", "--format", "json")
    assert result.exit_code == 3, result.output
    plan = json.loads((tmp_path / "out" / "plan.json").read_text())
    fixes = [r["text"] for r in plan["diagnosis"]["remedies"]]
    assert len(fixes) == 1 and fixes[0].startswith("raise `workloads.chat.tpot_ms` to at least "), fixes
    floor = float(re.search(r"at least ([\d.]+) ms", fixes[0]).group(1))
    assert floor > 1
    # no option serves the workload yet: the terminal does not promise the change alone yields a plan
    assert "First, so that some hardware can serve it (other limits may then bind):" in result.stdout
    assert "restores feasibility" not in result.stdout
    assert f"raise workloads.chat.tpot_ms to at least {floor:g} ms" in result.stdout


def test_a_latency_remedy_names_hardware_the_sites_can_take(cli, tmp_path):
    """A new user was told to raise TPOT to the floor of a liquid-cooled NVL72 rack that no site could install;
    raising it left the plan infeasible. The floor is now the lowest among hardware some site can take."""
    doc = tiny_country()
    doc["workloads"]["chat"]["tpot_ms"] = 1
    doc["hardware"] = ["gb200_nvl72", "hgx_h100"]  # the site has no cooling field: air only
    path = write_yaml(tmp_path / "country.yaml", doc)
    result = cli("size", path, "--out", tmp_path / "out", "--format", "json")
    assert result.exit_code == 3, result.output
    plan = json.loads((tmp_path / "out" / "plan.json").read_text())
    reasons = {o["hardware"]: o["reason"] for s in plan["diagnosis"]["shortfalls"] for o in s.get("reasons") or []}
    floors = {h: float(re.search(r"floor ([\d.]+) ms", r).group(1)) for h, r in reasons.items()}
    assert floors["gb200_nvl72"] < floors["hgx_h100"], floors  # the rack would be the lowest floor
    (fix,) = plan["diagnosis"]["remedies"]
    assert fix["values"]["hardware"] == "hgx_h100" and float(fix["values"]["value"]) == floors["hgx_h100"]


def test_a_negative_amount_gets_a_hint(cli, tmp_path):
    doc = tiny_country()
    doc["budget"] = {"capex_usd": -60_000_000}
    path = write_yaml(tmp_path / "country.yaml", doc)
    result = cli("validate", path)
    assert result.exit_code == 1
    assert "budget.capex_usd" in result.output and "without the minus sign" in result.output, result.output
    assert "in US dollars" in result.output


def test_a_rent_price_for_hardware_off_the_shortlist_is_noted(cli, tmp_path):
    """The plan only weighs the shortlisted hardware, so a rent price for another one would be silently unused."""
    doc = tiny_country()
    doc["sites"]["cloud"] = {
        "name": "Cloud",
        "jurisdiction": "TL",
        "kind": "sovereign_cloud",
        "rent_usd_per_accelerator_hour": {"hgx_h20": 2.0},
    }
    path = write_yaml(tmp_path / "country.yaml", doc)
    result = cli("validate", path)
    assert result.exit_code == 0
    assert "sites.cloud.rent_usd_per_accelerator_hour prices `hgx_h20`" in result.output


def test_installed_capacity_shows_the_whole_units_the_plan_buys(cli, tmp_path):
    """A new user read "Planned capacity 25,951 | demand 25,951 | 100 %" every year while the plan bought whole
    servers with room to spare. The table now shows the capacity of every unit serving the workload: one H100
    server (8 GPUs) bought for a demand half its size gives twice the demand, by hand from plan.json's fleet."""
    doc = tiny_country(hardware=["hgx_h100"])
    doc["workloads"]["chat"]["users"] = 300_000
    path = write_yaml(tmp_path / "country.yaml", doc)
    result = cli("size", path, "--out", tmp_path / "out", "--format", "json,md")
    assert result.exit_code == 0, result.output
    plan = json.loads((tmp_path / "out" / "plan.json").read_text())
    (w,) = plan["workloads"]
    (row,) = w["by_year"]
    units = sum(i["units"] for i in plan["installed"] if i["hardware"] == "hgx_h100")
    by_hand = units * w["per_unit"]["hgx_h100"]["output_tokens_per_s"] * plan["planning"]["serving_utilisation"]
    assert row["capacity_output_tokens_per_s"] == pytest.approx(row["demand_output_tokens_per_s"])
    assert row["installed_output_tokens_per_s"] == pytest.approx(by_hand, rel=1e-9)
    assert row["installed_output_tokens_per_s"] > 1.5 * row["demand_output_tokens_per_s"]
    md = (tmp_path / "out" / "report.md").read_text(encoding="utf-8")
    assert f"| 2027 | {row['demand_output_tokens_per_s']:,.0f} | {by_hand:,.0f} |" in md


def test_validate_says_staff_are_not_costed_where_the_catalog_has_no_salary(cli, tmp_path):
    """A new user's plan for a country outside the catalog had no staff line while the report said opex covers
    staff; nothing had said so. `validate` now does, and stops saying it once the file gives a salary."""
    doc = tiny_country()  # Testland: no country facts in the catalog
    path = write_yaml(tmp_path / "country.yaml", doc)
    result = cli("validate", path)
    assert result.exit_code == 0, result.output
    assert "no staff salary for TL: operations staff at its sites are not costed" in result.stdout
    doc["costs"] = {"staff_platform": {"staff_usd_per_fte_year": 30000}}
    result = cli("validate", write_yaml(tmp_path / "country2.yaml", doc))
    assert result.exit_code == 0, result.output
    assert "no staff salary" not in result.stdout


def test_an_option_without_a_plan_is_never_marked_recommended():
    """The options table marked the country file as written "(recommended)" although it had no plan."""
    from planner.catalog import load_catalog
    from planner.plan import Names
    from planner.report.proposal import BASELINE, options_view

    totals = {"npv_usd": 0.0, "capex_usd": 0.0, "opex_usd_per_year": 0.0, "accelerators": 0, "power_kw": 0.0}
    scenarios = [
        {"name": BASELINE, "status": "infeasible", "totals": totals, "diagnosis": None},
        {"name": "nvidia_only", "status": "optimal", "totals": {**totals, "npv_usd": 5e6, "capex_usd": 4e6}},
    ]
    view = options_view({"recommended": BASELINE, "options": {"scenarios": scenarios}}, Names(), load_catalog())
    assert [r["recommended"] for r in view["rows"]] == [False, False]
    assert "No plan meets the country file as written" in view["reason"]


def test_a_shortfall_in_hardware_units_is_whole_units(catalog, tmp_path):
    """New-user trial: a power shortage was explained as '0.01 more NVIDIA Vera Rubin NVL72 units would have to
    work in Q3 2027, before this year's purchases can arrive'. A shortfall counted in units is whole units."""
    from planner.pipeline import load_spec, size

    doc = tiny_country(hardware=["hgx_h100", "gb200_nvl72"])
    doc["planning"].update(decision_date="2026-12-01", years=2)
    doc["workloads"]["chat"].update(users=2_000_000, go_live="2027Q1")
    doc["sites"]["main_dc"].update(power_kw=40)
    plan = size(load_spec(write_yaml(tmp_path / "c.yaml", doc), catalog), catalog)
    assert plan.status != "optimal"
    units = [s for s in plan.diagnosis.shortfalls if s.unit == "units"]
    assert all(abs(s.amount - round(s.amount)) < 1e-6 and s.amount >= 1 - 1e-6 for s in units), units
    assert plan.diagnosis.shortfalls


def test_an_infeasible_plan_says_when_only_a_few_options_can_serve_and_why_the_others_cannot(catalog, tmp_path):
    """New-user trial: at a TPOT target only the B200 meets, the diagnosis blamed its lead time, power and budget
    and never said the other options cannot reach the target (plan.json had no not_offered for a plan-less case)."""
    from planner.pipeline import load_spec, size
    from planner.summary import summary_text

    doc = tiny_country(hardware=["hgx_h100", "mi300x_8x", "dgx_b200"])
    doc["workloads"]["chat"].update(model="llama_3_1_70b", tpot_ms=9, users=2_000_000)
    doc["sites"]["main_dc"].update(power_kw=30)
    plan = size(load_spec(write_yaml(tmp_path / "c.yaml", doc), catalog), catalog)
    assert plan.status == "infeasible"
    (chat,) = [w for w in plan.workloads if w.name == "chat"]
    refused = {n.hardware: n.code for n in chat.not_offered}
    assert set(chat.per_unit) | set(refused) == {"hgx_h100", "mi300x_8x", "dgx_b200"}
    assert len(chat.per_unit) <= 2 and refused, (chat.per_unit, refused)
    text = summary_text(plan)
    assert "can serve Chat at its targets" in text and all(h in text for h in refused), text


def test_a_workload_no_option_can_serve_is_said_once_with_every_floor(catalog, tmp_path):
    """Trial (Vietnam): at a 2 ms TPOT the terminal listed three floors and "22 more" as a shortfall, then every
    floor again in brackets. Now one line, every option's floor in it."""
    from planner.pipeline import load_spec, size
    from planner.summary import summary_text

    doc = tiny_country(hardware=["hgx_h100", "mi300x_8x", "dgx_b200", "atlas_800i_a2"])
    doc["workloads"]["chat"].update(model="llama_3_1_70b", tpot_ms=1, precision="fp8")
    plan = size(load_spec(write_yaml(tmp_path / "c.yaml", doc), catalog), catalog)
    assert plan.status == "infeasible"
    text = summary_text(plan)
    lines = [line for line in text.splitlines() if "can serve Chat" in line]
    assert len(lines) == 1, text
    assert lines[0].startswith("  - no hardware option can serve Chat at its targets: the TPOT floor is above 1 ms")
    assert all(h in lines[0] for h in ("hgx_h100", "mi300x_8x", "dgx_b200")) and "no native fp8" in lines[0]
    # the target to write is still given though one option fails on its precision, not a floor: the lowest floor
    (chat,) = [w for w in plan.workloads if w.name == "chat"]
    floors = [n.values["floor"] for n in chat.not_offered if n.code == "tpot_floor"]
    (fix,) = plan.diagnosis.remedies
    assert fix.code == "raise_latency" and float(fix.values["value"]) == min(floors)


def test_validate_notes_a_training_start_before_the_purchase_decision(cli, tmp_path):
    """New-user trial (Indonesia): validate said OK, then size found no plan, for a fine-tune whose earliest_start
    (2027-04-01) fell before the decision date (today, 2027-05-01 in the trial)."""
    doc = tiny_country()
    doc["planning"]["decision_date"] = "2027-05-01"
    doc["workloads"]["tune"] = {
        "kind": "fine_tuning",
        "model": "llama_3_1_8b",
        "tokens": 1e9,
        "deadline_days": 10,
        "earliest_start": "2027-04-01",
    }
    result = _validate(cli, tmp_path, doc)
    assert result.exit_code == 0, result.output
    assert "workloads.tune.earliest_start is 2027-04-01, before the purchase decision (2027-05-01" in result.output


def test_a_decimal_comma_inside_a_flow_mapping_is_named(cli, tmp_path):
    """`{power_kw: 1,5}` reads as power_kw 1 and a key 5: the unknown key `5` says why."""
    path = tmp_path / "country.yaml"
    path.write_text(
        "country: {name: X, iso2: MY}\nplanning: {start_year: 2027, years: 2}\n"
        "sites:\n  a: {name: A, jurisdiction: MY, power_kw: 1,5, racks: 4}\n",
        encoding="utf-8",
    )
    result = cli("validate", path)
    assert result.exit_code == 1
    assert "sites.a.5: unknown key `5`" in result.output and "a decimal comma splits the value" in result.output


def test_buy_only_training_too_soon_for_any_delivery_says_why(cli, tmp_path):
    """Trial (Nigeria): under buy_only a fine-tune starting before any bought unit can arrive read only "would need
    1 unit rented, against the acquisition policy"; the quickest delivery (counted among bought sites only, since
    the policy rules out the cloud region) is the reason to give."""
    doc = tiny_country()
    doc["policy"] = {"acquisition": "buy_only"}
    doc["sites"]["gov_cloud"] = {
        "name": "Sovereign cloud region",
        "jurisdiction": "TL",
        "kind": "sovereign_cloud",
        "rent_usd_per_accelerator_hour": {"hgx_h100": 2.0},
    }
    doc["planning"]["decision_date"] = "2026-12-15"  # no bought unit can work before Q2 2027
    doc["workloads"]["chat"]["go_live"] = "2027Q3"
    doc["workloads"]["tune"] = _training(earliest_start="2027-01-01")
    path = write_yaml(tmp_path / "country.yaml", doc)
    result = cli("size", path, "--short", "--out", tmp_path / "out", "--format", "json")
    assert result.exit_code == 3, result.output
    assert "starts on 2027-01-01, but nothing ordered from the decision date (2026-12-15)" in result.output, (
        result.output
    )


def test_a_duplicate_key_comes_with_the_schemas_problems(cli, tmp_path):
    """Trial (Egypt): a site defined twice reported alone; the file's eight other mistakes showed only once it was
    fixed. The duplicate (the first kept) now comes with them."""
    doc = tiny_country()
    doc["budget"] = {"capex_usd": -5}
    path = write_yaml(tmp_path / "c.yaml", doc)
    text = path.read_text() + "sites:\n  other_dc: {}\n"  # a second top-level `sites:`
    path.write_text(text)
    result = cli("validate", path)
    assert result.exit_code == 1, result.output
    assert "duplicate key `sites`" in result.output and "budget.capex_usd" in result.output, result.output


def test_validate_notes_more_users_than_the_country_has_people(cli, tmp_path):
    """Trial (Vietnam): `users: 3e9` passed validate although the catalog gives Vietnam 101 M people."""
    doc = tiny_country()
    doc["country"] = {"name": "Vietnam", "iso2": "VN"}
    doc["sites"]["main_dc"]["jurisdiction"] = "VN"
    doc["workloads"]["chat"]["users"] = 3e9
    result = _validate(cli, tmp_path, doc)
    assert result.exit_code == 0, result.output
    out = " ".join(result.output.split())
    assert "workloads.chat.users is 3,000,000,000, more than Vietnam's population (101 M, catalog)" in out
    doc["workloads"]["chat"]["users"] = 3e6
    assert "population" not in _validate(cli, tmp_path, doc).output

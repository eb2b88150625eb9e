"""Hostile input, round two (issue 15): bad YAML tags, huge integers, non-finite text, bounded error output,
scenario expansion limits, control characters in what is echoed."""

from __future__ import annotations

import time

import pytest
from conftest import EXAMPLES, tiny_country, write_yaml
from typer.testing import CliRunner

from planner.cli import app
from planner.errors import MAX_LISTED, InputError, Issue, shown, terminal_safe
from planner.yamlio import parse_yaml


def invoke(*args):
    """Run the CLI in-process; any exception but SystemExit would be a traceback for the user."""
    result = CliRunner().invoke(app, [str(a) for a in args], catch_exceptions=True)
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output
    return result


# ------------------------------------------------------------------------------------------ YAML tags

BAD_SCALARS = {
    "int": ("!!int abc", "`abc` is not an integer"),
    "float": ("!!float x", "`x` is not a number"),
    "bool": ("!!bool maybe", "`maybe` is not true or false"),
    "timestamp_text": ("!!timestamp abc", "`abc` is not a date"),
    "timestamp_empty": ("!!timestamp ''", "is not a date"),
    "map_on_scalar": ("!!map abc", "`!!map` on a single value"),
    "seq_on_scalar": ("!!seq abc", "`!!seq` on a single value"),
    "str_on_mapping": ("!!str {a: 1}", "`!!str` on a mapping"),
    "merge_scalar": ("{<<: 1}", "merge key `<<`"),
    "merge_list_of_scalars": ("{<<: [1, 2]}", "merge key `<<`"),
    "tagged_key": ("{!!int x: 1}", "`x` is not an integer"),
    "digits_4400": ("9" * 4400, "far too large"),
    "hex_beyond_float": ("0x" + "f" * 400, "beyond the range"),
    "sexagesimal_beyond_float": ("1" + ":59" * 200, "beyond the range"),
}


@pytest.mark.parametrize("written", ["2001-13-45", "!!timestamp 2001-13-45"])
def test_an_impossible_date_reaches_the_schema_with_the_other_problems(written):
    """2001-13-45 has a date's form: the reader keeps the text and the schema reports it beside every other
    problem of the file (it stopped at the reader and hid ten others in a trial)."""
    data = parse_yaml(f"planning:\n  start_year: 2027\n  decision_date: {written}\n", "c.yaml").data
    assert data["planning"]["decision_date"] == "2001-13-45"


@pytest.mark.parametrize("name", sorted(BAD_SCALARS))
def test_a_bad_tagged_value_is_an_input_error_with_file_line_and_field(name):
    value, expected = BAD_SCALARS[name]
    with pytest.raises(InputError) as info:
        parse_yaml(f"planning:\n  start_year: 2027\n  discount_rate: {value}\n", "c.yaml")
    issue = info.value.issues[0]
    assert expected in issue.message
    assert (issue.file, issue.line, issue.path) == ("c.yaml", 3, "planning.discount_rate")
    assert len(issue.format()) < 600


@pytest.mark.parametrize("name", ["int", "bool", "map_on_scalar", "merge_scalar", "digits_4400"])
def test_a_bad_tagged_value_in_set_names_the_key(tmp_path, name):
    value, expected = BAD_SCALARS[name]
    country = write_yaml(tmp_path / "country.yaml", tiny_country())
    result = invoke("validate", country, "--set", f"budget.capex_usd={value}")
    assert result.exit_code == 1
    assert expected in result.output and "--set  budget.capex_usd" in result.output


def test_bad_tags_reach_validate_and_size_as_exit_1(tmp_path):
    text = (EXAMPLES / "malaysia.yaml").read_text().replace("discount_rate: 0.08", "discount_rate: !!float x")
    country = tmp_path / "country.yaml"
    country.write_text(text)
    for command in ("validate", "size"):
        result = invoke(command, country, *(["--out", tmp_path / "out"] if command == "size" else []))
        assert result.exit_code == 1 and "is not a number" in result.output
    assert not (tmp_path / "out").exists()


# ------------------------------------------------------------------------------- numbers out of range


@pytest.mark.parametrize(
    ("where", "value", "expected"),
    [
        (("sites", "main_dc", "racks"), 10**400, "beyond the range"),
        (("sites", "main_dc", "racks"), 1e300, "integer"),
        (("sites", "main_dc", "racks"), 1e30, "integer"),
        (("sites", "main_dc", "rack_units_per_rack"), 10**300, "less than or equal to 100"),
        (("budget", "capex_usd"), "inf", "finite number"),
        (("budget", "capex_usd"), "-Infinity", "finite number"),
        (("sites", "main_dc", "power_kw"), "NaN", "finite number"),
        (("workloads", "chat", "users"), 1e300, "less than or equal to 1e+18"),
    ],
)
def test_numbers_out_of_range_fail_validate_with_a_field_error(tmp_path, where, value, expected):
    doc = tiny_country(budget={})
    node = doc
    for key in where[:-1]:
        node = node[key]
    node[where[-1]] = value
    result = invoke("validate", write_yaml(tmp_path / "c.yaml", doc))
    assert result.exit_code == 1
    assert expected in result.output and ".".join(where) in result.output


def test_a_cloud_region_with_absurd_max_accelerators_is_refused(tmp_path):
    doc = tiny_country()
    doc["sites"]["cloud"] = {
        "name": "Cloud",
        "jurisdiction": "TL",
        "kind": "sovereign_cloud",
        "rent_usd_per_accelerator_hour": {"hgx_h100": 3.0},
        "max_accelerators": 10**200,
    }
    result = invoke("validate", write_yaml(tmp_path / "c.yaml", doc))
    assert result.exit_code == 1 and "sites.cloud.max_accelerators" in result.output


def test_shown_bounds_and_escapes_values():
    assert shown("a" * 1_000_000).endswith("(1,000,000 characters)") and len(shown("a" * 1_000_000)) < 120
    assert shown(10**5000).startswith("an integer of about 5,000 digits")
    assert shown("x\x1b]0;pwned\x07y") == "x\\x1b]0;pwned\\x07y"
    assert terminal_safe("a\nb\x1b[31mc\u202e") == "a\nb\\x1b[31mc\\u202e"


# ---------------------------------------------------------------------------------- bounded output


def test_150000_unknown_keys_list_50_problems_and_count_the_rest_quickly(tmp_path):
    country = write_yaml(tmp_path / "c.yaml", tiny_country())
    with country.open("a") as handle:
        handle.write("".join(f"zz_unknown_{i}: {i}\n" for i in range(150_000)))
    started = time.process_time()
    result = invoke("validate", country)
    elapsed = time.process_time() - started
    assert result.exit_code == 1
    assert "150,000 problems found" in result.output
    assert f"and {150_000 - MAX_LISTED:,} more" in result.output
    assert result.output.count("unknown key") == MAX_LISTED
    assert len(result.output) < 20_000
    assert elapsed < 15, elapsed


def test_a_1_mb_value_is_not_echoed_whole(tmp_path):
    doc = tiny_country()
    doc["sites"]["main_dc"]["racks"] = "A" * 1_000_000
    doc["country"]["iso2"] = "B" * 1_000_000
    doc["sites"]["x" * 100_000] = {"name": "y"}
    result = invoke("validate", write_yaml(tmp_path / "c.yaml", doc))
    assert result.exit_code == 1
    assert "(1,000,000 characters)" in result.output
    assert len(result.output) < 5_000


def test_input_error_format_caps_the_listing():
    error = InputError([Issue("f.yaml", f"k{i}", "bad", line=i + 1) for i in range(120)])
    text = error.format()
    assert text.count("f.yaml:") == MAX_LISTED and "and 70 more" in text


# ----------------------------------------------------------------------------------- scenarios


def _chain_doc(levels: int) -> dict:
    doc = tiny_country()
    doc["overrides"] = {"cheap": {"budget.capex_usd": 1e9}}
    doc["scenarios"] = {"s0": ["cheap"], **{f"s{i}": [f"s{i - 1}", f"s{i - 1}"] for i in range(1, levels + 1)}}
    return doc


def test_scenarios_that_list_the_previous_one_twice_40_levels_deep_stop_with_a_clear_error(tmp_path):
    country = write_yaml(tmp_path / "c.yaml", _chain_doc(40))
    started = time.process_time()
    result = invoke("validate", country, "--scenario", "s40")
    assert result.exit_code == 1 and "nests scenarios more than 16 levels deep" in result.output
    result = invoke("validate", country)
    assert result.exit_code == 1 and "nests scenarios" in result.output
    assert time.process_time() - started < 10


def test_a_scenario_listing_one_twice_applies_it_once(tmp_path):
    country = write_yaml(tmp_path / "c.yaml", _chain_doc(10))
    result = invoke("validate", country, "--scenario", "s10")
    assert result.exit_code == 0, result.output


def test_400_overrides_validate_quickly(tmp_path):
    doc = tiny_country()
    doc["overrides"] = {f"o{i}": {"budget.capex_usd": 1e8 + i} for i in range(400)}
    country = write_yaml(tmp_path / "c.yaml", doc)
    started = time.process_time()
    result = invoke("validate", country)
    assert result.exit_code == 0, result.output
    assert time.process_time() - started < 8
    assert len(result.output) < 1000, "the OK line does not list 400 names"


def test_a_dotted_key_with_thousands_of_parts_is_refused(tmp_path):
    country = write_yaml(tmp_path / "c.yaml", tiny_country())
    result = invoke("validate", country, "--set", "a" + ".a" * 100_000 + "=1")
    assert result.exit_code == 1 and "is not a dotted key" in result.output
    assert len(result.output) < 2000


# ------------------------------------------------------------------------------------- command line


@pytest.mark.parametrize("limit", ["nan", "inf", "-inf", "-1", "0", "1e300"])
def test_time_limit_must_be_a_finite_positive_number(tmp_path, limit):
    country = write_yaml(tmp_path / "c.yaml", tiny_country())
    result = invoke("size", country, "--time-limit", limit, "--out", tmp_path / "out")
    assert result.exit_code == 1 and "--time-limit: must be a positive number of seconds" in result.output
    assert not (tmp_path / "out").exists()


def test_an_unexpected_exception_prints_one_line_logs_the_traceback_and_exits_70(tmp_path, monkeypatch, capsys):
    import sys

    import planner.cli as cli_mod

    def boom(*args, **kwargs):
        raise RuntimeError("simulated bug \x1b]0;title\x07")

    monkeypatch.setattr("planner.catalog.load_catalog", boom)
    monkeypatch.setattr(sys, "argv", ["planner", "validate", str(EXAMPLES / "malaysia.yaml")])
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path))
    with pytest.raises(SystemExit) as info:
        cli_mod.main()
    assert info.value.code == 70
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "internal error (RuntimeError)" in err and "please report it" in err
    assert "Traceback" not in err and "\x1b" not in err
    logs = list(tmp_path.glob("planner-crash-*.log"))
    assert len(logs) == 1 and str(logs[0]) in err
    text = logs[0].read_text()
    assert "Traceback" in text and "simulated bug" in text and "validate" in text


def test_control_characters_in_names_are_escaped_in_error_messages(tmp_path):
    doc = tiny_country()
    doc["sites"]["main_dc"]["racks"] = "\x1b]0;owned\x07\x1b[2J"
    doc["workloads"]["chat"]["model"] = "llama\x1b[31m"
    result = invoke("validate", write_yaml(tmp_path / "c.yaml", doc))
    assert result.exit_code == 1
    assert "\x1b" not in result.output and "\x07" not in result.output
    assert "\\x1b]0;owned\\x07" in result.output


# ------------------------------------------------------------------------------------------ catalogs


def _user_catalog(tmp_path, section: str, entry_id: str, **changes):
    import yaml
    from conftest import ROOT

    files = {
        "hardware": ROOT / "catalogs" / "hardware" / "nvidia.yaml",
        "efficiency_profiles": ROOT / "catalogs" / "efficiency.yaml",
    }
    doc = yaml.safe_load(files[section].read_text(encoding="utf-8"))
    entry = next(e for e in doc[section] if e["id"] == entry_id)
    entry.update(changes)
    (tmp_path / "cat").mkdir(exist_ok=True)
    return write_yaml(tmp_path / "cat" / "mine.yaml", {section: [entry]}).parent


@pytest.mark.parametrize(
    ("section", "entry_id", "field", "value"),
    [
        ("efficiency_profiles", "nvidia_hopper_trtllm", "training_mfu", 0),
        ("efficiency_profiles", "nvidia_hopper_trtllm", "goodput", 0.0),
        ("efficiency_profiles", "nvidia_hopper_trtllm", "usable_memory_fraction", 0),
        ("efficiency_profiles", "nvidia_hopper_trtllm", "memory_efficiency", 1.5),
        ("efficiency_profiles", "nvidia_hopper_trtllm", "compute_efficiency", 1e-300),
        ("hardware", "hgx_h100", "bf16_tflops_per_chip", 1e300),
        ("hardware", "hgx_h100", "bf16_tflops_per_chip", 1e30),
        ("hardware", "hgx_h100", "hbm_gb_per_chip", 1e300),
        ("hardware", "hgx_h100", "hbm_tb_s_per_chip", 0),
        ("hardware", "hgx_h100", "price_usd_per_unit", 1e-300),
        ("hardware", "hgx_h100", "power_kw_per_unit", 1e-9),
        ("hardware", "hgx_h100", "chips_per_unit", 10**12),
    ],
)
def test_implausible_catalog_figures_are_input_errors_naming_the_field_file_and_line(
    tmp_path, section, entry_id, field, value
):
    if section == "efficiency_profiles":
        import yaml
        from conftest import ROOT

        hw = yaml.safe_load((ROOT / "catalogs" / "hardware" / "nvidia.yaml").read_text(encoding="utf-8"))
        entry_id = next(h for h in hw["hardware"] if h["id"] == "hgx_h100")["efficiency_profile"]
    catalog = _user_catalog(tmp_path, section, entry_id, **{field: value})
    country = write_yaml(tmp_path / "c.yaml", tiny_country(hardware=["hgx_h100"]))
    for args in (
        ["validate", country],
        ["size", country, "--out", tmp_path / "out"],
        ["estimate", "train", "--model", "llama_3_1_8b", "--hardware", "hgx_h100", "--tokens", "1e12", "--days", "30"],
    ):
        result = invoke(*args, "--catalog", catalog)
        assert result.exit_code == 1, result.output
        assert "mine.yaml:" in result.output and f"{section}[0].{field}" in result.output.replace(".0.", "[0].")
    assert not (tmp_path / "out").exists()


def test_pue_of_a_catalog_country_must_be_plausible(tmp_path):
    import yaml
    from conftest import ROOT

    doc = yaml.safe_load((ROOT / "catalogs" / "countries.yaml").read_text(encoding="utf-8"))
    entry = doc["countries"][0]
    entry["pue"] = {**entry["pue"], "new_air": 0.0001}
    (tmp_path / "cat").mkdir()
    write_yaml(tmp_path / "cat" / "c.yaml", {"countries": [entry]})
    result = invoke("catalog", "list", "--catalog", tmp_path / "cat")
    assert result.exit_code == 1 and "pue.new_air" in result.output


# ------------------------------------------------------------------------------------------ estimate


@pytest.mark.parametrize("tokens", ["1e300", "nan", "inf", "-inf", "0"])
def test_estimate_train_refuses_absurd_tokens_naming_the_option(tokens):
    result = invoke(
        "estimate", "train", "--model", "llama_3_1_8b", "--hardware", "hgx_h100", "--tokens", tokens, "--days", "30"
    )
    assert result.exit_code == 1 and "--tokens: must be between" in result.output


def test_estimate_serve_lists_every_bad_option():
    result = invoke(
        "estimate",
        "serve",
        "--model",
        "llama_3_1_8b",
        "--hardware",
        "hgx_h100",
        "--input-tokens",
        "nan",
        "--output-tokens",
        "1e300",
        "--tpot-ms",
        "inf",
    )
    assert result.exit_code == 1
    assert all(o in result.output for o in ("--input-tokens:", "--output-tokens:", "--tpot-ms:"))


# --------------------------------------------------------------------------------- names in reports

EVIL = "Evil\x1b]0;pwned\x07Land\r# Injected\r![](http://evil.example/x.png) \x1b[2J <img src=x> \u202e"


def test_control_characters_and_markdown_in_names_neither_crash_nor_leak(tmp_path):
    import re

    from openpyxl import load_workbook

    doc = tiny_country()
    doc["country"]["name"] = EVIL
    doc["sites"]["main_dc"]["name"] = EVIL
    country = write_yaml(tmp_path / "c.yaml", doc)
    out = tmp_path / "out"
    result = invoke("size", country, "--out", out, "--format", "json,md,html,xlsx")
    assert result.exit_code == 0, result.output
    assert not re.search("[\x00-\x08\x0b-\x1f\x7f\u202e]", result.output), "raw control characters on the terminal"
    md = (out / "report.md").read_text()
    assert not re.search("[\x00-\x08\x0b-\x1f\x7f\u202e]", md)
    assert "\n# Injected" not in md and not re.search(r"(?<!\\)!\[[^\]]*\]\(", md), "remote image or heading"
    assert "http://evil.example" in md  # kept as text
    book = load_workbook(out / "bom.xlsx")
    assert any("pwned" in str(c.value) for row in book["About"].iter_rows() for c in row)
    result = invoke("report", out / "plan.json", "--format", "md,html,xlsx", "--out", tmp_path / "again")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "again" / "bom.xlsx").exists()


def test_md_escape_neutralises_links_images_breaks_and_headings():
    from planner.report.fmt import md_escape

    assert md_escape("a\rb\nc\u2028d") == "a b c d"
    assert md_escape("![x](http://e/x.png)") == "!\\[x\\](http://e/x.png)"
    assert md_escape("# h") == "\\# h" and md_escape("a|b<c") == "a\\|b&lt;c"
    assert md_escape("\x1b[31mred\x07") == "\\[31mred"


def test_xlsx_cell_values_are_sanitised():
    from planner.report.xlsx import MAX_CELL_TEXT, cell_value

    assert cell_value("a\x1bb\x00") == "a\\x1bb\\x00"
    assert len(cell_value("x" * 100_000)) == MAX_CELL_TEXT
    assert cell_value(float("nan")) is None and cell_value(10**400) is None and cell_value(3) == 3


def test_the_installed_command_escapes_control_characters_in_clicks_usage_errors(tmp_path):
    import subprocess
    import sys

    code = "import sys; from planner.cli import main; sys.argv = ['planner'] + sys.argv[1:]; main()"
    args = ["estimate", "train", "--model", "m", "--hardware", "h", "--tokens", "1e12", "--chips", "\x1b]0;T\x07"]
    proc = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2
    assert "\x1b" not in proc.stderr and "\x07" not in proc.stderr and proc.stderr.strip()


@pytest.mark.parametrize("damage", ["no_iso2", "deep", "year_1e30"])
def test_a_damaged_plan_json_is_an_input_error_for_report(tmp_path, damage):
    import json

    country = write_yaml(tmp_path / "c.yaml", tiny_country())
    out = tmp_path / "out"
    assert invoke("size", country, "--out", out, "--format", "json").exit_code == 0
    plan_file = out / "plan.json"
    plan = json.loads(plan_file.read_text())
    if damage == "no_iso2":
        del plan["country"]["iso2"]
        plan_file.write_text(json.dumps(plan))
    elif damage == "deep":
        plan["extra"] = "PLACEHOLDER"
        plan_file.write_text(json.dumps(plan).replace('"PLACEHOLDER"', "[" * 100_000 + "]" * 100_000))
    else:
        plan_file.write_text(json.dumps(plan).replace("2027", "1e30"))
    result = invoke("report", plan_file, "--format", "md,html,xlsx", "--out", tmp_path / "again")
    assert result.exit_code in (0, 1), result.output
    if result.exit_code == 1:
        assert "plan" in result.output and not (tmp_path / "again").exists()


def test_every_unreadable_value_and_duplicate_key_is_reported_at_once():
    """Trial (Ethiopia): a file with a `.nan`, an `.inf`, a 400-digit integer and a repeated `budget:` showed the
    first alone; fixing it revealed the next. The reader now reads on and reports all of them together."""
    text = (
        "budget:\n  capex_usd: .nan\n"
        "sites:\n  dc:\n    power_kw: .inf\n    racks: " + "9" * 400 + "\n"
        "budget:\n  capex_usd: 1e6\n"
    )
    with pytest.raises(InputError) as info:
        parse_yaml(text, "c.yaml")
    found = [(i.line, i.path) for i in info.value.issues]
    assert found == [(2, "budget.capex_usd"), (5, "sites.dc.power_kw"), (6, "sites.dc.racks"), (7, "budget")], found

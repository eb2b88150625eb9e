"""Bundled catalogs (hardware, models, languages, countries) and the `planner catalog` command.

Expected values come from the reference tables (vendor datasheets, model configs, FLORES premiums),
not from program output.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from planner.catalog import Catalog, load_catalog
from planner.cli_catalog import catalog_app, kv_bytes_per_token
from planner.errors import InputError

ROOT = Path(__file__).resolve().parent.parent
CATALOGS = ROOT / "catalogs"

HARDWARE_IDS = {
    "atlas_800t_a2",
    "atlas_800i_a2",
    "atlas_800i_a3",
    "cloudmatrix_384",
    "atlas_300i_duo_box",
    "ascend_ai_appliance",
    "hgx_a100",
    "hgx_h100",
    "hgx_h800",
    "hgx_h200",
    "dgx_b200",
    "gb200_nvl72",
    "hgx_h20",
    "l40s_8x",
    "mi300x_8x",
    "mi325x_8x",
    "gaudi3_8x",
}
MODEL_IDS = {
    "llama_2_7b",
    "llama_2_13b",
    "llama_2_70b",
    "llama_3_1_8b",
    "llama_3_1_70b",
    "llama_3_1_405b",
    "glm_4_9b",
    "glm_4_5",
    "glm_4_5_air",
    "glm_130b",
    "qwen2_5_72b",
    "qwen3_235b_a22b",
    "deepseek_v3",
    "bloom_176b",
    "opt_175b",
    "falcon_180b",
    "gpt_j_6b",
}
LANGUAGE_IDS = {
    "ms",
    "id",
    "th",
    "vi",
    "tl",
    "my",
    "km",
    "lo",
    "ta",
    "ar",
    "fa",
    "ur",
    "tr",
    "kk",
    "uz",
    "ru",
    "sw",
    "am",
    "ha",
    "yo",
    "ig",
    "fr",
    "pt",
    "es",
    "hi",
    "bn",
    "jv",
    "su",
    "zh",
    "ja",
    "ko",
    "ne",
    "si",
    "ps",
    "ky",
    "tg",
    "mn",
    "so",
    "zu",
    "en",
    "arz",
    "ceb",
}
COUNTRY_IDS = {"my", "id", "th", "vn", "sa", "ae", "kz", "eg", "ke", "ng", "br", "sg", "ph", "uz", "cn"}
EFFICIENCY_IDS = {
    "nvidia_ampere_cuda",
    "nvidia_hopper_cuda",
    "nvidia_blackwell_cuda",
    "nvidia_ada_cuda",
    "amd_cdna3_rocm",
    "intel_gaudi3_synapse",
    "ascend_910b_cann",
    "ascend_910c_cann",
    "ascend_310_cann",
}
PREMIUM_KEYS = {
    "cl100k",
    "o200k",
    "llama3",
    "llama4",
    "qwen",
    "gemma3",
    "deepseek_v3",
    "tekken",
    "median_modern",
    "llama2",
    "bloom",
    "xlmr",
    "mt5",
    "nllb",
    "bytes",
}
TOKENIZER_FAMILIES = {"llama2", "llama3", "qwen", "glm", "deepseek_v3", "bloom", "gpt2", "falcon"}


def _efficiency_stub(directory: Path) -> list[Path]:
    """Extra dirs for the tests: a stub of the agreed profile ids while catalogs/efficiency.yaml is missing."""
    if (CATALOGS / "efficiency.yaml").exists():
        return []
    profiles = [
        {
            "id": p,
            "name": p,
            "training_mfu": 0.4,
            "moe_training_mfu": 0.3,
            "goodput": 0.9,
            "memory_efficiency": 0.7,
            "compute_efficiency": 0.6,
            "decode_overhead_ms": 5,
            "source": {"ref": "stub_eff", "confidence": "estimate"},
        }
        for p in sorted(EFFICIENCY_IDS)
    ]
    doc = {"references": {"stub_eff": {"cite": "test stub", "as_of": "2026"}}, "efficiency_profiles": profiles}
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "eff.yaml").write_text(yaml.safe_dump(doc), encoding="utf-8")
    return [directory]


@pytest.fixture(scope="module")
def extra_dirs(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    return _efficiency_stub(tmp_path_factory.mktemp("effstub"))


@pytest.fixture(scope="module")
def cat(extra_dirs: list[Path]) -> Catalog:
    return load_catalog(extra_dirs)


def _catalog_args(extra_dirs: list[Path]) -> list[str]:
    return [arg for d in extra_dirs for arg in ("--catalog", str(d))]


# --- the whole bundled catalog ----------------------------------------------------------------


def test_bundled_catalog_loads_on_its_own() -> None:
    if not (CATALOGS / "efficiency.yaml").exists():
        pytest.skip("catalogs/efficiency.yaml (efficiency profiles) not written yet")
    cat = load_catalog()
    assert set(cat.hardware) >= HARDWARE_IDS
    assert {hw.efficiency_profile for hw in cat.hardware.values()} <= set(cat.efficiency_profiles)


def test_sections_hold_the_fixed_ids(cat: Catalog) -> None:
    assert set(cat.hardware) >= HARDWARE_IDS  # the entries tests rely on (later generations are added)
    # announced generations are marked as such, with a first delivery date
    assert all(hw.available_from for hw in cat.hardware.values() if hw.roadmap)
    assert set(cat.models) == MODEL_IDS
    assert set(cat.languages) == LANGUAGE_IDS
    assert set(cat.countries) == COUNTRY_IDS


def test_hardware_uses_only_agreed_efficiency_profiles(cat: Catalog) -> None:
    assert {hw.efficiency_profile for hw in cat.hardware.values()} <= EFFICIENCY_IDS
    assert cat.hardware["atlas_800i_a3"].efficiency_profile == "ascend_910c_cann"
    assert cat.hardware["atlas_300i_duo_box"].efficiency_profile == "ascend_310_cann"


def test_reference_ids_are_unique_across_files() -> None:
    counts: Counter[str] = Counter()
    for file in sorted(CATALOGS.rglob("*.yaml")):
        doc = yaml.safe_load(file.read_text(encoding="utf-8")) or {}
        counts.update((doc.get("references") or {}).keys())
    duplicates = sorted(ref for ref, n in counts.items() if n > 1)
    assert duplicates == []


def test_a_user_catalog_redefining_a_reference_or_repeating_an_id_is_refused(tmp_path) -> None:
    """Trial (Ethiopia): a user file redefining the bundled `ctry_pue_uptime` re-cited Kenya's PUE to the user's
    document, and `ti` twice in one file kept the second silently; both passed `validate`."""
    from planner.errors import InputError

    mine = tmp_path / "mine"
    mine.mkdir()
    ref = {"cite": "mine", "as_of": "2026"}
    (mine / "a.yaml").write_text(yaml.safe_dump({"references": {"ctry_pue_uptime": ref}}))
    lang = yaml.safe_load((CATALOGS / "languages.yaml").read_text())["languages"][0]
    (mine / "b.yaml").write_text(yaml.safe_dump({"languages": [lang, lang]}))
    with pytest.raises(InputError) as info:
        load_catalog([mine])
    said = [(Path(i.file).name, i.message) for i in info.value.issues]
    assert any(f == "a.yaml" and "`ctry_pue_uptime` is already defined at" in m for f, m in said), said
    assert any(f == "b.yaml" and "is defined twice in this file" in m for f, m in said), said


# --- provenance ---------------------------------------------------------------------------------


def _figures(entry) -> list[str]:
    """Fields the entry sets that hold numbers (or mappings of numbers)."""
    out = []
    for name in entry.model_fields_set - {"id", "source", "sources", "export_rules"}:
        value = getattr(entry, name)
        if isinstance(value, bool):
            continue
        if isinstance(value, int | float) or (isinstance(value, dict) and value):
            out.append(name)
    return out


@pytest.mark.parametrize("section", ["hardware", "models", "languages", "countries"])
def test_every_figure_has_a_resolvable_dated_source(cat: Catalog, section: str) -> None:
    for entry in cat.section(section).values():
        figures = _figures(entry)
        assert figures, entry.id
        for name in figures:
            src = entry.provenance(name)
            ref = cat.references.get(src.ref)
            assert ref is not None, f"{entry.id}.{name}: unknown ref {src.ref}"
            assert ref.cite.strip() and ref.as_of, f"{entry.id}.{name}"
        for rule in getattr(entry, "export_rules", []):
            assert rule.ref in cat.references, f"{entry.id}: export rule ref {rule.ref}"


def test_derived_figures_explain_their_derivation(cat: Catalog) -> None:
    derived_refs = {"hw_planner_derived", "mdl_moe_derived"}
    for section in ("hardware", "models"):
        for entry in cat.section(section).values():
            for name, src in entry.sources.items():
                if src.ref in derived_refs:
                    assert src.confidence == "estimate", f"{entry.id}.{name}"
                    assert src.note and len(src.note) > 10, f"{entry.id}.{name} needs a derivation note"


def test_uncertain_hardware_figures_are_tagged_estimate(cat: Catalog) -> None:
    hw = cat.hardware
    # the reference has no power or rack units for the Atlas 800 A2 servers (U placeholders)
    assert hw["atlas_800t_a2"].provenance("power_kw_per_unit").confidence == "estimate"
    assert hw["atlas_800t_a2"].provenance("rack_units").confidence == "estimate"
    # 910B peak and bandwidth: the sources conflict
    assert hw["atlas_800i_a2"].provenance("bf16_tflops_per_chip").confidence == "estimate"
    assert hw["atlas_800i_a2"].provenance("hbm_tb_s_per_chip").confidence == "estimate"
    # all prices and lead times are estimates in the reference (A3)
    for entry in hw.values():
        assert entry.provenance("price_usd_per_unit").confidence == "estimate", entry.id
        assert entry.provenance("lead_time_weeks").confidence == "estimate", entry.id
    # ...while primary-datasheet figures are not
    assert hw["hgx_h100"].provenance("bf16_tflops_per_chip").confidence == "measured"
    assert hw["dgx_b200"].provenance("rack_units").confidence == "measured"


# --- spot checks against the reference ------------------------------------------------------------


def test_h100_dense_figures(cat: Catalog) -> None:
    h100 = cat.hardware["hgx_h100"]
    assert h100.bf16_tflops_per_chip == pytest.approx(989.4)
    assert h100.fp8_tflops_per_chip == pytest.approx(1978.9)
    assert h100.hbm_gb_per_chip == 80
    assert h100.hbm_tb_s_per_chip == pytest.approx(3.35)
    assert h100.chips_per_unit == 8


def test_nvidia_and_amd_peaks_are_dense_not_sparse(cat: Catalog) -> None:
    # dense FP8 is 2x dense BF16 on Hopper, Blackwell, Ada and CDNA3; a sparse figure would make it 4x
    for hw_id in ("hgx_h100", "hgx_h200", "hgx_h20", "dgx_b200", "gb200_nvl72", "l40s_8x", "mi300x_8x", "mi325x_8x"):
        hw = cat.hardware[hw_id]
        assert hw.fp8_tflops_per_chip / hw.bf16_tflops_per_chip == pytest.approx(2.0, rel=0.02), hw_id
    assert cat.hardware["dgx_b200"].bf16_tflops_per_chip == 2250
    assert cat.hardware["dgx_b200"].fp4_tflops_per_chip == 2 * cat.hardware["dgx_b200"].fp8_tflops_per_chip == 9000
    assert cat.hardware["gb200_nvl72"].cooling == "liquid"
    assert cat.hardware["hgx_h100"].fp4_tflops_per_chip is None  # Hopper has no FP4
    assert cat.hardware["gb200_nvl72"].chips_per_unit == 72
    assert cat.hardware["cloudmatrix_384"].chips_per_unit == 384
    assert cat.hardware["cloudmatrix_384"].rack_units == 16 * 42


def test_ascend_has_no_fp8(cat: Catalog) -> None:
    # the shipping Ascend 910B/910C have no FP8 units; the announced Ascend 950 adds FP8 (HiF8)
    for hw in cat.hardware.values():
        if hw.vendor == "huawei" and not hw.roadmap:
            assert hw.fp8_tflops_per_chip is None, hw.id
            assert hw.origin_country == "CN"


def test_kv_cache_bytes_from_catalog_fields(cat: Catalog) -> None:
    llama = cat.models["llama_3_1_70b"]
    assert 2 * llama.layers * llama.kv_heads * llama.head_dim * 2 == 2 * 80 * 8 * 128 * 2 == 327_680
    assert kv_bytes_per_token(llama) == 327_680
    ds = cat.models["deepseek_v3"]
    assert ds.attention == "mla"
    assert ds.layers * (ds.kv_lora_rank + ds.qk_rope_head_dim) * 2 == 61 * (512 + 64) * 2
    assert kv_bytes_per_token(ds) == 70_272
    assert kv_bytes_per_token(cat.models["glm_4_5"]) == 2 * 92 * 8 * 128 * 2
    assert kv_bytes_per_token(cat.models["qwen3_235b_a22b"]) == 2 * 94 * 4 * 128 * 2


def test_model_architecture_facts(cat: Catalog) -> None:
    models = cat.models
    assert {m.tokenizer for m in models.values()} <= TOKENIZER_FAMILIES
    assert models["llama_2_7b"].attention == "mha" and models["llama_2_7b"].kv_heads == 32
    assert models["llama_2_70b"].attention == "gqa" and models["llama_2_70b"].kv_heads == 8
    assert models["glm_4_9b"].kv_heads == 2
    assert models["llama_3_1_405b"].layers == 126
    for model in models.values():
        if model.attention == "mha":
            assert model.kv_heads == model.attention_heads, model.id
        if model.is_moe:
            # routed experts hold most, but not all, of the parameters; a token reads only a few of them
            assert model.params_active_b < model.routed_expert_params_b < model.params_total_b, model.id
    ds = models["deepseek_v3"]
    assert (ds.routed_experts, ds.experts_per_token) == (256, 8)
    assert ds.routed_expert_params_b == pytest.approx(3 * 7168 * 2048 * 256 * 58 / 1e9, rel=1e-3)


def test_language_premiums(cat: Catalog) -> None:
    langs = cat.languages
    assert langs["th"].premium["qwen"] == pytest.approx(2.59)
    assert langs["km"].premium["median_modern"] == pytest.approx(6.61)
    assert langs["my"].premium["llama2"] == pytest.approx(8.37)
    assert langs["zh"].premium["deepseek_v3"] == pytest.approx(0.99)
    assert all(v == 1.0 for v in langs["en"].premium.values())
    for lang in langs.values():
        assert set(lang.premium) == PREMIUM_KEYS, lang.id
    assert langs["id"].web_tokens_b_english_equivalent == pytest.approx(69.6)
    assert langs["en"].web_tokens_b_english_equivalent is None


def test_countries(cat: Catalog) -> None:
    countries = cat.countries
    assert countries["my"].population_m == pytest.approx(35.6)
    assert countries["my"].languages["ms"] == pytest.approx(0.75)
    assert countries["ke"].grid_gco2_per_kwh == 70
    assert countries["sa"].electricity_usd_per_kwh == pytest.approx(0.05)
    for country in countries.values():
        assert country.iso2 == country.id.upper()
        assert set(country.languages) <= set(cat.languages), country.id
        assert set(country.pue) == {"legacy", "new_air", "new_liquid"}
        assert country.pue["new_liquid"] < country.pue["new_air"] < country.pue["legacy"], country.id


# --- export rules ------------------------------------------------------------------------------


def _status(hw, iso2: str, day: dt.date) -> str | None:
    """Status of a hardware item in a destination on a day: a rule naming the country wins over "*"."""
    for wanted in (iso2, "*"):
        for rule in hw.export_rules:
            in_period = (rule.from_date is None or rule.from_date <= day) and (
                rule.until_date is None or day <= rule.until_date
            )
            if wanted in rule.destinations and in_period:
                return rule.status
    return None


def test_export_rules_encode_the_dated_table(cat: Catalog) -> None:
    hw = cat.hardware
    d = dt.date
    assert _status(hw["hgx_h100"], "CN", d(2025, 1, 1)) == "prohibited"
    assert _status(hw["hgx_h800"], "CN", d(2023, 6, 1)) == "allowed"
    assert _status(hw["hgx_h800"], "CN", d(2024, 1, 1)) == "prohibited"
    assert _status(hw["hgx_h20"], "CN", d(2025, 4, 8)) == "allowed"
    assert _status(hw["hgx_h20"], "CN", d(2025, 4, 9)) == "licence_required"
    assert _status(hw["hgx_h200"], "CN", d(2026, 1, 14)) == "prohibited"
    assert _status(hw["hgx_h200"], "CN", d(2026, 1, 15)) == "licence_required"
    assert _status(hw["gb200_nvl72"], "CN", d(2026, 6, 1)) == "prohibited"
    assert _status(hw["dgx_b200"], "AE", d(2026, 1, 1)) == "licence_required"
    assert _status(hw["dgx_b200"], "KE", d(2026, 1, 1)) == "allowed"
    assert _status(hw["mi300x_8x"], "MY", d(2025, 8, 1)) == "licence_required"
    assert _status(hw["atlas_800t_a2"], "CN", d(2026, 1, 1)) == "allowed"
    assert _status(hw["atlas_800t_a2"], "MY", d(2025, 1, 1)) == "allowed"
    assert _status(hw["cloudmatrix_384"], "MY", d(2025, 5, 13)) == "legal_risk"


def test_export_rules_do_not_overlap(cat: Catalog) -> None:
    far_past, far_future = dt.date(1900, 1, 1), dt.date(2999, 1, 1)
    for hw in cat.hardware.values():
        assert any("*" in r.destinations for r in hw.export_rules), hw.id
        for i, a in enumerate(hw.export_rules):
            for b in hw.export_rules[i + 1 :]:
                if not set(a.destinations) & set(b.destinations):
                    continue
                a0, a1 = a.from_date or far_past, a.until_date or far_future
                b0, b1 = b.from_date or far_past, b.until_date or far_future
                assert a1 < b0 or b1 < a0, f"{hw.id}: overlapping rules for {a.destinations} / {b.destinations}"


# --- user catalog directories -----------------------------------------------------------------

NEW_HARDWARE = """\
references:
  usr_quote:
    cite: "Vendor quote 2026-001 (test)"
    as_of: "2026-03"
hardware:
  - id: my_test_server
    name: Test server
    kind: server
    vendor: nvidia
    origin_country: US
    accelerator: H100 SXM5 80GB
    chips_per_unit: 8
    bf16_tflops_per_chip: 989.4
    hbm_gb_per_chip: 80
    hbm_tb_s_per_chip: 3.35
    scale_up_domain_chips: 8
    scale_up_gb_s_per_chip: 450
    power_kw_per_unit: {power}
    rack_units: 8
    price_usd_per_unit: 250000
    price_as_of: "2026-03"
    lead_time_weeks: 8
    software_stack: CUDA
    efficiency_profile: nvidia_hopper_cuda
    source: {{ref: usr_quote, confidence: vendor}}
"""


def test_user_directory_adds_and_overrides_entries(tmp_path: Path, extra_dirs: list[Path]) -> None:
    (tmp_path / "mine.yaml").write_text(NEW_HARDWARE.format(power=10.5), encoding="utf-8")
    override = {
        "hardware": [
            {
                **yaml.safe_load(NEW_HARDWARE.format(power=11))["hardware"][0],
                "id": "hgx_h100",
                "price_usd_per_unit": 199000,
            }
        ]
    }
    (tmp_path / "override.yaml").write_text(yaml.safe_dump(override), encoding="utf-8")
    cat = load_catalog([*extra_dirs, tmp_path])
    assert cat.hardware["my_test_server"].power_kw_per_unit == 10.5
    assert cat.hardware["hgx_h100"].price_usd_per_unit == 199000
    assert cat.origin[("hardware", "my_test_server")][0].endswith("mine.yaml")


def test_broken_user_entry_names_file_line_and_field(tmp_path: Path, extra_dirs: list[Path]) -> None:
    text = NEW_HARDWARE.format(power=-3).replace("    rack_units: 8\n", "    rack_units: 8\n    colour: green\n")
    (tmp_path / "broken.yaml").write_text(text, encoding="utf-8")
    lines = text.splitlines()
    power_line = next(i for i, line in enumerate(lines, 1) if "power_kw_per_unit" in line)
    colour_line = next(i for i, line in enumerate(lines, 1) if "colour" in line)
    with pytest.raises(InputError) as info:
        load_catalog([*extra_dirs, tmp_path])
    issues = {i.path: i for i in info.value.issues}
    power = next(i for p, i in issues.items() if p.endswith("power_kw_per_unit"))
    colour = next(i for p, i in issues.items() if p.endswith("colour"))
    assert power.file.endswith("broken.yaml") and power.line == power_line
    assert "hardware" in power.path and "0" in power.path
    assert colour.line == colour_line and "unknown key" in colour.message


# --- the `planner catalog` command --------------------------------------------------------------


@pytest.fixture(scope="module")
def run(extra_dirs: list[Path]):
    runner = CliRunner()

    def invoke(*args: str):
        return runner.invoke(catalog_app, [*args, *_catalog_args(extra_dirs)], catch_exceptions=False)

    return invoke


def test_show_prints_figures_citations_and_estimates(run) -> None:
    result = run("show", "atlas_800t_a2")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "power_kw_per_unit = 5.5 [kW" in out
    assert "(estimate)" in out
    assert "ai.gitee.com" in out  # citation of the 910B figures
    assert "legal_risk" in out and "2025-05-13" in out


def test_show_cites_each_reference_once(run) -> None:
    """Figures name their reference; its citation is printed once, after the figures and export rules."""
    out = run("show", "hgx_h100").stdout
    assert out.count("glennklockwood.com/garden/processors/h100") == 1
    assert out.count("88 FR 73458") == 1
    assert out.count("source: hw_gk_h100 (as of 2024)") >= 5
    assert out.index("  sources:") > out.index("export rules")


def test_show_model_gives_derived_kv_cache(run) -> None:
    result = run("show", "llama_3_1_70b")
    assert result.exit_code == 0
    assert "327,680 bytes per token" in result.stdout


def test_list_hardware_json(run) -> None:
    result = run("list", "hardware", "--json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert set(doc) == {"hardware"}
    by_id = {e["id"]: e for e in doc["hardware"]}
    assert set(by_id) >= HARDWARE_IDS
    h100 = by_id["hgx_h100"]
    assert h100["bf16_tflops_per_chip"] == pytest.approx(989.4)
    prov = h100["provenance"]["price_usd_per_unit"]
    assert prov["confidence"] == "estimate" and prov["cite"] and prov["as_of"]


def test_list_all_sections_human(run) -> None:
    result = run("list")
    assert result.exit_code == 0
    for section in ("hardware (", "models (", "languages (", "countries (", "efficiency_profiles ("):
        assert section in result.stdout
    assert "~" in result.stdout  # estimates are marked in the tables


def test_unknown_id_suggests_a_close_one(run) -> None:
    result = run("show", "hgx_h10")
    assert result.exit_code == 1
    assert "did you mean `hgx_h100`" in result.stderr
    assert "Traceback" not in result.output


def test_unknown_section_is_a_usage_error(run) -> None:
    result = run("list", "gpus")
    assert result.exit_code == 2


def test_catalog_error_is_reported_without_traceback(tmp_path: Path, extra_dirs: list[Path]) -> None:
    (tmp_path / "broken.yaml").write_text(NEW_HARDWARE.format(power=-1), encoding="utf-8")
    args = ["list", "hardware", *_catalog_args(extra_dirs), "--catalog", str(tmp_path)]
    result = CliRunner().invoke(catalog_app, args, catch_exceptions=False)
    assert result.exit_code == 1
    assert "broken.yaml" in result.stderr and "power_kw_per_unit" in result.stderr
    assert "Traceback" not in result.output


def test_a_licence_quota_stated_with_two_caps_is_refused(tmp_path) -> None:
    """Review: H100 at 16 and H200 at 40 in one quota made the cap depend on which of them a country shortlisted
    (16 with both, 40 with the H200 alone); a quota is one cap."""
    from planner.errors import InputError

    nvidia = yaml.safe_load((CATALOGS / "hardware" / "nvidia.yaml").read_text())
    entries = []
    for hw_id, cap in (("hgx_h100", 16), ("hgx_h200", 40)):
        entry = next(h for h in nvidia["hardware"] if h["id"] == hw_id)
        rule = {"destinations": ["TL"], "status": "allowed", "ref": entry["source"]["ref"], "max_accelerators": cap}
        entries.append({**entry, "export_rules": [{**rule, "quota": "hopper_tl"}]})
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "quota.yaml").write_text(yaml.safe_dump({"hardware": entries}))
    with pytest.raises(InputError) as info:
        load_catalog([mine])
    assert any("quota `hopper_tl` is stated with different caps" in i.message for i in info.value.issues)

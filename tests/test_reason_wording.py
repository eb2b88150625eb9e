"""Why a hardware option cannot serve, and why no plan exists, read in the report's language: the serving
estimate gives its reason as a code with figures (plan.json `not_offered`, a shortfall's `reasons`), the report
words it; English keeps the sentence the terminal prints."""

from __future__ import annotations

import pytest

from planner.catalog import load_catalog
from planner.perf.serving import serving_estimate
from planner.plan import Names
from planner.report import i18n
from planner.report.workloads import reason_text, shortfall_text
from planner.sizing.data import _in_country_terms

CAT = load_catalog()


def _estimate(hw_id: str, **kw):
    hw = CAT.hardware[hw_id]
    est = serving_estimate(
        CAT.models["llama_3_1_70b"], hw, CAT.efficiency_profiles[hw.efficiency_profile], 1000, 500, **kw
    )
    return _in_country_terms(est)


def test_a_missing_precision_is_a_code_with_its_figures():
    est = _estimate("atlas_800i_a2", precision="fp8")
    assert not est.feasible and est.reason_code == "precision"
    assert est.reason_values["precision"] == "fp8" and "int8" in est.reason_values["native"]


@pytest.mark.parametrize(
    ("kw", "code"),
    [({"precision": "fp8"}, "precision"), ({"tpot_ms": 0.5}, "tpot_floor"), ({"ttft_ms": 0.5}, "ttft_floor")],
)
def test_english_wording_is_the_terminal_sentence(kw, code):
    """The report's English template says exactly what the sizing layer printed (backticks aside)."""
    hw = "atlas_800i_a2" if code == "precision" else "hgx_h100"
    est = _estimate(hw, **kw)
    assert est.reason_code == code
    with i18n.language("en"):
        assert reason_text(est.reason_code, est.reason_values, "?") == est.reason.replace("`", "")


def test_french_report_words_the_reason_and_the_shortfall():
    est = _estimate("atlas_800i_a2", precision="fp8")
    with i18n.language("fr"):
        why = reason_text(est.reason_code, est.reason_values, est.reason)
        assert why.startswith("Ascend 910B") and "n'a pas d'unités fp8 natives" in why
        shortfall = {
            "message": "no hardware of the allowed vendors (huawei) can serve `gov`: ...",
            "code": "no_allowed_vendor",
            "values": {"vendors": "huawei", "workload": "gov", "able": "`dgx_b200`"},
            "reasons": [
                {
                    "hardware": "atlas_800i_a2",
                    "reason": est.reason,
                    "code": est.reason_code,
                    "values": est.reason_values,
                }
            ],
        }
        text = shortfall_text(shortfall, Names())
    assert text.startswith("aucun matériel des fournisseurs autorisés (huawei) ne peut servir gov : atlas_800i_a2 : ")
    assert text.endswith("; le matériel qui le peut (dgx_b200) vient d'autres fournisseurs")


def test_a_shortfall_without_a_code_keeps_its_english():
    with i18n.language("fr"):
        assert shortfall_text({"message": "budget short by $3 M"}, Names()) == "budget short by $3 M"


def test_remedy_lines_are_worded_in_the_report_language():
    """A remedy line's glue (" — relaxing only: ", "(and N more)"), the rule that gives way and a latency remedy
    were English in every report (session 8's known gap); with the report's gettext they read in its language,
    and without it the terminal's English is word for word what it was."""
    from planner.sizing.diagnose import remedy_lines

    short = [{"message": f"shortfall {i}"} for i in range(6)]
    diagnosis = {
        "shortfalls": short[:1],
        "remedies": [
            {"family": "budget_capex", "shortfalls": short[:1]},
            {"family": "budget_capex", "shortfalls": short},
            {
                "family": "latency_targets",
                "text": (
                    "raise `workloads.chat.tpot_ms` to at least 7.5 ms (the lowest floor of the hardware the sites "
                    "can take, on `hgx_h100`)"
                ),
                "code": "raise_latency",
                "values": {"field": "workloads.chat.tpot_ms", "value": "7.5", "hardware": "hgx_h100"},
                "shortfalls": [],
            },
        ],
    }
    _, english = remedy_lines(diagnosis)
    rule = "within the capital budget"
    assert english[0].startswith("shortfall 0 — relaxing only: ") and rule in english[0].lower()
    assert english[1].startswith("shortfall 0; shortfall 1; shortfall 2; shortfall 3 (and 2 more) — relaxing only: ")
    assert english[2] == diagnosis["remedies"][2]["text"]
    with i18n.language("fr"):
        _, french = remedy_lines(diagnosis, tr=i18n._)
    assert all("relaxing" not in line and "raise" not in line for line in french), french
    assert french[0].startswith("shortfall 0 — en assouplissant seulement : ")
    assert "(et 2 de plus)" in french[1]
    assert french[2] == (
        "relever `workloads.chat.tpot_ms` à au moins 7.5 ms (le plancher le plus bas du matériel que les sites "
        "peuvent accueillir, sur `hgx_h100`)"
    )


def test_a_family_shortfall_is_said_again_in_the_report_language():
    """Most shortfalls are a family's template (planner/sizing/families); the report re-words them from the row
    and amount when plan.json's sentence is that template's, and keeps any other sentence as it is."""
    from planner.sizing.diagnose import shortfall_message

    row, amount = "demand_coverage__chat__2028", 383_877.0
    s = {"family": "demand_coverage", "constraint": row, "amount": amount, "message": shortfall_message(row, amount)}
    assert s["message"] == "serving `chat` short of 383,877 output tokens/s in 2028"
    names = Names()
    with i18n.language("fr"):
        said = shortfall_text(s, names)
        assert (
            said.replace("\u202f", " ").replace("\xa0", " ")
            == "le service de chat manque de 383 877 jetons de sortie/s en 2028"
        ), said
        special = dict(s, message="`chat` is short of 12 output tokens/s of its resilience share in 2028")
        assert shortfall_text(special, names) == "chat is short of 12 output tokens/s of its resilience share in 2028"


def test_a_language_premium_note_reads_in_the_report_language():
    """The tokenization-premium notes (a language without a measured column for the model's tokenizer) were English
    in every report; they are now templates the report recognises and re-says with their fields."""
    from planner.catalog import load_catalog as _load
    from planner.perf.demand import language_premium
    from planner.report.workloads import _plan_note

    cat = _load()
    lang = next(lid for lid, lg in cat.languages.items() if lid != "en" and "median_modern" in lg.premium)
    _premium, notes = language_premium({lang: 1.0}, "nonexistent", cat.languages)
    assert notes and notes[0].startswith(f"{lang}: no `nonexistent` premium, used median_modern (")
    with i18n.language("fr"):
        said = _plan_note(notes[0], Names())
    assert said.startswith(f"{lang} : pas de prime ") and "median_modern utilisée (" in said, said
    _premium, notes = language_premium({lang: 0.5}, "nonexistent", cat.languages)
    with i18n.language("fr"):
        assert [_plan_note(n, Names()) for n in notes][-1] == "les parts de langues totalisent 0.5 ; ramenées à 1"


def test_a_refusal_never_says_a_target_is_below_a_floor_it_is_above():
    """A new user saw "TPOT target 80 ms below the floor 73.6 ms": every refusal that was not a TTFT floor was
    called a TPOT floor. Now each target is checked at one sequence as the search does, and when both are met alone
    the reason says what fails (too few sequences at the TPOT target for the TTFT under load)."""
    import re

    from planner.perf.serving import length_mix_from_spread

    hw = CAT.hardware["atlas_300i_duo_box"]
    est = serving_estimate(
        CAT.models["llama_3_1_70b"],
        hw,
        CAT.efficiency_profiles[hw.efficiency_profile],
        1000,  # 500 and 350 tokens at Wolof's tokenization premium (the user's country), about 2x
        700,
        precision="bf16",
        scenario="server",
        tpot_ms=80,
        ttft_ms=1500,
        percentile=95,
        length_mix=length_mix_from_spread(1000, 700, 1.0),
    )
    assert not est.feasible
    for m in re.finditer(r"target ([\d.,]+) ms below the (?:prefill )?floor ([\d.,]+) ms", est.reason):
        assert float(m.group(1).replace(",", "")) < float(m.group(2).replace(",", "")), est.reason
    assert est.reason_code == "latency_pair" and est.reason_values["batch"] >= 1, est.reason
    with i18n.language("fr"):
        said = reason_text(est.reason_code, est.reason_values, est.reason)
    assert "TPOT" in said and said != est.reason


def test_allowed_hardware_larger_than_every_site_is_named_as_the_reason(catalog, tmp_path):
    """Huawei only, an fp8 service: the only Huawei option with FP8 units is a 12.3 MW SuperPoD, larger than the
    2 MW site; the diagnosis says so (and that the Atlas box has no FP8), not that an NVIDIA rack of another vendor
    would be needed."""
    from planner.pipeline import load_spec, size
    from tests.conftest import tiny_country, write_yaml

    doc = tiny_country(
        hardware=["atlas_800i_a2", "atlas_950_superpod", "hgx_h100"], policy={"allowed_vendors": ["huawei"]}
    )
    doc["workloads"]["chat"]["precision"] = "fp8"
    plan = size(load_spec(write_yaml(tmp_path / "air.yaml", doc), catalog), catalog)
    (short,) = plan.diagnosis.shortfalls  # an air-cooled site cannot take the liquid-cooled SuperPoD at all
    assert {r.hardware: r.code for r in short.reasons}["atlas_950_superpod"] == "no_site_takes_it"
    doc["sites"]["main_dc"]["cooling"] = "both"
    plan = size(load_spec(write_yaml(tmp_path / "c.yaml", doc), catalog), catalog)
    assert plan.status == "infeasible"
    (short,) = plan.diagnosis.shortfalls
    assert short.code == "no_allowed_vendor"
    codes = {r.hardware: r.code for r in short.reasons}
    assert codes["atlas_950_superpod"] == "larger_than_sites" and codes["atlas_800i_a2"] == "precision"
    kw = catalog.hardware["atlas_950_superpod"].power_kw_per_unit * 1.4  # the site's PUE
    big = next(r for r in short.reasons if r.hardware == "atlas_950_superpod")
    assert big.values == {"kw": round(kw), "site_kw": 2000}
    assert "`hgx_h100`" in short.message and "`atlas_950_superpod`) is from other vendors" not in short.message

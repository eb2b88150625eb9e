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

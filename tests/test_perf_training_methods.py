"""QLoRA and continued pretraining from country.yaml: sized through the same estimate as `planner estimate train`."""

from __future__ import annotations

import pytest

from planner import api
from planner.catalog import load_catalog
from planner.perf.training import training_estimate


def _doc(method: str, tokens: float, days: float) -> dict:
    return {
        "country": {"name": "Testland", "iso2": "TL"},
        "planning": {"start_year": 2027, "years": 1, "discount_rate": 0.0},
        "languages": {"en": 1.0},
        "hardware": ["hgx_h100"],
        "sites": {
            "one": {
                "name": "TL site",
                "jurisdiction": "TL",
                "kind": "own_dc",
                "power_kw": 5000,
                "racks": 40,
                "pue": 1.4,
                "electricity_usd_per_kwh": 0.1,
            }
        },
        "workloads": {
            "tune": {
                "kind": "fine_tuning",
                "model": "llama_3_1_8b",
                "tokens": tokens,
                "method": method,
                "deadline_days": days,
            }
        },
    }


@pytest.mark.parametrize(("method", "tokens", "days"), [("qlora", 2e9, 2.0), ("continued_pretraining", 1e11, 10.0)])
def test_country_yaml_method_sizes_like_estimate_train(method, tokens, days) -> None:
    plan = api.size(_doc(method, tokens, days))
    placement = next(w for w in plan.as_dict()["workloads"] if w["name"] == "tune")["placement"]
    cat = load_catalog()
    hw = cat.hardware["hgx_h100"]
    est = training_estimate(
        cat.models["llama_3_1_8b"], hw, cat.efficiency_profiles[hw.efficiency_profile], tokens, method=method, days=days
    )
    assert placement["units"] == est.units
    assert placement["wall_days"] == pytest.approx(est.wall_days)
    assert placement["wall_days"] <= days
    assert placement["error_band"] and "%" in placement["error_band"]


def test_qlora_needs_no_more_memory_than_lora() -> None:
    cat = load_catalog()
    hw = cat.hardware["hgx_h100"]
    prof = cat.efficiency_profiles[hw.efficiency_profile]
    m = cat.models["llama_3_1_70b"]
    lay = {"tp": 1, "pp": 8, "dp": 1, "micro_batch": 1, "global_batch": 64}
    lora = training_estimate(m, hw, prof, 1e9, method="lora", layout=lay)
    qlora = training_estimate(m, hw, prof, 1e9, method="qlora", layout=lay)
    # NF4 weights (0.53 B/param) against bf16 (2 B/param): the frozen states shrink about 3.8x
    assert qlora.layout.state_gb_per_chip < lora.layout.state_gb_per_chip / 3
    # and every pass dequantises them: not faster than LoRA on the same chips
    assert qlora.wall_days >= lora.wall_days * 0.99

"""Options that are the same server at another price (vendor quotes) share one performance estimate.

The estimate made once for the server is relabelled with each option's id; it must equal the estimate the
performance model gives for that option directly (texts naming the id included)."""

from __future__ import annotations

import pytest

from planner.perf import serving_estimate, training_estimate
from planner.sizing.data import _by_twin

SERVERS = ["hgx_h100", "hgx_a100", "mi300x_8x", "atlas_800i_a2"]


def _quotes(catalog):
    out = {}
    for h in SERVERS:
        hw = catalog.hardware[h]
        out[h] = hw
        out[f"{h}_quote2"] = hw.model_copy(
            update={
                "id": f"{h}_quote2",
                "name": f"{hw.name} (quote 2)",
                "price_usd_per_unit": 0.9 * hw.price_usd_per_unit,
            }
        )
    return out


@pytest.mark.parametrize("precision", ["fp8", "bf16"])
def test_serving_estimates_of_quotes_equal_direct_ones(catalog, precision):
    model = catalog.models["llama_3_1_70b"]
    calls = []

    def estimate(hw):
        calls.append(hw.id)
        profile = catalog.efficiency_profiles[hw.efficiency_profile]
        return serving_estimate(model, hw, profile, 800.0, 300.0, tpot_ms=60, ttft_ms=2000, precision=precision)

    quotes = _quotes(catalog)
    shared = _by_twin(quotes, estimate)
    assert len(calls) == len(SERVERS)  # one perf call per server, not per quote
    for h, hw in quotes.items():
        profile = catalog.efficiency_profiles[hw.efficiency_profile]
        direct = serving_estimate(model, hw, profile, 800.0, 300.0, tpot_ms=60, ttft_ms=2000, precision=precision)
        assert shared[h] == direct, h
    # fp8 is not native on the A100: the reason names the option asked about, quote or not
    if precision == "fp8":
        assert not shared["hgx_a100_quote2"].feasible
        assert "hgx_a100_quote2" in shared["hgx_a100_quote2"].reason


def test_training_estimates_of_quotes_equal_direct_ones(catalog):
    model = catalog.models["llama_3_1_8b"]

    def estimate(hw):
        profile = catalog.efficiency_profiles[hw.efficiency_profile]
        return training_estimate(model, hw, profile, 2e9, method="lora", days=7)

    quotes = _quotes(catalog)
    shared = _by_twin(quotes, estimate)
    for h, hw in quotes.items():
        assert shared[h] == estimate(hw), h

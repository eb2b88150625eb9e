"""Routing skew: with expert parallelism the busiest chip carries the popularity of the experts it holds.

Hand calculation (tests/test_perf_expert_skew.py): DeepSeek-V3 on 8 chips with data-parallel attention, 1,024 decode
rows in a step: 8,192 routed tokens, 1,024 a chip on average, 32 experts a chip. Uniform routing: the busiest chip
has 1,024 + sqrt(2 ln 8) * sqrt(1,024) = 1,024 + 2.039 * 32 = 1,089.3 tokens (x 1.0637). With a per-expert spread
cv = 1.36 the chip's standard deviation is sqrt(1,024 + 1.36^2 * 1,024^2 / 32) = 248.3, so 1,024 + 2.039 * 248.3 =
1,530.3 (x 1.4944). The token permutation is memory-bound and linear in the busiest chip's tokens: its time grows by
1.4944 / 1.0637.
"""

from __future__ import annotations

import math

import pytest

from planner.catalog import load_catalog
from planner.perf.serving import parse_precision
from planner.perf.steps import Layout, Replica, step_time


def _permute_s(model) -> float:
    cat = load_catalog()
    hw = cat.hardware["dgx_b200"]
    r = Replica(model, hw, cat.efficiency_profiles[hw.efficiency_profile], Layout(8, 1, True), parse_precision("fp4"),
                1024.0, 2048.0)
    return step_time(r, 1024.0).ops["moe_permute"]


def test_the_busiest_chip_carries_its_experts_popularity() -> None:
    cat = load_catalog()
    skewed = cat.models["deepseek_v3"]
    assert skewed.expert_load_cv == pytest.approx(1.36)
    uniform = skewed.model_copy(update={"expert_load_cv": None})
    z = math.sqrt(2 * math.log(8))
    poisson = 1 + z * math.sqrt(1024) / 1024
    popular = 1 + z * math.sqrt(1024 + 1.36**2 * 1024**2 / 32) / 1024
    assert poisson == pytest.approx(1.0637, abs=1e-4) and popular == pytest.approx(1.4944, abs=1e-4)
    assert _permute_s(skewed) / _permute_s(uniform) == pytest.approx(popular / poisson, rel=1e-9)

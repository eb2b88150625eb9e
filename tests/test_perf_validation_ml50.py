"""MLPerf Inference v5.0 rows of the serving validation: a round between v4.1 and v5.1 that nothing is calibrated
on, checked here against figures they do not use (the v4.1 accuracy logs of the same data sets)."""

from __future__ import annotations

import pytest

from planner.perf import validation_serving as V

ML50 = {r.id: r for r in V.RUNS if r.id.startswith("ml50_")}

# tokens_per_sample of the v4.1 accuracy logs (tests/test_perf_validation_ml41.py): the same data sets and the same
# FP8 checkpoints on Hopper, so v5.0's output means (tokens/s over samples/s of its own performance runs) must agree
HOPPER_FP8_OUT = {"llama2": (290.3, 291.3), "mixtral": (145.9, 146.0)}


def test_the_v50_rows_present_and_held_out() -> None:
    assert len(ML50) == 17
    assert {r.split for r in ML50.values()} == {"held-out"}
    assert {r.source for r in ML50.values()} == {V.ML50}
    assert {r.hardware for r in ML50.values()} == {"hgx_h100", "hgx_h200", "dgx_b200", "mi325x_8x"}


@pytest.mark.parametrize("rid", sorted(r for r in ML50 if "mi325x" not in r and "b200" not in r))
def test_hopper_output_means_agree_with_the_earlier_round(rid: str) -> None:
    low, high = HOPPER_FP8_OUT["mixtral" if "mixtral" in rid else "llama2"]
    assert low * 0.99 <= ML50[rid].output_tokens <= high * 1.01, ML50[rid].output_tokens


def test_every_v50_row_has_its_engine_settings() -> None:
    # layout and batch cap as the submission ran them (V.ML50_ENGINE), not chosen by the model
    for rid, run in ML50.items():
        layout, batch, _where = V.ML50_ENGINE[rid.removeprefix("ml50_")]
        assert run.layout == layout and dict(run.limits)["batch"] == batch

"""MLPerf Inference v4.1 rows of the serving validation (planner/perf/validation_serving.py), checked against
figures of the v4.1 results repo (mlcommons/inference_results_v4.1) that the rows do not use themselves."""

from __future__ import annotations

import pytest

from planner.perf import validation_serving as V

ML41 = {r.id: r for r in V.RUNS if r.id.startswith("ml41_")}

# tokens_per_sample of each submission's accuracy log (results/<system>/<benchmark>/<scenario>/accuracy/
# accuracy.txt): the rows' output means come from the performance run (tokens/s over samples/s) instead, so the
# two published figures must agree (the accuracy run is another run of the same engines: within 0.3 %).
ACCURACY_TOKENS_PER_SAMPLE = {
    "ml41_h100_llama2_offline": 290.3,
    "ml41_h100_llama2_server": 290.3,
    "ml41_h200_llama2_offline": 291.2,
    "ml41_h200_llama2_server": 291.3,
    "ml41_h100_mixtral_offline": 146.0,
    "ml41_h100_mixtral_server": 145.9,
    "ml41_h200_mixtral_offline": 145.9,
    "ml41_h200_mixtral_server": 145.9,
    "ml41_mi300x_llama2_offline": 292.7,
    "ml41_mi300x_llama2_server": 293.5,
}


def test_the_v41_rows_present() -> None:
    expected = {
        f"ml41_{hw}_{bench}_{scen}"
        for hw in ("h100", "h200")
        for bench in ("llama2", "mixtral")
        for scen in ("offline", "server")
    } | {"ml41_mi300x_llama2_offline", "ml41_mi300x_llama2_server"}
    assert set(ML41) == expected


@pytest.mark.parametrize("rid", sorted(ACCURACY_TOKENS_PER_SAMPLE))
def test_output_mean_agrees_with_the_accuracy_log(rid: str) -> None:
    assert ML41[rid].output_tokens == pytest.approx(ACCURACY_TOKENS_PER_SAMPLE[rid], rel=0.003)


def test_per_chip_figure_is_the_system_figure_over_eight() -> None:
    # "Tokens per second" / "Completed tokens per second" of the performance runs' mlperf_log_summary.txt
    assert ML41["ml41_h200_llama2_offline"].published * 8 == pytest.approx(31302.7)
    assert ML41["ml41_mi300x_llama2_server"].published * 8 == pytest.approx(21028.23)
    assert ML41["ml41_h100_mixtral_server"].published * 8 == pytest.approx(50795.57)


def test_every_v41_row_is_held_out_with_its_round_and_engine() -> None:
    for run in ML41.values():
        assert run.split == "held-out" and run.source == V.ML41 and run.precision == "fp8" and run.chips == 8
        assert run.id.removeprefix("ml41_") in V.ML41_ENGINE, run.id
        assert run.layout and dict(run.limits)["batch"] >= 1
        assert f"/{run.scenario.capitalize()}" in run.note  # the summary it was read from
    # the earliest round of the table
    assert next(iter(V.ROUNDS)) == V.ML41


def test_server_rows_carry_the_v41_latency_limits() -> None:
    # mlperf.conf of the v4.1 submissions: llama2-70b and mixtral-8x7b Server, ttft 2000 ms, tpot 200 ms
    for run in ML41.values():
        if run.scenario == "server":
            assert dict(run.limits)["ttft_ms"] == 2000 and dict(run.limits)["tpot_ms"] == 200


def test_length_spread_scales_with_the_rows_own_output_mean() -> None:
    # OpenOrca reference answers: E[out^2]/E[out]^2 = 1.620; 24524.9 / 84.4792 = 290.3 tokens generated
    run = ML41["ml41_h100_llama2_offline"]
    assert run.length_mix == pytest.approx((199.5, 1.620 * 290.3))


def test_tensor_parallel_h100_llama2_runs_four_engines() -> None:
    # DGX H100 Llama 2 70B: TP2 x 4 (H100_SXM_80GB_TP2x4), the only v4.1 row not at TP1
    assert ML41["ml41_h100_llama2_offline"].layout == "tp=2"
    assert all(r.layout == "tp=1" for k, r in ML41.items() if "h100_llama2" not in k)

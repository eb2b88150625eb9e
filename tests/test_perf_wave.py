"""One wave through an engine that admits on the cache in use and preempts by recomputation (planner/perf/wave.py)."""

from __future__ import annotations

import pytest

from planner.perf import wave
from planner.perf.examples import make_hardware, make_model, make_profile
from planner.perf.serving import pinned_replica
from planner.perf.steps import step_time

MODEL = make_model(params_total_b=8.0, params_active_b=8.0, layers=32, hidden_size=4096, attention_heads=32)


def _replica(prompt: float = 100.0, answer: float = 50.0):
    hw = make_hardware()
    return pinned_replica(MODEL, hw, make_profile(), prompt, answer, precision="bf16", layout="tp=1")


def test_a_wave_that_fits_runs_one_prefill_step_then_lockstep_decode() -> None:
    """10 prompts of 100 tokens fit one 8,192-token step (it samples every first token), then 49 decode steps at 10
    rows whose context grows from 101 to 149: the hand schedule of the model's own step times."""
    r = _replica()
    got = wave.one_wave(r, 10, 10, 8192.0)
    assert got.preempted == 0
    at = lambda ctx: wave._timed(r, 10, ctx, 0.0, 100.0)  # noqa: E731
    first = step_time(r, 0.0, 1000.0).total
    # decode steps are timed in strides of up to 32 at their middle context: 32 steps at 101..132, 17 at 133..149
    expected = first + 32 * at(101 + 15.5) + 16 * at(133 + 7.5) + at(149)
    assert got.seconds == pytest.approx(expected, rel=1e-9)
    assert got.output_tokens_per_s == pytest.approx(10 * 50 / got.seconds)


def test_a_wave_larger_than_the_cache_preempts_and_recomputes(monkeypatch) -> None:
    """A cache of 1,200 tokens holds 8 sequences at their full 150 tokens: 10 requests of 100 + 50 must lose at
    least 2 to preemption, recompute what they held (over 100 tokens each), and take longer than with room."""
    r = _replica()
    roomy = wave.one_wave(r, 10, 10, 8192.0)
    monkeypatch.setattr(wave, "kv_capacity_tokens", lambda _r: 1200.0)
    tight = wave.one_wave(r, 10, 10, 8192.0)
    assert tight.preempted >= 10 - 1200 // 150  # 2
    assert tight.recomputed_tokens >= 2 * 100
    assert tight.seconds > roomy.seconds
    assert tight.peak_running == 10  # every prompt is admitted first: it fits the cache at its prompt length


def test_no_room_for_one_prompt_is_no_throughput(monkeypatch) -> None:
    monkeypatch.setattr(wave, "kv_capacity_tokens", lambda _r: 50.0)
    assert wave.one_wave(_replica(), 4, 4).output_tokens_per_s == 0.0

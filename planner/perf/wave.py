"""One wave of requests through an engine that admits on the KV cache in use and preempts by recomputation.

Published throughput tables such as AMD's vLLM results submit as many prompts as the engine may run at once
(`num_prompts = max_num_seqs`), all of one length, and time the whole wave. Such an engine (vLLM's scheduler)
admits a request when the KV blocks of its tokens so far fit, not its full length, so a wave larger than the cache
runs until the cache fills, then preempts the most recently admitted requests, frees their KV and later recomputes
their prompt and answer so far as prefill. The steady-state model (`planner.perf.steps.mixed_step`) reserves each
sequence's full KV instead and cannot see that recomputation or the thinning tail of the wave; this module steps
through the wave, timing each step with the same operator model.

The simulation follows cohorts of requests in lockstep (one length for all, as the published runs use): running
cohorts in admission order, a waiting queue with preempted requests at its front (vLLM's FCFS policy), and a prompt
token budget per step shared with the decode rows (chunked prefill). Steps with nothing to admit or preempt are
timed together, a few at a time, at their mean context.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

from planner.perf.steps import HBM_BYTES_PER_GB, Replica, step_time

# Pure-decode steps timed together when nothing is admitted, preempted or finished in between (their context grows
# by one token a step; each group is timed at its middle).
DECODE_STRIDE = 32
# Prompt-token budget per step of vLLM's V1 engine used offline (`max_num_batched_tokens` of the LLM class, 16,384 as
# recalled, not verified in the source; AMD's table does not state it). The published waves move by under 2 %
# between 8,192 and 65,536.
VLLM_TOKENS_PER_STEP = 16384.0
# Scheduler iterations a wave may take (strides of pure decode count once): far beyond any published wave.
MAX_ITERATIONS = 1_000_000


@dataclass(eq=False)
class _Cohort:
    n: float  # requests
    ctx: float  # tokens in the KV cache per request (prompt + answer so far)
    left: float  # answer tokens still to generate per request
    todo: float = 0.0  # tokens to (re)compute as prefill before it decodes again


@dataclass(frozen=True)
class WaveResult:
    output_tokens_per_s: float  # per replica
    seconds: float
    preempted: float  # requests preempted (counted each time)
    recomputed_tokens: float
    peak_running: float
    kv_capacity_tokens: float


def kv_capacity_tokens(r: Replica) -> float:
    """Tokens of context the replica's KV cache holds beside the weights (every chip's share)."""
    free = r.hardware.hbm_gb_per_chip * HBM_BYTES_PER_GB * r.usable_fraction - r.weight_bytes_per_chip()
    per_token = r.kv_bytes_per_chip_per_seq(1.0)
    return max(free, 0.0) / per_token if per_token > 0 else 0.0


def _timed(r: Replica, decode_rows: float, ctx: float, prefill: float, prompt: float) -> float:
    """Seconds of one step: `decode_rows` rows at mean context `ctx`, `prefill` tokens of prompts `prompt` long."""
    at = replace(r, input_tokens=max(prompt, 1.0), mix_input_tokens=ctx, mix_output_tokens=0.0)
    return step_time(at, decode_rows, prefill).total


def _preempt(running: list[_Cohort], waiting: list[_Cohort], need: float) -> tuple[float, float]:
    """Free `need` tokens of cache by preempting the newest admitted requests (whole requests: their KV is freed
    and they wait, first in line, to recompute every token they held). Returns (requests, tokens recomputed)."""
    count = tokens = 0.0
    while need > 1e-9 and running:
        last = running[-1]
        per = max(last.ctx, 1.0)
        k = min(last.n, float(math.ceil(need / per - 1e-9)))
        _push_front(waiting, _Cohort(k, 0.0, last.left, last.ctx + last.todo))
        count += k
        tokens += k * last.ctx
        last.n -= k
        need -= k * per
        if last.n <= 1e-9:
            running.pop()
    return count, tokens


def _push_front(waiting: list[_Cohort], c: _Cohort) -> None:
    """Put a preempted cohort at the head of the queue, merged with the head if it is the same kind of request."""
    if waiting and waiting[0].left == c.left and waiting[0].todo == c.todo:
        waiting[0].n += c.n
    else:
        waiting.insert(0, c)


def one_wave(r: Replica, requests: int, max_seqs: int, tokens_per_step: float | None = None) -> WaveResult:
    """Run `requests` requests of the replica's prompt/answer lengths, all submitted at once, at most `max_seqs`
    running, `tokens_per_step` tokens per step (default: the replica's budget); output tokens/s of the wave."""
    budget = float(tokens_per_step or r.tokens_per_step)
    cap = kv_capacity_tokens(r)
    prompt, answer = float(r.input_tokens), float(r.output_tokens)
    if cap < prompt + 1.0 or requests < 1 or max_seqs < 1:
        return WaveResult(0.0, math.inf, 0.0, 0.0, 0.0, cap)
    running: list[_Cohort] = []
    waiting: list[_Cohort] = [_Cohort(float(requests), 0.0, answer, prompt)]
    seconds = preempted = recomputed = peak = 0.0
    for _ in range(MAX_ITERATIONS):
        if not running and not waiting:
            break
        # the cache must take one more token for every decoding row: preempt the newest admitted until it does
        rows = sum(c.n for c in running if c.todo <= 0)
        used = sum(c.n * c.ctx for c in running)
        k, t = _preempt(running, waiting, used + rows - cap)
        preempted, recomputed = preempted + k, recomputed + t
        decoding = [c for c in running if c.todo <= 0]
        rows = sum(c.n for c in decoding)
        room = max(cap - sum(c.n * c.ctx for c in running) - rows, 0.0)
        prefill, prompt_len, started = _admit(running, waiting, max(budget - rows, 0.0), room, max_seqs, prompt)
        # with no prompt in the step, pure-decode steps run alike until a request finishes: time them together,
        # preempting now what the stride's growth needs
        stride = 1
        if prefill <= 0 and decoding:
            stride = int(max(1, min(DECODE_STRIDE, min(c.left for c in decoding) - 1)))
            if stride > 1:
                used = sum(c.n * c.ctx for c in running)
                k, t = _preempt(running, waiting, used + stride * rows - cap)
                preempted, recomputed = preempted + k, recomputed + t
                decoding = [c for c in running if c.todo <= 0]
                rows = sum(c.n for c in decoding)
        if rows <= 0 and prefill <= 0:
            return WaveResult(0.0, math.inf, preempted, recomputed, peak, cap)  # nothing fits: no progress
        ctx = sum(c.n * c.ctx for c in decoding) / rows if rows > 0 else prompt
        seconds += stride * _timed(r, rows, ctx + (stride - 1) / 2.0, prefill, prompt_len)
        peak = max(peak, sum(c.n for c in running))
        for c in decoding:
            c.ctx += stride
            c.left -= stride
        for c in started:  # a prompt whose last chunk ran this step samples its first token in it
            if c.todo <= 1e-9:
                c.todo = 0.0
                c.left -= 1.0
                c.ctx += 1.0
        running = _merged([c for c in running if c.left > 1e-9 and c.n > 1e-9])
    else:  # the wave did not drain within the bound (it cannot at these sizes; a guard against a stuck state)
        return WaveResult(0.0, math.inf, preempted, recomputed, peak, cap)
    out = requests * answer
    return WaveResult(out / seconds if seconds > 0 else 0.0, seconds, preempted, recomputed, peak, cap)


def _merged(running: list[_Cohort]) -> list[_Cohort]:
    """Adjacent cohorts in the same state run as one (admission order kept)."""
    out: list[_Cohort] = []
    for c in running:
        p = out[-1] if out else None
        if p is not None and p.todo == c.todo == 0.0 and p.left == c.left and abs(p.ctx - c.ctx) < 1e-9:
            p.n += c.n
        else:
            out.append(c)
    return out


def _admit(
    running: list[_Cohort], waiting: list[_Cohort], tokens: float, room: float, max_seqs: int, prompt: float
) -> tuple[float, float, list[_Cohort]]:
    """Prompt tokens of this step: the ongoing prefills first, then the waiting queue in order, within the token
    budget left by the decode rows, the cache room and the running-request cap. Returns (tokens, the prompt length
    they belong to, the cohorts that prefilled)."""
    prefill, prompt_len = 0.0, prompt
    started: list[_Cohort] = []
    for c in running:
        if c.todo > 0 and tokens > 1e-9 and room > 1e-9:
            take = min(c.todo * c.n, tokens, room)
            prefill, tokens, room, prompt_len = prefill + take, tokens - take, room - take, c.ctx + c.todo
            c.ctx += take / c.n
            c.todo -= take / c.n
            started.append(c)
    slots = max_seqs - sum(c.n for c in running)
    while waiting and tokens > 1e-9 and room > 1e-9 and slots >= 1:
        w = waiting[0]
        n = min(w.n, float(slots), max(float(math.floor(min(tokens, room) / w.todo)), 1.0))
        take = min(n * w.todo, tokens, room)
        c = _Cohort(n, take / n, w.left, w.todo - take / n)
        running.append(c)
        started.append(c)
        prefill, tokens, room, slots, prompt_len = prefill + take, tokens - take, room - take, slots - n, w.todo
        w.n -= n
        if w.n <= 1e-9:
            waiting.pop(0)
    return prefill, prompt_len, started

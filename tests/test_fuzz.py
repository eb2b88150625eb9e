"""The mutation fuzzer (benchmarks/fuzz.py) in CI: a few hundred inputs through validate, size, report, estimate
and --catalog, none ending in a traceback, a hang, an undocumented exit code, raw control characters on the
terminal or unbounded output. Thousands on demand: `python -m benchmarks.fuzz --n 10000`."""

from __future__ import annotations

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.fuzz import fuzz  # noqa: E402

INPUTS = int(os.environ.get("PLANNER_FUZZ_INPUTS", "200"))


def test_a_few_hundred_mutated_inputs_end_in_an_exit_code_and_a_message():
    result = fuzz(INPUTS, seed=int(os.environ.get("PLANNER_FUZZ_SEED", "15")), hang_after=30)
    failures = {k: v for k, v in result.failures.items() if k != "slow"}
    assert not failures, result.summary()
    assert set(result.inputs) == {"validate", "size", "report", "estimate", "catalog"}
    assert result.exits[1] > INPUTS / 3, "most mutations should be input errors (else the mutations test nothing)"

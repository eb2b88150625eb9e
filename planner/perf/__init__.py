"""Performance model: pure functions for training time and serving throughput (no solver).

Public API (used by the sizing core and by `planner estimate`):
- `training_estimate(...) -> TrainingEstimate`
- `serving_estimate(...) -> ServingEstimate`
- `language_premium(...) -> float`

The names are imported on first use (PEP 562), so `planner estimate serve` does not pay for importing the
training model and the reverse.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from planner.perf.demand import language_premium
    from planner.perf.serving import ServingEstimate, serving_estimate
    from planner.perf.training import TrainingEstimate, training_estimate

_HOME = {
    "ServingEstimate": "planner.perf.serving",
    "serving_estimate": "planner.perf.serving",
    "TrainingEstimate": "planner.perf.training",
    "training_estimate": "planner.perf.training",
    "language_premium": "planner.perf.demand",
}

__all__ = ["ServingEstimate", "TrainingEstimate", "language_premium", "serving_estimate", "training_estimate"]


def __getattr__(name: str) -> Any:
    if name in _HOME:
        return getattr(import_module(_HOME[name]), name)
    raise AttributeError(f"module 'planner.perf' has no attribute {name!r}")

"""Performance model: pure functions for training time and serving throughput (no solver).

Public API (used by the sizing core and by `planner estimate`):
- `training_estimate(...) -> TrainingEstimate`
- `serving_estimate(...) -> ServingEstimate`
- `language_premium(...) -> float`
"""

from planner.perf.demand import language_premium
from planner.perf.serving import ServingEstimate, serving_estimate
from planner.perf.training import TrainingEstimate, training_estimate

__all__ = [
    "ServingEstimate",
    "TrainingEstimate",
    "language_premium",
    "serving_estimate",
    "training_estimate",
]

"""Uncertainty: Monte Carlo evaluation of a fixed plan over sampled futures, and sizing at a confidence.

`evaluate_plan` prices a plan and checks its requirements in each future (planner/uncertainty/montecarlo.py);
`size_at_confidence` sizes the cheapest plan found that meets every requirement in a share of futures
(planner/uncertainty/confidence.py). Input distributions: planner/uncertainty/inputs.py.
"""

from planner.uncertainty.confidence import size_at_confidence
from planner.uncertainty.evaluate import evaluate_plan

__all__ = ["evaluate_plan", "size_at_confidence"]

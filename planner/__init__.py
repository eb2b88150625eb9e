"""Sovereign-AI deployment planner: size, place and cost the hardware of a national AI programme.

The Python API (see planner/api.py and the README):

    import planner
    plan = planner.size(planner.load("country.yaml", scenario="nvidia_only"))
    plan.report("out", ["md", "html"]); plan.tables()

Names are loaded on first use so that the command line starts fast.
"""

from __future__ import annotations

from typing import Any

from planner._version import __version__

_API = {
    "load": "planner.api",
    "size": "planner.api",
    "compare": "planner.api",
    "sweep": "planner.api",
    "near_optimal": "planner.api",
    "evaluate_uncertainty": "planner.api",
    "Spec": "planner.api",
    "Plan": "planner.plan",
    "InputError": "planner.errors",
}

__all__ = [
    "Plan",
    "Spec",
    "InputError",
    "__version__",
    "compare",
    "evaluate_uncertainty",
    "load",
    "near_optimal",
    "size",
    "sweep",
]


def __getattr__(name: str) -> Any:
    if name in _API:
        import importlib

        return getattr(importlib.import_module(_API[name]), name)
    raise AttributeError(f"module 'planner' has no attribute {name!r}")

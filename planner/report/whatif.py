"""Comparison and sweep reports (placeholder until the templates land: Markdown tables only)."""

from __future__ import annotations

from typing import Any


def render_comparison(result: dict[str, Any], formats: set[str]) -> dict[str, str | bytes]:
    """File name -> content for each requested format."""
    return {}


def render_sweep(result: dict[str, Any], formats: set[str]) -> dict[str, str | bytes]:
    """File name -> content for each requested format."""
    return {}

"""The proposal's uncertainty partials render the Monte Carlo (fan chart, percentiles, probabilities)."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

import planner
from planner.report.render import environment
from tests.conftest import EXAMPLES


def _gettext(text: str, **values) -> str:
    """No-op gettext in Jinja's new style (formats with its keyword arguments), until the catalogs land."""
    return text % values


@pytest.fixture(scope="module")
def evaluated():
    spec = planner.load(EXAMPLES / "malaysia.yaml", set={"planning.confidence": 0.9, "uncertainty.samples": 200})
    plan = planner.size(spec)
    return plan


@pytest.mark.parametrize("kind", ["html", "md"])
def test_partials_render_the_spread_the_chances_and_the_price_of_confidence(evaluated, kind):
    env = environment(kind).overlay()
    env.globals["_"] = _gettext
    u = evaluated.as_dict()["uncertainty"]
    text = env.get_template(f"proposal/_uncertainty.{kind}.j2").render(
        uncertainty=u, workload_names=evaluated.names.workloads
    )
    assert f"{u['npv_usd']['p10'] / 1e6:.1f}" in text and f"{u['npv_usd']['p90'] / 1e6:.1f}" in text
    assert "Government assistant" in text and "Malay 70B continued pretraining" in text
    assert f"{u['sizing']['extra_npv_usd'] / 1e6:.1f}" in text
    if kind == "html":
        svg = text[text.index("<svg") : text.index("</svg>") + 6]
        root = ET.fromstring(svg)  # well-formed
        band = root.find("{http://www.w3.org/2000/svg}polygon").get("points").split()
        assert len(band) == 2 * len(u["cost_by_year"])

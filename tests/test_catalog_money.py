"""Country money figures (salaries, colocation rents, exchange rates) are sourced, and the staff cost a
plan carries follows from the cited staffing ratios."""

from __future__ import annotations

from pathlib import Path

import pytest

from planner.pipeline import load_spec
from planner.sizing.data import build_problem_data

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
MONEY = ("staff_usd_per_fte_year", "colocation_usd_per_kw_month", "usd_to_local")


def test_no_money_figure_cites_a_placeholder(catalog):
    for country in catalog.countries.values():
        for name in MONEY:
            src = country.provenance(name)
            ref = catalog.references[src.ref]
            text = f"{ref.cite} {ref.note or ''} {src.note or ''}".lower()
            assert "placeholder" not in text, f"{country.id}.{name} cites {src.ref}"
    for line in catalog.cost_lines.values():
        src = line.source
        assert "placeholder" not in f"{catalog.references[src.ref].cite} {src.note or ''}".lower(), line.id


@pytest.mark.parametrize(
    ("country", "local_salary_per_month", "usd_to_local"),
    [
        ("uz", 13.15e6, 12171.03),  # Statistics Agency 2024: information and communication, soums
        ("kz", 715_244, 505.2),  # Bureau of National Statistics: information and communication, tenge
        ("ke", 120_000, 129.01),  # e-Conomy Africa 2020: average developer, shillings
        ("eg", 14_578, 49.74),  # IT sector average 2024, pounds
        ("br", 7_210.04, 5.409),  # CAGED systems development analyst, reais
    ],
)
def test_loaded_staff_cost_is_the_published_salary_times_the_cited_loading(
    catalog, country, local_salary_per_month, usd_to_local
):
    """salary x 12 months x 1.3 (non-wage costs ~23% of the total, low end of the OECD 20-40 %), in dollars,
    within the catalog's rounding."""
    expected = local_salary_per_month * 12 * 1.3 / usd_to_local
    assert catalog.countries[country].staff_usd_per_fte_year == pytest.approx(expected, rel=0.03)


def test_staff_cost_of_a_unit_follows_the_staffing_ratios(catalog):
    """Malaysia example: at the own data centre a DGX B200 (14.3 kW) carries 2 FTE/MW of facility staff plus
    1/100 FTE of platform staff; at the colocation hall (facility staff are in the rent) only the platform
    share. At US$48k per FTE that is (2 x 0.0143 + 0.01) x 48,000 = US$1,853 and 0.01 x 48,000 = US$480."""
    loaded = load_spec(EXAMPLES / "malaysia.yaml", catalog)
    data = build_problem_data(loaded.spec, catalog)
    salary = catalog.countries["my"].staff_usd_per_fte_year
    assert salary == 48_000
    kw = catalog.hardware["dgx_b200"].power_kw_per_unit
    assert data.opex_lines("cyberjaya_dc1", "dgx_b200")["staff"] == pytest.approx((2.0 * kw / 1000 + 0.01) * salary)
    assert data.opex_lines("johor_colo", "dgx_b200")["staff"] == pytest.approx(0.01 * salary)

"""A constraint family's wording (planner/sizing/families) reads in the report's language, keeps its brace fields
in every catalog, and stays English in English; the risks built in Python read in the report's language too."""

from __future__ import annotations

import re

import pytest
from babel.messages.pofile import read_po

from planner.report import i18n
from planner.report.risks import plan_risk_message
from planner.report.rules import binding_groups
from planner.report.workloads import band_text
from planner.sizing.rows import FAMILIES

LOCALES = [code for code in i18n.LANGUAGES if code != i18n.DEFAULT]
WORDING = sorted({text for f in FAMILIES.values() for text in (f.description, f.shortfall, f.price) if text})


def _fields(text: str) -> list[str]:
    return sorted(re.findall(r"\{[^{}]*\}", text))


@pytest.mark.parametrize("lang", LOCALES)
def test_every_family_wording_keeps_its_brace_fields(lang):
    """str.format fills {ids[0]}, {amount}, {price}: a translation that drops or renames one would break the
    sentence (or raise), so each must carry exactly the English fields."""
    with (i18n.LOCALE_DIR / lang / "LC_MESSAGES" / "planner.po").open("rb") as handle:
        catalog = read_po(handle, locale=lang)
    broken = [t for t in WORDING if catalog.get(t) is None or _fields(catalog[t].string) != _fields(t)]
    assert not broken


def _liquid_row() -> dict:
    return {
        "constraint": "facility_cooling__dc__gb200",
        "family": "facility_cooling",
        "category": "limit",
        "ids": ["dc", "gb200"],
        "lhs": 0.0,
        "rhs": 0.0,
        "unit": "units",
        "shadow_price_usd": -760_000.0,
        "message": "liquid cooling at `dc` for `gb200` would save $760 k per unit",
    }


def test_a_rule_heading_and_its_price_read_in_french():
    with i18n.language("fr"):
        (group,) = binding_groups([_liquid_row()])
    assert group["rule"] == (
        "Le matériel à refroidissement liquide n'est installé que sur les sites dotés d'un refroidissement liquide."
    )
    assert (
        group["rows"][0]["value"]
        # French money, with its no-break spaces
        == "un refroidissement liquide sur `dc` pour `gb200` ferait économiser 760\xa0k\xa0$US par unité"
    )


def test_english_keeps_the_plan_sentences():
    with i18n.language("en"):
        (group,) = binding_groups([_liquid_row()])
    assert group["rule"] == "Liquid-cooled hardware is installed only at sites with liquid cooling."
    assert group["rows"][0]["value"] == "liquid cooling at `dc` for `gb200` would save $760 k per unit"


def test_plan_risk_and_band_sentences_are_said_again():
    export = "13 × `dgx_b200` at `cyberjaya`, `johor` (2028–2030) rely on an export licence (licence_required)"
    with i18n.language("fr"):
        assert plan_risk_message(export) == (
            "13 × `dgx_b200` sur `cyberjaya`, `johor` (2028–2030) dépendent d'une licence d'exportation "
            "(licence_required)"
        )
        assert band_text("±4 % (max 9 %), validated on 10 held-out runs") == (
            "±4 % (max. 9 %), validé sur 10 exécutions de contrôle"
        )
        assert plan_risk_message("a sentence no pattern knows") == "a sentence no pattern knows"
    with i18n.language("en"):
        assert plan_risk_message(export) == export
        assert band_text("±4 % (max 9 %), validated on 10 held-out runs") == (
            "±4 % (max 9 %), validated on 10 held-out runs"
        )


def test_vendor_share_risks_write_their_figures_as_the_language_does():
    diluting = (
        "`atlas_800i_a2` is 9% of the accelerators in service in 2028 but serves 0.02% of the output tokens: it keeps "
        "the vendor shares within `policy.vendor_max_share` more than it does work"
    )
    idle = (
        "1024 × `hgx_h20` neither serve nor train in any year: they are bought only to keep the vendor shares "
        "within `policy.vendor_max_share`"
    )
    with i18n.language("fr"):
        said = plan_risk_message(diluting)
        assert "9\u00a0%" in said and "0,02\u00a0%" in said and "0.02%" not in said
        assert plan_risk_message(idle).startswith("1\u202f024 × `hgx_h20`")
    with i18n.language("en"):
        assert plan_risk_message(diluting) == diluting
        assert plan_risk_message(idle) == idle.replace("1024", "1,024")  # the report's own number format

"""The buyer's language and currency for one plan: which language its reports default to, and its headline
amounts in the local currency at the catalog's dated, sourced exchange rate."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from planner.report import i18n
from planner.report.fmt import date_long, format_money, format_usd, num

if TYPE_CHECKING:
    from planner.plan import Plan
    from planner.schema.catalog import Country


def country_entry(plan: Plan) -> Country | None:
    """The catalog entry of the plan's own country, as the plan carries it (None for an unknown country)."""
    iso2 = plan.country.iso2.upper()
    return next((c for c in plan.catalog.countries if c.iso2.upper() == iso2), None)


def plan_language(plan: Plan) -> str:
    """The language a plan's reports are written in: the one chosen (--lang, PLANNER_LANG), else the country
    catalog's `report_language`, else English."""
    return i18n.chosen() or i18n.default_for_country(country_entry(plan))


def local_currency(plan: Plan) -> dict[str, Any] | None:
    """The key amounts in local currency with the rate's value, date and source; None for a dollar country or
    one without a rate. Shown in the current language (call inside `i18n.language`)."""
    entry = country_entry(plan)
    if entry is None or not entry.currency or not entry.usd_to_local or entry.currency == "USD":
        return None
    source = entry.provenance("usd_to_local")
    ref = plan.catalog.references.get(source.ref)
    as_of = source.as_of or (ref.as_of if ref else "")
    totals = plan.totals
    rate = entry.usd_to_local
    _ = i18n._
    amounts = [
        (_("Capital expenditure"), format_money(totals.capex_usd * rate, entry.currency)),
        (
            _("Operating cost, peak year"),
            _("%(amount)s / year", amount=format_money(totals.opex_usd_per_year * rate, entry.currency)),
        ),
        (_("Net present cost"), format_money(totals.npv_usd * rate, entry.currency)),
    ]
    return {
        "currency": entry.currency,
        "rate": _("%(rate)s %(currency)s per US dollar", rate=num(rate, _rate_digits(rate)), currency=entry.currency),
        "as_of": date_long(as_of) if len(as_of) == 10 else as_of,
        # an estimated rate says so where it is used, not only in the appendix
        "source": (_short_cite(ref.cite) if ref else source.ref)
        + (", " + i18n.gettext("estimate") if source.confidence == "estimate" else ""),
        "confidence": source.confidence,
        "amounts": amounts,
        "one_usd": format_usd(1),
    }


def _short_cite(cite: str) -> str:
    """The publisher part of a citation (before its first colon outside quotes: a quoted title keeps its colon),
    for a line under the key figures; the full citation is in Appendix A. Long heads stop at a clause boundary."""
    quote, cut = "", len(cite)
    for i, ch in enumerate(cite):
        if quote:
            if ch == quote and (i + 1 == len(cite) or not cite[i + 1].isalnum()):
                quote = ""
        elif ch in "'\"“‘" and (i == 0 or not cite[i - 1].isalnum()):
            quote = {"“": "”", "‘": "’"}.get(ch, ch)
        elif ch == ":":
            cut = i
            break
    head = cite[:cut].strip()
    if len(head) <= 90:
        return head
    for sep in (" (", "; ", ", "):
        at = head.rfind(sep, 0, 90)
        if at > 20:
            return head[:at].rstrip()
    return head[:87].rstrip() + "…"


def _rate_digits(rate: float) -> int:
    """Enough decimals for four significant figures of the rate (4.197, 16,300, 3.6725 stays 3.673)."""
    if rate >= 1000:
        return 0
    if rate >= 100:
        return 1
    return 3 if rate >= 1 else 4

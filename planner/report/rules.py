"""The rules that shaped the plan: binding constraints of plan.json, grouped by constraint family."""

from __future__ import annotations

import contextlib
import re
from typing import TYPE_CHECKING, Any

from planner.report.fmt import format_usd, num, num_sig, usd_price
from planner.report.i18n import N_, _
from planner.report.names import humanize, lookup
from planner.sizing.extract import format_price
from planner.sizing.rows import FAMILIES

if TYPE_CHECKING:
    from planner.plan import Names


def _fmt_amount(v: float) -> str:
    """An amount in the report's number format: whole above 100, else to four significant figures."""
    return num(v) if abs(v) >= 100 or v == 0 else num_sig(v, 4)


# the units of the rules' rows (planner/sizing/families), said in the report's language
_UNITS = {
    "output tokens/s": N_("output tokens/s"),
    "accelerators": N_("accelerators"),
    "jobs": N_("jobs"),
    "units": N_("units"),
    "USD/year": N_("USD/year"),
}


MAX_ROWS_PER_RULE = 12
SUPPLY_NOTE = N_("(A fact of supply, not a choice the country makes: it shows what a shorter wait would be worth.)")


_GROUP_ID = re.compile(r"^group\d+$")
_QUARTER_ID = re.compile(r"^q([1-4])$")


def _where(ids: list[str]) -> str:
    """A row's ids as a reader writes them: a union of sites (an internal `groupN`) as the sites a workload may
    use, and a year and quarter as Q3 2027."""
    parts: list[str] = []
    for i in ids:
        if _GROUP_ID.match(i):
            parts.append(_("the sites its data classes allow"))
        elif (m := _QUARTER_ID.match(i)) and parts and parts[-1].isdigit():
            parts[-1] = f"Q{m.group(1)} {parts[-1]}"
        else:
            parts.append(i)
    return ", ".join(parts)


def binding_groups(rows: list[dict[str, Any]], names: Names | None = None) -> list[dict[str, Any]]:
    """Binding rows grouped by rule, most valuable to relax first.

    Rows held at zero with no (or a zero) shadow price only say that something is ruled out; they are listed
    compactly. A rule shows at most MAX_ROWS_PER_RULE rows; the count of the rest is given.
    """
    groups: dict[str, dict[str, Any]] = {}
    for b in rows:
        meta = FAMILIES.get(b["family"])
        supply = b.get("category") == "supply"
        g = groups.setdefault(
            b["family"],
            {
                "rule": (_(meta.description) if meta else b["family"]) + (" " + _(SUPPLY_NOTE) if supply else ""),
                "family": b["family"],
                "supply": supply,
                "rows": [],
                "excluded": [],
            },
        )
        raw_ids = [str(i) for i in b.get("ids", [])]
        ids = [lookup(names, i) if names else i for i in raw_ids]
        shadow = b.get("shadow_price_usd")
        at_zero = abs(b["lhs"]) < 1e-9 and abs(b["rhs"]) < 1e-9
        if at_zero and (shadow is None or abs(shadow) < 0.005):
            g["excluded"].append(" · ".join(ids))
        else:
            row = _binding(b, meta, ids, raw_ids)
            row["value"] = humanize(row["value"], names) if names else row["value"]
            g["rows"].append(row)
    for g in groups.values():
        g["rows"].sort(key=lambda r: -r["weight"])
        g["top"] = g["rows"][0]["weight"] if g["rows"] else 0.0
        g["more"] = max(len(g["rows"]) - MAX_ROWS_PER_RULE, 0)
        g["rows"] = g["rows"][:MAX_ROWS_PER_RULE]
        g["excluded_text"] = "; ".join(g["excluded"])
    # what the country can act on (its rules, budget, sites, demand) first; facts of supply such as lead times last
    return sorted(groups.values(), key=lambda g: (g["supply"], -g["top"]))


_SHARE_FAMILIES = {"vendor_cap", "allied_share"}


def _price_message(b: dict[str, Any], meta: Any, raw_ids: list[str]) -> str:
    """plan.json's sentence for a binding row, said again in the report's language when it is the one its family's
    wording builds (planner/sizing/extract.py); any other sentence is shown as plan.json has it."""
    message = b.get("message") or ""
    if meta is None or not message:
        return message
    shadow = b.get("shadow_price_usd")
    try:
        if shadow is None or abs(shadow) < 1e-9:
            english = f"{meta.description.rstrip('.')} (at its limit; one more unit of it would not lower the cost)."
            said = _(
                "%(rule)s (at its limit; one more unit of it would not lower the cost).",
                rule=_(meta.description).rstrip(".。"),
            )
        else:
            english = meta.price.format(ids=raw_ids, price=format_price(abs(shadow)))
            said = _(meta.price).format(ids=raw_ids, price=usd_price(abs(shadow)))
    except (IndexError, KeyError):
        return message
    return said if english == message else message


def _binding(b: dict[str, Any], meta: Any, ids: list[str], raw_ids: list[str] | None = None) -> dict[str, Any]:
    """A binding row for the table: `ids` as shown (names), `raw_ids` as in plan.json (the message's ids)."""
    unit = b.get("unit") or (meta.unit if meta else "")
    unit = _(_UNITS[unit]) if unit in _UNITS else unit
    shadow = b.get("shadow_price_usd")
    value = _price_message(b, meta, ids if raw_ids is None else raw_ids)
    if not value and shadow is not None:
        value = format_usd(abs(shadow))
        if meta is not None:
            with contextlib.suppress(IndexError, KeyError):
                value = _(meta.price).format(ids=ids + [""] * 3, price=format_usd(abs(shadow)))
    at_zero = abs(b["lhs"]) < 1e-9 and abs(b["rhs"]) < 1e-9
    if b["family"] in _SHARE_FAMILIES:
        level = _("at the share limit")  # the row is (share − limit × total); its zero means exactly at the limit
    elif at_zero:
        level = _("none allowed")
    else:
        # a binding row is at its limit up to the solver's tolerance: print the limit for both, never "300,738 of
        # 300,737" from rounding the two sides apart
        used = b["rhs"] if abs(b["lhs"] - b["rhs"]) <= 1e-6 * max(1.0, abs(b["rhs"])) else b["lhs"]
        limit = _fmt_amount(b["rhs"])
        level = _("%(used)s of %(limit)s %(unit)s", used=_fmt_amount(used), limit=limit, unit=unit).strip()
    return {
        "where": _where(ids),
        "level": level,
        "value": value,
        "weight": abs(shadow) if shadow is not None else 0.0,
    }

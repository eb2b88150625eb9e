"""The proposal's charts (inline SVG, no network): timeline, sensitivity tornado, and shares (vendor and site mix).

Same drawing primitives as `charts`; each function takes already-computed numbers and labels (translated by
the caller) and returns SVG markup for the HTML template (WeasyPrint draws the same SVG in the PDF).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from html import escape

from markupsafe import Markup

from planner.report.charts import CAPEX, GRID, INK, LIMIT, MUTED, OPEX, SERIES, W, _clip, _line, _rect, _svg, _text
from planner.report.fmt import pct

TRAINING = "#2f8f5b"
LOW_SIDE = "#2f8f5b"
HIGH_SIDE = "#c2410c"


def _two_lines(label: str, width: int) -> list[str]:
    """A row label on one line, or on two broken at a space (the second clipped if still too long)."""
    if len(label) <= width:
        return [label]
    cut = label.rfind(" ", 0, width + 1)
    if cut <= 0:
        return [_clip(label, width)]
    return [label[:cut], _clip(label[cut + 1 :], width)]


def timeline_chart(
    title: str,
    rows: Sequence[tuple[str, Sequence[tuple[str, str, str | None]]]],
    first_year: int,
    last_year: int,
    legend: dict[str, str],
) -> Markup:
    """A Gantt chart: one row per step (label at the left), bars for windows and diamonds for single days.

    `rows` is [(label, [(kind, start, end or None)])] with ISO dates; `legend` maps each kind drawn to its
    (translated) legend text."""
    label_w = min(max((len(r[0]) for r in rows), default=10) * 5.8 + 12, 300)
    x0, x1 = label_w, W - 16
    row_h = 22
    y_top = 40
    starts = [dt.date.fromisoformat(s) for _, marks in rows for _, s, _ in marks]
    lo = min([*starts, dt.date(first_year, 1, 1)])
    lo = dt.date(lo.year, 1 if lo.month <= 6 else 7, 1)
    hi = dt.date(last_year + 1, 1, 1)
    span = (hi - lo).days or 1

    def x_of(day: str | dt.date) -> float:
        d = dt.date.fromisoformat(day) if isinstance(day, str) else day
        return x0 + (x1 - x0) * min(max((d - lo).days, 0), span) / span

    legend_w = [28 + 6.6 * len(text) for text in legend.values()]
    legend_rows = 1 + int(sum(legend_w) // (W - 2 * 16))
    height = y_top + row_h * max(len(rows), 1) + 34 + 18 * legend_rows
    parts = [_text(W / 2, 18, title, size=14, weight="bold")]
    y_axis = y_top + row_h * len(rows)
    year = lo.year if lo.month == 1 else lo.year + 1
    while dt.date(year, 1, 1) <= hi:
        x = x_of(dt.date(year, 1, 1))
        parts.append(_line(x, y_top - 6, x, y_axis, GRID))
        parts.append(_text(x, y_axis + 15, str(year), size=11, color=MUTED))
        year += 1
    parts.append(_line(x0, y_axis, x1, y_axis, INK))
    colours = {
        "training": TRAINING,
        "installation": OPEX,
        "delivery": OPEX,
        "go_live": CAPEX,
        "order_by": INK,
        "decision": LIMIT,
        "refresh": MUTED,
        "end_of_life": MUTED,
    }
    for i, (label, marks) in enumerate(rows):
        y = y_top + row_h * i
        lines = _two_lines(label, 50)  # "Order 5 × … at Metro Manila DC" on two lines, not cut at "Metro M…"
        for j, line in enumerate(lines):
            dy = 4 if len(lines) == 1 else (-1 if j == 0 else 9)
            parts.append(_text(x0 - 6, y + row_h / 2 + dy, line, anchor="end", size=10 if len(lines) == 1 else 9))
        for kind, start, end in marks:
            colour = colours.get(kind, CAPEX)
            if end:
                xa, xb = x_of(start), x_of(end)
                parts.append(_rect(xa, y + 5, max(xb - xa, 2), row_h - 10, colour, f"{label}: {start} – {end}"))
            else:
                cx, cy = x_of(start), y + row_h / 2
                parts.append(
                    f'<path d="M{cx:.1f},{cy - 6:.1f} L{cx + 6:.1f},{cy:.1f} L{cx:.1f},{cy + 6:.1f} '
                    f'L{cx - 6:.1f},{cy:.1f} Z" fill="{colour}"><title>{escape(label)}: {escape(start)}</title></path>'
                )
    x, y = 16.0, y_axis + 40
    for (kind, text), width in zip(legend.items(), legend_w, strict=True):
        if x + width > W - 16 and x > 16:
            x, y = 16.0, y + 18
        parts.append(_rect(x, y - 9, 10, 10, colours.get(kind, CAPEX)))
        parts.append(_text(x + 15, y, text, anchor="start", size=11))
        x += width
    return _svg(W, height, title, parts)


def tornado_chart(
    title: str,
    x_label: str,
    rows: Sequence[tuple[str, float | None, float | None]],
    base: float,
    fmt: Callable[[float], str],
    legend: tuple[str, str],
    no_plan: str,
) -> Markup:
    """Bars from the plan's value (the centre line) to the value with each assumption moved down (green) and
    up (orange); rows in the given order (largest swing first); None = that solve has no plan."""
    label_w = min(max((len(r[0]) for r in rows), default=10) * 6.0 + 14, 270)
    x0, x1 = label_w + 50, W - 60
    row_h = 30
    y_top = 40
    values = [v for _, a, b in rows for v in (a, b) if v is not None] + [base]
    lo, hi = min(values), max(values)
    pad = (hi - lo) * 0.08 or abs(base) * 0.05 or 1.0
    lo, hi = lo - pad, hi + pad

    def x_of(v: float) -> float:
        return x0 + (x1 - x0) * (v - lo) / (hi - lo)

    height = y_top + row_h * max(len(rows), 1) + 58
    y_axis = y_top + row_h * len(rows)
    parts = [_text(W / 2, 18, title, size=14, weight="bold")]
    xb = x_of(base)
    for i, (label, low, high) in enumerate(rows):
        y = y_top + row_h * i
        parts.append(_text(label_w, y + row_h / 2 + 4, _clip(label, 44), anchor="end", size=10))
        for value, colour, side in ((low, LOW_SIDE, 0), (high, HIGH_SIDE, 1)):
            yy = y + 5 + side * (row_h - 10) / 2
            h = (row_h - 10) / 2
            if value is None:
                parts.append(
                    _text(
                        xb + (8 if side else -8),
                        yy + h - 1,
                        no_plan,
                        anchor="start" if side else "end",
                        size=10,
                        color=LIMIT,
                        weight="bold",
                    )
                )
                continue
            xv = x_of(value)
            parts.append(_rect(min(xb, xv), yy, abs(xv - xb), h, colour, f"{label}: {fmt(value)}"))
            anchor = "start" if xv >= xb else "end"
            parts.append(_text(xv + (4 if xv >= xb else -4), yy + h - 1, fmt(value), anchor=anchor, size=9, color=INK))
    parts.append(_line(xb, y_top - 6, xb, y_axis, INK, 1.5))
    parts.append(_text(xb, y_top - 10, fmt(base), size=11, weight="bold"))
    parts.append(_line(x0, y_axis, x1, y_axis, INK))
    parts.append(_text((x0 + x1) / 2, y_axis + 18, x_label, size=11, color=MUTED))
    parts.append(_rect(x0, height - 17, 10, 10, LOW_SIDE))
    parts.append(_text(x0 + 15, height - 8, legend[0], anchor="start", size=11))
    parts.append(_rect(x0 + 30 + 6.6 * len(legend[0]), height - 17, 10, 10, HIGH_SIDE))
    parts.append(_text(x0 + 45 + 6.6 * len(legend[0]), height - 8, legend[1], anchor="start", size=11))
    return _svg(W, height, title, parts)


def share_chart(title: str, x_label: str, names: Sequence[str], shares: Sequence[dict[str, float]]) -> Markup:
    """Stacked horizontal bars of shares (0-1) per row: the vendor or site mix per year."""
    keys = list(dict.fromkeys(k for s in shares for k in s))
    colour = {k: series_colour(i) for i, k in enumerate(keys)}
    label_w = min(max((len(n) for n in names), default=6) * 7.2 + 14, 120)
    x0, x1 = label_w, W - 30
    row_h = 28
    y_top = 38
    places = _legend_places(keys, x0, x1)  # laid out first: the height must hold every row of it
    legend_rows = 1 + max((row for _x, row in places), default=0)
    height = y_top + row_h * max(len(names), 1) + 40 + 18 * legend_rows
    y_axis = y_top + row_h * len(names)
    parts = [_text(W / 2, 18, title, size=14, weight="bold")]
    for t in range(0, 101, 20):
        x = x0 + (x1 - x0) * t / 100
        parts.append(_line(x, y_top - 4, x, y_axis, GRID))
        parts.append(_text(x, y_axis + 15, f"{t}", size=11, color=MUTED))
    parts.append(_text((x0 + x1) / 2, y_axis + 31, x_label, size=11, color=MUTED))
    for i, (name, share) in enumerate(zip(names, shares, strict=True)):
        y = y_top + row_h * i + 5
        parts.append(_text(x0 - 8, y + 13, name, anchor="end", size=11))
        left = 0.0
        for k in keys:
            f = share.get(k, 0.0)
            if f <= 0:
                continue
            xa, xb = x0 + (x1 - x0) * left, x0 + (x1 - x0) * (left + f)
            parts.append(_rect(xa, y, xb - xa, row_h - 10, colour[k], f"{name}: {k} {pct(f)}"))
            if xb - xa > 34:
                parts.append(_text((xa + xb) / 2, y + 13, pct(f), size=10, color="#fff", weight="bold"))
            left += f
    for k, (x, row) in zip(keys, places, strict=True):
        y = y_axis + 52 + 18 * row
        parts.append(_rect(x, y - 9, 10, 10, colour[k]))
        parts.append(_text(x + 15, y, k, anchor="start", size=11))
    return _svg(W, height, title, parts)


def _legend_places(keys: Sequence[str], x0: float, x1: float) -> list[tuple[float, int]]:
    """(x, row) of each legend entry, wrapping to a new row where the next would pass `x1`."""
    out, x, row = [], x0, 0
    for k in keys:
        width = 30 + 6.6 * len(k)
        if x + width > x1 and x > x0:
            x, row = x0, row + 1
        out.append((x, row))
        x += width
    return out


def series_colour(i: int) -> str:
    """The i-th series colour: the nine of SERIES, then the same lightened (a tenth site had the first's blue)."""
    base = SERIES[i % len(SERIES)]
    mix = min(0.55, 0.4 * (i // len(SERIES)))
    if not mix:
        return base
    rgb = [round(int(base[k : k + 2], 16) * (1 - mix) + 255 * mix) for k in (1, 3, 5)]
    return "#" + "".join(f"{c:02x}" for c in rgb)

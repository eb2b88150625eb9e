"""Small inline-SVG charts for the reports: text is real SVG text, escaped; no plotting library.

Every chart is a pure function of already-computed numbers and returns an SVG string that the HTML
template inserts as markup (WeasyPrint renders the same SVG in the PDF).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from html import escape

from markupsafe import Markup

INK = "#1d2733"
MUTED = "#5b6b7c"
GRID = "#d7dee6"
CAPEX = "#0b5cad"
OPEX = "#8fb8e3"
CAPACITY = "#2f8f5b"
DEMAND = "#1d2733"
LIMIT = "#b42318"
YEAR_SHADES = ("#0b5cad", "#4f8fd0", "#8fb8e3", "#b9d3ee", "#dbe8f6")

W, PAD_L, PAD_R, PAD_T, PAD_B = 640, 70, 16, 34, 46


def nice_ticks(top: float, count: int = 5) -> list[float]:
    """Round tick values from 0 to at least `top` (step 1, 2, 2.5 or 5 × 10^k)."""
    if top <= 0 or not math.isfinite(top):
        return [0.0, 1.0]
    raw = top / count
    mag = 10 ** math.floor(math.log10(raw))
    step = next(m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= raw)
    n = math.ceil(top / step - 1e-9)
    return [i * step for i in range(n + 1)]


def _tick_label(v: float) -> str:
    if v == 0:
        return "0"
    if abs(v) >= 100 or v == int(v):
        return f"{v:,.0f}"
    return f"{v:,.1f}".rstrip("0").rstrip(".") if abs(v) >= 1 else f"{v:.2g}"


def _text(
    x: float,
    y: float,
    s: str,
    *,
    anchor: str = "middle",
    size: int = 12,
    color: str = INK,
    weight: str = "normal",
    rotate: float | None = None,
) -> str:
    transform = f' transform="rotate({rotate:g} {x:.1f} {y:.1f})"' if rotate is not None else ""
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" font-size="{size}" fill="{color}" '
        f'font-weight="{weight}" font-family="DejaVu Sans, Liberation Sans, Arial, sans-serif"{transform}>'
        f"{escape(s)}</text>"
    )


def _rect(x: float, y: float, w: float, h: float, fill: str, title: str = "") -> str:
    tip = f"<title>{escape(title)}</title>" if title else ""
    return f'<rect x="{x:.1f}" y="{y:.1f}" width="{max(w, 0):.1f}" height="{max(h, 0):.1f}" fill="{fill}">{tip}</rect>'


def _line(x1: float, y1: float, x2: float, y2: float, color: str, width: float = 1, dash: str = "") -> str:
    d = f' stroke-dasharray="{dash}"' if dash else ""
    return f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" stroke="{color}" stroke-width="{width}"{d}/>'


class _Frame:
    """Plot area with a y axis from 0 to a nice top, grid lines, and axis titles."""

    def __init__(self, title: str, y_label: str, top: float, height: int = 280) -> None:
        self.height = height
        self.ticks = nice_ticks(top)
        self.top = self.ticks[-1] or 1.0
        self.x0, self.x1 = PAD_L, W - PAD_R
        self.y0, self.y1 = height - PAD_B, PAD_T
        self.parts = [_text(W / 2, 18, title, size=14, weight="bold")]
        for t in self.ticks:
            y = self.y(t)
            self.parts.append(_line(self.x0, y, self.x1, y, GRID))
            self.parts.append(_text(self.x0 - 6, y + 4, _tick_label(t), anchor="end", size=11, color=MUTED))
        mid = (self.y0 + self.y1) / 2
        self.parts.append(_text(16, mid, y_label, size=11, color=MUTED, rotate=-90))
        self.parts.append(_line(self.x0, self.y0, self.x1, self.y0, INK))

    def y(self, v: float) -> float:
        return self.y0 - (self.y0 - self.y1) * max(v, 0.0) / self.top

    def svg(self, label: str) -> Markup:
        body = "".join(self.parts)
        return Markup(
            f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {W} {self.height}" '
            f'width="{W}" height="{self.height}" role="img" aria-label="{escape(label)}">'
            f"<title>{escape(label)}</title>{body}</svg>"
        )


def _legend(frame: _Frame, items: Sequence[tuple[str, str, str]]) -> None:
    """Legend entries (label, color, shape: box|line|dash) along the bottom edge."""
    x = frame.x0
    y = frame.height - 10
    for label, color, shape in items:
        if shape == "box":
            frame.parts.append(_rect(x, y - 9, 10, 10, color))
        else:
            frame.parts.append(_line(x - 2, y - 4, x + 12, y - 4, color, 2.5, "5 3" if shape == "dash" else ""))
        frame.parts.append(_text(x + 16, y, label, anchor="start", size=11))
        x += 30 + 6.8 * len(label)


def cost_chart(years: Sequence[int], capex: Sequence[float], opex: Sequence[float]) -> Markup:
    """Stacked bars per year: capital expenditure below, operating cost above, in US$ million."""
    cap = [c / 1e6 for c in capex]
    op = [o / 1e6 for o in opex]
    frame = _Frame(
        "Cost by year: capital and operating",
        "US$ million",
        max((a + b for a, b in zip(cap, op, strict=True)), default=0),
    )
    slot = (frame.x1 - frame.x0) / max(len(years), 1)
    bar = min(slot * 0.55, 90)
    for i, year in enumerate(years):
        x = frame.x0 + slot * i + (slot - bar) / 2
        y_cap = frame.y(cap[i])
        frame.parts.append(_rect(x, y_cap, bar, frame.y0 - y_cap, CAPEX, f"{year} capex ${cap[i]:,.2f} M"))
        y_tot = frame.y(cap[i] + op[i])
        frame.parts.append(_rect(x, y_tot, bar, y_cap - y_tot, OPEX, f"{year} opex ${op[i]:,.2f} M"))
        frame.parts.append(_text(x + bar / 2, y_tot - 4, f"${cap[i] + op[i]:,.1f} M", size=11))
        frame.parts.append(_text(x + bar / 2, frame.y0 + 15, str(year), size=11))
    _legend(frame, [("Capital expenditure", CAPEX, "box"), ("Operating cost", OPEX, "box")])
    return frame.svg("Cost by year in US$ million: capital expenditure and operating cost")


def capacity_chart(workload: str, years: Sequence[int], demand: Sequence[float], capacity: Sequence[float]) -> Markup:
    """Bars of planned serving capacity per year with the demand as a marker line, in thousand tokens/s."""
    dem = [d / 1e3 for d in demand]
    cap = [c / 1e3 for c in capacity]
    frame = _Frame(
        f"Serving capacity against demand: {workload}",
        "thousand output tokens/s (busy hour)",
        max([*dem, *cap, 0.0]) * 1.08,
        height=240,
    )
    slot = (frame.x1 - frame.x0) / max(len(years), 1)
    bar = min(slot * 0.5, 80)
    for i, year in enumerate(years):
        x = frame.x0 + slot * i + (slot - bar) / 2
        yc = frame.y(cap[i])
        frame.parts.append(_rect(x, yc, bar, frame.y0 - yc, CAPACITY, f"{year} capacity {cap[i]:,.1f} k tokens/s"))
        yd = frame.y(dem[i])
        frame.parts.append(_line(x - 8, yd, x + bar + 8, yd, DEMAND, 3))
        frame.parts.append(_text(x + bar / 2, min(yc, yd) - 5, f"{cap[i]:,.0f} k", size=11))
        frame.parts.append(_text(x + bar / 2, frame.y0 + 15, str(year), size=11))
    _legend(frame, [("Planned capacity", CAPACITY, "box"), ("Busy-hour demand", DEMAND, "line")])
    return frame.svg(f"Serving capacity against busy-hour demand for {workload}, thousand output tokens per second")


def power_chart(
    sites: Sequence[str], years: Sequence[int], used: dict[tuple[str, int], float], limits: dict[str, float]
) -> Markup:
    """Facility power per site and year (bars) against each site's limit (dashed line), in kW."""
    top = max([*used.values(), *limits.values(), 0.0]) * 1.05
    frame = _Frame("Facility power per site against its limit", "kW (IT load × PUE)", top)
    group = (frame.x1 - frame.x0) / max(len(sites), 1)
    bar = min(group * 0.7 / max(len(years), 1), 40)
    for i, site in enumerate(sites):
        gx = frame.x0 + group * i
        start = gx + (group - bar * len(years)) / 2
        for j, year in enumerate(years):
            v = used.get((site, year), 0.0)
            y = frame.y(v)
            shade = YEAR_SHADES[j % len(YEAR_SHADES)]
            frame.parts.append(_rect(start + bar * j, y, bar * 0.9, frame.y0 - y, shade, f"{site} {year}: {v:,.0f} kW"))
        ly = frame.y(limits.get(site, 0.0))
        frame.parts.append(_line(gx + 8, ly, gx + group - 8, ly, LIMIT, 2, "6 4"))
        frame.parts.append(
            _text(gx + group / 2, ly - 5, f"limit {limits.get(site, 0.0):,.0f} kW", size=11, color=LIMIT)
        )
        frame.parts.append(_text(gx + group / 2, frame.y0 + 15, site, size=11))
    legend = [(str(y), YEAR_SHADES[j % len(YEAR_SHADES)], "box") for j, y in enumerate(years)]
    _legend(frame, [*legend, ("Site power limit", LIMIT, "dash")])
    return frame.svg("Facility power per site and year against the site's power limit, kW")

"""Small inline-SVG charts for the reports: text is real SVG text, escaped; no plotting library.

Every chart is a pure function of already-computed numbers and returns an SVG string that the HTML
template inserts as markup (WeasyPrint renders the same SVG in the PDF).
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Sequence
from html import escape

from markupsafe import Markup

from planner.report.fmt import num, num_short
from planner.report.i18n import N_, _

INK = "#1d2733"
MUTED = "#5b6b7c"
GRID = "#d7dee6"
CAPEX = "#0b5cad"
OPEX = "#8fb8e3"
CAPACITY = "#2f8f5b"
DEMAND = "#1d2733"
LIMIT = "#b42318"
YEAR_SHADES = ("#0b5cad", "#4f8fd0", "#8fb8e3", "#b9d3ee", "#dbe8f6")


def year_shade(j: int, count: int) -> str:
    """The bar colour of the j-th of `count` years: the five shades above, or for a longer horizon as many steps
    between the darkest and the lightest (cycling them would give two years one colour)."""
    if count <= len(YEAR_SHADES):
        return YEAR_SHADES[j]
    dark, light = YEAR_SHADES[0], YEAR_SHADES[-1]
    t = j / (count - 1)
    rgb = [round(int(dark[k : k + 2], 16) * (1 - t) + int(light[k : k + 2], 16) * t) for k in (1, 3, 5)]
    return "#" + "".join(f"{c:02x}" for c in rgb)


W, PAD_L, PAD_R, PAD_T, PAD_B = 640, 70, 16, 34, 46
# the families pdf.py bundles (Latin/Cyrillic, Arabic, CJK), so every language's text has glyphs in the PDF too
FONTS = (
    "'Planner Sans', 'Planner Arabic', 'Planner SC', "
    + ", ".join(
        f"'Planner {script}'"
        for script in ("Ethiopic", "Thai", "Khmer", "Lao", "Myanmar", "Sinhala", "Tamil", "Devanagari", "Bengali")
    )
    + ", 'Noto Sans', 'DejaVu Sans', sans-serif"
)


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
        return num(v)
    return num_short(v)


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
    bidi = ""
    if any(unicodedata.bidirectional(c) in ("R", "AL") for c in s):
        # Arabic text in the chart (an LTR drawing): set right to left, else "(%)" reads ")%(" and the words
        # swap; the anchor is flipped so that the text still extends to the same side of x
        bidi = ' direction="rtl" unicode-bidi="embed"'
        anchor = {"start": "end", "end": "start"}.get(anchor, anchor)
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" font-size="{size}" fill="{color}" '
        f'font-weight="{weight}" font-family="{FONTS}"{transform}{bidi}>'
        f"{escape(s)}</text>"
    )


def _rect(x: float, y: float, w: float, h: float, fill: str, title: str = "") -> str:
    tip = f"<title>{escape(title)}</title>" if title else ""
    return f'<rect x="{x:.1f}" y="{y:.1f}" width="{max(w, 0):.1f}" height="{max(h, 0):.1f}" fill="{fill}">{tip}</rect>'


def _line(x1: float, y1: float, x2: float, y2: float, color: str, width: float = 1, dash: str = "") -> str:
    d = f' stroke-dasharray="{dash}"' if dash else ""
    return f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" stroke="{color}" stroke-width="{width}"{d}/>'


# Mean advance of a sans-serif glyph in ems: enough to tell whether a rotated axis title fits the chart's height.
GLYPH_EM = 0.58


def _y_title(mid: float, label: str, height: float, size: int = 11) -> list[str]:
    """The rotated y-axis title centred at `mid`; a title longer than the chart is tall (translations often are)
    is split at the space nearest its middle into two lines, so neither runs off the top or bottom edge."""
    if len(label) * size * GLYPH_EM <= height - 8 or " " not in label:
        return [_text(16, mid, label, size=size, color=MUTED, rotate=-90)]
    spaces = [i for i, c in enumerate(label) if c == " "]
    cut = min(spaces, key=lambda i: abs(i - len(label) / 2))
    first, second = label[:cut], label[cut + 1 :]
    return [
        _text(11, mid, first, size=size, color=MUTED, rotate=-90),
        _text(11 + size + 2, mid, second, size=size, color=MUTED, rotate=-90),
    ]


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
        self.parts.extend(_y_title(mid, y_label, self.height))
        self.parts.append(_line(self.x0, self.y0, self.x1, self.y0, INK))

    def y(self, v: float) -> float:
        return self.y0 - (self.y0 - self.y1) * max(v, 0.0) / self.top

    def svg(self, label: str) -> Markup:
        body = "".join(self.parts)
        return Markup(
            f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" direction="ltr" viewBox="0 0 {W} {self.height}" '
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
        _("Cost by year: capital and operating"),
        _("US$ million"),
        max((a + b for a, b in zip(cap, op, strict=True)), default=0),
    )
    slot = (frame.x1 - frame.x0) / max(len(years), 1)
    bar = min(slot * 0.55, 90)
    for i, year in enumerate(years):
        x = frame.x0 + slot * i + (slot - bar) / 2
        y_cap = frame.y(cap[i])
        frame.parts.append(
            _rect(
                x,
                y_cap,
                bar,
                frame.y0 - y_cap,
                CAPEX,
                _("%(year)s capex $%(amount)s M", year=year, amount=num(cap[i], 2)),
            )
        )
        y_tot = frame.y(cap[i] + op[i])
        frame.parts.append(
            _rect(x, y_tot, bar, y_cap - y_tot, OPEX, _("%(year)s opex $%(amount)s M", year=year, amount=num(op[i], 2)))
        )
        frame.parts.append(_text(x + bar / 2, y_tot - 4, _("$%(amount)s M", amount=num(cap[i] + op[i], 1)), size=11))
        frame.parts.append(_text(x + bar / 2, frame.y0 + 15, str(year), size=11))
    _legend(frame, [(_("Capital expenditure"), CAPEX, "box"), (_("Operating cost"), OPEX, "box")])
    return frame.svg(_("Cost by year in US$ million: capital expenditure and operating cost"))


def capacity_chart(workload: str, years: Sequence[int], demand: Sequence[float], capacity: Sequence[float]) -> Markup:
    """Bars of planned serving capacity per year with the demand as a marker line, in thousand tokens/s."""
    dem = [d / 1e3 for d in demand]
    cap = [c / 1e3 for c in capacity]
    frame = _Frame(
        _("Serving capacity against demand: %(workload)s", workload=workload),
        _("thousand output tokens/s (busy hour)"),
        max([*dem, *cap, 0.0]) * 1.08,
        height=240,
    )
    slot = (frame.x1 - frame.x0) / max(len(years), 1)
    bar = min(slot * 0.5, 80)
    for i, year in enumerate(years):
        x = frame.x0 + slot * i + (slot - bar) / 2
        yc = frame.y(cap[i])
        frame.parts.append(
            _rect(
                x,
                yc,
                bar,
                frame.y0 - yc,
                CAPACITY,
                _("%(year)s capacity %(amount)s k tokens/s", year=year, amount=num(cap[i], 1)),
            )
        )
        yd = frame.y(dem[i])
        frame.parts.append(_line(x - 8, yd, x + bar + 8, yd, DEMAND, 3))
        frame.parts.append(_text(x + bar / 2, min(yc, yd) - 5, f"{num(cap[i])} k", size=11))
        frame.parts.append(_text(x + bar / 2, frame.y0 + 15, str(year), size=11))
    _legend(frame, [(_("Installed capacity"), CAPACITY, "box"), (_("Busy-hour demand"), DEMAND, "line")])
    return frame.svg(
        _(
            "Serving capacity against busy-hour demand for %(workload)s, thousand output tokens per second",
            workload=workload,
        )
    )


def power_chart(
    sites: Sequence[str],
    years: Sequence[int],
    used: dict[tuple[str, int], float],
    limits: dict[str, float] | dict[tuple[str, int], float],
) -> Markup:
    """Facility power per site and year (bars) against the site's limit (dashed line), in kW.

    `limits` is per site, or per (site, year) for a site whose power comes in phases: a limit that changes over
    the years is drawn over each year's bar, a constant one across the site's group."""
    per_year = {
        (site, year): limits.get((site, year), limits.get(site, 0.0))  # type: ignore[call-overload]
        for site in sites
        for year in years
    }
    top = max([*used.values(), *per_year.values(), 0.0]) * 1.05
    frame = _Frame(_("Facility power per site against its limit"), _("kW (IT load × PUE)"), top)
    group = (frame.x1 - frame.x0) / max(len(sites), 1)
    bar = min(group * 0.7 / max(len(years), 1), 40)
    for i, site in enumerate(sites):
        gx = frame.x0 + group * i
        start = gx + (group - bar * len(years)) / 2
        for j, year in enumerate(years):
            v = used.get((site, year), 0.0)
            y = frame.y(v)
            shade = year_shade(j, len(years))
            frame.parts.append(_rect(start + bar * j, y, bar * 0.9, frame.y0 - y, shade, f"{site} {year}: {num(v)} kW"))
        site_limits = [per_year[site, year] for year in years]
        if len(set(site_limits)) == 1:
            ly = frame.y(site_limits[0])
            frame.parts.append(_line(gx + 8, ly, gx + group - 8, ly, LIMIT, 2, "6 4"))
            frame.parts.append(
                _text(
                    gx + group / 2,
                    ly - 5,
                    _("limit %(power)s kW", power=num(site_limits[0])),
                    size=11,
                    color=LIMIT,
                )
            )
        else:  # one line and one label per phase, over the years it lasts (a label per year overprints)
            j = 0
            while j < len(years):
                k = j
                while k + 1 < len(years) and site_limits[k + 1] == site_limits[j]:
                    k += 1
                ly = frame.y(site_limits[j])
                x0, x1 = start + bar * j, start + bar * k + bar * 0.9
                frame.parts.append(_line(x0 - 2, ly, x1 + 2, ly, LIMIT, 2, "4 2"))
                frame.parts.append(_text((x0 + x1) / 2, ly - 5, num_short(site_limits[j]), size=10, color=LIMIT))
                j = k + 1
        frame.parts.append(_text(gx + group / 2, frame.y0 + 15, site, size=11))
    legend = [(str(y), year_shade(j, len(years)), "box") for j, y in enumerate(years)]
    _legend(frame, [*legend, (_("Site power limit (kW)"), LIMIT, "dash")])
    return frame.svg(_("Facility power per site and year against the site's power limit, kW"))


# --- what-if charts (scenario comparison, parameter sweep) ---

SERIES = ("#0b5cad", "#c2410c", "#2f8f5b", "#7c3aed", "#b45309", "#0e7490", "#be185d", "#4d7c0f", "#5b6b7c")
NO_PLAN = N_("no plan (infeasible)")


def _clip(s: str, n: int) -> str:
    return s if len(s) <= n else s[: n - 1] + "…"


def _svg(width: float, height: float, label: str, parts: Sequence[str]) -> Markup:
    return Markup(
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" direction="ltr" viewBox="0 0 {width:.0f} {height:.0f}" '
        f'width="{width:.0f}" height="{height:.0f}" role="img" aria-label="{escape(label)}">'
        f"<title>{escape(label)}</title>{''.join(parts)}</svg>"
    )


def _hbar_frame(title: str, x_label: str, names: Sequence[str], top: float, tick=_tick_label):
    """Horizontal-bar layout: one row per name (label at the left), x ticks along the bottom.

    Returns (parts, x-of-value, y-of-row-top, row height, x0, x1, height)."""
    label_w = min(max((len(n) for n in names), default=8) * 7.2 + 14, 190)
    x0, x1 = label_w, W - 70
    row = 30
    y_top = PAD_T + 4
    height = y_top + row * max(len(names), 1) + 62
    ticks = nice_ticks(top)
    span = ticks[-1] or 1.0
    parts = [_text(W / 2, 18, title, size=14, weight="bold")]
    y_axis = y_top + row * len(names)
    for t in ticks:
        x = x0 + (x1 - x0) * t / span
        parts.append(_line(x, y_top - 4, x, y_axis, GRID))
        parts.append(_text(x, y_axis + 15, tick(t), size=11, color=MUTED))
    parts.append(_text((x0 + x1) / 2, y_axis + 33, x_label, size=11, color=MUTED))
    parts.append(_line(x0, y_top - 4, x0, y_axis, INK))
    for i, name in enumerate(names):
        parts.append(_text(x0 - 8, y_top + row * i + row / 2 + 4, _clip(name, 26), anchor="end", size=11))

    def x_of(v: float) -> float:
        return x0 + (x1 - x0) * max(v, 0.0) / span

    return parts, x_of, lambda i: y_top + row * i, row, x0, x1, height


def scenario_npv_chart(names: Sequence[str], npv: Sequence[float | None], capex: Sequence[float | None]) -> Markup:
    """Net present cost per scenario (horizontal bars, capital expenditure marked inside), in US$ million;
    a scenario without a plan (None) is labelled instead of drawn."""
    vals = [v / 1e6 if v is not None else None for v in npv]
    caps = [c / 1e6 if c is not None else None for c in capex]
    top = max([v for v in vals if v is not None] or [0.0])
    parts, x_of, y_of, row, x0, _x1, height = _hbar_frame(
        _("Net present cost per scenario"), _("US$ million (discounted at the plan's rate)"), names, top
    )
    for i, (name, v, c) in enumerate(zip(names, vals, caps, strict=True)):
        y = y_of(i) + 6
        h = row - 12
        if v is None:
            parts.append(_text(x0 + 8, y + h / 2 + 4, _(NO_PLAN), anchor="start", size=11, color=LIMIT, weight="bold"))
            continue
        parts.append(
            _rect(
                x0,
                y,
                x_of(v) - x0,
                h,
                OPEX,
                _("%(name)s: net present cost $%(amount)s M", name=name, amount=num(v, 1)),
            )
        )
        if c is not None:
            parts.append(
                _rect(
                    x0,
                    y,
                    x_of(min(c, v)) - x0,
                    h,
                    CAPEX,
                    _("%(name)s: capital expenditure $%(amount)s M", name=name, amount=num(c, 1)),
                )
            )
        parts.append(_text(x_of(v) + 5, y + h / 2 + 4, _("$%(amount)s M", amount=num(v, 1)), anchor="start", size=11))
    legend_y = height - 8
    parts.append(_rect(x0, legend_y - 9, 10, 10, CAPEX))
    parts.append(_text(x0 + 16, legend_y, _("Capital expenditure (undiscounted)"), anchor="start", size=11))
    parts.append(_rect(x0 + 260, legend_y - 9, 10, 10, OPEX))
    parts.append(_text(x0 + 276, legend_y, _("Rest of the net present cost"), anchor="start", size=11))
    return _svg(W, height, _("Net present cost per scenario in US$ million, capital expenditure marked"), parts)


def vendor_share_chart(names: Sequence[str], shares: Sequence[dict[str, float] | None]) -> Markup:
    """Share of accelerators per vendor and scenario as stacked horizontal bars (0-100 %); None = no plan."""
    vendors = sorted({v for s in shares if s for v in s})
    colour = {v: SERIES[i % len(SERIES)] for i, v in enumerate(vendors)}
    parts, x_of, y_of, row, x0, _x1, height = _hbar_frame(
        _("Accelerators by vendor"), _("share of the scenario's accelerators (%)"), names, 100.0
    )
    for i, (name, share) in enumerate(zip(names, shares, strict=True)):
        y = y_of(i) + 6
        h = row - 12
        if share is None:
            parts.append(_text(x0 + 8, y + h / 2 + 4, _(NO_PLAN), anchor="start", size=11, color=LIMIT, weight="bold"))
            continue
        if not share:
            parts.append(_text(x0 + 8, y + h / 2 + 4, _("no accelerators"), anchor="start", size=11, color=MUTED))
            continue
        left = 0.0
        for vendor in vendors:
            f = share.get(vendor, 0.0) * 100
            if f <= 0:
                continue
            xa, xb = x_of(left), x_of(left + f)
            parts.append(_rect(xa, y, xb - xa, h, colour[vendor], f"{name}: {vendor} {f:.0f}%"))
            if xb - xa > 34:
                parts.append(_text((xa + xb) / 2, y + h / 2 + 4, f"{f:.0f}%", size=10, color="#fff", weight="bold"))
            left += f
    x = x0
    for vendor in vendors:
        parts.append(_rect(x, height - 17, 10, 10, colour[vendor]))
        parts.append(_text(x + 16, height - 8, vendor, anchor="start", size=11))
        x += 30 + 6.8 * len(vendor)
    return _svg(W, height, _("Share of accelerators per vendor in each scenario"), parts)


def _x_ticks(lo: float, hi: float, count: int = 6) -> list[float]:
    """Round tick values covering [lo, hi] (steps of 1, 2, 2.5 or 5 × 10^k)."""
    if not (math.isfinite(lo) and math.isfinite(hi)) or hi <= lo:
        return [lo - 1, lo, lo + 1] if math.isfinite(lo) else [0.0, 1.0]
    raw = (hi - lo) / count
    mag = 10 ** math.floor(math.log10(raw))
    step = next(m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= raw)
    first = math.floor(lo / step + 1e-9)
    last = math.ceil(hi / step - 1e-9)
    return [i * step for i in range(first, last + 1)]


def _cross(cx: float, cy: float, colour: str, cls: str = "", tip: str = "") -> str:
    attr = f' class="{cls}"' if cls else ""
    title = f"<title>{escape(tip)}</title>" if tip else ""
    return (
        f'<path{attr} d="M{cx - 5:.1f},{cy - 5:.1f} L{cx + 5:.1f},{cy + 5:.1f} M{cx - 5:.1f},{cy + 5:.1f} '
        f'L{cx + 5:.1f},{cy - 5:.1f}" stroke="{colour}" stroke-width="2.5">{title}</path>'
    )


def _frontier_series(
    frame: _Frame, x_of, colour: str, pts: Sequence[tuple[float, float | None, str]], radius: float = 4.0
) -> bool:
    """Polylines through runs of feasible points, a dot per feasible point, a cross per infeasible one;
    True if any point is infeasible."""
    runs: list[list[tuple[float, float]]] = [[]]
    for x, y, _tip in pts:
        if y is None:
            runs.append([])
        else:
            runs[-1].append((x_of(x), frame.y(y)))
    for run in runs:
        if len(run) > 1:
            d = " ".join(f"{px:.1f},{py:.1f}" for px, py in run)
            frame.parts.append(f'<polyline points="{d}" fill="none" stroke="{colour}" stroke-width="2"/>')
    for x, y, tip in pts:
        if y is None:
            frame.parts.append(_cross(x_of(x), frame.y0 - 1, LIMIT, "infeasible", tip))
        else:
            frame.parts.append(
                f'<circle class="point" cx="{x_of(x):.1f}" cy="{frame.y(y):.1f}" r="{radius:g}" fill="{colour}" '
                f'stroke="#fff" stroke-width="1"><title>{escape(tip)}</title></circle>'
            )
    return any(y is None for _, y, _ in pts)


def _frontier_legend(frame: _Frame, legend: list[tuple[str, str, str]], title: str) -> None:
    """Legend rows (4 entries each) below the x axis title, optionally headed by `title`; grows the frame."""
    per_row = 4
    rows = (len(legend) + per_row - 1) // per_row + (1 if title and legend else 0)
    frame.height += 18 * rows
    y = frame.height - 10 - 18 * (rows - 1)
    if title and legend:
        frame.parts.append(_text(frame.x0 - 2, y, _clip(title, 80), anchor="start", size=11, color=MUTED))
        y += 18
    for i, (label, colour, shape) in enumerate(legend):
        lx = frame.x0 + (i % per_row) * 135
        ly = y + 18 * (i // per_row)
        if shape == "cross":
            frame.parts.append(_cross(lx + 4, ly - 4, colour))
        else:
            frame.parts.append(_line(lx - 2, ly - 4, lx + 12, ly - 4, colour, 2.5))
        shown = label if shape == "cross" else _clip(label, 17)
        frame.parts.append(_text(lx + 16, ly, shown, anchor="start", size=11))


def frontier_chart(
    title: str,
    x_label: str,
    y_label: str,
    series: Sequence[tuple[str, Sequence[tuple[float, float | None, str]]]],
    *,
    y_top: float | None = None,
    y_suffix: str = "",
    legend_title: str = "",
) -> Markup:
    """Lines through the solved points of a sweep: x = the varied value, y = the result.

    `series` is [(legend label or "", [(x, y or None when infeasible, tooltip)])], the legend headed by
    `legend_title` (e.g. the second varied key). Each feasible point is a `<circle class="point">`; an
    infeasible one a red cross (`class="infeasible"`) on the x axis. Lines connect consecutive feasible
    points only.
    """
    xs = [x for _, pts in series for x, _, _ in pts]
    ys = [y for _, pts in series for _, y, _ in pts if y is not None]
    frame = _Frame(title, y_label, y_top if y_top is not None else max([*ys, 0.0]) * 1.08, height=300)
    frame.y0 -= 14  # room for the x axis title
    frame.parts = [_text(W / 2, 18, title, size=14, weight="bold")]
    for t in frame.ticks:
        y = frame.y(t)
        frame.parts.append(_line(frame.x0, y, frame.x1, y, GRID))
        frame.parts.append(_text(frame.x0 - 6, y + 4, _tick_label(t) + y_suffix, anchor="end", size=11, color=MUTED))
    frame.parts.extend(_y_title((frame.y0 + frame.y1) / 2, y_label, frame.height))
    ticks = _x_ticks(min(xs, default=0.0), max(xs, default=1.0))
    lo, hi = ticks[0], ticks[-1]
    inner0, inner1 = frame.x0 + 14, frame.x1 - 14

    def x_of(v: float) -> float:
        return inner0 + (inner1 - inner0) * (v - lo) / ((hi - lo) or 1.0)

    for t in ticks:
        frame.parts.append(_line(x_of(t), frame.y0, x_of(t), frame.y0 + 4, INK))
        frame.parts.append(_text(x_of(t), frame.y0 + 16, _tick_label(t), size=11, color=MUTED))
    frame.parts.append(_text((frame.x0 + frame.x1) / 2, frame.y0 + 33, x_label, size=11, color=MUTED))
    frame.parts.append(_line(frame.x0, frame.y0, frame.x1, frame.y0, INK))
    # earlier series get larger dots, so points that coincide show as concentric rings
    infeasible = [
        _frontier_series(frame, x_of, SERIES[k % len(SERIES)], pts, 4.0 + 2.0 * min(len(series) - 1 - k, 4))
        for k, (_, pts) in enumerate(series)
    ]
    legend = [(label, SERIES[k % len(SERIES)], "line") for k, (label, _) in enumerate(series) if label]
    if any(infeasible):
        legend.append((_(NO_PLAN), LIMIT, "cross"))
    _frontier_legend(frame, legend, legend_title)
    return frame.svg(title)

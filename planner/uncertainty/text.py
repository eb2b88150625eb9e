"""The terminal lines of a plan's Monte Carlo evaluation."""

from __future__ import annotations

from planner.plan import Names, Uncertainty


def uncertainty_text(u: Uncertainty, names: Names | None = None) -> str:
    """A few lines: the spread of cost, the chance of meeting everything, and the price of a confidence; workloads
    by their names (`names`, the plan's) where given."""
    name = names.workload if names is not None else (lambda wid: f"`{wid}`")

    def musd(x: float) -> str:
        return f"${x / 1e6:,.1f} M"

    lines = [
        f"\nUnder uncertainty ({u.samples:,} futures, seed {u.seed}):",
        f"  NPV   P10 {musd(u.npv_usd.p10)}  P50 {musd(u.npv_usd.p50)}  P90 {musd(u.npv_usd.p90)}",
        f"  capex P10 {musd(u.capex_usd.p10)}  P50 {musd(u.capex_usd.p50)}  P90 {musd(u.capex_usd.p90)}",
        f"  every demand and deadline met in {u.all_met:.0%} of these {u.samples:,} futures",
    ]
    worst = min(u.serving, key=lambda s: s.probability, default=None)
    if worst is not None:
        lines.append(
            f"  least likely: {name(worst.workload)} in {worst.year} meets its demand in {worst.probability:.0%}"
        )
    for t in u.training:
        lines.append(f"  {name(t.workload)} ends by its deadline in {t.probability:.0%}")
    if u.sizing is not None:
        s = u.sizing
        lines.append(
            f"  sized at confidence {s.target:.0%}: met in {s.reached:.1%} of {s.out_of_sample:,} other futures drawn "
            f"to check it (sampling noise apart from the line above; the plan sized for the planned figures: "
            f"{s.deterministic_reached:.1%}), "
            f"for {musd(s.extra_npv_usd)} more NPV"
        )
    return "\n".join(lines)

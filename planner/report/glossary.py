"""The proposal's last appendix: the technical terms its tables use, in words a programme office reads.

A ministry reader meets TTFT, tp=2,pp=4 or MFU in the capacity section; each is explained here once rather than
at every use.
"""

from __future__ import annotations

from planner.report.tr import _


def glossary() -> list[dict[str, str]]:
    """(term, meaning) rows, in the order a reader meets them in the report."""
    rows = [
        (_("Accelerator"), _("One GPU or NPU chip; a server or rack holds several.")),
        (
            _("Accelerator-hour"),
            _("One accelerator in service for one hour: the unit the fleet's cost per hour is counted in."),
        ),
        (
            _("Busy hour"),
            _("The hour of the day with the most requests; serving capacity is sized for it, not for the average."),
        ),
        (
            _("TTFT (time to first token)"),
            _("How long a user waits from sending a request until the answer starts to appear."),
        ),
        (
            _("TPOT (time per output token)"),
            _("The time between two further tokens of an answer once it has started: how fast the text appears."),
        ),
        (
            _("p95"),
            _(
                "A latency limit met by 95 requests in 100 (the slowest 5 may take longer); a mean limit is met on "
                "average."
            ),
        ),
        (
            _("Replica"),
            _("One running copy of a model, on as many accelerators as it needs; capacity grows by adding replicas."),
        ),
        (
            _("Layout (tp, pp, ep, dp_attention)"),
            _(
                "How one replica is split over its accelerators: tp = tensor parallel (each layer split over that "
                "many chips), pp = pipeline stages (the layers in that many groups), ep = expert parallel (the "
                "experts of a mixture-of-experts model spread over that many chips), dp_attention = each chip runs "
                "attention for its own requests."
            ),
        ),
        (
            _("MFU (model FLOP utilisation)"),
            _("The share of the accelerators' peak arithmetic a training run turns into useful model computation."),
        ),
        (
            _("Goodput"),
            _(
                "The share of a training run's time that makes progress: not lost to failures, restarts and "
                "checkpoints."
            ),
        ),
        (
            _("PUE (power usage effectiveness)"),
            _("A site's total power over its IT power: 1.3 means 30 % more for cooling and power conversion."),
        ),
        (
            _("Capex, opex"),
            _(
                "Capital spending (hardware, fabric, fit-out: paid when bought) and operating spending (energy, "
                "maintenance, rent, staff, licences: paid every year)."
            ),
        ),
        (
            _("NPV (net present value)"),
            _(
                "All spending over the horizon discounted to today at the programme's discount rate, less the value "
                "the hardware still holds at the end."
            ),
        ),
        (
            _("Export licence"),
            _(
                "Hardware an exporting country's rules allow only with a licence (sometimes for a capped number of "
                "chips); the plan uses it only where the country file accepts licences."
            ),
        ),
    ]
    return [{"term": term, "meaning": meaning} for term, meaning in rows]

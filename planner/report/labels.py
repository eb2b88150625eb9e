"""Labels the report view models (context, whatif, sources, economics) hand to the templates as plain English;
listed here so `pybabel extract` finds them, and translated where the templates show them (`_(label)`).

A label missing from this list still prints, in English: add it here (and to the catalogs) when a view model
gains one. Sentences that carry figures are not here: they are written where they are computed.
"""

from __future__ import annotations

from planner.report.i18n import N_

LABELS = (
    # built-in scenarios' descriptions (planner/scenarios.py BUILTIN_DESCRIPTIONS, shown in comparisons)
    N_("only Huawei Ascend hardware"),
    N_("only NVIDIA hardware"),
    N_("only AMD hardware"),
    N_("no vendor above 50 % of the accelerators"),
    N_("rent in cloud regions only; nothing bought"),
    N_("nothing that needs an export licence for the destination"),
    # the Monte Carlo evaluation's fixed notes and a source (planner/uncertainty: evaluate._notes, inputs.py)
    N_(
        "Idle units (integer purchases, resilience headroom) serve the workloads allowed on them in proportion "
        "to the units each already has there; resilience to the loss of a site is not sampled."
    ),
    N_(
        "Serving throughput varies as published runs did against the estimate on each profile (on AMD and "
        "NVIDIA stacks the runs served less than estimated, so the plan's own figures are optimistic there); "
        "lead times are taken as planned."
    ),
    N_("training validation band (held-out published runs)"),
    # titles and status
    N_("Sovereign AI deployment plan"),
    N_("Scenario comparison"),
    N_("Parameter sweep"),
    N_("Optimal plan"),
    N_("Feasible plan (not proven optimal)"),
    N_("No plan"),
    N_("Optimal"),
    N_("Feasible (not proven optimal)"),
    N_("no plan"),
    # executive summary
    N_("What to acquire"),
    N_("Where"),
    N_("When"),
    N_("For how much"),
    N_("What it serves"),
    N_("What was asked"),
    N_("What is short"),
    N_("What would make a plan possible"),
    # key figures (report and comparison)
    N_("Accelerators in service, peak year"),
    N_("IT power at own sites, peak year"),
    N_("IT power of rented capacity, most in any year"),
    N_("Total cost of ownership (undiscounted)"),
    N_("Net present cost (NPV)"),
    N_("Hardware units in service, peak year"),
    N_("Rank by net present cost"),
    N_("Accelerators by vendor"),
    N_("Cost per million output tokens served"),
    N_("Fleet cost per accelerator-hour"),
    # appendix A groups and appendix B
    N_("Hardware purchased"),
    N_("Efficiency of the software stacks"),
    N_("Models"),
    N_("Languages"),
    N_("Cost lines beyond hardware, energy and maintenance"),
    N_("Planner version"),
    N_("Input file"),
    N_("Input sha256"),
    N_("Catalog sha256"),
    N_("Solver"),
    N_("Python"),
    N_("Created (UTC)"),
)

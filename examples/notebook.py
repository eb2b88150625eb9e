"""The planner from Python, as in a notebook: load a country, size it, look at the figures, compare options.

Run it from the repository root: `python examples/notebook.py`.
"""

from pathlib import Path

import planner

EXAMPLE = Path(__file__).resolve().parent / "malaysia.yaml"

# load and check the country (a path, or the same content as a dict); overrides as on the command line
spec = planner.load(EXAMPLE, set={"budget.capex_usd": 60e6})
plan = planner.size(spec)  # a typed Plan: plan.json is its JSON
print(plan.status, f"capex ${plan.totals.capex_usd / 1e6:.1f} M, NPV ${plan.totals.npv_usd / 1e6:.1f} M")
for a in plan.allocations:
    print(a.year, plan.names.site(a.site), plan.names.hw(a.hardware), a.units, a.acquisition)

tables = plan.tables()  # tidy rows (pandas DataFrames when pandas is installed)
print(len(tables["allocations"]), "allocation rows;", len(tables["serving"]), "serving rows")

# a country written as a dict, without a file
doc = {
    "country": {"name": "Testland", "iso2": "MY"},
    "planning": {"start_year": 2028, "years": 1},
    "languages": {"ms": 0.6, "en": 0.4},
    "sites": {"main_dc": {"name": "Main data centre", "jurisdiction": "MY", "power_kw": 800, "racks": 20}},
    "workloads": {
        "assistant": {
            "kind": "serving",
            "name": "Citizen assistant",
            "model": "llama_3_1_8b",
            "users": 300_000,
            "requests_per_user_per_day": 5,
            "input_tokens_per_request": 600,
            "output_tokens_per_request": 300,
            "tpot_ms": 50,
        }
    },
    "hardware": ["hgx_h100", "mi300x_8x"],
}
small = planner.size(planner.load(doc))
served = small.workloads[0]
print(small.names.workload("assistant"), "met:", served.capacity.value >= served.demand.value * (1 - 1e-9))

# what-if: two scenarios side by side
result = planner.compare(EXAMPLE, ["baseline", "nvidia_only"])
print("cheapest first:", result["ranking_by_npv"])

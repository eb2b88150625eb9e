"""Synthetic countries for benchmarks: sites × hardware options × workloads × years, from the real catalog.

    python benchmarks/generate.py --sites 50 --options 40 --workloads 30 --years 5 --out /tmp/bench

writes `/tmp/bench/country.yaml` and, when more hardware options are asked for than the bundled catalog holds
(17), `/tmp/bench/catalog/variants.yaml`: copies of bundled hardware entries under new ids (`hgx_h100_v2`, ...)
with a different price (-15 % to +20 %) and lead time (4 to 40 weeks), as a buyer comparing vendor quotes would
have. Pass that directory to `planner size --catalog`. Everything is seeded, so a size always gives the same files.

Realism: serving workloads use llama_3_1_8b, llama_3_1_70b, qwen2_5_72b and deepseek_v3 with 50 k to 5 M users,
SLOs and fp8/bf16 precision; about one workload in six is a fine-tuning or continued-pretraining job with a
deadline and a start week; one service in three goes live in a later quarter (so the per-quarter capacity rows
are exercised); own and colocation sites have 1-20 MW of power, racks, PUE 1.2-1.6 and an electricity price; one site
in ten is a sovereign cloud region renting a few accelerator types. No budget is set, so every case is feasible,
unless `--capex-budget` or `--opex-budget` asks for one (the benchmarks' infeasible case).
"""

from __future__ import annotations

import argparse
import copy
import random
import sys
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
CATALOG = ROOT / "catalogs"

# bundled hardware in the order a programme office would shortlist it (mainstream first)
PREFERRED = [
    "hgx_h100",
    "hgx_h200",
    "dgx_b200",
    "mi300x_8x",
    "atlas_800i_a2",
    "atlas_800t_a2",
    "gaudi3_8x",
    "mi325x_8x",
    "atlas_800i_a3",
    "gb200_nvl72",
    "hgx_a100",
    "l40s_8x",
    "hgx_h20",
    "hgx_h800",
    "cloudmatrix_384",
    "atlas_300i_duo_box",
    "ascend_ai_appliance",
]
SERVING_MODELS = [
    # (model, precision, tpot_ms, ttft_ms, users range)
    ("llama_3_1_8b", "bf16", 40, 1000, (200e3, 5e6)),
    ("llama_3_1_70b", "fp8", 60, 2000, (100e3, 2e6)),
    ("qwen2_5_72b", "fp8", 60, 2000, (100e3, 2e6)),
    ("deepseek_v3", "fp8", 80, 3000, (50e3, 1e6)),
]
TRAINING_JOBS = [
    # (kind, model, tokens, deadline_days, method)
    ("fine_tuning", "llama_3_1_8b", 2e9, 7, "lora"),
    ("fine_tuning", "llama_3_1_70b", 5e9, 14, "lora"),
    ("fine_tuning", "qwen2_5_72b", 2e9, 10, "full"),
    ("pretraining", "llama_3_1_70b", 100e9, 60, None),
]


def bundled_hardware() -> dict[str, dict[str, Any]]:
    """Every bundled hardware entry as plain data, by id."""
    out: dict[str, dict[str, Any]] = {}
    for file in sorted((CATALOG / "hardware").glob("*.yaml")):
        for entry in yaml.safe_load(file.read_text(encoding="utf-8")).get("hardware", []):
            out[entry["id"]] = entry
    return out


def hardware_options(n: int, rng: random.Random) -> tuple[list[str], list[dict[str, Any]]]:
    """`n` hardware ids: the bundled ones first, then priced variants of them; and the variant entries."""
    bundled = bundled_hardware()
    base = [h for h in PREFERRED if h in bundled] + sorted(set(bundled) - set(PREFERRED))
    ids = base[:n]
    variants: list[dict[str, Any]] = []
    k = 2
    while len(ids) < n:
        for hw_id in base:
            if len(ids) >= n:
                break
            entry = copy.deepcopy(bundled[hw_id])
            entry["id"] = f"{hw_id}_v{k}"
            entry["name"] = f"{entry['name']} (quote {k})"
            entry["price_usd_per_unit"] = round(entry["price_usd_per_unit"] * rng.uniform(0.85, 1.2), -2)
            entry["lead_time_weeks"] = rng.randint(4, 40)
            entry.pop("sources", None)  # the variant's figures come from its quote, cited by `source`
            entry["bundled_model"] = entry.get("bundled_model")
            if entry["bundled_model"] is None:
                del entry["bundled_model"]
            variants.append(entry)
            ids.append(entry["id"])
        k += 1
    return ids, variants


def _site(i: int, rng: random.Random, hw_ids: list[str]) -> tuple[str, dict[str, Any]]:
    if i % 10 == 9:  # a sovereign cloud region renting a few accelerator types
        offered = sorted(rng.sample(hw_ids[: min(6, len(hw_ids))], k=min(2, len(hw_ids))))
        rent = {h: round(rng.uniform(2.0, 4.5), 2) for h in offered}
        site = {
            "name": f"Sovereign cloud region {i}",
            "jurisdiction": "MY",
            "kind": "sovereign_cloud",
            "rent_usd_per_accelerator_hour": rent,
            "max_accelerators": rng.choice([256, 512, 1024]),
        }
        return f"cloud_{i:02d}", site
    site = {
        "name": f"Data centre {i}",
        "jurisdiction": "MY",
        "kind": "own_dc" if i % 2 == 0 else "colocation",
        "power_kw": rng.choice([1000, 2000, 4000, 8000, 12000, 20000]),
        "racks": rng.choice([40, 60, 100, 200]),
        "pue": round(rng.uniform(1.2, 1.6), 2),
        "electricity_usd_per_kwh": round(rng.uniform(0.06, 0.16), 3),
    }
    return f"dc_{i:02d}", site


def _workload(j: int, rng: random.Random, years: int, start: int) -> tuple[str, dict[str, Any]]:
    if j % 6 == 5:
        kind, model, tokens, deadline, method = TRAINING_JOBS[(j // 6) % len(TRAINING_JOBS)]
        job: dict[str, Any] = {
            "kind": kind,
            "model": model,
            "tokens": tokens,
            "deadline_days": deadline,
            "year": start + rng.randrange(years),
        }
        if method:
            job["method"] = method
        job["start_week"] = rng.randrange(52)  # the job holds its units only in the quarters it runs
        return f"train_{j:02d}", job
    model, precision, tpot, ttft, (low, high) = SERVING_MODELS[j % len(SERVING_MODELS)]
    # one service in three opens in a later quarter (per-quarter capacity rows of the time-and-money issue)
    go_live = {"go_live": f"{start + rng.randrange(years)}Q{rng.randint(2, 4)}"} if j % 3 == 1 else {}
    return f"serve_{j:02d}", {
        **go_live,
        "kind": "serving",
        "model": model,
        "users": round(rng.uniform(low, high), -3),
        "requests_per_user_per_day": rng.choice([2, 4, 6, 10]),
        "input_tokens_per_request": rng.choice([400, 800, 1500]),
        "output_tokens_per_request": rng.choice([200, 300, 500]),
        "peak_factor": 3,
        "ttft_ms": ttft,
        "tpot_ms": tpot,
        "precision": precision,
        "growth_per_year": rng.choice([0.0, 0.2, 0.5]),
    }


def generate(
    sites: int,
    options: int,
    workloads: int,
    years: int,
    *,
    seed: int = 0,
    mip_gap: float = 0.005,
    time_limit_s: float = 60.0,
    resilience: float | None = None,
    vendor_max_share: float | None = 0.6,
    capex_budget_usd: float | None = None,
    opex_budget_usd: float | None = None,
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """(country document, variant hardware entries for a user catalog; empty if the bundled ones suffice)."""
    rng = random.Random(seed)
    hw_ids, variants = hardware_options(options, rng)
    start = 2027
    doc: dict[str, Any] = {
        "country": {"name": f"Benchland {sites}x{options}x{workloads}x{years}", "iso2": "MY"},
        "planning": {"start_year": start, "years": years, "discount_rate": 0.08, "hardware_life_years": 5},
        "languages": {"ms": 0.55, "en": 0.25, "zh": 0.15, "ta": 0.05},
        "hardware": hw_ids,
        "sites": dict(_site(i, rng, hw_ids) for i in range(sites)),
        "workloads": dict(_workload(j, rng, years, start) for j in range(workloads)),
        "policy": {"allow_licence_required": True},
        "solver": {"mip_gap": mip_gap, "time_limit_s": time_limit_s},
    }
    if vendor_max_share is not None:
        doc["policy"]["vendor_max_share"] = vendor_max_share
    # budgets far below what the demand costs make an infeasible case to diagnose
    budget = {"capex_usd": capex_budget_usd, "opex_usd_per_year": opex_budget_usd}
    if any(x is not None for x in budget.values()):
        doc["budget"] = {k: x for k, x in budget.items() if x is not None}
    if resilience is not None and sites >= 2:
        doc["policy"]["resilience_fraction"] = resilience
    return doc, variants


def write_case(out: Path, sites: int, options: int, workloads: int, years: int, **kwargs: Any) -> tuple[Path, Path]:
    """Write country.yaml and catalog/variants.yaml under `out`; return (country file, catalog dir)."""
    doc, variants = generate(sites, options, workloads, years, **kwargs)
    out.mkdir(parents=True, exist_ok=True)
    catalog = out / "catalog"
    catalog.mkdir(exist_ok=True)
    for old in catalog.glob("*.yaml"):
        old.unlink()
    if variants:
        (catalog / "variants.yaml").write_text(
            "# Generated by benchmarks/generate.py: bundled hardware at other prices and lead times.\n"
            + yaml.safe_dump({"hardware": variants}, sort_keys=False, allow_unicode=True),
            encoding="utf-8",
        )
    country = out / "country.yaml"
    country.write_text(yaml.safe_dump(doc, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return country, catalog


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sites", type=int, default=10)
    parser.add_argument("--options", type=int, default=17)
    parser.add_argument("--workloads", type=int, default=10)
    parser.add_argument("--years", type=int, default=3)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--mip-gap", type=float, default=0.005)
    parser.add_argument("--resilience", type=float, default=None, help="resilience_fraction (grows the model a lot)")
    parser.add_argument("--capex-budget", type=float, default=None, help="capex budget in USD (small: infeasible)")
    parser.add_argument("--opex-budget", type=float, default=None, help="opex budget in USD per year")
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    country, catalog = write_case(
        args.out,
        args.sites,
        args.options,
        args.workloads,
        args.years,
        seed=args.seed,
        mip_gap=args.mip_gap,
        resilience=args.resilience,
        capex_budget_usd=args.capex_budget,
        opex_budget_usd=args.opex_budget,
    )
    print(f"wrote {country}" + (f" and {catalog}" if any(catalog.iterdir()) else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())

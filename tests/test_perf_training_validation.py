"""Published training runs: >= 25 rows with sources, groups kept apart, held-out tolerances per group."""

from __future__ import annotations

import pytest

from planner.catalog import load_catalog
from planner.perf import validation_training as vt

# Held-out rows beyond the 25 % per-row bar, kept (and shown in docs/validation.md) rather than fitted away.
# strict: if one comes within the bar the test says so and the entry must go.
KNOWN_OUTLIERS: dict[str, str] = {
    "Qwen3 235B-A22B, 256x H100, FP8-CS, TP2 PP8 VP4 EP32, GBS 2048": "FP8 MoE on Hopper with TP 2: the model is "
    "~35 % fast (grouped FP8 GEMMs / expert dispatch under TP not resolved)",
    "DeepSeek-V3, 1024x H100, FP8, TP2 PP8 VP4 EP64, GBS 8192": "as above (~30 % fast)",
    "GLM-130B, 400B tokens, 768 A100-40GB, TP4 PP8, no SP": "the 60 days are the cluster access window with the "
    "loss-spike restarts; the model is ~28 % short",
    "Llama 2 34B pretraining, 2.0T tokens, A100-80GB": "~26 % short with the programme efficiency set on 7B",
}


@pytest.fixture(scope="module")
def results():
    return vt.training_results(load_catalog())


def test_at_least_25_runs_with_sources(results) -> None:
    assert len(results) >= 25
    assert all(r.source and r.split in ("calibration", "held-out") and r.group in vt.GROUPS for r in results)
    held = [r for r in results if r.split == "held-out"]
    assert len(held) >= 20
    # both groups, dense and MoE, and the hardware families asked for
    names = " ".join(r.name for r in results)
    for family in ("A100", "H100", "H800", "H200", "B200", "GB200", "MI300X", "MI325X", "Ascend 910B"):
        assert family in names, family
    assert any(r.group == "programme" for r in results) and any(r.group == "benchmark" for r in results)


def test_calibration_rows_name_what_they_set() -> None:
    for run in vt.RUNS:
        if run.split == "calibration":
            assert run.calibrates, run.name


# The programme group misses the median target (11 %, target 10 %): reported, not fitted away.
MEDIAN_MISSES = {"programme": "held-out median 11.0 % (target 10 %): DeepSeek 67B/V3 on H800 ~17 % short, "
                              "Llama 2 34B and GLM-130B beyond 25 %"}


@pytest.mark.parametrize(
    "group",
    [pytest.param(g, marks=pytest.mark.xfail(strict=True, reason=MEDIAN_MISSES[g])) if g in MEDIAN_MISSES else g
     for g in vt.GROUPS],
)
def test_held_out_median_within_target(results, group) -> None:
    st = vt.group_stats(results)[group]
    assert st["median"] <= vt.TARGET_MEDIAN, f"{group}: median {st['median']:.1%}"


@pytest.mark.parametrize(
    "name",
    [
        pytest.param(r.name, marks=pytest.mark.xfail(strict=True, reason=KNOWN_OUTLIERS[r.name]))
        if r.name in KNOWN_OUTLIERS
        else r.name
        for r in vt.RUNS
        if r.split == "held-out"
    ],
)
def test_held_out_row_within_max(results, name) -> None:
    r = next(x for x in results if x.name == name)
    assert abs(r.error) <= vt.TARGET_MAX, f"{name}: {r.estimated:.4g} vs {r.measured:.4g} ({r.error:+.1%})"


def test_section_renders_groups(results) -> None:
    text = vt.training_section(load_catalog())
    assert "## Training runs" in text and "### Benchmark rows" in text and "### Programme rows" in text
    assert text.count("| calibration |") == sum(r.split == "calibration" for r in results)


def test_error_bands_are_current() -> None:
    from planner.perf.training import ERROR_BANDS

    assert vt.error_bands(load_catalog()) == ERROR_BANDS, "update ERROR_BANDS in planner/perf/training.py"

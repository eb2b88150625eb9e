"""Published training runs: >= 25 rows with sources, groups kept apart, held-out tolerances per group."""

from __future__ import annotations

import pytest

from planner.catalog import load_catalog
from planner.perf import validation_training as vt


@pytest.fixture(scope="module")
def results():
    return vt.training_results(load_catalog())


def test_at_least_25_runs_with_sources(results) -> None:
    assert len(results) >= 25
    assert all(
        r.source and r.split in ("calibration", "held-out", vt.NOT_COMPARABLE) and r.group in vt.GROUPS for r in results
    )
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


def test_not_comparable_rows_depend_on_an_unpublished_chip_count() -> None:
    """A row is left out only when its chip count is unpublished and moves the estimate beyond the median target."""
    cat = load_catalog()
    for run in vt.RUNS:
        if run.split == vt.NOT_COMPARABLE:
            assert not run.chips_published, run.name
            lo, hi = vt.chip_sensitivity(cat, run)
            assert hi - lo > vt.TARGET_MEDIAN, (run.name, lo, hi)


@pytest.mark.parametrize("group", vt.GROUPS)
def test_held_out_median_within_target(results, group) -> None:
    st = vt.group_stats(results)[group]
    assert st["median"] <= vt.TARGET_MEDIAN, f"{group}: median {st['median']:.1%}"
    assert st["max"] <= vt.TARGET_MAX, f"{group}: max {st['max']:.1%}"


@pytest.mark.parametrize("name", [r.name for r in vt.RUNS if r.split == "held-out"])
def test_held_out_row_within_max(results, name) -> None:
    r = next(x for x in results if x.name == name)
    assert abs(r.error) <= vt.TARGET_MAX, f"{name}: {r.estimated:.4g} vs {r.measured:.4g} ({r.error:+.1%})"


def test_section_renders_groups(results) -> None:
    text = vt.training_section(load_catalog())
    assert "## Training runs" in text and "### Benchmark rows" in text and "### Programme rows" in text
    assert text.count("| calibration |") == sum(r.split == "calibration" for r in results)


def test_validated_profiles_are_current() -> None:
    """The chips and stacks a training band is quoted for are those some held-out run checks (Gaudi 3 has none)."""
    from planner.perf.training import TRAINING_VALIDATED_PROFILES

    assert vt.validated_profiles(load_catalog()) == TRAINING_VALIDATED_PROFILES
    assert "intel_gaudi3_synapse" not in TRAINING_VALIDATED_PROFILES


def test_error_bands_are_current() -> None:
    from planner.perf.training import ERROR_BANDS

    assert vt.error_bands(load_catalog()) == ERROR_BANDS, "update ERROR_BANDS in planner/perf/training.py"

"""planner.runner on a real Dask cluster (two worker processes on the loopback interface): the same sweep,
comparison, Monte Carlo and near-optimal alternatives as a serial run, in the order of the items, with progress
reported."""

from __future__ import annotations

import io
import json
import random
import time

import pytest

from planner.cli import _register_subcommands, app
from planner.pipeline import load_spec, size
from planner.progress import ProgressBar
from planner.runner import ClusterError, run_many
from tests.conftest import EXAMPLES, FIXED_TODAY

distributed = pytest.importorskip("distributed")

if "sweep" not in {c.name for c in app.registered_commands}:
    _register_subcommands()

COUNTRY = EXAMPLES / "kazakhstan.yaml"
VARY = "budget.capex_usd=1e6:5e6:3"
VOLATILE = {("provenance", "created_utc"), ("solver", "runtime_s")}


@pytest.fixture(scope="module")
def cluster():
    """One LocalCluster for the module: 2 single-threaded worker processes, scheduler on 127.0.0.1, no dashboard.
    The workers inherit PLANNER_TODAY from the environment they start in (the autouse pin is function-scoped)."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("PLANNER_TODAY", FIXED_TODAY)
        with (
            distributed.LocalCluster(
                n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address="127.0.0.1:0"
            ) as local,
            distributed.Client(local, set_as_default=False) as client,
        ):
            yield client


def _comparable(plan: dict) -> dict:
    """plan.json content without what differs between any two runs (the clock and the solve time)."""
    plan = json.loads(json.dumps(plan))
    for section, key in VOLATILE:
        plan[section].pop(key, None)
    plan.pop("content_sha256", None)
    return plan


def test_sweep_on_the_cluster_equals_the_serial_run(cluster, catalog, tmp_path):
    """`planner sweep --cluster ADDRESS` against each point solved one after another in this process."""
    from planner.sweeps import grid, parse_vary, sweep_result

    address = cluster.scheduler.address
    args = ["sweep", str(COUNTRY), "--vary", VARY, "--out", str(tmp_path), "--format", "json", "--cluster", address]
    from typer.testing import CliRunner

    result = CliRunner().invoke(app, args, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "Solving" not in result.output  # no progress bar on a captured stream unless asked for

    axes = [parse_vary(VARY)]
    variants = grid(axes)
    serial = {}
    for v in variants:
        loaded = load_spec(COUNTRY, catalog, sets=["planning.objective=max_served", *v.sets])
        serial[v.name] = size(loaded, catalog)
    # the frontier from the serial plans is the cluster's sweep.json, point for point
    expected = json.loads(json.dumps(sweep_result(axes, variants, serial), default=str))
    assert json.loads((tmp_path / "sweep.json").read_text()) == expected
    # each point's plan.json was written here (not on the worker) and is the serial plan
    for name, plan in serial.items():
        written = json.loads((tmp_path / "points" / name / "plan.json").read_text())
        assert _comparable(written) == _comparable(plan.as_dict()), name
    # the budget binds at the low end, so the points differ: equality above is not three copies of one plan
    served = [p["served_share"] for p in expected["points"]]
    assert served[0] < served[-1]


def _draw(item: tuple[int, int]) -> float:
    """A seeded sampling task: the seed comes from the item (sample index, base seed), never from the worker.
    It sleeps longer for early items so that they finish last: results must still come back in item order."""
    index, seed = item
    rng = random.Random(seed * 1_000_003 + index)
    time.sleep(0.02 * (index % 4 == 0))
    # an NPV-like figure: 10 years of a lognormal price × demand, discounted at 8 %
    return sum(rng.lognormvariate(0.0, 0.2) * rng.uniform(0.8, 1.2) / 1.08**y for y in range(10))


def test_monte_carlo_on_the_cluster_equals_the_serial_run(cluster):
    """planner.evaluate_uncertainty: 1,000 futures in 4 chunks of 250, in this process and on the two workers."""
    import planner

    spec = planner.load(EXAMPLES / "malaysia.yaml", set={"uncertainty.demand": {"low": -0.2, "high": 0.3}})
    plan = planner.size(spec)
    serial = planner.evaluate_uncertainty(plan.model_copy(deep=True), spec, samples=1000, seed=3)
    remote = planner.evaluate_uncertainty(
        plan.model_copy(deep=True), spec, samples=1000, seed=3, cluster=cluster.scheduler.address
    )
    assert remote.model_dump() == serial.model_dump()
    other = planner.evaluate_uncertainty(plan.model_copy(deep=True), spec, samples=1000, seed=4)
    assert other.model_dump() != serial.model_dump()  # the seed matters: equality above is not vacuous


def test_seeded_sampling_on_the_cluster_equals_the_serial_run(cluster):
    items = [(i, 7) for i in range(40)]
    serial = [_draw(item) for item in items]
    assert run_many(_draw, items, cluster=cluster) == serial
    assert run_many(_draw, items, cluster=cluster.scheduler.address) == serial
    assert run_many(_draw, items, workers=2) == serial  # the local process pool
    assert run_many(_draw, [(i, 8) for i in range(40)], cluster=cluster) != serial  # the seed matters


def test_progress_counts_every_task_once(cluster):
    seen: list[tuple[int, int]] = []
    run_many(_draw, [(i, 1) for i in range(6)], cluster=cluster, progress=lambda d, t: seen.append((d, t)))
    assert seen == [(d, 6) for d in range(1, 7)]


def test_a_task_error_reaches_the_caller_as_itself(cluster):
    from planner.errors import InputError

    with pytest.raises(InputError) as info:
        run_many(_input_error, [1, 2], cluster=cluster)
    assert info.value.issues[0].path == "workloads.chat"


def _input_error(_item: int) -> None:
    from planner.errors import InputError, Issue

    raise InputError([Issue("country.yaml", "workloads.chat", "users must be positive")])


def test_nothing_listening_is_a_cluster_error(monkeypatch):
    monkeypatch.setattr("planner.runner.CONNECT_TIMEOUT_S", 1)
    with pytest.raises(ClusterError, match="cannot reach a Dask scheduler"):
        run_many(abs, [1], cluster="tcp://127.0.0.1:9")
    with pytest.raises(ClusterError, match="local:N"):
        run_many(abs, [1], cluster="local:two")


def test_progress_bar_shows_only_when_asked_or_on_a_terminal():
    quiet, loud = io.StringIO(), io.StringIO()
    with ProgressBar("Solving", stream=quiet) as bar:  # a StringIO is not a terminal
        bar(1, 2)
    with ProgressBar("Solving", enabled=True, stream=loud) as bar:
        bar(1, 2)
        bar(2, 2)
    assert quiet.getvalue() == ""
    assert "2/2" in loud.getvalue() and loud.getvalue().endswith("\n")


def test_alternatives_on_the_cluster_equal_the_serial_search(cluster):
    """The focused solves of the near-optimal search go through run_many: the same plans, in the same order."""
    import planner
    from planner.alternatives import near_optimal
    from tests.test_alternatives import country_doc

    spec = planner.load(country_doc())
    serial = near_optimal(spec.loaded, spec.catalog, count=3, workers=1)
    remote = near_optimal(spec.loaded, spec.catalog, count=3, cluster=cluster)
    assert len(serial.plans) >= 2
    assert [_comparable(p.as_dict()) for p in remote.plans] == [_comparable(p.as_dict()) for p in serial.plans]
    assert remote.optimum.alternatives == serial.optimum.alternatives


def test_compare_through_the_api_on_the_cluster_equals_serial_solves(cluster, catalog):
    import planner

    names = ["baseline", "nvidia_only"]
    result = planner.compare(COUNTRY, names, cluster=cluster.scheduler.address)
    for name in names:
        loaded = load_spec(COUNTRY, catalog, scenario=None if name == "baseline" else name)
        assert _comparable(result["plans"][name].as_dict()) == _comparable(size(loaded, catalog).as_dict()), name
    assert [e["name"] for e in result["scenarios"]] == names

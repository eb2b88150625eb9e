"""`planner estimate train|serve` through typer's CliRunner on the bundled catalog."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from planner.cli_estimate import estimate_app

runner = CliRunner()


def _run(*args: str):  # noqa: ANN202
    return runner.invoke(estimate_app, list(args))


def test_train_json_accepts_scientific_tokens() -> None:
    res = _run("train", "--model", "llama_2_70b", "--hardware", "hgx_a100", "--tokens", "2e12", "--chips", "2048",
               "--json")
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    assert out["chips"] == 2048 and out["tokens"] == 2e12
    assert out["accelerator_hours"] == pytest.approx(1.83e6, rel=0.05)
    assert out["wall_days"] == pytest.approx(out["accelerator_hours"] / 2048 / 24)
    assert 0 < out["mfu"] < 1
    assert "source" in out["factors"]["mfu"]


def test_train_days_and_overrides_text() -> None:
    res = _run("train", "--model", "llama_3_1_8b", "--hardware", "hgx_h100", "--tokens", "1e12", "--days", "10",
               "--mfu", "0.5", "--goodput", "0.9")
    assert res.exit_code == 0, res.output
    assert "accelerator-hours" in res.stdout and "override (--mfu)" in res.stdout


def test_train_needs_exactly_one_size() -> None:
    res = _run("train", "--model", "llama_2_70b", "--hardware", "hgx_a100", "--tokens", "1e12")
    assert res.exit_code == 2
    assert "exactly one" in res.stderr


def test_serve_json() -> None:
    res = _run("serve", "--model", "llama_2_70b", "--hardware", "hgx_h100", "--input-tokens", "191",
               "--output-tokens", "294", "--precision", "fp8", "--tpot-ms", "40", "--json")
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    assert out["feasible"] and out["output_tokens_per_s"] > 0
    assert out["tpot_ms"] <= 40 and out["batch"] >= 1 and out["chips_per_replica"] in (1, 2, 4, 8)


def test_serve_text_and_infeasible_reason() -> None:
    ok = _run("serve", "--model", "deepseek_v3", "--hardware", "atlas_800i_a2", "--input-tokens", "2048",
              "--output-tokens", "2048", "--precision", "int8", "--tpot-ms", "100")
    assert ok.exit_code == 0, ok.output
    assert "per unit" in ok.stdout and "replica" in ok.stdout
    bad = _run("serve", "--model", "llama_2_70b", "--hardware", "hgx_h100", "--input-tokens", "100",
               "--output-tokens", "100", "--tpot-ms", "1")
    assert bad.exit_code == 3 and "infeasible: TPOT target 1 ms" in bad.stdout  # 3, as for an infeasible plan


def test_unknown_id_did_you_mean_without_traceback() -> None:
    res = _run("serve", "--model", "llama_2_70", "--hardware", "hgx_h100", "--input-tokens", "1",
               "--output-tokens", "1")
    assert res.exit_code == 1
    assert "did you mean `llama_2_70b`" in res.stderr
    assert "Traceback" not in res.output


def test_bad_precision_is_usage_error() -> None:
    res = _run("serve", "--model", "llama_2_70b", "--hardware", "hgx_h100", "--input-tokens", "1",
               "--output-tokens", "1", "--precision", "fp6")
    assert res.exit_code == 2 and "unknown precision" in res.stderr


def test_train_on_too_few_chips_says_so_and_exits_3() -> None:
    res = _run("train", "--model", "llama_3_1_405b", "--hardware", "l40s_8x", "--tokens", "1e12", "--chips", "8")
    assert res.exit_code == 3
    assert "does not fit: 8 chips cannot hold the model states" in res.stdout

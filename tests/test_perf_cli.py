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
    assert out["accelerator_hours"] == pytest.approx(1.72e6, rel=0.25)  # Llama 2 70B model card: 1,720,320
    assert out["layout"]["tp"] * out["layout"]["pp"] * out["layout"]["dp"] * out["layout"]["cp"] == 2048
    assert set(out["time_breakdown_s_per_step"]) >= {"gemm", "attention"} and out["precision"] == "bf16"
    assert out["error_band"]["wall_days_low"] < out["wall_days"] < out["error_band"]["wall_days_high"]
    assert out["wall_days"] == pytest.approx(out["accelerator_hours"] / 2048 / 24)
    assert 0 < out["mfu"] < 1
    assert "source" in out["factors"]["mfu"]


def test_train_days_and_overrides_text() -> None:
    res = _run("train", "--model", "llama_3_1_8b", "--hardware", "hgx_h100", "--tokens", "1e12", "--days", "10",
               "--mfu", "0.5", "--goodput", "0.9")
    assert res.exit_code == 0, res.output
    assert "accelerator-hours" in res.stdout and "override (--mfu)" in res.stdout


def test_train_pinned_layout_recompute_precision() -> None:
    res = _run("train", "--model", "bloom_176b", "--hardware", "hgx_a100", "--tokens", "366e9", "--layout",
               "tp=4,pp=12,dp=8,mbs=2,gbs=2048,sp=0", "--recompute", "full", "--seq-len", "2048", "--json")
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    assert out["chips"] == 384 and out["layout"]["recompute"] == "full" and not out["layout"]["sequence_parallel"]
    fp8 = _run("train", "--model", "llama_3_1_70b", "--hardware", "hgx_h100", "--tokens", "1e12", "--chips", "64",
               "--precision", "fp8", "--json")
    assert json.loads(fp8.stdout)["precision"] == "fp8"
    bad = _run("train", "--model", "llama_3_1_70b", "--hardware", "hgx_h100", "--tokens", "1e12", "--chips", "64",
               "--layout", "tensor=4")
    assert bad.exit_code == 2 and "KEY=VALUE" in bad.stderr


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

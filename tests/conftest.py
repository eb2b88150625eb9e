"""Shared fixtures: the bundled catalog, a CLI runner, and small country files written on the fly."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from planner.catalog import Catalog, load_catalog
from planner.cli import app

# reports default to the country's language (Malay for Malaysia); the suite, session fixtures included, reads
# English unless a test asks for another language (tests/test_i18n.py)
os.environ["PLANNER_LANG"] = "en"

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"


@pytest.fixture(autouse=True)
def _fixed_today(monkeypatch):
    """Plans decide "today" by default; the suite pins the day so that it does not depend on when it runs."""
    monkeypatch.setenv("PLANNER_TODAY", FIXED_TODAY)
    # `planner size` writes the short report: the proposal's ~16 extra solves are for tests/test_proposal*.py
    monkeypatch.setenv("PLANNER_REPORT_FORM", "short")


FIXED_TODAY = "2026-07-01"


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    """The bundled catalog, loaded once."""
    return load_catalog()


class Cli:
    """Runs `planner ...` in-process and returns (exit code, stdout, stderr)."""

    def __init__(self) -> None:
        self.runner = CliRunner()

    def __call__(self, *args: str):
        return self.runner.invoke(app, [str(a) for a in args], catch_exceptions=False)


@pytest.fixture
def cli() -> Cli:
    """In-process CLI runner."""
    return Cli()


def tiny_country(**overrides) -> dict:
    """A one-site, one-year country with one serving workload on one or two hardware options."""
    doc = {
        "country": {"name": "Testland", "iso2": "TL"},
        "planning": {"start_year": 2027, "years": 1, "discount_rate": 0.0},
        "languages": {"en": 1.0},
        "sites": {
            "main_dc": {
                "name": "Main DC",
                "jurisdiction": "TL",
                "power_kw": 2000,
                "racks": 40,
                "pue": 1.4,
                "electricity_usd_per_kwh": 0.1,
            }
        },
        "workloads": {
            "chat": {
                "kind": "serving",
                "model": "llama_3_1_8b",
                "users": 200000,
                "requests_per_user_per_day": 10,
                "input_tokens_per_request": 500,
                "output_tokens_per_request": 300,
                "peak_factor": 3,
                "tpot_ms": 50,
            }
        },
        "hardware": ["hgx_h100", "mi300x_8x"],
    }
    for key, value in overrides.items():
        doc[key] = value
    return doc


def write_yaml(path: Path, doc: dict) -> Path:
    """Dump a document to `path` and return it."""
    path.write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
    return path

"""Small builders of catalog objects for tests, hand calculations and models not in the catalog."""

from __future__ import annotations

from typing import Any

from planner.schema.catalog import EfficiencyProfile, FigureSource, Hardware, Model

_SRC = {"ref": "eff_example", "confidence": "estimate", "as_of": "2025"}


def make_hardware(**fields: Any) -> Hardware:
    """An 8-chip H100-like server unless fields say otherwise."""
    base: dict[str, Any] = {
        "id": "example_server",
        "name": "Example 8-chip server",
        "kind": "server",
        "vendor": "example",
        "origin_country": "US",
        "accelerator": "example",
        "chips_per_unit": 8,
        "bf16_tflops_per_chip": 989.4,
        "fp8_tflops_per_chip": 1978.9,
        "hbm_gb_per_chip": 80.0,
        "hbm_tb_s_per_chip": 3.35,
        "scale_up_domain_chips": 8,
        "scale_up_gb_s_per_chip": 450.0,
        "power_kw_per_unit": 10.2,
        "rack_units": 8,
        "price_usd_per_unit": 300_000,
        "price_as_of": "2025",
        "lead_time_weeks": 12,
        "software_stack": "example",
        "efficiency_profile": "example_profile",
        "source": _SRC,
    }
    return Hardware.model_validate(base | fields)


def make_profile(**fields: Any) -> EfficiencyProfile:
    """A plain profile with round numbers (for hand calculations)."""
    base: dict[str, Any] = {
        "id": "example_profile",
        "name": "Example",
        "training_mfu": 0.4,
        "moe_training_mfu": 0.3,
        "goodput": 0.9,
        "memory_efficiency": 0.8,
        "compute_efficiency": 0.5,
        "decode_overhead_ms": 0.0,
        "usable_memory_fraction": 0.9,
        "source": _SRC,
    }
    return EfficiencyProfile.model_validate(base | fields)


def make_model(**fields: Any) -> Model:
    """A dense GQA model; defaults are Llama 2 70B (MODEL_CARD / HF config)."""
    base: dict[str, Any] = {
        "id": "example_model",
        "name": "Example",
        "params_total_b": 68.98,
        "params_active_b": 68.98,
        "layers": 80,
        "hidden_size": 8192,
        "attention_heads": 64,
        "kv_heads": 8,
        "head_dim": 128,
        "attention": "gqa",
        "vocab_size": 32000,
        "context_tokens": 4096,
        "tokenizer": "llama2",
        "source": _SRC,
    }
    return Model.model_validate(base | fields)


def source(ref: str, note: str, confidence: str = "measured") -> FigureSource:
    """A FigureSource for inline objects."""
    return FigureSource(ref=ref, confidence=confidence, as_of=None, note=note)  # type: ignore[arg-type]

"""Parallel layout of a training job: tensor, pipeline, data, context and expert parallelism, and the schedule.

A `Layout` names how the job's chips are split (`tp · pp · cp · dp` chips; expert parallelism `ep` runs inside
the tensor x data x context group, Megatron-Core's parallel folding), how a global batch is cut into
micro-batches, which activations are recomputed, and whether communication overlaps compute.
`parse_layout("tp=4,pp=12,dp=8")` reads the `--layout` option; keys not given are searched
(`planner.perf.training.best_layout`).
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from typing import Any

RECOMPUTE = ("none", "selective", "full")
SCHEDULES = ("1f1b", "dualpipe")
# key in --layout -> (field, type)
_KEYS: dict[str, tuple[str, type]] = {
    "tp": ("tp", int),
    "pp": ("pp", int),
    "dp": ("dp", int),
    "cp": ("cp", int),
    "ep": ("ep", int),
    "vp": ("vp", int),
    "mbs": ("micro_batch", int),
    "gbs": ("global_batch", int),
    "sp": ("sequence_parallel", bool),
    "fsdp": ("fsdp", bool),
    "overlap": ("overlap", bool),
    "tp_overlap": ("tp_overlap", bool),
    "a2a_overlap": ("a2a_overlap", bool),
    "dp_overlap": ("dp_overlap", bool),
    "flash": ("flash_attention", bool),
    "dedup": ("a2a_dedup", bool),
    "schedule": ("schedule", str),
    "recompute": ("recompute", str),
    "mtp": ("mtp_layers", int),
    "softmax32": ("softmax_fp32", bool),
}


@dataclass(frozen=True)
class Layout:
    """How a training job's chips and batch are split.

    tp: tensor parallel (inside the scale-up domain); pp: pipeline stages; dp: data-parallel replicas;
    cp: context parallel (sequence split, ring attention); ep: expert parallel (MoE; inside tp x dp x cp,
    Megatron-Core parallel folding);
    vp: virtual stages per pipeline rank (interleaved 1F1B); micro_batch: sequences per micro-batch;
    global_batch: sequences per optimizer step (None: the planner's default for the method);
    sequence_parallel: activations outside the TP GEMMs split over tp (Megatron SP);
    fsdp: parameters, gradients and optimizer sharded over the data-parallel group (ZeRO-3) instead of
    replicated weights with a sharded optimizer (ZeRO-1 / distributed optimizer);
    recompute: none | selective (activation functions and norms recomputed) | full (the whole forward again);
    overlap: communication overlapped with compute where the framework can (TP comm overlap, gradient
    reduction during backward, MoE all-to-all overlap) - False for 2020-2022 stacks; tp_overlap, a2a_overlap,
    dp_overlap: the same for one kind of communication only (None: as `overlap`), as recipes set them apart
    (e.g. Megatron-Bridge's Qwen3 235B H100 recipe runs tp_comm_overlap=False, its DeepSeek-V3 H100 recipe
    overlap_grad_reduce=False);
    flash_attention: fused attention that never writes the score matrix (FlashAttention, 2022 on); False for
    the 2021-22 runs that materialised softmax(QK^T) per head in HBM;
    a2a_dedup: MoE token dispatch sends one copy per destination scale-up domain across the scale-out network
    and forwards it inside (DeepEP, HybridEP); False: a plain all-to-all, one copy per destination rank;
    schedule: 1f1b (Megatron, with vp > 1 interleaved) or dualpipe (DeepSeek-V3: all-to-all hidden behind
    compute, bubble of half the stages);
    mtp_layers: multi-token-prediction modules trained beside the model (DeepSeek-V3: 1, its HF config's
    num_nextn_predict_layers; Megatron-Bridge's recipe sets mtp_num_layers from it), each one more transformer
    layer, a 2d x d projection and one more pass of the shared output head;
    softmax_fp32: unfused attention casts the score matrix to fp32 for the softmax and back (GLM-130B's
    "FP32 softmax"); no effect with fused attention.
    """

    tp: int = 1
    pp: int = 1
    dp: int = 1
    cp: int = 1
    ep: int = 1
    vp: int = 1
    micro_batch: int = 1
    global_batch: int | None = None
    sequence_parallel: bool = True
    fsdp: bool = False
    recompute: str = "selective"
    overlap: bool = True
    schedule: str = "1f1b"
    tp_overlap: bool | None = None
    a2a_overlap: bool | None = None
    dp_overlap: bool | None = None
    flash_attention: bool = True
    a2a_dedup: bool = True
    mtp_layers: int = 0
    softmax_fp32: bool = False

    def __post_init__(self) -> None:
        for name in ("tp", "pp", "dp", "cp", "ep", "vp", "micro_batch"):
            if getattr(self, name) < 1:
                raise ValueError(f"layout {name} must be >= 1, got {getattr(self, name)}")
        if self.mtp_layers < 0:
            raise ValueError(f"layout mtp must be >= 0, got {self.mtp_layers}")
        if self.global_batch is not None and self.global_batch < 1:
            raise ValueError(f"layout gbs must be >= 1, got {self.global_batch}")
        if self.recompute not in RECOMPUTE:
            raise ValueError(f"recompute must be one of {', '.join(RECOMPUTE)}, got `{self.recompute}`")
        if self.schedule not in SCHEDULES:
            raise ValueError(f"schedule must be one of {', '.join(SCHEDULES)}, got `{self.schedule}`")
        if self.ep > self.tp * self.dp * self.cp:
            raise ValueError(f"expert parallel ep={self.ep} must fit in tp x dp x cp = {self.tp * self.dp * self.cp}")

    @property
    def chips(self) -> int:
        return self.tp * self.pp * self.cp * self.dp

    def overlaps(self, kind: str) -> bool:
        """Whether communication of `kind` (tp, a2a, dp) overlaps compute: its own switch, else `overlap`."""
        own = getattr(self, f"{kind}_overlap")
        return self.overlap if own is None else own

    @property
    def model_parallel(self) -> int:
        return self.tp * self.pp

    def micro_batches(self, global_batch: int) -> int:
        """Micro-batches per pipeline per step (at least 1)."""
        return max(1, global_batch // (self.dp * self.micro_batch))

    def describe(self) -> str:
        parts = [f"TP {self.tp}", f"PP {self.pp}"]
        if self.vp > 1:
            parts.append(f"VP {self.vp}")
        if self.cp > 1:
            parts.append(f"CP {self.cp}")
        if self.ep > 1:
            parts.append(f"EP {self.ep}")
        parts.append(f"DP {self.dp}")
        return " x ".join(parts) + " (" + ", ".join(self._switches()) + ")"

    def _switches(self) -> list[str]:
        """The layout's non-default choices, in words."""
        extra = [f"micro-batch {self.micro_batch}", f"recompute {self.recompute}"]
        if self.fsdp:
            extra.append("FSDP")
        if not self.sequence_parallel and self.tp > 1:
            extra.append("no sequence parallelism")
        if not self.overlap:
            extra.append("no comm overlap")
        for kind, what in (("tp", "TP"), ("a2a", "all-to-all"), ("dp", "gradient")):
            if getattr(self, f"{kind}_overlap") is not None and self.overlaps(kind) != self.overlap:
                extra.append(f"{what} comm {'overlapped' if self.overlaps(kind) else 'not overlapped'}")
        if not self.flash_attention:
            extra.append("unfused attention" + (", fp32 softmax" if self.softmax_fp32 else ""))
        if not self.a2a_dedup and self.ep > 1:
            extra.append("plain all-to-all")
        if self.schedule != "1f1b":
            extra.append(self.schedule)
        if self.mtp_layers:
            extra.append(f"{self.mtp_layers} MTP layer{'s' if self.mtp_layers > 1 else ''}")
        return extra

    def as_dict(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


def parse_layout(text: str) -> dict[str, Any]:
    """`tp=4,pp=12,dp=8` -> {"tp": 4, "pp": 12, "dp": 8}; ValueError naming the bad part."""
    out: dict[str, Any] = {}
    for part in (p.strip() for p in text.split(",")):
        if not part:
            continue
        key, sep, value = part.partition("=")
        key = key.strip().lower()
        if not sep or key not in _KEYS:
            known = ", ".join(_KEYS)
            raise ValueError(f"layout part `{part}` is not KEY=VALUE with KEY one of {known}")
        name, kind = _KEYS[key]
        value = value.strip()
        if kind is int:
            try:
                out[name] = int(value)
            except ValueError:
                raise ValueError(f"layout {key} must be a whole number, got `{value}`") from None
        elif kind is bool:
            if value.lower() not in ("1", "0", "true", "false", "yes", "no", "on", "off"):
                raise ValueError(f"layout {key} must be 1/0 or true/false, got `{value}`")
            out[name] = value.lower() in ("1", "true", "yes", "on")
        else:
            out[name] = value.lower()
    return out


def with_fields(layout: Layout, **changes: Any) -> Layout:
    """A copy of `layout` with some fields changed."""
    return replace(layout, **changes)

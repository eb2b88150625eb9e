"""Schema of catalog entries: hardware, efficiency profiles, models, languages, countries.

Every number in a catalog entry has a provenance: the entry's ``source`` applies to all of its
figures unless ``sources`` names a different one for a field. A source points at a reference
(``references:`` block, keyed by id) and says how much to trust the figure.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import Field, model_validator

from planner.schema.base import (
    Confidence,
    Fraction,
    Id,
    NonNegFloat,
    PositiveFloat,
    PositiveInt,
    StrictModel,
)

# Plausible ranges: a value outside is a typing mistake (or a unit mistake), and zeros or absurd magnitudes
# would divide by zero or overflow in the performance model. Efficiencies are fractions of a peak, at least 1 %.
Efficiency = Annotated[float, Field(ge=0.01, le=1.0)]
Dimension = Annotated[int, Field(ge=1, le=1_000_000)]
AsOf = Field(pattern=r"^\d{4}(-\d{2}(-\d{2})?)?$", description="YYYY, YYYY-MM or YYYY-MM-DD")
Iso2 = Field(pattern=r"^[A-Z]{2}$")


class Reference(StrictModel):
    """A public document figures are taken from."""

    cite: str = Field(min_length=3)
    """Where to find it: page address, repository and path, or paper."""
    as_of: str = AsOf
    """Date of the document (or of the data in it)."""
    note: str | None = None


class FigureSource(StrictModel):
    """Provenance of one figure (or of every figure of an entry)."""

    ref: Id
    """Id of an entry in ``references``."""
    confidence: Confidence
    """measured (published run or primary datasheet), vendor (vendor claim), estimate (derived or guessed)."""
    as_of: str | None = Field(default=None, pattern=r"^\d{4}(-\d{2}(-\d{2})?)?$")
    """Overrides the reference's date when the figure is newer or older than the document."""
    note: str | None = None
    """How the figure was derived, and conflicting values from other sources."""


class SourcedEntry(StrictModel):
    """Catalog entry whose figures carry a source."""

    source: FigureSource
    """Default provenance of every figure in the entry."""
    sources: dict[str, FigureSource] = {}
    """Per-field provenance that overrides ``source``."""

    @model_validator(mode="after")
    def _sources_name_fields(self) -> SourcedEntry:
        unknown = sorted(set(self.sources) - set(type(self).model_fields))
        if unknown:
            msg = f"`sources` names fields this entry does not have: {', '.join(unknown)}"
            raise ValueError(msg)
        return self

    def provenance(self, field: str) -> FigureSource:
        """The source of one figure of this entry."""
        return self.sources.get(field, self.source)


ExportStatus = Literal["allowed", "licence_required", "legal_risk", "prohibited"]


class ExportRule(StrictModel):
    """Availability of a hardware item in some destinations over a period of time."""

    destinations: list[str] = Field(min_length=1)
    """ISO 3166 alpha-2 codes, or "*" for every destination not named by a more specific rule."""
    status: ExportStatus
    """allowed; licence_required (obtainable, but a licence must be granted); legal_risk (e.g. US
    GP10 guidance on Ascend abroad); prohibited."""
    from_date: dt.date | None = None
    """First day the rule applies (inclusive); open if absent."""
    until_date: dt.date | None = None
    """Last day the rule applies (inclusive); open if absent."""
    note: str = ""
    ref: Id
    """Reference that states the rule."""
    max_accelerators: PositiveInt | None = None
    """Quantity cap: accelerators of this hardware that may be in service in one destination (e.g. a licence's
    authorised quantity); absent if the rule sets none."""
    quota: Id | None = None
    """Name of a quota several hardware entries share (one licence for a product class, e.g. every GB300-class
    product): the accelerators of all entries whose rule in force names it count against one `max_accelerators`,
    which every rule naming it states alike. Absent: the cap is this hardware's alone."""


class Hardware(SourcedEntry):
    """A unit of purchase: a server, an appliance or a rack-scale system."""

    id: Id
    name: str
    kind: Literal["server", "rack_system", "inference_box", "appliance"]
    vendor: Id
    origin_country: str = Iso2
    accelerator: str
    """Accelerator chip (package) name, e.g. "H100 SXM5 80GB"."""
    chips_per_unit: Annotated[int, Field(ge=1, le=100_000)]
    bf16_tflops_per_chip: Annotated[float, Field(ge=0.1, le=50_000)]
    """Dense (no sparsity) BF16/FP16 peak."""
    fp8_tflops_per_chip: Annotated[float, Field(ge=0.1, le=200_000)] | None = None
    """Dense FP8 peak; absent if the chip has no FP8."""
    int8_tops_per_chip: Annotated[float, Field(ge=0.1, le=200_000)] | None = None
    """Dense INT8 peak; absent if not published."""
    fp4_tflops_per_chip: Annotated[float, Field(ge=0.1, le=400_000)] | None = None
    """Dense FP4 peak (Blackwell and later); absent if the chip has no FP4."""
    fp16_tflops_per_chip: PositiveFloat | None = None
    """Dense FP16 peak where it differs from BF16 (or the chip has no BF16 units); absent: equal to BF16."""
    has_bf16: bool = True
    """False for chips that compute FP16 but not BF16 (e.g. Ascend 310P); then bf16 is not native."""
    hbm_gb_per_chip: Annotated[float, Field(ge=1, le=10_000)]
    """Accelerator memory (HBM, or LPDDR for inference cards)."""
    hbm_tb_s_per_chip: Annotated[float, Field(ge=0.01, le=1_000)]
    """Accelerator memory bandwidth."""
    scale_up_domain_chips: Annotated[int, Field(ge=1, le=100_000)]
    """Chips reachable over the scale-up fabric (NVLink, HCCS, UB) without leaving it."""
    scale_up_gb_s_per_chip: Annotated[float, Field(ge=0.1, le=100_000)]
    """Scale-up bandwidth per chip (one direction)."""
    scale_out_gb_s_per_chip: PositiveFloat | None = None
    """Scale-out (InfiniBand / RoCE) bandwidth per chip, one direction, between scale-up domains (training: data-
    parallel gradient reduction, pipeline sends, MoE all-to-all across nodes); absent: 50 GB/s (one 400 Gb/s NIC)."""
    sustained_clock_fraction: Fraction | None = None
    """Matrix-unit clock sustained under a full matrix load at the chip's power limit, as a fraction of the
    clock its peak figures are quoted at (e.g. MI300X at 750 W vs MI325X at 1,000 W); absent: 1."""
    power_kw_per_unit: Annotated[float, Field(ge=0.01, le=100_000)]
    """Maximum power of the unit at the wall (IT load, before PUE)."""
    rack_units: Annotated[float, Field(ge=0.5, le=100_000)]
    """Space in rack units (U); a rack-scale system counts its racks × 42."""
    cooling: Literal["air", "liquid"] | None = None
    """Cooling as usually sold (air or liquid): picks the `new_air` or `new_liquid` PUE; absent if unknown."""
    price_usd_per_unit: Annotated[float, Field(ge=100, le=1e10)]
    """Purchase price of the unit including its share of fabric and installation."""
    price_as_of: str = AsOf
    lead_time_weeks: Annotated[float, Field(ge=0, le=520)]
    software_stack: str
    efficiency_profile: Id
    """Id of the efficiency profile (MFU, serving efficiencies) for this hardware and its stack."""
    maintenance_fraction_per_year: Fraction = 0.08
    """Support and maintenance per year as a fraction of the purchase price."""
    bundled_model: Id | None = None
    """Appliances: the model whose licence is bundled with the unit."""
    licence_usd_per_unit_year: Annotated[float, Field(ge=0, le=1e9)] = 0.0
    """Appliances: software/model licence per unit and year."""
    export_rules: list[ExportRule] = []
    markets: list[str] | None = None
    """ISO 3166 alpha-2 codes of the only markets where the SKU is sold (e.g. ["CN"] for H20/H800); absent: sold
    everywhere the export rules allow."""
    available_from: dt.date | None = None
    """First delivery date of an announced product (roadmap entry); absent: shipping now."""
    end_of_sale: dt.date | None = None
    """Last order date; absent: still sold."""
    roadmap: bool = False
    """True for an announced, not yet shipping product: its figures are announcements (flagged as a risk)."""
    price_decline_per_year: Fraction = 0.0
    """Fraction by which the unit price falls each year after `price_as_of` (from price histories of earlier
    generations); 0: the price stays as listed."""
    life_years: PositiveInt | None = None
    """Service life of this hardware class; absent: the plan's `planning.hardware_life_years`."""
    fabric: Literal["infiniband", "roce", "ethernet", "ub", "hccs"] | None = None
    """Scale-out network fabric it is sold with (prices the fabric cost line); absent: none priced."""


class EfficiencyProfile(SourcedEntry):
    """How close one hardware family with one software stack gets to its peaks."""

    id: Id
    name: str
    training_mfu: Efficiency
    """Model FLOPs utilisation for dense training at scale (6·N·D accounting). A reference figure: the training
    model computes MFU from the layout (planner/perf/training.py) and reads this only to bound `--mfu`."""
    moe_training_mfu: Efficiency
    """Model FLOPs utilisation for MoE training (active parameters); a reference figure, as `training_mfu`."""
    goodput: Efficiency
    """Fraction of wall-clock time that makes progress (failures, restarts, checkpoints). A reference figure: the
    training model computes goodput from the chip count and `programme_efficiency`."""
    memory_efficiency: Efficiency
    """Achieved fraction of HBM bandwidth in decode."""
    compute_efficiency: Efficiency
    """Achieved fraction of peak FLOPs in prefill and compute-bound decode."""
    decode_overhead_ms: Annotated[float, Field(ge=0, le=1_000)]
    """Fixed time per decode step (kernel launches, sampling, scheduling)."""
    usable_memory_fraction: Efficiency = 0.9
    """Fraction of accelerator memory usable for weights and KV cache."""
    programme_efficiency: Fraction = 1.0
    """Training: share of a whole programme's accelerator-hours that the modelled run (steady state, scale
    goodput) accounts for, beyond interruptions (failed starts, loss-spike rollbacks, evaluation); calibrated
    per stack on published programme hours (planner/perf/validation_training.py); absent: 1."""
    software_version: str | None = None
    """Software stack and version the kernel factors below were measured with (e.g. "CUDA 12.4, cuBLASLt")."""
    gemm_efficiency: dict[str, Fraction] = {}
    """Kernel layer (planner/perf/kernels.py): achieved fraction of the dense peak of each precision
    (bf16, fp16, fp8, int8, fp4) on large GEMMs, as measured by GEMM benchmarks; a precision without an entry
    uses the bf16 one."""
    gemm_min_m: PositiveFloat | None = None
    """Kernel layer: smallest M (tokens in flight) a GEMM computes: below it the tensor-core tile is padded,
    so the GEMM costs the compute of M = gemm_min_m (and is usually memory-bound); absent: 64."""
    gemm_half_m: PositiveFloat | None = None
    """Kernel layer: M above the tile at which the GEMM reaches half the large-GEMM efficiency (partly empty
    waves at moderate M, from GEMM-benchmark sweeps over M); absent: 32."""
    gemm_half_mn: PositiveFloat | None = None
    """Kernel layer: output size M x N at which a GEMM reaches half its large-GEMM efficiency (too few output
    tiles to fill the chip's compute units); where set it replaces `gemm_half_m` (the M half-point becomes
    gemm_half_mn / N, so a narrow tensor-parallel slice needs more tokens to fill the chip) and a small output
    is split along K (chunks of at least 512) as tuned kernels do; absent: `gemm_half_m`."""
    gemm_half_nk: PositiveFloat | None = None
    """Kernel layer: N x K of a GEMM at which efficiency halves for want of work per tile (small, sharded
    weight matrices); absent: 2**20."""
    bandwidth_efficiency: Fraction | None = None
    """Kernel layer: achieved fraction of peak HBM bandwidth in a streaming read (bandwidth tests);
    absent: `memory_efficiency`."""
    attention_bandwidth_efficiency: Fraction | None = None
    """Kernel layer: achieved fraction of peak HBM bandwidth of the stack's paged decode-attention kernel reading
    the KV cache (attention-kernel benchmarks); absent: `bandwidth_efficiency` (a kernel at stream bandwidth)."""
    attention_bandwidth_curve: dict[str, list[tuple[PositiveFloat, Fraction]]] | None = None
    """Kernel layer: the decode-attention kernel's achieved fraction of peak HBM bandwidth by the KV bytes one call
    reads, as (bytes, fraction) points, per accelerator (keyed by a prefix of `Hardware.accelerator`, the longest
    that matches; `*` for the profile's other hardware), interpolated in
    log(bytes) and held flat beyond the ends (attention-kernel benchmarks); takes the place of
    `attention_bandwidth_efficiency` where set."""
    mla_attention_efficiency: Fraction | None = None
    """Kernel layer: fraction of the 16-bit peak the MLA decode-attention kernel reaches where it is compute-bound
    (attention-kernel benchmarks); absent: the 16-bit GEMM plateau."""
    kernel_launch_us: NonNegFloat | None = None
    """Kernel layer: fixed time per kernel on the critical path (launch and tail, with graphs where the stack
    uses them); absent: 4 µs."""
    collective_latency_us: NonNegFloat | None = None
    """Kernel layer: fixed latency of one collective call over the scale-up link; absent: 10 µs."""
    moe_layer_fixed_us: NonNegFloat | None = None
    """Kernel layer: fixed time of one MoE layer beyond its expert GEMMs' roofline (routing, permutation, activation
    quantisation and the kernel tails of the fused-MoE chain; MoE-kernel benchmarks); absent: 0 (not measured)."""
    link_efficiency: Fraction | None = None
    """Kernel layer: achieved fraction of the scale-up link bandwidth in collectives (bus bandwidth tests);
    absent: 0.7."""

    @model_validator(mode="after")
    def _curves_are_usable(self) -> EfficiencyProfile:
        for key, pts in (self.attention_bandwidth_curve or {}).items():
            sizes = [b for b, _ in pts]
            if not pts or any(e <= 0 for _, e in pts) or sizes != sorted(set(sizes)):
                msg = (
                    f"attention_bandwidth_curve[{key!r}] needs at least one (bytes, fraction) point, bytes strictly "
                    "increasing and every fraction above 0"
                )
                raise ValueError(msg)
        if self.mla_attention_efficiency is not None and self.mla_attention_efficiency <= 0:
            raise ValueError("mla_attention_efficiency must be above 0")
        return self


class Model(SourcedEntry):
    """Architecture facts of a language model, as needed for sizing."""

    id: Id
    name: str
    params_total_b: Annotated[float, Field(ge=1e-3, le=100_000)]
    params_active_b: Annotated[float, Field(ge=1e-3, le=100_000)]
    layers: Dimension
    hidden_size: Dimension
    attention_heads: Dimension
    kv_heads: Dimension
    head_dim: Dimension
    attention: Literal["mha", "gqa", "mla"]
    kv_lora_rank: Dimension | None = None
    """MLA only: rank of the compressed KV latent."""
    qk_rope_head_dim: Dimension | None = None
    """MLA only: decoupled RoPE key dimension cached beside the latent."""
    routed_experts: Dimension | None = None
    """MoE only: routed experts per MoE layer."""
    experts_per_token: Dimension | None = None
    """MoE only: routed experts each token activates."""
    routed_expert_params_b: Annotated[float, Field(ge=1e-3, le=100_000)] | None = None
    """MoE only: parameters in all routed experts together (the rest is always read)."""
    moe_layers: Dimension | None = None
    """MoE only: layers that carry routed experts (DeepSeek-V3: 58 of 61, Llama 4 Maverick: 24 of 48); absent:
    every layer."""
    expert_load_cv: Annotated[float, Field(ge=0.0, le=10.0)] | None = None
    """MoE only: spread of the tokens the router sends each expert in serving (standard deviation over mean, per
    expert and step, measured on real traffic); absent: uniform routing (only the Poisson spread of a count)."""
    vocab_size: Annotated[int, Field(ge=1, le=100_000_000)]
    context_tokens: Annotated[int, Field(ge=1, le=1_000_000_000)]
    tokenizer: Id
    """Tokenizer family, a column of the language premium table (e.g. llama3, qwen)."""
    licence: str = ""

    @model_validator(mode="after")
    def _architecture_consistent(self) -> Model:
        if self.params_active_b > self.params_total_b:
            msg = "params_active_b cannot exceed params_total_b"
            raise ValueError(msg)
        if self.attention == "mla" and (self.kv_lora_rank is None or self.qk_rope_head_dim is None):
            msg = "attention: mla needs kv_lora_rank and qk_rope_head_dim"
            raise ValueError(msg)
        moe = (self.routed_experts, self.experts_per_token, self.routed_expert_params_b)
        if any(v is not None for v in moe) and any(v is None for v in moe):
            msg = "MoE models need routed_experts, experts_per_token and routed_expert_params_b"
            raise ValueError(msg)
        if self.moe_layers is not None and (self.routed_experts is None or self.moe_layers > self.layers):
            msg = "moe_layers needs a MoE model and cannot exceed layers"
            raise ValueError(msg)
        return self

    @property
    def is_moe(self) -> bool:
        """True for mixture-of-experts models."""
        return self.routed_experts is not None


class Language(SourcedEntry):
    """A language: tokenization premium per tokenizer family and available web text."""

    id: Id
    """ISO 639-1 code where one exists (ms, th), ISO 639-3 otherwise (arz, ceb)."""
    name: str
    script: str
    flores_code: str | None = None
    premium: dict[Id, Annotated[float, Field(ge=0.1, le=100)]]
    """Tokens of a text in this language over tokens of the same text in English, per tokenizer."""
    web_tokens_b_english_equivalent: Annotated[float, Field(ge=0, le=1e9)] | None = None
    """Web text available (FineWeb-2), in billions of English-equivalent tokens."""


class Country(SourcedEntry):
    """Country facts used as defaults by a country.yaml."""

    id: Id
    """ISO 3166 alpha-2 code in lower case (my, kz)."""
    name: str
    iso2: str = Iso2
    population_m: Annotated[float, Field(gt=0, le=10_000)]
    languages: dict[Id, Fraction]
    """Main languages: fraction of the population using each (CLDR; sums may exceed 1)."""
    electricity_usd_per_kwh: Annotated[float, Field(ge=0.001, le=10)]
    pue: dict[Literal["legacy", "new_air", "new_liquid"], Annotated[float, Field(ge=1.0, le=3.0)]]
    grid_gco2_per_kwh: Annotated[float, Field(ge=0, le=3_000)]
    staff_usd_per_fte_year: PositiveFloat | None = None
    """Loaded annual cost of one data-centre / platform engineer in the country (staff cost line)."""
    colocation_usd_per_kw_month: PositiveFloat | None = None
    """Colocation rent per kW of IT power and month in the country's main market."""
    currency: str | None = Field(default=None, pattern=r"^[A-Z]{3}$")
    """ISO 4217 code of the local currency."""
    usd_to_local: PositiveFloat | None = None
    """Local currency units per US dollar at `source.as_of` (or the `usd_to_local` source)."""
    report_language: str | None = Field(default=None, pattern=r"^[a-z]{2,3}(_[A-Za-z]{2,4})?$")
    """The language a proposal for this country is written in by default (en, zh_Hans, ar, ms, id, ru, fr)."""


CostLineKind = Literal["fabric", "storage", "licence", "staff", "fitout", "colocation"]


class CostLine(SourcedEntry):
    """One line of the total cost of ownership beyond hardware, energy and maintenance.

    A line applies to units whose fabric (fabric lines), software stack (licence lines) or site kind (fit-out,
    colocation) matches `applies_to` ("*" for all). Every amount is per accelerator, per kW of IT power, per
    petabyte or per full-time engineer, so it is linear in what the plan buys; a staff line's `min_fte` is the one
    fixed amount (a team is paid from the first unit on)."""

    id: Id
    kind: CostLineKind
    applies_to: str = "*"
    capex_usd_per_accelerator: NonNegFloat = 0.0
    """One-off cost per accelerator bought (fabric: switches, optics, cables per endpoint)."""
    opex_usd_per_accelerator_year: NonNegFloat = 0.0
    """Yearly cost per accelerator in service (software licences and support)."""
    capex_usd_per_kw: NonNegFloat = 0.0
    """One-off cost per kW of IT power installed at an own data centre (fit-out: power and cooling plant)."""
    opex_usd_per_kw_month: NonNegFloat = 0.0
    """Monthly cost per kW of IT power at a colocation site (rent), if the country catalog has none."""
    fte_per_mw: NonNegFloat = 0.0
    """Engineers per MW of IT power in service (staff lines)."""
    fte_per_100_units: NonNegFloat = 0.0
    """Engineers per 100 units in service (staff lines)."""
    min_fte: NonNegFloat = 0.0
    """Staff lines: the team a country's fleet needs at least, whatever its size (24x7 operations, security,
    storage, network): in a year any unit the line covers is in service in a jurisdiction, its engineers there are
    at least this many; the per-unit figures count above it."""
    capex_usd_per_pb: NonNegFloat = 0.0
    """Storage bought per petabyte (storage lines)."""
    opex_usd_per_pb_year: NonNegFloat = 0.0
    """Storage operated per petabyte and year (storage lines)."""
    pb_per_trillion_tokens: NonNegFloat = 0.0
    """Storage lines: training corpus footprint per trillion training tokens (text, with copies)."""
    pb_per_billion_params: NonNegFloat = 0.0
    """Storage lines: checkpoints kept per billion model parameters."""


class CatalogFile(StrictModel):
    """One catalog YAML file; every section is optional."""

    references: dict[Id, Reference] = {}
    hardware: list[Hardware] = []
    efficiency_profiles: list[EfficiencyProfile] = []
    models: list[Model] = []
    languages: list[Language] = []
    countries: list[Country] = []
    cost_lines: list[CostLine] = []

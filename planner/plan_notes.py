"""Sentences plan.json writes in English that a report says again in its own language (a leaf module: the sizing
side writes them, the report side matches them, and neither imports the other)."""

HEADROOM_NOTE = "sized with headroom for planning.confidence: capacity above the planned demand"
"""A workload sized above its planned demand for planning.confidence."""


def N_(text: str) -> str:  # noqa: N802 - the gettext convention for "mark for extraction, translate later"
    return text


# The tokenization premium of a language without a measured column for the model's tokenizer
# (planner/perf/demand.py): `%(name)s` fields, filled there, matched and re-said by the report.
PREMIUM_PROXY_NOTES = (
    N_("glm has no measured column: the qwen column is used (ESTIMATE, languages reference A.1)"),
    N_("gpt2 has no measured column: cl100k used (likely understates non-Latin scripts)"),
    N_("falcon has no measured column: cl100k used (likely understates non-Latin scripts)"),
)
PREMIUM_FALLBACK_NOTE = N_("%(language)s: no `%(tokenizer)s` premium, used %(column)s (%(value)s)")
PREMIUM_PARITY_NOTE = N_("%(language)s: no `%(tokenizer)s` or %(column)s premium, assumed 1.0 (English parity)")
PREMIUM_SHARES_NOTE = N_("language shares sum to %(total)s; normalised to 1")

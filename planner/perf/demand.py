"""Demand-side helpers: the tokenization premium of a traffic mix for one tokenizer family."""

from __future__ import annotations

from planner.plan_notes import PREMIUM_FALLBACK_NOTE, PREMIUM_PARITY_NOTE, PREMIUM_PROXY_NOTES, PREMIUM_SHARES_NOTE
from planner.schema.catalog import Language

# Tokenizer families without a column of their own, and the documented proxy used for them.
# glm: GLM-4's tokenizer was not measured per language; Qwen's is the closest measured one (languages reference
#      A.1: "GLM (151k)" fertility 46.47 vs "Qwen 3 (151k)" 44.87 on flores_core, ratio ~1.04). A premium is a
#      ratio to English, and a fertility ratio that is the same for every language cancels in it, so the Qwen
#      column is used as it is (an ESTIMATE).
# gpt2 / falcon: older English-centric BPEs; cl100k is the nearest measured byte-level BPE. This likely
#      understates their premium for non-Latin scripts.
PROXIES: dict[str, tuple[str, float, str]] = {
    "glm": ("qwen", 1.0, PREMIUM_PROXY_NOTES[0]),
    "gpt2": ("cl100k", 1.0, PREMIUM_PROXY_NOTES[1]),
    "falcon": ("cl100k", 1.0, PREMIUM_PROXY_NOTES[2]),
}
FALLBACK_COLUMN = "median_modern"


def _column(tokenizer: str, language: Language) -> tuple[float, str | None]:
    """Premium of one language for a tokenizer family, and a note if a proxy was needed."""
    if tokenizer in language.premium:
        return language.premium[tokenizer], None
    if tokenizer in PROXIES:
        column, scale, note = PROXIES[tokenizer]
        if column in language.premium:
            return language.premium[column] * scale, note
    values = {"language": language.id, "tokenizer": tokenizer, "column": FALLBACK_COLUMN}
    if FALLBACK_COLUMN in language.premium:
        value = language.premium[FALLBACK_COLUMN]
        return value, PREMIUM_FALLBACK_NOTE % {**values, "value": f"{value:g}"}
    return 1.0, PREMIUM_PARITY_NOTE % values


def language_premium(
    shares: dict[str, float], tokenizer: str, languages: dict[str, Language]
) -> tuple[float, list[str]]:
    """Traffic-share-weighted tokens-per-English-token premium of a language mix for `tokenizer`.

    Shares are normalised to sum to 1. English (`en`) is 1.0 for every tokenizer: premiums are ratios to it.
    Unknown language ids raise KeyError (the caller validates ids against the catalog first).
    """
    total = sum(shares.values())
    if total <= 0 or any(s < 0 for s in shares.values()):
        raise ValueError("language shares must be non-negative and sum to more than 0")
    notes: list[str] = []
    premium = 0.0
    for lang_id, share in sorted(shares.items()):
        if lang_id == "en":
            premium += share
            continue
        if lang_id not in languages:
            raise KeyError(f"unknown language `{lang_id}`")
        value, note = _column(tokenizer, languages[lang_id])
        if note and note not in notes:
            notes.append(note)
        premium += share * value
    if abs(total - 1.0) > 1e-6:
        notes.append(PREMIUM_SHARES_NOTE % {"total": f"{total:g}"})
    return premium / total, notes

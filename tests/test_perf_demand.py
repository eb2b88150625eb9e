"""Language premium of a traffic mix (primer 2.3, languages reference A.1)."""

from __future__ import annotations

import pytest

from planner.perf import language_premium
from planner.schema.catalog import Language

SRC = {"ref": "eff_example", "confidence": "estimate", "as_of": "2025"}


def _lang(lang_id: str, **premium: float) -> Language:
    return Language.model_validate({"id": lang_id, "name": lang_id, "script": "x", "premium": premium, "source": SRC})


LANGS = {
    "en": _lang("en", llama3=1.0, qwen=1.0, cl100k=1.0, median_modern=1.0),
    "th": _lang("th", llama3=2.0, qwen=2.5, cl100k=3.0, median_modern=2.2),
    "my": _lang("my", llama3=6.0, median_modern=5.0),
}


def test_share_weighted() -> None:
    premium, notes = language_premium({"en": 0.5, "th": 0.5}, "llama3", LANGS)
    assert premium == pytest.approx(1.5)
    assert notes == []


def test_shares_normalised() -> None:
    premium, notes = language_premium({"en": 1.0, "th": 1.0}, "llama3", LANGS)
    assert premium == pytest.approx(1.5)
    assert any("normalised" in n for n in notes)


def test_glm_uses_qwen_proxy() -> None:
    # a fertility ratio common to every language (GLM/Qwen ~1.04 on FLORES) cancels in a ratio to English
    premium, notes = language_premium({"th": 1.0}, "glm", LANGS)
    assert premium == pytest.approx(2.5)
    assert any("qwen column" in n and "ESTIMATE" in n for n in notes)


def test_english_is_one_for_every_tokenizer_in_the_catalog() -> None:
    from planner.catalog import load_catalog
    from planner.perf.demand import PROXIES

    catalog = load_catalog()
    tokenizers = {m.tokenizer for m in catalog.models.values()} | set(PROXIES)
    for lang in catalog.languages.values():
        tokenizers |= set(lang.premium)
    for tokenizer in sorted(tokenizers):
        premium, _ = language_premium({"en": 1.0}, tokenizer, catalog.languages)
        assert premium == 1.0, tokenizer


def test_gpt2_falls_back_to_cl100k() -> None:
    premium, notes = language_premium({"th": 1.0}, "gpt2", LANGS)
    assert premium == pytest.approx(3.0)
    assert any("cl100k" in n for n in notes)


def test_missing_column_uses_median_modern() -> None:
    premium, notes = language_premium({"my": 1.0}, "qwen", LANGS)
    assert premium == pytest.approx(5.0)
    assert any("median_modern" in n for n in notes)


def test_english_without_row_is_one() -> None:
    premium, _ = language_premium({"en": 0.5, "th": 0.5}, "llama3", {"th": LANGS["th"]})
    assert premium == pytest.approx(1.5)


def test_unknown_language_and_bad_shares() -> None:
    with pytest.raises(KeyError):
        language_premium({"xx": 1.0}, "llama3", LANGS)
    with pytest.raises(ValueError):
        language_premium({"en": 0.0}, "llama3", LANGS)

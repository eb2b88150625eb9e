"""The language a report is written in: message catalogs (gettext, through Babel), the current locale, and its
writing direction.

One language is current at a time (a context variable, so threads and nested renders stay apart): `_()` in
Python code, `_()`/`{% trans %}` in templates and the figure formatters in `fmt` all read it. Catalogs are the
`.po` files under planner/locale/<lang>/LC_MESSAGES/planner.po, compiled in memory the first time a language is
used (no build step, so an installed wheel and a source checkout behave the same).

Add or update a translation (babel.cfg at the repository root says what is extracted from where):

    pybabel extract -F babel.cfg -o planner/locale/planner.pot --no-location --omit-header .
    pybabel update -i planner/locale/planner.pot -d planner/locale -D planner --no-fuzzy-matching --width 120
    # translate the new empty msgstr entries in planner/locale/<lang>/LC_MESSAGES/planner.po, then
    .venv/bin/python -m pytest -q tests/test_i18n.py   # fails on any string left untranslated
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
import gettext as _gettext
import io
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from planner.errors import InputError, Issue

LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
DOMAIN = "planner"


@dataclass(frozen=True)
class Language:
    code: str
    """Catalog directory and Babel locale (zh_Hans, ar, ...)."""
    name: str
    """The language's own name for itself."""
    html: str
    """BCP 47 tag for the HTML lang attribute."""
    rtl: bool = False


LANGUAGES: dict[str, Language] = {
    lang.code: lang
    for lang in (
        Language("en", "English", "en"),
        Language("zh_Hans", "简体中文", "zh-Hans"),
        Language("ar", "العربية", "ar", rtl=True),
        Language("ms", "Bahasa Melayu", "ms"),
        Language("id", "Bahasa Indonesia", "id"),
        Language("ru", "Русский", "ru"),
        Language("fr", "Français", "fr"),
    )
}
DEFAULT = "en"
# what people type for the same language (a CLDR/ISO code, a BCP 47 tag, a POSIX locale)
_ALIASES = {
    "zh": "zh_Hans",
    "zh_cn": "zh_Hans",
    "zh_sg": "zh_Hans",
    "zh_hans": "zh_Hans",
    "zh_hans_cn": "zh_Hans",
    "in": "id",
    "may": "ms",
    "ara": "ar",
    "rus": "ru",
    "fra": "fr",
    "fre": "fr",
    "eng": "en",
}

_current: contextvars.ContextVar[str | None] = contextvars.ContextVar("planner_language", default=None)


def normalize(code: str, *, where: str = "--lang") -> str:
    """The supported language a code names (`zh`, `zh-Hans`, `ar_SA.UTF-8` ...); an input error otherwise."""
    key = code.strip().split(".")[0].replace("-", "_")
    if key in LANGUAGES:
        return key
    low = key.lower()
    for candidate in (low, low.split("_")[0]):
        if candidate in _ALIASES:
            return _ALIASES[candidate]
        for lang in LANGUAGES:
            if lang.lower() == candidate:
                return lang
    choices = ", ".join(LANGUAGES)
    raise InputError([Issue(where, "", f"unsupported language `{code}`", hint=f"choose from {choices}")])


def current() -> str:
    """The language being written (English when none was chosen)."""
    return _current.get() or DEFAULT


def chosen() -> str | None:
    """The language chosen explicitly (`--lang`, `language(...)`, PLANNER_LANG), or None."""
    explicit = _current.get()
    if explicit:
        return explicit
    env = os.environ.get("PLANNER_LANG", "").strip()
    return normalize(env, where="PLANNER_LANG") if env else None


def info(code: str | None = None) -> Language:
    return LANGUAGES[code or current()]


@contextlib.contextmanager
def language(code: str | None) -> Iterator[str]:
    """Write in `code` inside the block (None: leave the current choice as it is)."""
    if code is None:
        yield current()
        return
    token = _current.set(normalize(code))
    try:
        yield current()
    finally:
        _current.reset(token)


def default_for_country(entry: Any) -> str:
    """The report language a country catalog entry names (`report_language`), English without one."""
    code = getattr(entry, "report_language", None)
    return normalize(code, where="catalogs/countries.yaml report_language") if code else DEFAULT


@functools.cache
def translations(code: str) -> _gettext.NullTranslations:
    """The compiled catalog of one language (English: the msgids themselves)."""
    po = LOCALE_DIR / code / "LC_MESSAGES" / f"{DOMAIN}.po"
    if code == DEFAULT or not po.is_file():
        return _gettext.NullTranslations()
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with po.open("rb") as handle:
        catalog = read_po(handle, locale=code, domain=DOMAIN)
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)  # a fuzzy (unchecked) translation falls back to English
    buffer.seek(0)
    return _gettext.GNUTranslations(buffer)


def gettext(message: str) -> str:
    return translations(current()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return translations(current()).ngettext(singular, plural, n)


def _(message: str, **values: Any) -> str:
    """The current language's translation of `message`, with `%(name)s` placeholders filled from `values`."""
    text = gettext(message)
    if values and current() == "fr":
        text = _ELIDABLE.sub(lambda m: _elide(m, values), text)
    return text % values if values else text


_ELIDABLE = re.compile(r"\b([Dd]e|[Qq]ue|[Ll]e|[Ll]a) %\((\w+)\)s")
"""French: 'de', 'que', 'le', 'la' before a placeholder, elided where the value starts with a vowel."""
_VOWELS = "AEIOUÀÂÉÈÊËÎÏÔÛÙaeiouàâéèêëîïôûù"  # not y: 'de Yaoundé', 'la Yokohama' keep their vowel


def elide_before_name(text: str, name: str, start: int) -> str:
    """French: the 'de'/'que' just before position `start` of `text`, where a name is put, elided to d'/qu' when
    the name starts with a vowel ('de `intel`' -> "d'Intel"); other languages and words unchanged."""
    if current() != "fr" or not name or name[0] not in _VOWELS:
        return text
    head = text[:start]
    for word in ("de ", "De ", "que ", "Que "):
        if head.endswith(word) and (len(head) == len(word) or not head[-len(word) - 1].isalnum()):
            return head[: -len(word)] + word[:-2] + "'" + text[start:]
    return text


def _elide(m: re.Match[str], values: dict[str, Any]) -> str:
    """'de %(name)s' -> "d'%(name)s" when the name starts with a vowel ('d'Intel', not 'de Intel')."""
    value = str(values.get(m.group(2), ""))
    if not value or value[0] not in _VOWELS:
        return m.group(0)
    word = m.group(1)
    return f"{word[:-1]}'%({m.group(2)})s"


def N_(message: str) -> str:  # noqa: N802 - the gettext convention for "mark for extraction, translate later"
    """Mark a module-level string for extraction; translate it with `_()` where it is used."""
    return message


# words the plan stores as values and the reports show as they are (confidence of a figure, kind of a risk):
# listed here so `pybabel extract` finds them; templates translate them with _(value)
VOCABULARY = (
    N_("measured"),
    N_("vendor"),
    N_("list price"),
    N_("estimate"),
    N_("lead time"),
    N_("vendor concentration"),
    N_("training data"),
    N_("roadmap"),
    N_("licence required"),
    N_("legal risk"),
    N_("prohibited"),
)

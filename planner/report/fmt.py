"""Number formatting shared by every report format (one place decides how a figure looks).

Figures follow the language being written (`planner.report.i18n.current()`): English keeps the planner's own
style ($41.2 M, 1,234 kW); other languages use the locale's separators, percent sign and currency pattern from
Unicode CLDR (through Babel): 41,2 млн $, US$4123.4万, 1 234 kW. Digits stay Latin in every language (the charts
and plan.json use them, and Arabic-language government documents in the Gulf commonly do too).
"""

from __future__ import annotations

import datetime as _dt
import math
import re

from markupsafe import Markup, escape

from planner.report import i18n
from planner.sizing.diagnose import format_usd as _format_usd_en

__all__ = [
    "code_spans",
    "date_long",
    "format_money",
    "format_usd",
    "kw",
    "md_escape",
    "money_m",
    "num",
    "pct",
    "tokens_rate",
    "usd_exact",
]


def _locale() -> str | None:
    """The Babel locale of the language being written, None for English (the planner's own style)."""
    code = i18n.current()
    return None if code == i18n.DEFAULT else code


def country_name(country: dict) -> str:
    """The country's name in the report's language where the file gives its English name (Babel's territory
    names: "Uzbekistan" is «Узбекистан» in Russian); a name the user wrote otherwise stands as written."""
    name, iso2, locale = country.get("name", ""), str(country.get("iso2", "")).upper(), _locale()
    if not locale or not iso2:
        return name
    from babel import Locale, UnknownLocaleError

    try:
        english, local = Locale("en").territories.get(iso2), Locale.parse(locale).territories.get(iso2)
    except (UnknownLocaleError, ValueError):
        return name
    return local if local and english and name.strip().lower() == english.lower() else name


def with_local_name(country: dict) -> dict:
    """The plan's country entry with its name in the report's language (see `country_name`)."""
    return {**country, "name": country_name(country)}


def _decimal(value: float, digits: int, locale: str) -> str:
    from babel.numbers import format_decimal

    pattern = "#,##0" + ("." + "0" * digits if digits > 0 else "")
    return format_decimal(value, format=pattern, locale=locale, numbering_system="latn")


_SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def scientific(value: float, digits: int = 2) -> str:
    """A very large or small quantity as a reader writes it: 1.47 × 10²¹ (not 1.47e+21), in the report's format."""
    if value == 0 or 1e-3 <= abs(value) < 1e6:
        return num_sig(value, digits + 1)
    exponent = math.floor(math.log10(abs(value)))
    mantissa = value / 10**exponent
    if round(abs(mantissa), digits) >= 10:  # 9.999e21 rounds to 10.00: one power more
        mantissa, exponent = mantissa / 10, exponent + 1
    return f"{dec(mantissa, digits)} × 10{str(exponent).translate(_SUPERSCRIPT)}"


def dec(value: float, digits: int = 0, *, signed: bool = False) -> str:
    """A number to `digits` decimals in the report's number format (0.8 in English, 0,8 in French), with its sign
    if `signed` (+8, -5): the template filter for figures the templates compute themselves."""
    locale = _locale()
    text = (
        f"{abs(value) if signed else value:,.{digits}f}"
        if locale is None
        else _decimal(abs(value) if signed else value, digits, locale)
    )
    if not signed:
        return text
    return ("-" if value < 0 and float(f"{abs(value):.{digits}f}") > 0 else "+") + text


def language_name(code: str, english: str, *, start: bool = False) -> str:
    """A language's name in the report's language (CLDR: 'vietnamien', 'вьетнамский'; the catalog's English name
    in English or where CLDR has none), capitalised where it starts a sentence or a table cell (`start`)."""
    locale = _locale()
    name = english
    if locale is not None:
        from babel import Locale

        name = Locale.parse(locale).languages.get(code.replace("-", "_")) or english
    return name[:1].upper() + name[1:] if start else name


def format_money(amount: float, currency: str = "USD") -> str:
    """An amount rounded to three significant figures in thousands, millions or billions: $41.2 M (English),
    41,2 млн $ (Russian), RM173J (Malay, ringgit)."""
    if abs(amount) < 0.005:  # a figure that rounds to nothing reads 0, never -0
        amount = 0.0
    locale = _locale()
    if locale is None:
        text = _format_usd_en(amount)
        return text if currency == "USD" else text.replace("$", currency + " ", 1)
    from babel.numbers import format_compact_currency, format_currency

    rounded = _as_english_rounds(amount)
    # below the locale's first compact unit (thousand; ten thousand, 万, in Chinese) the amount is shown to its
    # three figures: "8,13 $", not "8 $" (a price per token or per hour is often below one dollar)
    if abs(rounded) < (1e4 if locale.startswith("zh") else 1e3):
        digits = max(0, 2 - math.floor(math.log10(abs(rounded)))) if rounded else 0
        return _rtl_symbol(
            format_currency(
                rounded if digits else round(rounded),
                currency,
                locale=locale,
                currency_digits=False,
                format=_whole_currency_pattern(locale, digits),
                numbering_system="latn",
            )
        )
    digits = 3 if locale.startswith("zh") else 2  # 1.575亿 is $157.5 M: the 万/亿 units need one more
    return _rtl_symbol(
        format_compact_currency(rounded, currency, locale=locale, fraction_digits=digits, numbering_system="latn")
    )


def _as_english_rounds(amount: float) -> float:
    """The amount rounded as the English figure shows it ($1.23 B, $157.5 M, $350 k), so a report in another
    language gives the same figure ("158 M $US" beside "$157.5 M" before); three figures below a thousand."""
    a = abs(amount)
    if a >= 1e9:
        return round(amount, -7)
    if a >= 1e6:
        return round(amount, -5)
    if a >= 1e3:
        return round(amount, -3)
    return _three_figures(amount)


def _three_figures(amount: float) -> float:
    """The amount rounded to three significant figures (as the English style shows it: $41.2 M, $350 k)."""
    if amount == 0:
        return 0.0
    return round(amount, 2 - math.floor(math.log10(abs(amount))))


def _rtl_symbol(text: str) -> str:
    """In right-to-left text the Latin letters of "US$" split from the "$" and the number (shown "$US 12");
    the plain dollar sign stays with its number."""
    return text.replace("US$", "$") if i18n.info().rtl else text


def format_usd(amount: float) -> str:
    """US dollars, three significant figures: $1.23 B, $41.2 M, $350 k, $900 (in the language being written)."""
    return format_money(amount, "USD")


def _whole_currency_pattern(locale: str, digits: int = 0) -> str:
    """The locale's currency pattern with no decimals, or up to `digits` of them (no trailing zeros)."""
    from babel import Locale

    pattern = Locale.parse(locale).currency_formats["standard"].pattern.split(";")[0]
    return re.sub(r"\.0+", "." + "#" * digits if digits else "", pattern)


def money_m(amount: float, digits: int = 1) -> str:
    """Dollars in millions: $8.12 M (used where figures are compared side by side); a dash for nothing."""
    if amount == 0:
        return "–"
    locale = _locale()
    if locale is None:
        return f"${amount / 1e6:,.{digits}f} M"
    return i18n._("$%(amount)s M", amount=_decimal(amount / 1e6, digits, locale))


def _sig_digits(value: float, sig: int) -> int:
    return max(0, sig - 1 - math.floor(math.log10(abs(value)))) if value else 0


def num_sig(value: float, sig: int = 4) -> str:
    """A quantity to `sig` significant figures, no trailing zeros, in the report's number format: 0.0525, 1,234."""
    locale = _locale()
    if locale is None:
        return f"{value:,.{sig}g}" if abs(value) < 10**sig else f"{value:,.0f}"
    from babel.numbers import format_decimal

    digits = _sig_digits(value, sig)
    pattern = "#,##0" + ("." + "#" * digits if digits else "")
    return format_decimal(round(value, digits), format=pattern, locale=locale, numbering_system="latn")


def usd_sig(amount: float, sig: int = 4) -> str:
    """Dollars to `sig` significant figures, for a unit price ($0.0525 per kWh, $2.15 an hour)."""
    locale = _locale()
    if locale is None:
        return f"${amount:,.{sig}g}" if abs(amount) < 10**sig else f"${amount:,.0f}"
    from babel.numbers import format_currency

    digits = _sig_digits(amount, sig)
    return _rtl_symbol(
        format_currency(
            round(amount, digits),
            "USD",
            locale=locale,
            currency_digits=False,
            format=_whole_currency_pattern(locale, digits),
            numbering_system="latn",
        )
    )


def usd_price(amount: float) -> str:
    """A shadow price as plan.json words it in English ($0.340, $12.8, $1.2 k); three figures in the report's
    language otherwise (0,34 $, 12,8 $)."""
    if _locale() is None:
        from planner.sizing.extract import format_price

        return format_price(amount)
    return format_usd(amount)


def usd_cents(amount: float) -> str:
    """Dollars and cents, for a price per unit of service: $0.35 (English), 0,35 $ (Russian)."""
    locale = _locale()
    if locale is None:
        return f"${amount:,.2f}"
    from babel import Locale
    from babel.numbers import format_currency

    pattern = Locale.parse(locale).currency_formats["standard"].pattern.split(";")[0]
    pattern = re.sub(r"\.0+", ".00", pattern) if "." in pattern else pattern.replace("0", "0.00", 1)
    return _rtl_symbol(
        format_currency(amount, "USD", locale=locale, currency_digits=False, format=pattern, numbering_system="latn")
    )


def usd_exact(amount: float) -> str:
    """Whole dollars with thousands separators: $170,000."""
    locale = _locale()
    if locale is None:
        return f"${amount:,.0f}"
    from babel.numbers import format_currency

    return _rtl_symbol(
        format_currency(
            round(amount),
            "USD",
            locale=locale,
            currency_digits=False,
            format=_whole_currency_pattern(locale),
            numbering_system="latn",
        )
    )


def num(value: float, digits: int = 0) -> str:
    """A count or quantity with thousands separators."""
    locale = _locale()
    return f"{value:,.{digits}f}" if locale is None else _decimal(value, digits, locale)


def num_short(value: float) -> str:
    """A quantity to at most three significant figures and no trailing zeros: 1.5, 12.3, 120 (not 2 for 1.5)."""
    digits = 0 if abs(value) >= 100 else 1 if abs(value) >= 10 else 2
    while digits > 0 and round(value, digits - 1) == round(value, digits):
        digits -= 1
    return num(value, digits)


def _plural_count(value: float) -> int:
    """The count a plural form is chosen by: the number itself when whole; for a fraction 102, which falls in the
    form fractions take in each catalog language (Russian "1,2 дня", Arabic "other", not its dual)."""
    return int(value) if float(value).is_integer() else 102


def days_text(value: float, digits: int = 0) -> str:
    """'1 day', '12 days', '1.3 days' in the report's language (its plural forms)."""
    shown = num(value, digits)  # the form follows the figure as written: "21,0 дня", not "21,0 день"
    count = _plural_count(round(value, digits)) if digits == 0 else 102
    return i18n.ngettext("%(days)s day", "%(days)s days", count) % {"days": shown}


def years_text(value: float | None) -> str:
    """'1 year', '5 years' in the report's language (its plural forms)."""
    if value is None:
        return ""
    return i18n.ngettext("%(n)s year", "%(n)s years", _plural_count(value)) % {"n": f"{value:g}"}


def accelerators_text(value: float) -> str:
    """'1 accelerator', '32 accelerators' in the report's language (Russian: 32 ускорителя, 232 ускорителя)."""
    return i18n.ngettext("%(num)s accelerator", "%(num)s accelerators", _plural_count(value)) % {"num": num(value)}


def units_text(value: float) -> str:
    """'1 unit', '4 units' in the report's language (its plural forms)."""
    return i18n.ngettext("%(num)s unit", "%(num)s units", _plural_count(value)) % {"num": num(value)}


def racks_text(value: float) -> str:
    """'1 rack', '24 racks' in the report's language (its plural forms)."""
    return i18n.ngettext("%(num)s rack", "%(num)s racks", _plural_count(value)) % {"num": num(value)}


def kw(value: float) -> str:
    """Power in kW, whole numbers: 1,234 kW (1 234 кВт in Russian, as its charts and tables label it)."""
    return i18n._("%(kw)s kW", kw=num(value))


def stopped_status(gap: float) -> str:
    """A plan the solver stopped on before proving it optimal, with how far from the best it may be (the one
    wording of the proposal's options, comparisons and sweeps)."""
    return i18n._("Feasible, not proven optimal: up to %(gap)s above the best", gap=pct(gap, 1))


def share_pct(fraction: float) -> str:
    """A share as a whole percentage, "<1%" (or ">99%") for a part below one percent (or a whole short of it by
    less): shares of 72.8 %, 26.7 % and 0.5 % read 73 %, 27 % and <1 %, not 73 + 27 + 1 = 101 %, and 0.09 % not 0 %."""
    if 0 < fraction < 0.01:
        return "<" + pct(0.01)
    if 0.99 < fraction < 1:
        return ">" + pct(0.99)
    return pct(fraction)


def pct(fraction: float, digits: int = 0) -> str:
    """A fraction as a percentage, whole by default: 43% (43 % in Russian, 43,2 % with one digit)."""
    locale = _locale()
    if locale is None:
        return f"{fraction:.{digits}%}"
    from babel import Locale
    from babel.numbers import format_percent

    pattern = Locale.parse(locale).percent_formats[None].pattern.split(";")[0]
    if digits:
        pattern = pattern.replace("0", "0." + "0" * digits, 1) if "." not in pattern else pattern
    return format_percent(fraction, format=pattern, locale=locale, numbering_system="latn")


def tokens_rate(value: float) -> str:
    """Output tokens per second, whole numbers: 187,688 tokens/s."""
    return i18n._("%(count)s output tokens/s", count=num(value))


def date_long(value: str | _dt.date) -> str:
    """A date as the language writes it: 15 March 2026, 2026年3月15日, 15 марта 2026 г. (ISO text passes through
    unchanged if it is not a date)."""
    try:
        day = value if isinstance(value, _dt.date) else _dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return str(value)
    locale = _locale()
    if locale is None:
        return f"{day.day} {day:%B %Y}"
    from babel.dates import format_date

    text = format_date(day, "long", locale=locale)
    if locale.startswith("fr") and day.day == 1:  # French writes the first of the month as an ordinal: 1er avril
        text = text.replace("1 ", "1er ", 1) if text.startswith("1 ") else text
    return text


# line breaks of CommonMark and of editors (\r, NEL, U+2028/9) become spaces; other control characters (ESC, BEL)
# and bidi overrides are dropped: report.md stays one line per template line and shows nothing invisible
_MD_BREAKS = re.compile("[\r\n\x0b\x0c\x85\u2028\u2029]+")
_MD_INVISIBLE = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]")


def md_escape(value: object) -> object:
    """Escape user text for Markdown: `|` would split a table cell, `<` open raw HTML, `[`/`]` start a link or a
    remote image (`![](http://...)`), a line break or a leading `#` a new block (a heading). Backticks are kept: the
    planner's own sentences use them for ids."""
    if not isinstance(value, str):
        return value
    text = _MD_INVISIBLE.sub("", _MD_BREAKS.sub(" ", value))
    text = text.replace("\\|", "|").replace("|", "\\|").replace("<", "&lt;")
    text = text.replace("[", "\\[").replace("]", "\\]")
    return "\\" + text if text.startswith(("#", ">")) else text


_CODE = re.compile(r"`([^`]+)`")


def code_spans(text: str) -> Markup:
    """HTML for a sentence with `ids` in backticks: escaped first, then backticks become <code> (left to right on
    a right-to-left page, so that `allow_precision_substitution` does not read backwards)."""
    tag = '<code dir="ltr">' if i18n.info().rtl else "<code>"
    return Markup(_CODE.sub(lambda m: f"{tag}{m.group(1)}</code>", str(escape(text))))

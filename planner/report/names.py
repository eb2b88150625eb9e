"""Names instead of ids in what a person reads.

Messages from the sizing core quote ids in backticks (`pdn_batam`, `llama_3_1_70b`); `humanize` replaces each
with the name the plan records for it (site names from country.yaml, workload names, model and hardware names
from the catalog), and drops the backticks of anything else so no Markdown syntax reaches HTML or PDF.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from planner.report.i18n import elide_before_name

if TYPE_CHECKING:
    from planner.plan import Names


_QUOTED = re.compile(r"`([^`]+)`")


def lookup(names: Names, key: str) -> str:
    """The name of a site, workload, model or hardware id (in that order of preference), or the id itself."""
    for table in (names.sites, names.workloads, names.models, names.hardware):
        if key in table:
            return table[key]
    return key


def humanize(text: str, names: Names) -> str:
    """`text` with every backticked id replaced by its name (a name that starts with the word before it says it
    once: 'site Site de colocation' reads 'Site de colocation')."""
    out, last = "", 0
    for m in _QUOTED.finditer(text):
        name = lookup(names, m.group(1))
        out += text[last : m.start()]
        out = elide_before_name(out, name, len(out)) + name  # French: "d'Intel", not "de Intel"
        last = m.end()
    return _SAID_TWICE.sub("", out + text[last:])


_SAID_TWICE = re.compile(r"\b(?:site|Site|sites|Sites) (?=Site\b|site\b)")

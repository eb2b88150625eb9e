"""proposal.json beside plan.json: read back only when it was written for that very plan."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from planner.plan import Plan, content_digest


def read_proposal(plan: Plan, path: Path) -> dict[str, Any] | None:
    """proposal.json at `path` if it was written for this plan (same content digest), else None."""

    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("plan_content_sha256") != content_digest(plan.model_dump(mode="json")):
        return None
    return data

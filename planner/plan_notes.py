"""Sentences plan.json writes in English that a report says again in its own language (a leaf module: the sizing
side writes them, the report side matches them, and neither imports the other)."""

HEADROOM_NOTE = "sized with headroom for planning.confidence: capacity above the planned demand"
"""A workload sized above its planned demand for planning.confidence."""

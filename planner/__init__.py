"""Sovereign-AI deployment planner: size, place and cost the hardware of a national AI programme."""

__version__ = "0.1.0"

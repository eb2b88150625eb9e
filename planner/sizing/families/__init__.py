"""Constraint families: each module declares its families (planner/sizing/family.py) and yields their rows."""

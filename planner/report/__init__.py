"""Proposal rendering: a view model computed in Python, formatted by Jinja templates."""

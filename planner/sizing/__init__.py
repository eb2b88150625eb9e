"""The sizing core: turn a country spec and a catalog into a MILP, solve it, read the plan back."""

"""Runs: one scenario over seeds, a scenario against a counterfactual, the indicators and results files."""

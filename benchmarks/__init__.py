"""Benchmarks: scripts that print figures (see README.md), and the Mesa reference package."""

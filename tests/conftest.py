"""Shared fixtures: small scenarios written to a temporary folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from model import scenario as scenario_mod


@pytest.fixture
def write_scenario(tmp_path: Path):
    """Write a scenario file and return its path."""

    def write(text: str, name: str = "case") -> Path:
        path = tmp_path / f"{name}.toml"
        path.write_text(text, encoding="utf-8")
        return path

    return write


@pytest.fixture
def small_baseline():
    """The shipped baseline at a small scale and a short period."""

    def make(scale: float = 0.002, end: str = "2023-12", seeds: int = 1):
        return scenario_mod.load("baseline").with_overrides(
            {"run": {"scale": scale, "seeds": seeds, "posterior_draws": 0}, "period": {"end": end}}
        )

    return make

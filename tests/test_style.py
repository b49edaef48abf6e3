"""The code is ruff-clean (the same check as `make lint`), keeps its import layers (the contract
in pyproject.toml, checked with import-linter) and type-checks with mypy."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def _run(*command: str) -> subprocess.CompletedProcess:
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True)


def test_ruff_is_clean():
    result = _run(str(BIN / "ruff"), "check", "model", "tests", "benchmarks")
    assert result.returncode == 0, result.stdout + result.stderr


def test_import_layers_are_kept():
    result = _run(str(BIN / "lint-imports"))
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_is_clean_on_the_model():
    result = _run(sys.executable, "-m", "mypy", "model")
    assert result.returncode == 0, result.stdout + result.stderr

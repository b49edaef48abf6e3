"""The planners' notebooks run top to bottom at a small scale (a failed cell fails the build).

Parameters are injected after each notebook's cell tagged "parameters", as papermill does.
Outputs are not committed: the notebooks in git have none (checked too).
"""

import os
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"
SMALL = {
    "default": 'draws = 2\nseeds = 1\nscale = 0.002\nend = "2024-12"',
    "06_sensitivity.ipynb": 'samples = 2\ndraws = 1\nscale = 0.002\nend = "2035-12"\nexecutor = "serial"',
    "07_budget.ipynb": (
        'population = 4\ngenerations = 2\ndraws = 1\nseeds = 1\nscale = 0.002\nend = "2024-12"\nsamples = 6\n'
        'executor = "serial"'
    ),
}


def _notebooks() -> list[Path]:
    return sorted(NOTEBOOKS.glob("*.ipynb"))


def test_there_are_seven_numbered_notebooks_without_outputs():
    names = [p.name for p in _notebooks()]
    assert [n[:3] for n in names] == ["01_", "02_", "03_", "04_", "05_", "06_", "07_"]
    for path in _notebooks():
        nb = nbformat.read(path, as_version=4)
        assert any("parameters" in c.metadata.get("tags", []) for c in nb.cells), path.name
        assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code"), f"{path.name} has outputs"


@pytest.mark.parametrize("path", _notebooks(), ids=lambda p: p.name)
def test_notebook_runs_top_to_bottom(path, tmp_path, monkeypatch):
    monkeypatch.setenv("BAOTOU_RESULTS", str(tmp_path / "results"))
    monkeypatch.setenv("MPLBACKEND", "Agg")
    root = str(NOTEBOOKS.parent)
    monkeypatch.setenv("PYTHONPATH", root + os.pathsep + os.environ.get("PYTHONPATH", ""))
    nb = nbformat.read(path, as_version=4)
    index = next(i for i, c in enumerate(nb.cells) if "parameters" in c.metadata.get("tags", []))
    injected = nbformat.v4.new_code_cell(SMALL.get(path.name, SMALL["default"]))
    injected.metadata["tags"] = ["injected-parameters"]
    nb.cells.insert(index + 1, injected)
    NotebookClient(nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}).execute()

"""The package builds as a wheel with every subpackage and data file, and a run works from the
installed wheel alone (not from the checkout). The shipped scenarios stay in the checkout's
``scenarios/`` folder; an installed package runs the user's own scenario files."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _run(*command: str) -> None:
    out = subprocess.run(command, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr[-2000:]


def test_a_built_wheel_has_everything_and_runs(tmp_path):
    wheels, target = tmp_path / "wheels", tmp_path / "site"
    # Built from a copy, so that setuptools' build/ folder is not left in the checkout.
    source = tmp_path / "source"
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(".git", ".venv", "results", "build", "__pycache__"))
    _run(sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(wheels), str(source))
    (wheel,) = wheels.glob("*.whl")
    # Planners' runs draw their parameter sets from the committed posterior: it ships too.
    import zipfile

    names = set(zipfile.ZipFile(wheel).namelist())
    assert {"model/calibration/posterior.csv", "model/calibration/posterior_priors.toml"} <= names
    _run(sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", str(target), str(wheel))
    # A scenario of its own (the shipped scenarios live in the checkout's scenarios/ folder).
    case = tmp_path / "case.toml"
    case.write_text(
        '[scenario]\nname = "case"\n[run]\nscale = 0.001\n[period]\nend = "2021-02"\n[measures.H3]\nenabled = true\n'
    )
    code = (
        "import model, sys; assert str(model.__file__).startswith(sys.argv[1]), model.__file__; "
        "from model.scenario import load; from model.model import BaotouModel; "
        "BaotouModel(load(sys.argv[2]), 0).run()"
    )
    # From elsewhere, with the installed wheel first on the path (the dependencies from this venv).
    env = {**os.environ, "PYTHONPATH": str(target)}
    out = subprocess.run(
        [sys.executable, "-c", code, str(target), str(case)], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    assert out.returncode == 0, out.stderr[-2000:]

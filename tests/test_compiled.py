"""Compiled kernels (numba) and their numpy twins give the same numbers: the saved runs of
``tests/regression.py`` run both ways have identical indicators."""

import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
from regression import indicators

from model import compiled

ROOT = Path(__file__).resolve().parent.parent


def test_compiled_and_numpy_paths_give_identical_indicators(tmp_path):
    assert compiled.ENABLED, "run the tests with numba installed and BAOTOU_COMPILED unset"
    out = tmp_path / "numpy.csv"
    code = (
        "import sys; sys.path.insert(0, 'tests'); from regression import indicators; "
        f"indicators().to_csv({str(out)!r}, index=False, float_format='%.17g')"
    )
    env = {**os.environ, "BAOTOU_COMPILED": "0", "PYTHONPATH": str(ROOT)}
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, check=True)
    numpy_path = pd.read_csv(out)
    compiled_path = pd.read_csv(pd.io.common.StringIO(indicators().to_csv(index=False, float_format="%.17g")))
    pd.testing.assert_frame_equal(numpy_path, compiled_path, check_exact=True)


def test_compiled_kernels_are_on_by_default():
    """numba is installed with the project, so CI exercises the compiled path."""
    assert compiled.numba is not None and compiled.ENABLED == (os.environ.get("BAOTOU_COMPILED", "1") != "0")

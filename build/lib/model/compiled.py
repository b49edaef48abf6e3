"""The switch for compiled kernels: numba's just-in-time compiler where it is installed, unless
``BAOTOU_COMPILED=0`` is set, in which case every kernel runs as plain numpy.

Each compiled kernel has a numpy twin that gives the same numbers bit for bit (a test runs the
saved runs both ways). Compiled functions are cached on disk (``cache=True``), so the first run
on a machine compiles them once.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from types import ModuleType
from typing import Any

numba: ModuleType | None
try:
    import numba
except ImportError:  # the numpy twins run instead
    numba = None

ENABLED = numba is not None and os.environ.get("BAOTOU_COMPILED", "1") != "0"


def kernel[F: Callable[..., Any]](fn: F) -> F:
    """Compile ``fn`` in nopython mode (without the GIL, cached on disk) when compiling is on."""
    if not ENABLED or numba is None:
        return fn
    compiled: F = numba.njit(cache=True, nogil=True)(fn)  # a dispatcher, called like ``fn``
    return compiled

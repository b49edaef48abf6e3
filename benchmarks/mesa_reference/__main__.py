"""``python -m benchmarks.mesa_reference``: the side-by-side timing (``runner.py``)."""

from .runner import main

main()

"""Ctrl-C: never swallowed, and told in one line saying what was kept and where.

The command line installs ``handled()``: the first Ctrl-C raises ``KeyboardInterrupt`` as usual
and is also remembered, so that an interrupt that some library code caught and dropped (or
that arrived inside a destructor, where Python only prints it) is raised again at the next
``check()`` (every simulated month, every finished seed or run, before a run is called
complete). Further Ctrl-Cs while the interrupted run writes what it finished are ignored, so
that writing is not cut short; the third one ends the process at once.

Code that writes results attaches what it kept to the exception (``note_kept``); the command
line prints it (``kept``).
"""

from __future__ import annotations

import contextlib
import os
import signal
from collections.abc import Iterator
from types import FrameType

_KEPT = "kept: "  # prefix of the exception note saying what was kept
_FORCE_AFTER = 3  # Ctrl-Cs after which the process ends without writing anything more
_presses = 0


def requested() -> bool:
    """Whether Ctrl-C was pressed since ``handled()`` began."""
    return _presses > 0


def check() -> None:
    """Raise ``KeyboardInterrupt`` if Ctrl-C was pressed (and its exception lost on the way)."""
    if _presses:
        raise KeyboardInterrupt


def _on_sigint(signum: int, frame: FrameType | None) -> None:
    global _presses
    _presses += 1
    if _presses == 1:
        raise KeyboardInterrupt
    if _presses >= _FORCE_AFTER:
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        os.kill(os.getpid(), signal.SIGINT)


@contextlib.contextmanager
def handled() -> Iterator[None]:
    """Install the Ctrl-C handler for the duration (only possible in the main thread)."""
    global _presses
    _presses = 0
    try:
        previous = signal.signal(signal.SIGINT, _on_sigint)
    except ValueError:  # not the main thread: leave Python's own handling
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
        _presses = 0


def note_kept(err: BaseException, text: str) -> None:
    """Say on ``err`` what was kept and where (the first such note wins: it is the innermost)."""
    if kept(err) is None:
        err.add_note(_KEPT + text)


def kept(err: BaseException) -> str | None:
    for note in getattr(err, "__notes__", []):
        if note.startswith(_KEPT):
            return note.removeprefix(_KEPT)
    return None


@contextlib.contextmanager
def keeping(text: str) -> Iterator[None]:
    """Any exception leaving the block says ``text`` was kept (unless it says more already)."""
    try:
        yield
    except BaseException as err:
        note_kept(err, text)
        raise

import os
import signal
import sys


def _interrupted_while_starting(signum, frame) -> None:
    # Until the command line takes over Ctrl-C (model.cli.main), nothing has been written.
    print("interrupted: nothing was written", file=sys.stderr)
    os._exit(130)


signal.signal(signal.SIGINT, _interrupted_while_starting)

from model.cli import main  # noqa: E402  (after the handler: importing takes a moment)

sys.exit(main())

"""The ``cmdai`` process: one short run of the command line, started and ended quickly.

The hotkey starts a fresh process for every request, so start-up and exit are part of what the
user waits for. A process this short frees its memory when it ends: the cyclic garbage collector
would only walk the objects that imports create, so it stays off (reference counting still frees
nearly everything at once), and after the output is flushed the process exits without tearing
down every module and object one by one.
"""
import gc
import os
import sys


def run() -> None:
    """Run the command line in ``sys.argv`` and end the process with its exit code."""
    gc.disable()
    from .cli import main

    code = main()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):
        # The reader went away or closed the stream: nothing is left to deliver.
        pass
    os._exit(code)

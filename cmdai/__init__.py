"""cmdai: plain words in, a vetted shell command out."""

__version__ = "0.1.0"


def _guard_interrupts() -> None:
    # Run as the cmdai program (not imported as a library), a Ctrl-C in the first milliseconds,
    # while modules still load, must end with one line and exit 130, not a traceback.
    import sys

    program = sys.argv[0] if sys.argv else ""
    if program == "-m" or program.rsplit("/", 1)[-1].rsplit("\\", 1)[-1] in ("cmdai", "cmdai.exe"):
        from .interrupts import exit_on_interrupt

        exit_on_interrupt()


_guard_interrupts()

"""The safety engine: every command cmdai outputs is classified here first."""
from __future__ import annotations

from .levels import SAFETY_LEVELS, Action, Assessment, Risk, decide, stricter

__all__ = ["SAFETY_LEVELS", "Action", "Assessment", "Risk", "assess", "decide", "stricter"]


def assess(command: str, shell: str = "bash") -> Assessment:
    """Classify ``command`` (as ``shell`` would run it); the parser loads on first use."""
    from .analyzer import analyze

    return analyze(command, shell)

"""The ``last_command`` source: the previous command line and its exit status.

The shell widget hands them over in the environment of ``cmdai --widget`` (never as arguments,
which any user could read in ``ps``): ``CMDAI_LAST_COMMAND`` and ``CMDAI_LAST_STATUS``.
"""
from __future__ import annotations

from typing import Any, Dict, Mapping, Optional

from ..sanitize import shorten

MAX_CHARS = 500


def collect(environ: Mapping[str, str]) -> Optional[Dict[str, Any]]:
    command = (environ.get("CMDAI_LAST_COMMAND") or "").strip()
    if not command:
        return None
    command = shorten(command, MAX_CHARS)
    result: Dict[str, Any] = {"command": command}
    status = (environ.get("CMDAI_LAST_STATUS") or "").strip()
    if status.lstrip("-").isdigit():
        result["exit_status"] = int(status)
    return result

"""The ``cwd`` source: names of entries of the current directory, never their contents."""
from __future__ import annotations

import os
from typing import Any, Dict, Mapping, Optional

MAX_NAMES = 50
#: Stop reading a huge directory here; the names sent are a sample, not an inventory.
MAX_SCANNED = 2000


def collect(environ: Mapping[str, str]) -> Optional[Dict[str, Any]]:
    names = []
    scanned = 0
    with os.scandir(".") as entries:
        for entry in entries:
            scanned += 1
            try:
                is_dir = entry.is_dir()
            except OSError:
                is_dir = False
            names.append(entry.name + ("/" if is_dir else ""))
            if scanned >= MAX_SCANNED:
                break
    # Directories first, hidden entries last: the likeliest to matter survive the cut.
    names.sort(key=lambda name: (name.startswith("."), not name.endswith("/"), name.lower()))
    result: Dict[str, Any] = {"entries": names[:MAX_NAMES]}
    if scanned > MAX_NAMES:
        result["more"] = True
    return result

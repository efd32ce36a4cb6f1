"""The ``os`` source: operating system, distribution and version, machine architecture."""
from __future__ import annotations

import os
import sys
from typing import Any, Dict, Mapping, Optional

OS_RELEASE_FILES = ("/etc/os-release", "/usr/lib/os-release")


def parse_os_release(text: str) -> Dict[str, str]:
    """KEY=value lines of os-release(5), quotes removed."""
    fields: Dict[str, str] = {}
    for line in text.splitlines():
        key, sep, value = line.strip().partition("=")
        if sep and key and not key.startswith("#"):
            fields[key] = value.strip().strip("\"'")
    return fields


def _linux() -> Dict[str, Any]:
    for path in OS_RELEASE_FILES:
        try:
            with open(path, encoding="utf-8", errors="replace") as handle:
                fields = parse_os_release(handle.read(16384))
        except OSError:
            continue
        found = {"distribution": fields.get("NAME") or fields.get("ID"), "version": fields.get("VERSION_ID"),
                 "like": fields.get("ID_LIKE")}
        return {key: value for key, value in found.items() if value}
    return {}


def _macos() -> Dict[str, Any]:
    import platform

    version = platform.mac_ver()[0]
    return {"distribution": "macOS", "version": version} if version else {"distribution": "macOS"}


def collect(environ: Mapping[str, str]) -> Optional[Dict[str, Any]]:
    from ..environment import detect_os

    system = detect_os()
    info: Dict[str, Any] = {"system": system}
    if system == "linux":
        info.update(_linux())
    elif sys.platform == "darwin":
        info.update(_macos())
    info["arch"] = os.uname().machine if hasattr(os, "uname") else None
    return {key: value for key, value in info.items() if value}

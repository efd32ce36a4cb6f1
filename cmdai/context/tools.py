"""The ``tools`` source: which common command-line tools are on PATH, and GNU or BSD flavours.

Looking costs a few processes (``sed --version`` …), so the answer is kept in the cache dir and
reused while PATH, its directories and cmdai's version stay the same: a tool installed or removed
changes its directory's modification time, which makes the next run look again.
"""
from __future__ import annotations

import os
import time
from typing import Any, Dict, List, Mapping, Optional

#: Tools whose presence changes the best answer (fd over find, rg over grep, gsed on macOS…).
TOOLS = (
    "fd", "fdfind", "rg", "ag", "jq", "yq", "fzf", "bat", "batcat", "eza", "exa", "tree", "gsed", "gawk", "gfind",
    "ggrep", "gdate", "gstat", "gxargs", "parallel", "pv", "rsync", "curl", "wget", "zip", "unzip", "7z", "zstd",
    "docker", "podman", "kubectl", "helm", "terraform", "az", "aws", "gcloud", "gh", "git", "python3", "node",
    "npm", "go", "cargo", "make", "brew", "apt", "dnf", "yum", "pacman", "apk", "systemctl", "journalctl", "ss",
    "netstat", "ip", "lsof", "ffmpeg", "magick", "convert", "sqlite3", "psql", "mysql", "tmux", "xclip", "wl-copy",
    "pbcopy", "shellcheck",
)
#: Tools whose flags differ between GNU, BSD and BusyBox builds.
FLAVOURED = ("find", "sed", "grep", "date", "stat")
VERSION_TIMEOUT_SECONDS = 1.0
CACHE_FILE = "context-tools.json"
CACHE_TTL_SECONDS = 7 * 24 * 3600


def _path_dirs(environ: Mapping[str, str]) -> List[str]:
    return [d for d in (environ.get("PATH") or os.defpath).split(os.pathsep) if d]


def cache_key(environ: Mapping[str, str]) -> str:
    """Changes when PATH, any directory on it, or cmdai changes."""
    from .. import __version__

    stamps = []
    for directory in _path_dirs(environ):
        try:
            stamps.append(f"{directory}:{os.stat(directory).st_mtime_ns}")
        except OSError:
            stamps.append(f"{directory}:-")
    return "\0".join([__version__, *stamps])


def installed(environ: Mapping[str, str], names: Any = TOOLS) -> Dict[str, str]:
    """name -> path for each of ``names`` found as an executable on PATH (first match wins)."""
    wanted = set(names)
    found: Dict[str, str] = {}
    for directory in _path_dirs(environ):
        try:
            present = wanted.intersection(os.listdir(directory)) - found.keys()
        except OSError:
            continue
        for name in present:
            path = os.path.join(directory, name)
            if os.access(path, os.X_OK) and not os.path.isdir(path):
                found[name] = path
    return found


def flavour(version_output: bytes, returncode: int) -> str:
    """"gnu", "bsd", "busybox" or "uutils" from what ``TOOL --version`` printed."""
    text = version_output[:2000]
    if b"BusyBox" in text:
        return "busybox"
    if b"BSD" in text:
        return "bsd"
    if b"GNU" in text:
        return "gnu"
    if b"uutils" in text:
        return "uutils"
    # BSD tools reject --version.
    return "bsd" if returncode != 0 else "unknown"


def flavours(paths: Mapping[str, str]) -> Dict[str, str]:
    """Ask every flavoured tool at once; one that does not answer in time is left out."""
    import subprocess

    running = {}
    for name, path in paths.items():
        try:
            running[name] = subprocess.Popen([path, "--version"], stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                             stderr=subprocess.STDOUT, env={"LC_ALL": "C", "PATH": os.defpath})
        except OSError:
            continue
    deadline = time.monotonic() + VERSION_TIMEOUT_SECONDS
    result = {}
    for name, process in running.items():
        try:
            output, _ = process.communicate(timeout=max(0.01, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            process.kill()
            process.communicate()
            continue
        result[name] = flavour(output, process.returncode)
    return result


def detect(environ: Mapping[str, str]) -> Dict[str, Any]:
    found = installed(environ, TOOLS + FLAVOURED)
    return {"installed": sorted(name for name in found if name in TOOLS),
            "flavours": flavours({name: found[name] for name in FLAVOURED if name in found})}


def collect(environ: Mapping[str, str]) -> Optional[Dict[str, Any]]:
    import json

    from .. import paths
    from ..disk_store import write_json

    path = os.path.join(paths.user_cache_dir(), CACHE_FILE)
    key = cache_key(environ)
    try:
        with open(path, encoding="utf-8") as handle:
            cached = json.load(handle)
        if cached.get("key") == key and time.time() - float(cached.get("created", 0)) < CACHE_TTL_SECONDS:
            return cached["tools"]
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        pass
    tools = detect(environ)
    try:
        write_json(path, {"key": key, "created": time.time(), "tools": tools})
    except OSError:
        pass  # Only costs a second look next time.
    return tools

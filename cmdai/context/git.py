"""The ``git`` source: branch, counts of staged, modified and untracked files, remote names.

The branch and remote names are read from the repository's files; the counts come from one
``git status`` with a short deadline, run so that it neither takes locks nor starts a file-system
monitor configured in the repository. Remote URLs, file names and commit contents are never sent.
"""
from __future__ import annotations

import os
import subprocess
from pathlib import Path
from typing import Any, Dict, List, Mapping, Optional, Tuple

STATUS_TIMEOUT_SECONDS = 0.5
#: Directories above the current one searched for a repository.
MAX_DEPTH = 40


def find_git_dir(start: Path) -> Optional[Tuple[Path, Path]]:
    """(work tree, git dir) of the repository containing ``start``; worktrees' ``.git`` files followed."""
    here = start
    for _ in range(MAX_DEPTH):
        dot_git = here / ".git"
        if dot_git.is_dir():
            return here, dot_git
        if dot_git.is_file():
            try:
                line = dot_git.read_text(encoding="utf-8", errors="replace").strip()
            except OSError:
                return None
            if line.startswith("gitdir:"):
                git_dir = Path(line[len("gitdir:"):].strip())
                return here, git_dir if git_dir.is_absolute() else (here / git_dir).resolve()
        if here.parent == here:
            return None
        here = here.parent
    return None


def _read(path: Path, limit: int = 65536) -> str:
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            return handle.read(limit)
    except OSError:
        return ""


def branch(git_dir: Path) -> Optional[str]:
    head = _read(git_dir / "HEAD", 4096).strip()
    if head.startswith("ref:"):
        ref = head[4:].strip()
        return ref[len("refs/heads/"):] if ref.startswith("refs/heads/") else ref
    return f"(detached at {head[:7]})" if head else None


def remote_names(git_dir: Path) -> List[str]:
    """``[remote "NAME"]`` sections of the repository's config (a worktree's lives in the common dir)."""
    common = git_dir
    pointer = _read(git_dir / "commondir", 4096).strip()
    if pointer:
        common = (git_dir / pointer).resolve()
    names = []
    for line in _read(common / "config").splitlines():
        line = line.strip()
        if line.startswith('[remote "') and line.endswith('"]'):
            names.append(line[len('[remote "'):-2])
    return names


def counts(work_tree: Path) -> Optional[Dict[str, int]]:
    """Staged, modified and untracked file counts, or None when git is missing, fails or is too slow."""
    env = {**os.environ, "GIT_OPTIONAL_LOCKS": "0", "LC_ALL": "C"}
    try:
        result = subprocess.run(
            ["git", "-c", "core.fsmonitor=false", "-c", "core.untrackedCache=true", "status", "--porcelain=v1",
             "-z", "--untracked-files=normal", "--ignore-submodules=all", "--no-renames"],
            cwd=str(work_tree), capture_output=True, timeout=STATUS_TIMEOUT_SECONDS, env=env)
    except (OSError, subprocess.SubprocessError):
        return None
    if result.returncode != 0:
        return None
    staged = modified = untracked = 0
    for entry in result.stdout.split(b"\0"):
        if len(entry) < 3:
            continue
        x, y = chr(entry[0]), chr(entry[1])
        if x == "?":
            untracked += 1
            continue
        staged += x not in " !"
        modified += y not in " !"
    return {"staged": staged, "modified": modified, "untracked": untracked}


def collect(environ: Mapping[str, str]) -> Optional[Dict[str, Any]]:
    found = find_git_dir(Path.cwd())
    if found is None:
        return None
    work_tree, git_dir = found
    info: Dict[str, Any] = {"branch": branch(git_dir)}
    status = counts(work_tree)
    if status is not None:
        info.update(status)
    info["remotes"] = remote_names(git_dir)
    return {key: value for key, value in info.items() if value is not None}

"""The audit log: one JSON line per answer, in a file only the user can read.

On with ``[audit] enabled = true``, or for everyone on the machine with the site ``[policy]
audit = true``. Entries hold the redacted request and command, never a secret. Writing is
best-effort and quick: a lock held by another cmdai is waited for briefly, then given up, and any
failure becomes a warning, so the log can never cost an answer.
"""
from __future__ import annotations

import json
import os
import time

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Dict, Iterator, List, Optional
    from .config import Config
    from .values import Outcome

LOG_NAME = "audit.jsonl"
#: How long to wait for another cmdai writing at the same moment.
LOCK_WAIT_SECONDS = 0.05


def log_path() -> str:
    from . import paths

    return os.path.join(paths.user_state_dir(), LOG_NAME)


def action_label(outcome: "Outcome", *, widget: bool) -> str:
    """What happened to the command: inserted, disarmed (commented out to review), blocked, or printed."""
    from .safety import Action

    if outcome.action is Action.BLOCK:
        return "blocked"
    if widget:
        return "disarmed" if outcome.action is Action.CONFIRM else "inserted"
    return "printed"


def entry(outcome: "Outcome", *, action: str, executed: bool) -> Dict[str, Any]:
    """The log line for one answer; the request and command pass the request's redactor again."""
    redactor = outcome.redactor
    redact = redactor.redact if redactor is not None else (lambda text: text)
    request = outcome.request
    return {
        "time": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "request": redact(request.text),
        "command": None if outcome.blocked else redact(outcome.command),
        "risk": outcome.assessment.risk.label,
        "action": action,
        "executed": executed,
        "backend": outcome.backend,
        "deployment": outcome.deployment,
        "model": outcome.model,
        "latency_ms": outcome.latency_ms,
        "tokens": outcome.usage,
        "cached": outcome.cached,
        "fallback_used": outcome.fallback_used,
        "shell": request.shell,
        "context": sorted(request.context) if request.context else [],
        "secrets_withheld": redactor.count if redactor is not None else 0,
    }


def record(outcome: "Outcome", config: "Config", *, action: str, executed: bool = False) -> Optional[str]:
    """Append the entry for ``outcome`` when the log is on; a warning (never an error) if it cannot be."""
    if not config.audit.enabled:
        return None
    try:
        line = json.dumps(entry(outcome, action=action, executed=executed), ensure_ascii=False) + "\n"
        append(log_path(), line, config.audit.max_bytes, config.audit.keep_files)
    except Exception as error:  # noqa: BLE001 - the log must never break an answer
        return f"could not write the audit log {log_path()} ({type(error).__name__}: {error})"
    return None


def append(path: str, line: str, max_bytes: int, keep_files: int) -> None:
    """Append ``line`` to ``path`` (mode 0600), rotating to ``path.1``… first when it would grow past ``max_bytes``."""
    from .paths import ensure_private_dir

    path = os.fspath(path)
    ensure_private_dir(os.path.dirname(path))
    data = line.encode("utf-8")
    for _ in range(3):
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0), 0o600)
        try:
            _lock(fd)
            status = os.fstat(fd)
            try:
                current = os.stat(path)
            except FileNotFoundError:
                continue  # Rotated away while we waited: open the new file.
            if (status.st_ino, status.st_dev) != (current.st_ino, current.st_dev):
                continue
            if status.st_mode & 0o077:
                os.fchmod(fd, 0o600)
            if status.st_size and status.st_size + len(data) > max_bytes:
                _rotate(path, keep_files)
                continue
            os.write(fd, data)
            return
        finally:
            os.close(fd)  # Closing releases the lock.
    raise OSError("the log kept being rotated by another process")


def _lock(fd: int) -> None:
    from .disk_store import flock_within

    if not flock_within(fd, LOCK_WAIT_SECONDS):
        raise OSError("another cmdai held the log too long")


def _rotate(path: str, keep_files: int) -> None:
    """audit.jsonl -> .1 -> .2 …; the oldest beyond ``keep_files`` is dropped."""
    for index in range(keep_files, 0, -1):
        newer = path if index == 1 else f"{path}.{index - 1}"
        if os.path.exists(newer):
            os.replace(newer, f"{path}.{index}")


def read_recent(limit: int, path: Optional[str] = None) -> List[Dict[str, Any]]:
    """The last ``limit`` entries, oldest first, reading rotated files as far back as needed."""
    found: List[Dict[str, Any]] = []
    for file in _newest_first(os.fspath(path or log_path())):
        try:
            with open(file, encoding="utf-8", errors="replace") as handle:
                lines = handle.read().splitlines()
        except OSError:
            continue
        batch = []
        for line in lines:
            try:
                item = json.loads(line)
            except ValueError:
                continue  # A line cut short by a full disk; the others still count.
            if isinstance(item, dict):
                batch.append(item)
        found = batch + found
        if len(found) >= limit:
            break
    return found[-limit:] if limit > 0 else []


def _newest_first(path: str) -> Iterator[str]:
    yield path
    index = 1
    while True:
        rotated = f"{path}.{index}"
        if not os.path.exists(rotated):
            return
        yield rotated
        index += 1


def format_entry(item: Dict[str, Any]) -> str:
    """One line of ``cmdai --history``."""
    from .sanitize import one_line

    when = str(item.get("time", "?")).replace("T", " ").rstrip("Z")
    where = item.get("backend") or "?"
    if item.get("model"):
        where += f"/{item['model']}"
    ran = ", ran" if item.get("executed") else ""
    command = item.get("command") if item.get("command") is not None else "(blocked)"
    return one_line(f"{when}  {item.get('action', '?'):8} {item.get('risk', '?'):8} {where}{ran}  "
                    f"{item.get('request', '')!s} → {command}", 400)

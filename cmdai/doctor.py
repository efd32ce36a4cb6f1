"""``cmdai --doctor``: is everything in place to turn words into commands? One line per check."""
from __future__ import annotations

from typing import TYPE_CHECKING, Iterator, TextIO

from .values import HealthCheck
from .errors import CmdaiError

if TYPE_CHECKING:
    from .config import Config



def _config_checks(config: "Config") -> Iterator[HealthCheck]:
    from . import paths

    if config.files:
        for path in config.files:
            yield HealthCheck("config", True, f"{path} read and valid")
    else:
        yield HealthCheck("config", True, f"no config file ({paths.user_config_file()}); "
                                          "using defaults and environment variables")
    for warning in config.warnings:
        text, _, fix = warning.partition(" — ")
        yield HealthCheck("config", False, text, fix or None)
    yield HealthCheck("safety", True, f"level {config.safety.level}")


def _backend_checks(config: "Config") -> Iterator[HealthCheck]:
    from .backends import create_backend

    try:
        backend = create_backend(config.backend.type, config)
        yield from backend.health_checks()
    except CmdaiError as error:
        yield HealthCheck(config.backend.type, False, error.message, error.hint)
        return
    if backend.is_remote:
        if not config.backend.fallback:
            yield HealthCheck("fallback", True, "off: connection failures are reported, not answered offline")
            return
        try:
            offline = create_backend("embedded", config)
            ready = offline.is_available()
        except CmdaiError as error:
            yield HealthCheck("fallback", False, error.message, error.hint)
            return
        yield HealthCheck("fallback", ready, "offline engine ready" if ready else "offline engine unavailable",
                          None if ready else "reinstall cmdai, or set fallback = false under [backend]")


def format_check(check: HealthCheck, stream: TextIO) -> str:
    from .sanitize import hide_secrets, one_line
    from .terminal import paint

    mark = paint("✓", "ok", stream) if check.ok else paint("✗", "error", stream)
    text = f"{check.name}: {check.detail}"
    if not check.ok and check.hint:
        text += f" — {check.hint}"
    # Details quote servers, model ids and error bodies: no terminal controls, no proxy passwords.
    return f"{mark} {one_line(hide_secrets(text), 1000)}"


def run_doctor(config: "Config", stream: TextIO) -> int:
    """Print each check as it finishes; 0 when all passed, 1 otherwise."""
    failed = 0
    for checks in (_config_checks(config), _backend_checks(config)):
        for check in checks:
            failed += not check.ok
            stream.write(format_check(check, stream) + "\n")
            stream.flush()
    return 1 if failed else 0

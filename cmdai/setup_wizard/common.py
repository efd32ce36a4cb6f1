"""Steps every backend's setup shares: the live test, model choice, safety level, saving."""
from __future__ import annotations

import argparse
import os
import shlex
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, List, Mapping, Optional

from ..errors import CmdaiError, ConfigError, UsageError
from ..safety.levels import SAFETY_LEVELS
from .probe import ProbeResult, probe
from .ui import Console, Option, Prompter, spinner

SAFETY_MEANINGS = {
    "strict": "blocks high-risk commands, asks before moderate ones (chmod, kill -9, ssh)",
    "moderate": "blocks critical commands (rm -rf /, mkfs on a disk), asks before high-risk ones",
    "permissive": "blocks nothing, asks only before critical commands",
}
DEFAULT_SAFETY = "moderate"

#: Menu value for "type a model name yourself".
TYPE_MODEL = "\0type"


@dataclass
class Session:
    """One run of the setup: the flags, the file to write, and what it holds now."""

    args: argparse.Namespace
    path: Path
    console: Console
    #: The user's current settings as dotted keys.
    existing: Dict[str, Any]
    #: Settings from the user's file that are not asked about but used for the test.
    preserved: Dict[str, Any]
    prompter: Optional[Prompter] = None

    @property
    def interactive(self) -> bool:
        return self.prompter is not None

    @property
    def ask(self) -> Prompter:
        assert self.prompter is not None, "questions are asked only in interactive mode"
        return self.prompter


@dataclass
class Plan:
    """What a backend's setup decided: the keys to write (None removes one) and closing notes."""

    updates: Dict[str, Any]
    #: Extra next steps (an environment variable to export, …), one line each.
    notes: List[str] = field(default_factory=list)


def require(value: Optional[str], flag: str, what: str) -> str:
    """A flag that --yes mode cannot do without."""
    if not value:
        raise UsageError(f"--yes needs {flag} ({what})",
                         f"add {flag} to the command, or leave out --yes to be asked")
    return value


def check_safety_level(level: str) -> str:
    normalised = level.strip().lower()
    if normalised not in SAFETY_LEVELS:
        raise UsageError(f"--safety {level!r} is not a safety level",
                         f"choose one of: {', '.join(SAFETY_LEVELS)}")
    return normalised


def run_test(session: Session, backend_name: str, answers: Mapping[str, Any], target: str,
             discover: bool = True) -> ProbeResult:
    """The live connection test, with a spinner, and its ✓ or ✗ line."""
    with spinner(f"Testing the connection to {target}"):
        result = probe(backend_name, answers, session.preserved, discover=discover)
    if result.ok:
        session.console.ok(f"Connected to {target}")
    else:
        assert result.error is not None
        session.console.fail(result.error.one_line())
        show_debug(session, result.error)
    return result


def show_debug(session: Session, error: CmdaiError) -> None:
    if getattr(session.args, "debug", False) and error.debug:
        session.console.note(error.debug)


def test_failure(error: CmdaiError) -> ConfigError:
    """A failed test in --yes mode: exit 2, with the backend's fix and the way around it."""
    hint = "; ".join(part for part in (error.hint, "or pass --skip-test to write the config anyway") if part)
    return ConfigError(f"connection test failed: {error.message}", hint, debug=error.debug)


def _model_title(model: Any, width: int) -> str:
    tags = []
    if model.is_default:
        tags.append("default")
    if model.can_chat is True:
        tags.append("chat")
    if model.status:
        tags.append(str(model.status))
    return f"{model.id:<{width}}  {' · '.join(tags)}".rstrip()


def choose_model(session: Session, result: Optional[ProbeResult], default: Optional[str],
                 noun: str = "Model") -> str:
    """Pick from the discovered models, or type a name when discovery gave nothing."""
    models = result.models if result is not None and result.ok else []
    if result is not None and result.ok and not models:
        reason = result.discovery_error.one_line() if result.discovery_error else "the service listed none"
        session.console.note(f"Could not list the models: {reason}")
    if models:
        width = max(len(m.id) for m in models)
        options = [Option(_model_title(m, width), m.id, None if m.can_chat is not False else "cannot chat")
                   for m in models]
        options.append(Option("Type another name…", TYPE_MODEL))
        usable = [m.id for m in models if m.can_chat is not False]
        preferred = default if default in usable else next(
            (m.id for m in models if m.is_default and m.can_chat is not False), usable[0] if usable else None)
        picked = session.ask.select(f"{noun} to use:", options, default=preferred)
        if picked != TYPE_MODEL:
            return str(picked)
    return session.ask.text(f"{noun} name:", default=default or "",
                            validate=lambda text: bool(text.strip()) or f"enter the {noun.lower()} name")


def choose_safety(session: Session, current: Optional[str]) -> str:
    """Step 6: the safety level, each with what it does."""
    options = [Option(f"{level:<10} — {SAFETY_MEANINGS[level]}", level) for level in SAFETY_LEVELS]
    return str(session.ask.select("Safety level:", options, default=current or DEFAULT_SAFETY))


def safety_answer(session: Session) -> str:
    """The safety level from --safety, else asked (interactive), else the current or default one."""
    flag = getattr(session.args, "safety", None)
    current = check_safety_level(flag) if flag else session.existing.get("safety.level")
    if session.interactive:
        return choose_safety(session, current)
    return current if current in SAFETY_LEVELS else DEFAULT_SAFETY


def _init_line(shell: str) -> Optional[Dict[str, str]]:
    lines = {
        "zsh": ("~/.zshrc", 'eval "$(cmdai --init zsh)"'),
        "bash": ("~/.bashrc", 'eval "$(cmdai --init bash)"'),
        "fish": ("~/.config/fish/config.fish", "cmdai --init fish | source"),
    }
    if shell not in lines:
        return None
    rc_file, line = lines[shell]
    return {"rc": rc_file, "line": line}


def print_next_steps(session: Session, notes: List[str]) -> None:
    """Step 7: how to try it, and how to turn on the Ctrl-G hotkey in the user's shell."""
    from .. import paths

    console = session.console
    console.line()
    console.heading("Next steps")
    for note in notes:
        console.line(f"  {note}")
    config_flag = ""
    if session.path != paths.user_config_file():
        config_flag = f"--config {shlex.quote(str(session.path))} "
    console.line("  Try it:")
    console.command(f'cmdai {config_flag}"list all files"')
    shell = os.path.basename(os.environ.get("SHELL", ""))
    init = _init_line(shell)
    if init:
        console.line(f"  Turn on Ctrl-G in {shell}: add this line to {init['rc']}")
        console.command(init["line"])
    else:
        console.line("  Turn on Ctrl-G: add the line for your shell to its startup file")
        for name in ("zsh", "bash", "fish"):
            found = _init_line(name)
            assert found is not None
            console.command(f"{found['line']:<30}  # {found['rc']}")

"""Steps every backend's setup shares: the live test, model choice, safety level, saving."""
from __future__ import annotations

import argparse
import os
import shlex
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Dict, List, Mapping, Optional, Protocol

from .. import shells
from ..errors import CmdaiError, ConfigError, UsageError
from ..safety.levels import SAFETY_LEVELS
from ..shells import InitScript
from .probe import ProbeResult, probe
from .ui import Console, Option, Prompter, spinner

if TYPE_CHECKING:
    from ..values import ModelInfo

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
             model: Optional[str], discover: bool = True) -> ProbeResult:
    """The live connection test, with a spinner, and what it found.

    A failure is shown here only in interactive mode; with --yes it becomes the one error line.
    """
    what = f"Testing {target} with {model}" if model else f"Testing the connection to {target}"
    with spinner(what):
        result = probe(backend_name, answers, session.preserved, discover=discover)
    console = session.console
    if result.credential:
        console.ok(f"Signed in: {result.credential}")
    if result.error is not None and session.interactive:
        console.fail(result.error.one_line())
        show_debug(session, result.error)
    elif result.verified_model:
        console.ok(f"Connected to {target}: {result.verified_model} answered")
    elif result.models:
        count = len(result.models)
        console.ok(f"Connected to {target}: {count} model{'s' if count != 1 else ''} available")
    if result.ok and discover and not result.models:
        found = result.discovery_error
        console.note(f"Could not list the models: {found.message if found else 'the service listed none'}")
        if found is not None and found.hint:
            console.note(f"({found.hint})")
    return result


def show_debug(session: Session, error: CmdaiError) -> None:
    if getattr(session.args, "debug", False) and error.debug:
        session.console.note(error.debug)


def test_failure(error: CmdaiError) -> ConfigError:
    """A failed test in --yes mode: exit 2, with the backend's fix and the way around it."""
    hint = "; ".join(part for part in (error.hint, "or pass --skip-test to write the config anyway") if part)
    return ConfigError(f"connection test failed: {error.message}", hint, debug=error.debug)


class Connectable(Protocol):
    """A backend's answers as the connection test and its recovery menu need them."""

    backend: str
    model: Optional[str]
    #: "Model", or "Deployment" where the service routes by deployment name.
    model_noun: str

    def test_keys(self) -> Dict[str, Any]: ...

    def target(self) -> str: ...

    def fix_options(self) -> List[Option]: ...

    def apply_fix(self, action: str) -> None: ...

    def models_menu(self, result: ProbeResult) -> List["ModelInfo"]: ...


def connect_and_choose_model(session: Session, flow: Connectable) -> None:
    """Steps 4 and 5: test live, choose the model, and check that the chosen model answers.

    A failure shows the backend's fix and a menu to change an answer and test again.
    """
    console, ask = session.console, session.ask
    if session.args.skip_test:
        console.note("Connection test skipped (--skip-test).")
        flow.model = choose_model(session, [], flow.model, flow.model_noun)
        return
    menu: List["ModelInfo"] = []
    chosen = False
    while True:
        result = run_test(session, flow.backend, flow.test_keys(), flow.target(), flow.model, discover=not chosen)
        if result.ok:
            if chosen:
                return  # the chosen model answered
            menu = flow.models_menu(result)
            flow.model = choose_model(session, menu, flow.model, flow.model_noun)
            chosen = True
            if result.verified_model == flow.model:
                return
            continue  # now with the chosen model: a real request
        assert result.error is not None
        options = flow.fix_options()
        if flow.model:
            options.append(Option(f"Choose another {flow.model_noun.lower()}", "model"))
        options += [Option("Try again", "retry"), Option("Continue without a working connection", "continue")]
        action = ask.select("What now?", options, default=_likely_fix(result.error, options, flow.model))
        if action == "continue":
            console.note("Continuing without a working connection; cmdai --doctor checks it later.")
            if not chosen:
                flow.model = choose_model(session, menu, flow.model, flow.model_noun)
            return
        if action == "model":
            flow.model = choose_model(session, menu, flow.model, flow.model_noun)
            chosen = True
        elif action != "retry":
            flow.apply_fix(action)
            # Another endpoint or sign-in may offer other models: list them again.
            chosen = chosen and action == "credentials"


def _likely_fix(error: CmdaiError, options: List[Option], model: Optional[str]) -> str:
    from ..errors import AuthenticationError, BackendConfigurationError

    offered = [o.value for o in options]
    if isinstance(error, AuthenticationError):
        wanted = ["credentials", "auth"]
    elif isinstance(error, BackendConfigurationError) and model:
        wanted = ["model", "endpoint"]
    elif getattr(error, "fallback_allowed", False):
        wanted = ["retry"]
    else:
        wanted = ["endpoint"]
    return next((w for w in wanted if w in offered), "retry")


def _model_title(model: "ModelInfo", width: int) -> str:
    tags = []
    if model.is_default:
        # The candidate settings' model: the one configured before or given with -m.
        tags.append("current")
        if model.description and model.description.startswith("configured; not in"):
            tags.append("not listed by the service")
    if model.can_chat is True:
        tags.append("chat")
    if model.status:
        tags.append(str(model.status))
    return f"{model.id:<{width}}  {' · '.join(tags)}".rstrip()


def choose_model(session: Session, models: List["ModelInfo"], default: Optional[str], noun: str = "Model") -> str:
    """Pick from the discovered models (availability shown), or type a name."""
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


def _integration_present(init: InitScript) -> bool:
    """Whether the shell's startup files already turn on the key: an init line (install.sh's or
    one added by hand) or a plugin, so the next steps do not ask for it twice."""
    if any(os.path.isfile(path) for path in init.plugin_files()):
        return True
    for path in init.startup_files():
        try:
            lines = Path(path).read_text(encoding="utf-8", errors="replace").splitlines()
        except OSError:
            continue
        for line in lines:
            code = line.strip()
            if not code.startswith("#") and "cmdai" in code and any(words in code for words in init.enabling_words):
                return True
    return False


def default_config_path() -> Path:
    """The user config file cmdai reads when no --config is given (CMDAI_CONFIG, else the XDG one)."""
    from .. import paths

    explicit = os.environ.get("CMDAI_CONFIG")
    return Path(explicit).expanduser() if explicit else Path(paths.user_config_file())


def print_next_steps(session: Session, notes: List[str]) -> None:
    """Step 7: how to try it, and how to turn on the Ctrl-G hotkey in the user's shell."""
    console = session.console
    console.line()
    console.heading("Next steps")
    for note in notes:
        console.line(f"  {note}")
    config_flag = ""
    if session.path != default_config_path():
        config_flag = f"--config {shlex.quote(str(session.path))} "
    console.line("  Try it:")
    console.command(f'cmdai {config_flag}"list all files"')
    login_shell = shells.find(os.path.basename(os.environ.get("SHELL", "")))
    init = login_shell.init if login_shell is not None else None
    if login_shell is not None and init is not None and _integration_present(init):
        console.line(f"  Ctrl-G is already turned on in {init.rc_file}: press it in a new {login_shell.name} window")
    elif login_shell is not None and init is not None:
        console.line(f"  Turn on Ctrl-G in {login_shell.name}: add this line to {init.rc_file}")
        console.command(init.install_line)
    else:
        console.line("  Turn on Ctrl-G: add the line for your shell to its startup file")
        for shell in shells.integrated():
            assert shell.init is not None
            console.command(f"{shell.init.install_line:<30}  # {shell.init.rc_file}")

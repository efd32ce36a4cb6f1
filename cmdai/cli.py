"""The ``cmdai`` command: parse the command line, run one action, turn errors into exit codes."""
from __future__ import annotations

import argparse
import json
import os
import sys
from typing import Any, Dict, NoReturn, Optional, Sequence, TextIO

from . import __version__
from .errors import (EXIT_BLOCKED, EXIT_INTERRUPTED, EXIT_OK, CmdaiError, SafetyBlockedError,
                     UsageError)

MAX_REQUEST_CHARS = 4000

DESCRIPTION = """\
Turn a request in plain words into a shell command, checked for risk before you see it.
The command is printed, never run (unless you ask with -x and confirm)."""

EPILOG = """\
examples:
  cmdai "list all python files"              print a command
  cmdai --json "find files larger than 100MB" the command, its risk and more, as JSON
  echo "show disk usage" | cmdai             read the request from stdin
  cmdai --check "rm -rf ~"                   classify a command without generating one
  cmdai -x "count lines in all .py files"    show the command, then run it if you confirm
  eval "$(cmdai --init zsh)"                 in ~/.zshrc: press Ctrl-G to turn a line into a command

backends (-b):
  embedded           offline engine for common requests; no network, no setup (the default)
  azure-foundry      Azure AI Foundry / Azure OpenAI; set up with: cmdai --setup-backend azure-foundry
  ollama             a local Ollama server
  openai-compatible  vLLM, llama.cpp server, LM Studio or any OpenAI-compatible server

azure ai foundry:
  cmdai --setup-backend azure-foundry  guided setup: endpoint, auth, key, live test, model, safety
  The endpoint kind is detected from the URL (a pasted "target URI" is fine):
    https://RES.services.ai.azure.com/models     Foundry model inference (model = deployment name)
    https://RES.openai.azure.com                 Azure OpenAI deployments (also *.cognitiveservices.azure.com)
    https://RES.openai.azure.com/openai/v1       Azure OpenAI v1
    https://NAME.REGION.models.ai.azure.com      serverless API;  *.inference.ml.azure.com managed online
  Auth ([backend.azure] auth): api-key (from CMDAI_AZURE_FOUNDRY_API_KEY or api_key_command, never
  an argument), azure-cli (az login), managed-identity, default (needs: pip install 'cmdai[azure]').
  cmdai --list-models [--refresh]   cmdai --doctor   cmdai -m DEPLOYMENT "..." for one run

environment:
  CMDAI_BACKEND, CMDAI_MODEL, CMDAI_SAFETY_LEVEL, CMDAI_CONFIG
  CMDAI_AZURE_FOUNDRY_ENDPOINT     endpoint URL (choosing azure-foundry when no backend is set)
  CMDAI_AZURE_FOUNDRY_API_KEY      API key (kept out of files and process arguments)
  CMDAI_AZURE_FOUNDRY_MODEL        model or deployment name
  CMDAI_AZURE_FOUNDRY_API_VERSION  api-version query parameter
  CMDAI_AZURE_FOUNDRY_DEPLOYMENT   Azure OpenAI deployment name
  NO_COLOR                         plain output
  Precedence: flags > environment > user config > site config > defaults.

files:
  ~/.config/cmdai/config.toml      your settings (XDG_CONFIG_HOME is honoured)
  /etc/xdg/cmdai/config.toml       site settings; its [policy] minimum_safety_level cannot be lowered
  ~/.local/state/cmdai/audit.jsonl the audit log, with [audit] enabled = true (see cmdai --history)

privacy:
  Secrets in a request become placeholders (<SECRET_1>) before anything is sent, and are put back
  into the answer locally. [context] switches what is told about this machine (os and tools by
  default; cwd, git, last_command when enabled); cmdai --context prints exactly what is sent.

exit codes:
  0 success   1 no command could be generated   2 usage or configuration error
  3 blocked by the safety policy   130 interrupted"""


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage mistake is one line and exit code 2."""

    def error(self, message: str) -> "NoReturn":  # type: ignore[override]
        self.exit(2, f"cmdai: {message} — see cmdai --help\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="cmdai", description=DESCRIPTION, epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("request", nargs="*", metavar="REQUEST",
                        help="what you want, in plain words (read from stdin when omitted)")

    gen = parser.add_argument_group("generation")
    gen.add_argument("-b", "--backend", metavar="NAME",
                     help="azure-foundry, embedded, ollama or openai-compatible")
    gen.add_argument("-m", "--model", metavar="NAME", help="model or deployment to use for this run")
    gen.add_argument("-s", "--shell", choices=("bash", "zsh", "fish", "sh"),
                     help="target shell syntax (default: the shell you run cmdai from, then $SHELL)")
    gen.add_argument("--safety", metavar="LEVEL", help="strict, moderate (default) or permissive")
    gen.add_argument("--json", action="store_true", help="print one JSON object instead of the command")
    gen.add_argument("--no-cache", action="store_true", help="ask the backend even for a request answered recently")
    gen.add_argument("-x", "--execute", action="store_true",
                     help="show the command, its risk and explanation, and run it after you confirm")
    gen.add_argument("--widget", action="store_true", help=argparse.SUPPRESS)
    # The widget names its interactive shell (its PID), so one Ctrl-G can follow on from the last.
    gen.add_argument("--session", metavar="ID", help=argparse.SUPPRESS)

    tools = parser.add_argument_group("other actions")
    tools.add_argument("--check", nargs="?", const="-", metavar="COMMAND",
                       help="classify COMMAND (or stdin) by risk without generating anything")
    tools.add_argument("--init", metavar="SHELL", choices=("zsh", "bash", "fish"),
                       help="print the Ctrl-G integration for zsh, bash or fish")
    tools.add_argument("--list-models", action="store_true", help="list the models the backend offers")
    tools.add_argument("--refresh", action="store_true", help="with --list-models: ignore the cached list")
    tools.add_argument("--doctor", action="store_true", help="check the configuration and the connection")
    tools.add_argument("--context", action="store_true",
                       help="print exactly the context a request from here would send, after redaction")
    tools.add_argument("--history", nargs="?", type=int, const=20, metavar="N",
                       help="list the last N (default 20) entries of the audit log; with --json for tools")
    tools.add_argument("--setup-backend", metavar="NAME",
                       help="guided setup of a backend (azure-foundry, embedded, ollama, openai-compatible)")

    setup = parser.add_argument_group("setup options (with --setup-backend)")
    setup.add_argument("--endpoint", metavar="URL", help="endpoint URL")
    setup.add_argument("--auth", choices=("api-key", "managed-identity", "azure-cli", "default"),
                       help="authentication method")
    setup.add_argument("--api-key-command", metavar="CMD",
                       help="command that prints the API key (password managers, vaults)")
    setup.add_argument("--yes", action="store_true", help="no questions: take every answer from flags")
    setup.add_argument("--skip-test", action="store_true", help="write the config even if the connection test fails")

    common = parser.add_argument_group("common")
    common.add_argument("--config", metavar="PATH", help="user config file to use instead of the default")
    common.add_argument("--debug", action="store_true", help="show details and tracebacks on errors")
    common.add_argument("--version", action="version", version=f"cmdai {__version__}")
    return parser


def _color_enabled(stream: TextIO) -> bool:
    return "NO_COLOR" not in os.environ and os.environ.get("TERM") != "dumb" and stream.isatty()


def _paint(text: str, code: str, stream: TextIO) -> str:
    return f"\x1b[{code}m{text}\x1b[0m" if _color_enabled(stream) else text


_RISK_COLOURS = {"safe": "32", "moderate": "33", "high": "31", "critical": "1;31"}


def _say(message: str, *, kind: str = "") -> None:
    prefix = f"cmdai: {kind}: " if kind else "cmdai: "
    print(prefix + message, file=sys.stderr)


def _read_request(args: argparse.Namespace) -> str:
    if args.request:
        text = " ".join(args.request)
    elif not sys.stdin.isatty():
        text = sys.stdin.read()
    else:
        raise UsageError("no request given", 'try: cmdai "list all python files"  (or see cmdai --help)')
    text = " ".join(text.split())
    if not text:
        raise UsageError("the request is empty", 'type what you want, e.g. cmdai "show disk usage"')
    if len(text) > MAX_REQUEST_CHARS:
        raise UsageError(f"the request is {len(text)} characters long", f"keep it under {MAX_REQUEST_CHARS}")
    return text


def _overrides(args: argparse.Namespace) -> Dict[str, Any]:
    return {"backend.type": args.backend, "backend.model": args.model, "safety.level": args.safety}


def _load_config(args: argparse.Namespace):
    from .config import load_config

    config = load_config(args.config, _overrides(args))
    for warning in config.warnings:
        _say(warning, kind="warning")
    return config


def _risk_line(outcome_or_assessment: Any) -> str:
    assessment = getattr(outcome_or_assessment, "assessment", outcome_or_assessment)
    reasons = "; ".join(assessment.reasons)
    return f"{assessment.risk.label} risk" + (f" — {reasons}" if reasons else "")


def _blocked_error(assessment: Any, level: str) -> SafetyBlockedError:
    return SafetyBlockedError(
        f"blocked: {_risk_line(assessment)}",
        f"the '{level}' safety level blocks {assessment.risk.label} commands; rephrase the request "
        f"or run cmdai --check to see why")


def run_generate(args: argparse.Namespace) -> int:
    from .backends.base import GenerationRequest
    from .environment import detect_os, detect_shell
    from .orchestrator import generate

    text = _read_request(args)
    config = _load_config(args)
    request = GenerationRequest(text=text, shell=args.shell or detect_shell(), os_name=detect_os(),
                                model=args.model)
    outcome = generate(request, config, use_cache=not args.no_cache)

    for warning in outcome.warnings:
        _say(warning, kind="warning")
    if args.json:
        print(json.dumps(outcome.to_json(), ensure_ascii=False))
        _audit(outcome, config, args)
        return EXIT_BLOCKED if outcome.blocked else EXIT_OK
    if outcome.blocked:
        _audit(outcome, config, args)
        raise _blocked_error(outcome.assessment, config.safety.level)
    if args.widget:
        code = _answer_widget(outcome)
        _audit(outcome, config, args)
        return code
    if args.execute:
        from .execute import confirm_and_run

        ran: list = []
        code = confirm_and_run(outcome, on_run=lambda: ran.append(True))
        _audit(outcome, config, args, executed=bool(ran))
        return code
    print(outcome.command)
    _audit(outcome, config, args)
    _describe_outcome(outcome)
    return EXIT_OK


def _audit(outcome: Any, config: Any, args: argparse.Namespace, executed: bool = False) -> None:
    from .audit import action_label, record

    problem = record(outcome, config, action=action_label(outcome, widget=args.widget), executed=executed)
    if problem:
        _say(f"{problem} — check the state directory's permissions and free space", kind="warning")


def run_context(args: argparse.Namespace) -> int:
    """Exactly what a request from here would send as context, redacted, on stdout; the switches on stderr."""
    from .context import SOURCE_NAMES, collect, enabled_sources
    from .prompting import context_message
    from .redaction import Redactor

    config = _load_config(args)
    enabled = enabled_sources(config)
    forbidden = [name for name in SOURCE_NAMES if name in (config.policy.forbid_context or ())]
    context = Redactor().redact_value(collect(config))
    off = [name for name in SOURCE_NAMES if name not in enabled and name not in forbidden]
    _say(f"sources on: {', '.join(enabled) or 'none'}; off: {', '.join(off) or 'none'}"
         + (f"; forbidden by the site policy: {', '.join(forbidden)}" if forbidden else ""), kind="note")
    if config.backend.type == "embedded":
        _say("the offline engine sends nothing anywhere; a remote backend would receive this", kind="note")
    if args.json:
        print(json.dumps({"sources": enabled, "off": off, "forbidden": forbidden, "context": context},
                         ensure_ascii=False))
    elif context:
        print(context_message(context))
    else:
        _say("no context is sent: every source is off (see [context] in the README)", kind="note")
    return EXIT_OK


def run_history(args: argparse.Namespace) -> int:
    from .audit import format_entry, log_path, read_recent

    config = _load_config(args)
    if args.history < 1:
        raise UsageError("--history needs a positive number", "try: cmdai --history 20")
    entries = read_recent(args.history)
    if args.json:
        print(json.dumps(entries, ensure_ascii=False))
        return EXIT_OK
    if not entries:
        state = "on" if config.audit.enabled else "off"
        _say(f"the audit log {log_path()} has no entries (the log is {state}; "
             f"turn it on with [audit] enabled = true)", kind="note")
    for item in entries:
        print(format_entry(item))
    return EXIT_OK


def _answer_widget(outcome: Any) -> int:
    """What the Ctrl-G widget reads: the line on stdout, one message per stderr line."""
    from .widget import render_for_widget

    rendered = render_for_widget(outcome, outcome.request.shell)
    for message in rendered.messages:
        print(message if message.startswith("cmdai:") else f"cmdai: {message}", file=sys.stderr)
    sys.stdout.write(rendered.stdout)
    return rendered.exit_code


def _describe_outcome(outcome: Any) -> None:
    """Risk and explanation on stderr, where they never mix with the command."""
    from .safety import Action, Risk

    risk = outcome.assessment.risk
    label = _paint(_risk_line(outcome), _RISK_COLOURS[risk.label], sys.stderr)
    if outcome.action is Action.CONFIRM:
        _say(f"{label}; review it before you run it", kind="warning")
    elif risk > Risk.SAFE:
        _say(label, kind="note")
    if outcome.explanation and sys.stderr.isatty():
        _say(outcome.explanation)


def run_check(args: argparse.Namespace) -> int:
    from .environment import detect_shell
    from .safety import Action, assess, decide

    command = args.check
    if command == "-":
        if sys.stdin.isatty():
            raise UsageError("--check needs a command", "try: cmdai --check 'rm -rf build'")
        command = sys.stdin.read()
    command = command.strip()
    if not command:
        raise UsageError("--check was given an empty command", "try: cmdai --check 'rm -rf build'")
    config = _load_config(args)
    assessment = assess(command, args.shell or detect_shell())
    action = decide(assessment.risk, config.safety.level)
    if args.json:
        print(json.dumps({
            "command": command, "risk": assessment.risk.label, "reasons": list(assessment.reasons),
            "categories": list(assessment.categories), "blocked": action is Action.BLOCK,
            "action": action.value,
        }, ensure_ascii=False))
    else:
        print(_paint(assessment.risk.label, _RISK_COLOURS[assessment.risk.label], sys.stdout))
        for reason in assessment.reasons:
            print(f"  - {reason}")
        if action is not Action.ALLOW:
            print(f"  under the '{config.safety.level}' safety level: {action.value}")
    return EXIT_BLOCKED if action is Action.BLOCK else EXIT_OK


def run_list_models(args: argparse.Namespace) -> int:
    from .backends import create_backend

    config = _load_config(args)
    backend = create_backend(config.backend.type, config)
    models = backend.list_models(refresh=args.refresh)
    if args.json:
        print(json.dumps([{
            "id": m.id, "default": m.is_default, "can_chat": m.can_chat, "status": m.status,
            "capabilities": list(m.capabilities), "description": m.description} for m in models]))
        return EXIT_OK
    _say(backend.describe())
    if not models:
        _say("the backend reported no models", kind="note")
    for model in models:
        marks = ["default"] if model.is_default else []
        if model.can_chat is False:
            marks.append("no chat")
        if model.status:
            marks.append(model.status)
        if model.capabilities:
            marks.append(", ".join(model.capabilities))
        suffix = f"  ({'; '.join(marks)})" if marks else ""
        print(f"{'*' if model.is_default else ' '} {model.id}{suffix}")
    return EXIT_OK


def run_doctor(args: argparse.Namespace) -> int:
    from .doctor import run_doctor as doctor

    try:
        config = _load_config(args)
    except CmdaiError as error:
        print(f"✗ configuration: {error.one_line()}")
        return error.exit_code
    return doctor(config, sys.stdout)


def run_init(args: argparse.Namespace) -> int:
    from .shell_integration import init_script

    sys.stdout.write(init_script(args.init))
    return EXIT_OK


def run_setup(args: argparse.Namespace) -> int:
    from .setup_wizard import run_setup as setup

    return setup(args)


def _dispatch(args: argparse.Namespace) -> int:
    if args.init:
        return run_init(args)
    if args.check is not None:
        return run_check(args)
    if args.setup_backend:
        return run_setup(args)
    if args.list_models:
        return run_list_models(args)
    if args.doctor:
        return run_doctor(args)
    if args.context:
        return run_context(args)
    if args.history is not None:
        return run_history(args)
    return run_generate(args)


def _check_combinations(parser: argparse.ArgumentParser, args: argparse.Namespace) -> None:
    actions = [name for name, on in (("--init", args.init), ("--check", args.check is not None),
                                     ("--setup-backend", args.setup_backend),
                                     ("--list-models", args.list_models), ("--doctor", args.doctor),
                                     ("--context", args.context), ("--history", args.history is not None)) if on]
    if len(actions) > 1:
        parser.error(f"{' and '.join(actions)} cannot be combined")
    if actions and args.request and actions[0] != "--check":
        parser.error(f"{actions[0]} takes no request")
    if args.refresh and not args.list_models:
        parser.error("--refresh goes with --list-models")
    setup_only = [f for f, v in (("--endpoint", args.endpoint), ("--auth", args.auth),
                                 ("--api-key-command", args.api_key_command), ("--yes", args.yes),
                                 ("--skip-test", args.skip_test)) if v]
    if setup_only and not args.setup_backend:
        parser.error(f"{setup_only[0]} goes with --setup-backend")
    clash = "--json" if args.json else "--widget" if args.widget else actions[0] if actions else None
    if args.execute and clash:
        parser.error(f"-x/--execute cannot be combined with {clash}")
    if args.check is not None and args.request:
        # "cmdai --check rm -rf build" reads naturally; take the rest as the command.
        args.check = " ".join(([] if args.check == "-" else [args.check]) + args.request)
        args.request = []


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    _check_combinations(parser, args)
    try:
        return _dispatch(args)
    except CmdaiError as error:
        if args.debug:
            import traceback

            traceback.print_exc()
            if error.debug:
                _say(error.debug, kind="debug")
        _say(error.one_line())
        return error.exit_code
    except KeyboardInterrupt:
        _say("interrupted")
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # The reader went away (e.g. `cmdai … | head`); nothing useful is left to say.
        return EXIT_OK
    except Exception as error:  # noqa: BLE001 - the last line of defence against tracebacks
        if args.debug:
            raise
        _say(f"internal error: {type(error).__name__}: {error} — run again with --debug and report it")
        return 1


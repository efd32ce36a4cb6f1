"""The ``cmdai`` command: parse the command line, run one action, turn errors into exit codes."""
from __future__ import annotations

import sys

from . import __version__, deadline, shells
from .errors import (EXIT_BLOCKED, EXIT_INTERRUPTED, EXIT_NO_COMMAND, EXIT_OK, EXIT_USAGE, CmdaiError,
                     SafetyBlockedError,
                     UsageError)
from .sanitize import hide_secrets, strip_terminal_controls, valid_unicode
from .terminal import paint

TYPE_CHECKING = False
if TYPE_CHECKING:
    import argparse
    from typing import Any, Dict, List, NoReturn, Optional, Sequence
    from .config import Config
    from .safety import Assessment
    from .session_memory import SessionMemory
    from .values import Outcome
    from .widget import WidgetOutput

MAX_REQUEST_CHARS = 4000
#: More than this on stdin is not a request (``cat /dev/zero | cmdai`` must not fill memory).
MAX_STDIN_BYTES = 64 * 1024
#: The best command and up to two alternatives.
MAX_COUNT = 3
#: Lines the explain key shows below the prompt at most.
MAX_WIDGET_EXPLAIN_LINES = 24

DESCRIPTION = """\
Turn a request in plain words into a shell command, checked for risk before you see it.
The command is printed, never run (unless you ask with -x and confirm)."""

EPILOG = """\
examples:
  cmdai "list all python files"              print a command
  cmdai --json "find files larger than 100MB" the command, its risk and more, as JSON
  echo "show disk usage" | cmdai             read the request from stdin
  cmdai --check "rm -rf ~"                   classify a command without generating one
  cmdai -n 3 "compress the logs folder"      the best command and up to two alternatives
  cmdai "ls -l  # sort by size"              change a command: the comment says how
  cmdai --explain 'tar -xzvf a.tgz -C /tmp'  what each part of a command does, and its risk
  cmdai -x "count lines in all .py files"    show the command, then run it if you confirm
  eval "$(cmdai --init zsh)"                 in ~/.zshrc: press Ctrl-G to turn a line into a command

{backends}
environment:
{environment}
  CMDAI_CONFIG                     the user config file
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


def _epilog() -> str:
    """The help's closing text, with a part for every backend and every variable (each backend is imported)."""
    from . import backends
    from .config import schema

    classes = backends.every()
    width = max(len(cls.name) for cls in classes) + 2
    listed = "".join(f"  {cls.name:<{width}}{cls.summary}\n" for cls in classes)
    parts = [f"backends (-b):\n{listed}"] + [f"{(cls.title or cls.name).lower()}:\n{cls.help}" for cls in classes
                                            if cls.help]
    variables = [f"  {variable:<32} {key.doc or 'sets ' + dotted}"
                 for dotted, key in schema().items() for variable in key.env]
    return EPILOG.replace("{backends}", "\n".join(parts)).replace("{environment}", "\n".join(sorted(variables)))


def _asks_for_json(argv: Sequence[str]) -> bool:
    """Whether --json (or an abbreviation argparse accepts) comes before any ``--``."""
    options = argv[: list(argv).index("--")] if "--" in argv else argv
    return any(len(word) >= 3 and "--json".startswith(word) for word in options)


def _print_json_error(message: str, hint: Optional[str], exit_code: int) -> None:
    """The one JSON object of a failed run, so `cmdai --json … | jq` always has something to read."""
    def clean(text: Optional[str]) -> Optional[str]:
        return strip_terminal_controls(hide_secrets(text)) if text else text

    try:
        _print_json({"error": {"message": clean(message), "hint": clean(hint)}, "exit_code": exit_code})
        sys.stdout.flush()
    except (CmdaiError, OSError):
        pass  # stdout itself is what failed; the line on stderr says so


#: Written out rather than imported: the usual runs never import argparse (with its gettext, locale and
#: shutil), yet read their options from the same table (test_cli_arguments checks the values).
SUPPRESS, REMAINDER = "==SUPPRESS==", "..."

#: Every option once, by group: its flags and how argparse reads it. ``build_parser`` builds the
#: parser from it; ``_read_usual`` reads the usual runs (a request, a key press) straight from it.
#: "{backends}" and "{shells}" stand for the names found when the parser is built.
OPTIONS = (
    ("generation", ("-b", "--backend"), dict(metavar="NAME", help="{backends}")),
    ("generation", ("-m", "--model"), dict(metavar="NAME", help="model or deployment to use for this run")),
    ("generation", ("-s", "--shell"), dict(choices="{shells}", help="target shell syntax (default: the shell you run cmdai from, then $SHELL)")),
    ("generation", ("--safety",), dict(metavar="LEVEL", help="strict, moderate (default) or permissive")),
    ("generation", ("--json",), dict(action="store_true", help="print one JSON object instead of the command")),
    ("generation", ("--no-cache",), dict(action="store_true", help="ask the backend even for a request answered recently")),
    ("generation", ("-n", "--count"), dict(type=int, metavar="N", help=f"print up to N commands, one per line: the best, then alternatives (N ≤ {MAX_COUNT})")),
    ("generation", ("-x", "--execute"), dict(action="store_true", help="show the command, what each part does and its risk, and run it after you confirm")),
    ("generation", ("--widget",), dict(action="store_true", help=SUPPRESS)),
    # The widget names its interactive shell (its PID), so one Ctrl-G can follow on from the last.
    ("generation", ("--session",), dict(metavar="ID", help=SUPPRESS)),
    # Tab completion in the shells: the words after `cmdai`, the last one being typed (cmdai/completions.py).
    ("generation", ("--complete",), dict(nargs=REMAINDER, help=SUPPRESS)),
    ("other actions", ("--check",), dict(nargs="?", const="-", metavar="COMMAND", help="classify COMMAND (or stdin) by risk without generating anything")),
    ("other actions", ("--explain",), dict(nargs="?", const="-", metavar="COMMAND", help="explain each part of COMMAND (or stdin) and its risk, without running it")),
    ("other actions", ("--init",), dict(metavar="SHELL", choices="{shells}", help="print the Ctrl-G integration for SHELL, to load from its startup file")),
    ("other actions", ("--list-models",), dict(action="store_true", help="list the models the backend offers")),
    ("other actions", ("--refresh",), dict(action="store_true", help="with --list-models: ignore the cached list")),
    ("other actions", ("--doctor",), dict(action="store_true", help="check the configuration and the connection")),
    ("other actions", ("--usage",), dict(action="store_true", help="tokens used per day and per deployment in the last 30 days (with --json: as JSON)")),
    ("other actions", ("--context",), dict(action="store_true", help="print exactly the context a request from here would send, after redaction")),
    ("other actions", ("--history",), dict(nargs="?", type=int, const=20, metavar="N", help="list the last N (default 20) entries of the audit log; with --json for tools")),
    ("other actions", ("--setup-backend",), dict(metavar="NAME", help="guided setup of a backend ({backends})")),
    ("setup options (with --setup-backend)", ("--endpoint",), dict(metavar="URL", help="endpoint URL")),
    ("setup options (with --setup-backend)", ("--auth",), dict(choices=("api-key", "managed-identity", "azure-cli", "default"), help="authentication method")),
    ("setup options (with --setup-backend)", ("--api-key-command",), dict(metavar="CMD", help="command that prints the API key (password managers, vaults)")),
    ("setup options (with --setup-backend)", ("--yes",), dict(action="store_true", help="no questions: take every answer from flags")),
    ("setup options (with --setup-backend)", ("--skip-test",), dict(action="store_true", help="write the config even if the connection test fails")),
    ("common", ("--config",), dict(metavar="PATH", help="user config file to use instead of the default")),
    ("common", ("--debug",), dict(action="store_true", help="show details and tracebacks on errors")),
    ("common", ("--version",), dict(action="store_true", help="show the version, the Python and the config files cmdai reads")),
)
#: The options of the usual runs, read without argparse; any other word that starts with "-" (or an
#: option twice, or "--") sends the whole command line to argparse.
USUAL_OPTIONS = frozenset(("-b", "--backend", "-m", "--model", "-s", "--shell", "--safety", "--no-cache",
                           "--widget", "--session", "--config", "--debug", "--json", "--init"))


def _destination(flags: Sequence[str]) -> str:
    return next((flag for flag in flags if flag.startswith("--")), flags[0]).lstrip("-").replace("-", "_")


def _resolved(keywords: Dict[str, Any], backend_names: str) -> Dict[str, Any]:
    """The add_argument keywords with the names of the backends and shells found here filled in, and
    argparse's own constants (it compares them by identity)."""
    import argparse

    out = dict(keywords)
    if out.get("help") == SUPPRESS:
        out["help"] = argparse.SUPPRESS
    elif "help" in out:
        out["help"] = out["help"].replace("{backends}", backend_names)
    if out.get("nargs") == REMAINDER:
        out["nargs"] = argparse.REMAINDER
    if out.get("choices") == "{shells}":
        out["choices"] = shells.names()
    return out


def build_parser() -> "argparse.ArgumentParser":
    import argparse

    class Parser(argparse.ArgumentParser):
        """argparse, but a usage mistake is one line and exit code 2 (and a JSON object with --json)."""

        #: Set when --json is on the command line, so even a usage error answers in JSON.
        wants_json = False

        def format_help(self) -> str:
            # Built when asked for: the hotkey never pays for importing every backend.
            self.epilog = _epilog()
            return super().format_help()

        def error(self, message: str) -> "NoReturn":  # type: ignore[override]
            if self.wants_json:
                _print_json_error(message, "see cmdai --help", EXIT_USAGE)
            self.exit(2, f"cmdai: {message} — see cmdai --help\n")

    parser = Parser(prog="cmdai", description=DESCRIPTION, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("request", nargs="*", metavar="REQUEST",
                        help="what you want, in plain words (read from stdin when omitted)")
    from . import backends

    backend_names = ", ".join(backends.names())
    groups: Dict[str, Any] = {}
    for title, flags, keywords in OPTIONS:
        if title not in groups:
            groups[title] = parser.add_argument_group(title)
        groups[title].add_argument(*flags, **_resolved(keywords, backend_names))
    return parser


class _ParserWhenNeeded:
    """Stands in for the parser after a usual run was read without it: built only to report a mistake."""

    def __init__(self, arguments: Sequence[str]):
        self.arguments = arguments

    def built(self) -> "argparse.ArgumentParser":
        parser = build_parser()
        parser.wants_json = _asks_for_json(self.arguments)  # type: ignore[attr-defined]
        return parser

    def error(self, message: str) -> "NoReturn":
        self.built().error(message)


def _read_usual(arguments: Sequence[str]) -> "Optional[argparse.Namespace]":
    """The arguments of a usual run as argparse would read them, or None to leave them to argparse.

    A request in words, with only USUAL_OPTIONS before or after it (``-s zsh``, ``--shell=zsh``),
    is read here: the hotkey path does not pay for importing argparse and building the parser.
    """
    from types import SimpleNamespace

    by_flag = {flag: (_destination(flags), keywords) for _, flags, keywords in OPTIONS for flag in flags}
    values: Dict[str, Any] = {"request": []}
    for dest, keywords in by_flag.values():
        values[dest] = False if keywords.get("action") == "store_true" else None
    seen = set()
    words_ended = False
    i = 0
    while i < len(arguments):
        word = arguments[i]
        if not word.startswith("-") or word == "-":
            if words_ended or word == "-":
                return None  # argparse reads a second run of words as an error; "-" is its own case
            values["request"].append(word)
            i += 1
            continue
        words_ended = bool(values["request"])
        flag, has_value, value = word.partition("=")
        if flag not in USUAL_OPTIONS or by_flag[flag][0] in seen:
            return None
        dest, keywords = by_flag[flag]
        seen.add(dest)
        if keywords.get("action") == "store_true":
            if has_value:
                return None
            values[dest] = True
        else:
            if not has_value:
                i += 1
                if i == len(arguments) or arguments[i].startswith("-"):
                    return None
                value = arguments[i]
            if keywords.get("choices") == "{shells}" and value not in shells.names():
                return None
            values[dest] = value
        i += 1
    return SimpleNamespace(**values)  # type: ignore[return-value]


def _print_json(value: Any) -> None:
    """One JSON document on stdout; text stays readable (no \\u escapes)."""
    import json

    print(json.dumps(value, ensure_ascii=False))


def _say(message: str, *, kind: str = "", painted: bool = False) -> None:
    """One line on stderr. Text from the network ends up in messages: terminal controls and proxy
    passwords never reach the terminal (``painted`` text carries cmdai's own colours, nothing else)."""
    prefix = f"cmdai: {kind}: " if kind else "cmdai: "
    if not painted:
        message = strip_terminal_controls(hide_secrets(message))
    print(prefix + message, file=sys.stderr)


def _read_stdin() -> str:
    """stdin as text: invalid UTF-8 is replaced, and more than MAX_STDIN_BYTES is refused."""
    source = getattr(sys.stdin, "buffer", None)
    data = source.read(MAX_STDIN_BYTES + 1) if source is not None else sys.stdin.read(MAX_STDIN_BYTES + 1)
    if len(data) > MAX_STDIN_BYTES:
        raise UsageError(f"more than {MAX_STDIN_BYTES // 1024} KiB on stdin", f"keep the request under {MAX_REQUEST_CHARS} characters")
    return data.decode("utf-8", "replace") if isinstance(data, bytes) else valid_unicode(data)


def _read_request(args: argparse.Namespace) -> str:
    """The request as typed (line breaks and spacing kept: it may be a command to refine)."""
    if args.request:
        text = " ".join(args.request)
    elif not sys.stdin.isatty():
        text = _read_stdin()
    else:
        raise UsageError("no request given", 'try: cmdai "list all python files"  (or see cmdai --help)')
    text = text.strip()
    if not text:
        raise UsageError("the request is empty", 'type what you want, e.g. cmdai "show disk usage"')
    if len(text) > MAX_REQUEST_CHARS:
        raise UsageError(f"the request is {len(text)} characters long", f"keep it under {MAX_REQUEST_CHARS}")
    return text


def _generation_request(text: str, args: argparse.Namespace, shell: str, remembered: Any = None) -> Any:
    """A refinement when the text is a command followed by a comment, else a request in plain words.

    The commands of the last answer (``remembered``) count as commands even when no program of
    that name is installed here.
    """
    from .values import GenerationRequest
    from .environment import detect_os
    from .refine import split_refinement

    lines = [line.strip() for line in text.splitlines() if line.strip()]
    commented = all(line.startswith("#") for line in lines)
    # A disarmed command ("# crontab -r") may carry an instruction too: read it without its "# ".
    generated = {choice.command.strip() for choice in remembered.choices} if remembered is not None else set()
    refinement = split_refinement("\n".join(line[1:].lstrip() for line in lines) if commented else text, shell,
                                  generated)
    if refinement is not None:
        return GenerationRequest(text=" ".join(refinement.instruction.split()), shell=shell, os_name=detect_os(),
                                 model=args.model, refine=refinement.command)
    if commented:
        # Only a comment ("# list files", or a disarmed command the user edited): its words are the request.
        lines = [line.lstrip("#") for line in lines]
    words = " ".join(" ".join(lines).split())
    if not words:
        raise UsageError("the request is empty", 'type what you want, e.g. cmdai "show disk usage"')
    return GenerationRequest(text=words, shell=shell, os_name=detect_os(), model=args.model)


def _overrides(args: argparse.Namespace) -> Dict[str, Any]:
    return {"backend.type": args.backend, "backend.model": args.model, "safety.level": args.safety}


def _load_config(args: argparse.Namespace):
    from .config import load_config

    config = load_config(args.config, _overrides(args))
    if not args.widget:
        # The run's deadline is known now; every later call (tokens, helpers, probes) keeps to it.
        # (A key press has its own budget, hotkey_timeout_seconds, which then sets the deadline.)
        deadline.deadline_for(config.backend.timeout_seconds)
    for warning in config.warnings:
        _say(warning, kind="warning")
    if args.widget:
        from .widget import keep_to_hotkey_budget

        keep_to_hotkey_budget(config)
    return config


def _risk_line(assessment: "Assessment") -> str:
    reasons = "; ".join(assessment.reasons)
    return f"{assessment.risk.label} risk" + (f" — {reasons}" if reasons else "")


def _blocked_error(assessment: "Assessment", level: str) -> SafetyBlockedError:
    return SafetyBlockedError(
        f"blocked: {_risk_line(assessment)}",
        f"the '{level}' safety level blocks {assessment.risk.label} commands; rephrase the request "
        f"or run cmdai --check to see why")


def run_generate(args: argparse.Namespace) -> int:
    from .environment import detect_shell
    from .orchestrator import generate

    text = _read_request(args)
    config = _load_config(args)
    shell = args.shell or detect_shell()
    memory = remembered = None
    if args.widget and args.session:
        from .session_memory import SessionMemory, same_line

        memory = SessionMemory.open(args.session)
        if memory is not None:
            remembered = memory.load()
            if remembered is not None and same_line(text, remembered.inserted):
                from .widget_session import next_alternative

                return _emit_widget(next_alternative(memory, remembered, shell, config.safety.level))
    request = _generation_request(text, args, shell, remembered)
    if request.refine is not None and remembered is not None and config.backend.type == "embedded":
        from .widget_session import offline_refinement

        outcome = offline_refinement(request, remembered, config, use_cache=not args.no_cache)
    else:
        outcome = generate(request, config, use_cache=not args.no_cache)
    if args.count and args.json:
        del outcome.alternatives[args.count - 1:]

    for warning in outcome.warnings:
        _say(warning, kind="warning")
    if args.debug and outcome.debug:
        _say(outcome.debug, kind="debug")
    if args.json:
        answer = outcome.to_json()
        answer["exit_code"] = EXIT_BLOCKED if outcome.blocked else EXIT_OK
        if outcome.blocked:
            blocked = _blocked_error(outcome.assessment, config.safety.level)
            answer["error"] = {"message": blocked.message, "hint": blocked.hint}
        _print_json(answer)
        _audit(outcome, config, args)
        return answer["exit_code"]
    if outcome.blocked:
        _audit(outcome, config, args)
        raise _blocked_error(outcome.assessment, config.safety.level)
    if args.widget:
        code = _answer_widget(outcome, memory)
        _audit(outcome, config, args)
        return code
    if args.execute:
        from .environment import detect_os
        from .execute import confirm_and_run
        from .explain.describe import describe

        described = describe(outcome.command, shell, detect_os(), config)
        for warning in described.warnings:
            _say(warning, kind="warning")
        ran: List[bool] = []
        code = confirm_and_run(outcome, parts=described.lines()[1:-1], on_run=lambda: ran.append(True))
        _audit(outcome, config, args, executed=bool(ran))
        return code
    if args.count:
        _audit(outcome, config, args)
        return _print_choices(outcome, args.count)
    print(outcome.command)
    _audit(outcome, config, args)
    _describe_outcome(outcome)
    return EXIT_OK


def _audit(outcome: "Outcome", config: "Config", args: argparse.Namespace, executed: bool = False) -> None:
    if not config.audit.enabled:
        return  # the log's module and its imports are paid only by those who keep one
    from .audit import action_label, record

    problem = record(outcome, config, action=action_label(outcome, widget=args.widget), executed=executed)
    if problem:
        _say(f"{problem} — check the state directory's permissions and free space", kind="warning")


def run_context(args: argparse.Namespace) -> int:
    """Exactly what a request from here would send as context, redacted, on stdout; the switches on stderr."""
    from .context import SOURCE_NAMES, collect, enabled_sources
    from .remote.prompting import context_message
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
        _print_json({"sources": enabled, "off": off, "forbidden": forbidden, "context": context})
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
        _print_json(entries)
        return EXIT_OK
    if not entries:
        state = "on" if config.audit.enabled else "off"
        _say(f"the audit log {log_path()} has no entries (the log is {state}; "
             f"turn it on with [audit] enabled = true)", kind="note")
    for item in entries:
        print(format_entry(item))
    return EXIT_OK


def _print_choices(outcome: "Outcome", count: int) -> int:
    """``-n``: each command on stdout, its number and risk on stderr when it is not safe."""
    from .safety import Risk

    for number, choice in enumerate(outcome.choices()[:count], 1):
        print(choice.command)
        if choice.assessment.risk > Risk.SAFE:
            _say(f"{number}: {_risk_line(choice.assessment)}", kind="note")
    return EXIT_OK


def _answer_widget(outcome: "Outcome", memory: Optional["SessionMemory"] = None) -> int:
    """What the Ctrl-G widget reads: the line on stdout, one message per stderr line.

    With a session memory, the commands are remembered so that the key, pressed again on the
    unchanged line, brings the next one.
    """
    from .widget import render_for_widget

    rendered = render_for_widget(outcome, outcome.request.shell, outcome.syntax_checked)
    if memory is not None and outcome.redactor is not None and outcome.redactor.count:
        # The commands hold secrets put back from placeholders; they are not written to disk.
        memory.forget()
    elif memory is not None and rendered.exit_code == EXIT_OK and rendered.stdout:
        from .widget_session import remember

        remember(memory, outcome, rendered)
    return _emit_widget(rendered)


def _emit_widget(rendered: "WidgetOutput") -> int:
    for message in rendered.messages:
        _say(message[len("cmdai: "):] if message.startswith("cmdai: ") else message)
    sys.stdout.write(rendered.stdout)
    return rendered.exit_code


def _describe_outcome(outcome: "Outcome") -> None:
    """Risk and explanation on stderr, where they never mix with the command."""
    from .safety import Action, Risk

    risk = outcome.assessment.risk
    label = paint(strip_terminal_controls(_risk_line(outcome.assessment)), risk.label, sys.stderr)
    if outcome.action is Action.CONFIRM:
        _say(f"{label}; review it before you run it", kind="warning", painted=True)
    elif risk > Risk.SAFE:
        _say(label, kind="note", painted=True)
    if outcome.explanation and sys.stderr.isatty():
        _say(outcome.explanation)


def _command_to_study(value: str, flag: str, example: str) -> str:
    """The command given to ``flag``, or read from stdin for "-"; never empty."""
    if value == "-":
        if sys.stdin.isatty():
            raise UsageError(f"{flag} needs a command", f"try: {example}")
        value = _read_stdin()
    value = value.strip()
    if not value:
        raise UsageError(f"{flag} was given an empty command", f"try: {example}")
    return value


def run_check(args: argparse.Namespace) -> int:
    from .environment import detect_shell
    from .orchestrator import judge
    from .safety import Action

    command = _command_to_study(args.check, "--check", "cmdai --check 'rm -rf build'")
    config = _load_config(args)
    verdict = judge(command, None, args.shell or detect_shell(), config.safety.level)
    assessment, action = verdict.assessment, verdict.action
    if args.json:
        _print_json({
            "command": command, "risk": assessment.risk.label, "reasons": list(assessment.reasons),
            "categories": list(assessment.categories), "blocked": action is Action.BLOCK,
            "action": action.value, "exit_code": EXIT_BLOCKED if action is Action.BLOCK else EXIT_OK,
        })
    else:
        print(paint(assessment.risk.label, assessment.risk.label, sys.stdout))
        for reason in assessment.reasons:
            print(f"  - {reason}")
        if action is not Action.ALLOW:
            print(f"  under the '{config.safety.level}' safety level: {action.value}")
    return EXIT_BLOCKED if action is Action.BLOCK else EXIT_OK


def run_explain(args: argparse.Namespace) -> int:
    """Each part of a command and what it does, then its risk: on stdout, or stderr for the widget."""
    from .environment import detect_os, detect_shell
    from .explain.describe import describe

    command = _command_to_study(args.explain, "--explain", "cmdai --explain 'tar -xzvf a.tgz -C /tmp'")
    if len(command) > MAX_REQUEST_CHARS:
        raise UsageError(f"the command is {len(command)} characters long", f"keep it under {MAX_REQUEST_CHARS}")
    config = _load_config(args)
    described = describe(command, args.shell or detect_shell(), detect_os(), config)
    for warning in described.warnings:
        _say(warning, kind="warning")
    if args.json:
        _print_json(described.to_json())
        return EXIT_OK
    lines = described.lines()
    if args.widget and len(lines) > MAX_WIDGET_EXPLAIN_LINES:
        # Below the prompt, a long explanation would push the line off the screen; keep the risk.
        hidden = len(lines) - MAX_WIDGET_EXPLAIN_LINES + 1
        lines = lines[:MAX_WIDGET_EXPLAIN_LINES - 2] + [f"  … {hidden} more (all of it: cmdai --explain)", lines[-1]]
    out = sys.stderr if args.widget else sys.stdout
    for line in lines:
        print(line, file=out)
    return EXIT_OK


def run_list_models(args: argparse.Namespace) -> int:
    from .backends import create_backend

    config = _load_config(args)
    backend = create_backend(config.backend.type, config)
    models = backend.list_models(refresh=args.refresh)
    if args.json:
        _print_json([{
            "id": m.id, "default": m.is_default, "can_chat": m.can_chat, "status": m.status,
            "capabilities": list(m.capabilities), "description": m.description} for m in models])
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
        print(strip_terminal_controls(f"{'*' if model.is_default else ' '} {model.id}{suffix}").replace("\n", " "))
    return EXIT_OK


def run_doctor(args: argparse.Namespace) -> int:
    from .doctor import run_doctor as doctor

    try:
        config = _load_config(args)
    except CmdaiError as error:
        print(f"✗ configuration: {error.one_line()}")
        return error.exit_code
    return doctor(config, sys.stdout)


def run_usage(args: argparse.Namespace) -> int:
    from .usage import print_usage

    config = _load_config(args)
    print_usage(config.backend.prices or {}, sys.stdout, as_json=args.json)
    return EXIT_OK


def run_init(args: argparse.Namespace) -> int:
    from .shell_integration import init_script, record_requests_setting

    sys.stdout.write(init_script(args.init, record_requests_setting(args.config)))
    return EXIT_OK


def run_setup(args: argparse.Namespace) -> int:
    from .setup_wizard import run_setup as setup

    return setup(args)


def run_version(args: argparse.Namespace) -> int:
    import os
    import platform

    from . import paths
    from .config import user_config_path

    user, site = user_config_path(args.config), paths.site_config_file()
    if args.json:
        _print_json({"version": __version__, "python": platform.python_version(), "python_path": sys.executable,
                     "config": user, "config_exists": os.path.isfile(user),
                     "site_config": site, "site_config_exists": os.path.isfile(site), "exit_code": EXIT_OK})
        return EXIT_OK
    print(f"cmdai {__version__}")
    print(f"Python {platform.python_version()} ({sys.executable})")
    print(f"config: {user}" + ("" if os.path.isfile(user) else " (not found: built-in defaults apply)"))
    print(f"site config: {site}" + ("" if os.path.isfile(site) else " (not found)"))
    return EXIT_OK


def _dispatch(args: argparse.Namespace) -> int:
    if args.complete is not None:
        from .completions import run_complete

        return run_complete(build_parser(), args.complete)
    if args.version:
        return run_version(args)
    if args.init:
        return run_init(args)
    if args.check is not None:
        return run_check(args)
    if args.explain is not None:
        return run_explain(args)
    if args.setup_backend:
        return run_setup(args)
    if args.list_models:
        return run_list_models(args)
    if args.doctor:
        return run_doctor(args)
    if args.usage:
        return run_usage(args)
    if args.context:
        return run_context(args)
    if args.history is not None:
        return run_history(args)
    return run_generate(args)


def _dispatch_widget(args: argparse.Namespace) -> int:
    """A press of the key: within its time budget, and with no type-ahead left to run unseen."""
    from .widget import WidgetRun

    with WidgetRun():
        return _dispatch(args)


def _check_combinations(parser: Any, args: argparse.Namespace) -> None:
    actions = [name for name, on in (("--version", args.version), ("--init", args.init),
                                     ("--check", args.check is not None),
                                     ("--explain", args.explain is not None),
                                     ("--setup-backend", args.setup_backend),
                                     ("--list-models", args.list_models), ("--doctor", args.doctor),
                                     ("--usage", args.usage), ("--context", args.context),
                                     ("--history", args.history is not None)) if on]
    if len(actions) > 1:
        parser.error(f"{' and '.join(actions)} cannot be combined")
    if actions and args.request and actions[0] not in ("--check", "--explain"):
        parser.error(f"{actions[0]} takes no request")
    if args.json and actions and actions[0] in ("--init", "--doctor", "--setup-backend"):
        # These answer in text only; say so in JSON rather than print text a JSON reader chokes on.
        parser.error(f"--json does not go with {actions[0]}")
    if args.refresh and not args.list_models:
        parser.error("--refresh goes with --list-models")
    setup_only = [f for f, v in (("--endpoint", args.endpoint), ("--auth", args.auth),
                                 ("--api-key-command", args.api_key_command), ("--yes", args.yes),
                                 ("--skip-test", args.skip_test)) if v]
    if setup_only and not args.setup_backend:
        parser.error(f"{setup_only[0]} goes with --setup-backend")
    clash = "--json" if args.json else "--widget" if args.widget else actions[0] if actions else None
    if args.widget and actions and actions != ["--explain"]:
        parser.error(f"--widget cannot be combined with {actions[0]}")
    if args.execute and clash:
        parser.error(f"-x/--execute cannot be combined with {clash}")
    if args.count is not None:
        if not 1 <= args.count <= MAX_COUNT:
            parser.error(f"-n takes a number from 1 to {MAX_COUNT}")
        if args.widget or args.execute or actions:
            parser.error(f"-n cannot be combined with {'--widget' if args.widget else '-x' if args.execute else actions[0]}")
    if args.check is not None and args.request:
        # "cmdai --check rm -rf build" reads naturally; take the rest as the command.
        args.check = " ".join(([] if args.check == "-" else [args.check]) + args.request)
        args.request = []
    if args.explain is not None and args.request:
        args.explain = " ".join(([] if args.explain == "-" else [args.explain]) + args.request)
        args.request = []


def main(argv: Optional[Sequence[str]] = None) -> int:
    from .interrupts import raise_on_interrupt, restore
    from .streams import finish_output, guard_standard_streams, restore as restore_streams

    previous_handler = raise_on_interrupt()
    streams = guard_standard_streams()
    debug = json_output = False
    try:
        # Bytes that are not UTF-8 arrive as surrogates; they must not reach an encoder later.
        arguments = [valid_unicode(a) for a in (sys.argv[1:] if argv is None else argv)]
        args = _read_usual(arguments)
        parser: Any = _ParserWhenNeeded(arguments)
        if args is None:
            parser = parser.built()
            args = parser.parse_args(arguments)
        _check_combinations(parser, args)
        debug, json_output = args.debug, args.json
        if not args.setup_backend:
            # Everything but the interactive setup shares one budget from the start of the process.
            deadline.start_invocation(at_process_start=argv is None)
        code = _dispatch_widget(args) if args.widget else _dispatch(args)
        finish_output()
        return code
    except CmdaiError as error:
        if debug:
            import traceback

            traceback.print_exc()
            if error.debug:
                _say(error.debug, kind="debug")
        _say(error.one_line())
        if json_output:
            _print_json_error(error.message, error.hint, error.exit_code)
        return error.exit_code
    except KeyboardInterrupt:
        _say("interrupted")
        if json_output:
            _print_json_error("interrupted", None, EXIT_INTERRUPTED)
        return EXIT_INTERRUPTED
    except deadline.DeadlinePassed:
        _say("the time allowed ran out — raise timeout_seconds under [backend], or try again")
        return EXIT_NO_COMMAND
    except BrokenPipeError:
        # The reader went away (e.g. `cmdai … | head`); nothing useful is left to say, and the
        # rest of the buffer must not fail again when Python exits.
        from .streams import reopen_on_devnull

        reopen_on_devnull(1)
        return EXIT_OK
    except Exception as error:  # noqa: BLE001 - the last line of defence against tracebacks
        if debug:
            raise
        _say(f"internal error: {type(error).__name__}: {error} — run again with --debug and report it")
        if json_output:
            _print_json_error(f"internal error: {type(error).__name__}: {error}",
                              "run again with --debug and report it", 1)
        return 1
    finally:
        deadline.end_invocation()
        restore_streams(streams)
        restore(previous_handler)


"""What differs per shell, one module each: ``bash.py``, ``zsh.py``, ``fish.py``, ``sh.py``.

Each module declares one :class:`Shell` named ``SHELL``: the process names that speak its syntax,
what a model is told about that syntax, how the shell checks a line without running it, how it
quotes a word, how the bash-grammar engines (safety, explain) read it, the Ctrl-G script that
``cmdai --init`` prints and the line that turns it on, and its Tab completion script. The modules
are found by listing this directory, so a new shell is one new file; the module is imported when
its shell is first asked for.
"""
from __future__ import annotations

import os

from ..discovery import load, module_names
from ..errors import UsageError
from ..lazy_regex import LazyRegex, lazy_regex
from ..records import Value

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Callable, Dict, FrozenSet, List, Optional, Sequence, Tuple

#: Words no POSIX shell reads specially, left unquoted (``shlex.quote``'s characters, any letter).
_PLAIN_WORD = lazy_regex(r"[\w@%+=:,./-]+")


def posix_quote(word: str, force: bool = False) -> str:
    """``word`` as one POSIX shell word: unchanged when nothing in it is special (unless ``force``), else
    single-quoted, a ``'`` inside written as ``'"'"'``."""
    if word and not force and _PLAIN_WORD.fullmatch(word):
        return word
    return "'" + word.replace("'", "'\"'\"'") + "'"


def unchanged(text: str, *_: str) -> str:
    """The reading of a shell whose syntax the bash grammar already is."""
    return text


class InitScript(Value):
    """The Ctrl-G script in ``shell/`` that ``cmdai --init`` prints, and the two lines it fills in."""

    file_name: str
    #: The line naming the program, with ``{}`` for its words; shipped with plain ``cmdai``.
    program_line: str
    #: The line that says whether requests go into the history, shipped off (ending in ``0``).
    record_line: str
    #: In ``shell/completions/``: Tab completion of cmdai's options, appended to the printed script.
    completion_file: str
    #: Where the user turns it on (as shown to people), and the line that does it.
    rc_file: str
    install_line: str
    #: Files whose existence alone means the integration is on (a plugin manager's copy).
    plugin_files: Callable[[], Sequence[str]] = lambda: ()
    #: Startup files that may hold the install line (absolute paths).
    startup_files: Callable[[], Sequence[str]] = lambda: ()
    #: Words that, on an uncommented line of a startup file, turn the integration on.
    enabling_words: Tuple[str, ...] = ()


class Shell(Value):
    """Everything cmdai does differently for one shell."""

    name: str
    #: Other process names that accept this shell's syntax (``dash`` speaks ``sh``).
    aliases: Tuple[str, ...]
    #: The syntax rules a model is told, after "Target shell: NAME.".
    prompt_notes: str
    #: Parses a script read on stdin without running it or any startup file; empty: no check.
    syntax_check: Tuple[str, ...]
    #: One word quoted for this shell; ``force`` quotes even a word that needs none.
    quote: Callable[..., str]
    #: Whether words follow POSIX: ``$(…)`` and backticks, ``$'…'``, ``'…'`` without escapes, and
    #: unquoted variables split on blanks.
    posix: bool = True
    #: The line as the bash-grammar engines (safety, explain) read it: every command kept.
    to_bash: Callable[[str], str] = unchanged
    #: Text quoting a command read through ``to_bash`` (risk reasons, the parts of an explanation),
    #: spelled back as this shell writes it; the second argument is the command as written.
    as_written: Callable[[str, str], str] = unchanged
    #: The block headers (``for x in``, ``switch``) that ``to_bash`` turned into ``:`` commands, in order.
    colon_headers: Callable[[str], List[str]] = lambda command: []
    #: The words the shell reads as syntax where a command starts (reserved words, precommand modifiers):
    #: a plain line starting none of its commands with one parses (``plainly_valid``). None: always ask
    #: ``syntax_check``.
    command_syntax: Optional[FrozenSet[str]] = None
    #: A command written in POSIX syntax (the offline engine's templates), rewritten for this shell.
    from_posix: Callable[[str], str] = unchanged
    #: The Ctrl-G integration, for shells that have one.
    init: Optional[InitScript] = None

    def script_text(self) -> str:
        """The Ctrl-G script exactly as shipped."""
        if self.init is None:
            raise UsageError(f"no shell integration for '{self.name}'",
                             "choose one of: " + ", ".join(s.name for s in integrated()))
        return _read(shipped_files(), self.init.file_name)

    def completion_text(self) -> str:
        """The Tab completion script as shipped (empty for a shell without an integration)."""
        if self.init is None:
            return ""
        return _read(shipped_files(), "completions", self.init.completion_file)


def _read(*parts: str) -> str:
    with open(os.path.join(*parts), encoding="utf-8") as handle:
        return handle.read()


_LOADED: Dict[str, Shell] = {}
_NAMES: List[str] = []


def names() -> List[str]:
    """Every shell cmdai writes commands for, in the order of its ``--shell`` choices (bash first)."""
    if not _NAMES:
        # bash leads: it is the default and what most requests are written for.
        _NAMES.extend(sorted(module_names(__path__), key=lambda name: (name != "bash", name)))
    return list(_NAMES)


def find(name: str) -> Optional[Shell]:
    """The shell called ``name``, or None when cmdai knows none by that name."""
    shell = _LOADED.get(name)
    if shell is None and name in names():
        shell = getattr(load(f"{__name__}.{name}"), "SHELL", None)
        # A module here that declares no shell of its own name is a mistake, not something to skip.
        if not isinstance(shell, Shell) or shell.name != name:
            raise TypeError(f"{__name__}.{name} must declare SHELL = Shell({name!r}, …)")
        _LOADED[name] = shell
    return shell


def get(name: str) -> Shell:
    """The shell called ``name``; a usage error naming the choices when there is none."""
    shell = find(name)
    if shell is None:
        raise UsageError(f"cmdai knows no shell '{name}'", "choose one of: " + ", ".join(names()))
    return shell


def every() -> List[Shell]:
    """Every shell, each module imported."""
    return [get(name) for name in names()]


def integrated() -> List[Shell]:
    """The shells with a Ctrl-G integration (``cmdai --init``)."""
    return [shell for shell in every() if shell.init is not None]


def named_by(program: str) -> Optional[Shell]:
    """The shell whose syntax the program ``program`` (a path or a login shell's ``-zsh``) accepts."""
    base = os.path.basename(program.strip()).lstrip("-")
    for shell in every():
        if base == shell.name or base in shell.aliases:
            return shell
    return None


#: A parse is quick; a checker that takes longer than this is stuck, not busy.
SYNTAX_CHECK_TIMEOUT = 2.0


#: The characters of a plain word, which no shell reads specially: letters, digits, ``_ . / , : = @ % + - ~ * ?``.
PLAIN_CHARACTERS = "[A-Za-z0-9_./,:=@%+*?~-]"
#: A single-quoted string of printable ASCII, as POSIX shells read it (safety/plain.py reads the same words).
PLAIN_QUOTED = "'[ -&(-~]*'"
#: Outside POSIX (fish) the quoted string has no backslash, which escapes there.
_QUOTED = {True: PLAIN_QUOTED, False: "'[ -&(-\\[\\]-~]*'"}
#: Words the POSIX shells (bash, zsh, dash) reserve where a command starts; each shell module adds its own.
POSIX_RESERVED_WORDS = frozenset("! [[ ]] { } case coproc do done elif else esac fi for function if in select then "
                                 "time until while".split())


def _plain_line_pattern(posix: bool) -> LazyRegex:
    """One command of plain words, or several joined by ``|``: what most answers are. A word does not
    start with ``=`` (zsh expands ``=cmd`` to a path even while it only parses)."""
    word = rf"(?!=)(?:{PLAIN_CHARACTERS}|{_QUOTED[posix]})+"
    # Words apart by blanks or by a pipe: no stage is empty. (The word pattern is written twice, not four
    # times as a pattern of commands would: it is compiled on every key press.)
    return lazy_regex(rf"[ \t]*{word}(?:(?:[ \t]+|[ \t]*\|[ \t]*){word})*[ \t]*")


_PLAIN_LINE = {posix: _plain_line_pattern(posix) for posix in (True, False)}
_ASSIGNMENT = lazy_regex(r"[A-Za-z_][A-Za-z0-9_]*=")


def plainly_valid(command: str, shell: Shell) -> bool:
    """Whether ``shell`` parses ``command`` without being asked: a plain line (above) whose commands start
    with none of the words the shell reads as syntax there (``Shell.command_syntax``). A POSIX shell's
    command may follow assignments (``a=1 cmd``); in fish a command word holding ``=`` is left to fish.
    tests/shell/test_plain_syntax.py asks bash, zsh and fish about every line this accepts."""
    if shell.command_syntax is None or not _PLAIN_LINE[shell.posix].fullmatch(command):
        return False
    for stage in command.split("|"):
        words = stage.split()
        if shell.posix:
            words = [word for word in words if not _ASSIGNMENT.match(word)]
        elif "=" in words[0]:
            return False
        if words and words[0].replace("'", "") in shell.command_syntax:
            return False
    return True


def syntax_error(command: str, shell: str) -> Optional[str]:
    """The first error ``shell`` reports when parsing ``command``, or None.

    None also for a shell with no checker, one not installed or not answering in time: the check is
    a courtesy, and a missing checker must not stop a command from being inserted. A plain line needs
    no checker: starting one would cost the key press milliseconds.
    """
    known = find(shell)
    if known is None or not known.syntax_check or plainly_valid(command, known):
        return None
    checked = _run_checker(known.syntax_check, command + "\n")
    if checked is None or checked[0] == 0:
        return None
    from ..sanitize import one_line

    for line in checked[1].splitlines():
        line = line.strip()
        if line:
            # "bash: line 2: syntax error …" reads better without the shell's own name.
            return one_line(line.split(": ", 1)[1] if line.startswith(f"{shell}: ") else line)
    return f"{shell} exited with status {checked[0]}"


def _run_checker(argv: Sequence[str], script: str) -> Optional[Tuple[int, str]]:
    """The exit status and error output of ``argv`` reading ``script`` on stdin; None when it cannot
    start or does not end within SYNTAX_CHECK_TIMEOUT.

    Spawned directly rather than through ``subprocess``, whose import alone costs the key press
    milliseconds. BASH_ENV and ENV would make the checking shell read files: the user's startup
    files are no business of a parse.
    """
    import select
    import time

    from ..interrupts import signal

    env = {key: value for key, value in os.environ.items() if key not in ("BASH_ENV", "ENV")}
    stdin_read, stdin_write = os.pipe()
    errors_read, errors_write = os.pipe()
    try:
        pid = os.posix_spawnp(argv[0], list(argv), env, file_actions=[
            (os.POSIX_SPAWN_DUP2, stdin_read, 0),
            (os.POSIX_SPAWN_OPEN, 1, os.devnull, os.O_WRONLY, 0),
            (os.POSIX_SPAWN_DUP2, errors_write, 2)])
    except OSError:
        pid = None
    os.close(stdin_read)
    os.close(errors_write)
    reaped = False
    try:
        try:
            # A command line fits in a pipe; one that does not is not checked rather than waited on.
            os.set_blocking(stdin_write, False)
            os.write(stdin_write, script.encode("utf-8", "replace"))
        except OSError:
            pass
        finally:
            os.close(stdin_write)
        if pid is None:
            return None
        errors = b""
        deadline = time.monotonic() + SYNTAX_CHECK_TIMEOUT
        while True:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([errors_read], [], [], left)[0]:
                return None
            chunk = os.read(errors_read, 65536)
            if not chunk:
                break
            errors += chunk
        status = os.waitpid(pid, 0)[1]
        reaped = True
        return os.waitstatus_to_exitcode(status), errors.decode("utf-8", "replace")
    finally:
        os.close(errors_read)
        # Stuck, or interrupted by the hotkey's budget: the checker must not outlive the check.
        if pid is not None and not reaped:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)


def shipped_files() -> str:
    """The folder of the shell scripts: ``cmdai.shell`` when installed, else ``shell/`` in the checkout.

    Read as a folder rather than through importlib.resources, whose imports (pathlib, zipfile, tempfile)
    would add to every shell's start-up, which runs ``cmdai --init``.
    """
    try:
        return load("cmdai.shell").__path__[0]
    except ModuleNotFoundError:
        # Run from a source checkout (PYTHONPATH, or an editable install that predates the mapping).
        return os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))), "shell")

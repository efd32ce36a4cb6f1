"""The safety engine: parse a command line with tree-sitter-bash and judge every command in it.

The walker (``walker.py``) finds each simple command (in pipelines, lists, subshells,
substitutions, function bodies and here-docs), the unwrapper (``unwrapper.py``) takes wrappers
such as sudo, env or xargs off it and follows code handed to shells, eval and interpreters, and
the rules (``rules/``, registered through hooks) say what each command, redirection, pipeline
and assignment does. The level of the line is the highest level of anything found.
"""
from __future__ import annotations

import posixpath
import re

from ..lazy_regex import lazy_regex
from . import inline
from .levels import Assessment, Risk
from .rules import ASSIGNMENT_HOOKS, Cmd, Hit, Stream, checkers_for
from .rules import cloud, network, shell, system
from .rules.paths import normalize, secret_in
from .unwrapper import SHELLS, Unwrapper
from .walker import _INFINITE, Walker, parser
from .words import Word

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Dict, List, Optional, Set, Tuple

#: Longest input inspected; the rest of a longer one is reported as not inspected.
MAX_INPUT = 200_000
_HELP = {"--help", "-help", "--version", "--usage"}
_DRY_RUN = lazy_regex(r"^--(dry-?run|simulate|what-if|just-print|no-act)(=(?!none).*)?$")
#: A subcommand word before a help option: "git push --help", "kubectl delete pod --help".
_SUBCOMMAND = lazy_regex(r"[a-z][a-z0-9-]*")
#: Commands whose later arguments belong to code or to a command they run ("sh -c CODE --help" runs
#: CODE with $0 = --help, "find / -delete -name --version" deletes): no argument there only describes.
_ARGUMENTS_FOR_OTHERS = frozenset(["awk", "gawk", "mawk", "nawk", "busybox", "find", "xargs", "parallel", "env",
                                   "watch", "exec", "eval", "command", "builtin", "source", "."])
_READERS = frozenset(["cat", "head", "tail", "base64", "xxd", "od", "hexdump", "gzip", "tar", "zip", "bzip2",
                      "xz", "gpg", "openssl", "less", "more", "strings", "tac", "nl", "cp", "sed", "awk",
                      "grep", "7z", "dd", "sort", "uniq", "cut"])
_ENV_DUMPS = frozenset(["env", "printenv", "set", "export", "declare", "compgen"])
#: Commands whose relative operands are judged against the directory a ``cd`` moved to.
_PATH_TAKERS = frozenset(["rm", "shred", "chmod", "chown", "chgrp", "find", "unlink", "rmdir", "truncate"])
#: Variables naming a file every new (non-interactive or sh) shell reads first.
_STARTUP_VARIABLES = frozenset(["BASH_ENV", "ENV", "ZDOTDIR"])
#: The shared tree-sitter parser; cmdai.explain reads commands with it too.
_parser = parser


def analyze(command: str, shell_name: str = "bash") -> Assessment:
    """Classify ``command`` as ``shell_name`` would run it."""
    text = command if isinstance(command, str) else str(command)
    run = _Analysis()
    try:
        body = text
        if len(body) > MAX_INPUT:
            run.add(Hit(shell.TOO_LONG))
            body = body[:MAX_INPUT]
        run.script(body, shell_name, 0)
    except RecursionError:
        run.add(Hit(shell.TOO_DEEP))
    return run.assessment(text)



def _only_describes(name: str, args: List[str], lang: Optional[str]) -> bool:
    """Whether the command only prints its help or version, or only says what it would do (a dry run);
    ``lang`` is the language when the command is an interpreter.

    Such an option counts only where the tool reads its own options: before a ``--`` (after it,
    "--help" is a file name), not among the arguments of code or of a command it runs (shells,
    interpreters, find, xargs…), a help option only after nothing but subcommand words ("git push
    --help"; in "rm -rf / --help" the deletion is judged) and a dry run after options and subcommand
    words only.
    """
    if name in _ARGUMENTS_FOR_OTHERS or name in SHELLS or lang is not None:
        return False
    options = args[:args.index("--")] if "--" in args else args
    for index, arg in enumerate(options):
        if arg in _HELP and all(_SUBCOMMAND.fullmatch(word) for word in options[:index]):
            return True
        # Where options stop at the first operand (BSD getopt), "rm -rf / --dry-run" deletes.
        if arg.startswith("--") and _DRY_RUN.match(arg) and all(
                word.startswith("-") or _SUBCOMMAND.fullmatch(word) for word in options[:index]):
            return True
    return False

class _Analysis(Walker, Unwrapper):
    """One classification: the findings so far and what earlier commands on the line set up."""

    def __init__(self) -> None:
        self.hits: List[Hit] = []
        self.env: Dict[str, Word] = {}
        self.downloads: Set[str] = set()
        self.sub_streams: Dict[Tuple[int, int, int], Stream] = {}
        self.depth = 0
        self.tree = 0
        #: Loop bodies judged so far, against walker.MAX_LOOP_RUNS.
        self.loop_runs = 0
        #: The directory an earlier ``cd`` on the line moved to, for judging relative paths.
        self.cwd: Optional[str] = None
        self.trees: List[Any] = []
        #: Descriptors opened onto a network connection earlier on the line (exec 5<>/dev/tcp/…,
        #: zsh's ztcp), with the connection; "$" stands for a descriptor held in a variable.
        self.sockets: Dict[str, str] = {}
        #: Files written earlier on the line, with their content when it is known.
        self.files: Dict[str, Optional[str]] = {}

    def add(self, hit: Hit) -> None:
        if hit.rule.level > Risk.SAFE:
            self.hits.append(hit)
        if hit.code:
            self.run_code(hit.code, hit.lang)

    def assessment(self, command: str) -> Assessment:
        risk = max((h.rule.level for h in self.hits), default=Risk.SAFE)
        ordered = sorted(self.hits, key=lambda h: -h.rule.level)
        reasons: List[str] = []
        categories: List[str] = []
        ids: List[str] = []
        for h in ordered:
            r = h.rule.reason(h.target)
            if r not in reasons:
                reasons.append(r)
            if h.rule.category not in categories:
                categories.append(h.rule.category)
            if h.rule.id not in ids:
                ids.append(h.rule.id)
        return Assessment(command, Risk(risk), tuple(reasons), tuple(categories), tuple(ids))

    def env_hits(self, name: str, value: str) -> None:
        if name in _STARTUP_VARIABLES and value:
            self.sourced(value, f"the file ${name} names")
        for hook in ASSIGNMENT_HOOKS:
            for h in hook(name, value):
                self.add(h)

    def run(self, cmd: Cmd, words: List[Word]) -> Stream:
        name = cmd.name
        if name in ("cd", "pushd"):
            operands = [a for a in cmd.args if not a.startswith("-")]
            target = operands[0] if operands else "~"
            self.cwd = None if target == "-" else posixpath.join(self.cwd, target) if self.cwd else target
            return Stream()
        if self.cwd is not None and name in _PATH_TAKERS:
            cmd.args = [_relative_to(self.cwd, a) for a in cmd.args]
        lang = inline.language_of(name)
        if _only_describes(name, cmd.args, lang) or (name == "git" and cmd.args[:1] == ["help"]) or name in (
                "which", "whereis", "type", "apropos", "whatis", "tldr", "info"):
            return Stream()
        if "/" in words[0].text and self.written(words[0].text) is not None:
            self.sourced(words[0].text, words[0].text)
        if name == "set" and cmd.args and (cmd.args[0] == "--" or not cmd.args[0].startswith(("-", "+"))):
            self.positional(words[1 + (cmd.args[0] == "--"):])
        elif name in ("read", "mapfile", "readarray") or name == "printf" and cmd.args[:1] == ["-v"]:
            self.assign_from(cmd, words)
        elif name == "enable" and any(a.startswith("-") and "f" in a for a in cmd.args):
            self.add(Hit(shell.UNCHECKABLE, "a shell builtin loaded from a shared library"))
        if name in SHELLS:
            self.shell_invocation(cmd, words)
        elif name == "eval":
            self.code_words(words[1:], "bash", "eval")
        elif name == "source":
            self.script_operand(cmd, words[1:2], "bash", name)
        elif lang is not None:
            self.interpreter(cmd, words, lang)
        elif name == "find":
            self.find(cmd, words)
        elif name == "alias":
            self.alias(cmd)
        elif name == "trap" and cmd.args:
            self.code_words(words[1:2], "bash", "trap")
        elif name in ("complete", "compgen") and "-C" in cmd.args[:-1]:
            # The command runs each time Tab completes.
            self.code_words(words[cmd.args.index("-C") + 2:cmd.args.index("-C") + 3], "bash", name)
        elif name in ("bind", "bindkey") and cmd.args:
            self.key_bindings(name, cmd.args)
        elif name in cloud.CONTAINER_TOOLS:
            self.container_command(cmd, words)
        elif name == "ztcp":
            connection = network.ztcp_connection(cmd)
            if connection is not None:
                # ztcp leaves the new descriptor in $REPLY (or the -d one): any variable may hold it.
                self.sockets["$"] = connection
                fd = cmd.options(("-d",)).value("-d")
                if fd:
                    self.sockets[fd] = connection
        elif name == "set" and {"+o"} & set(cmd.args) and "history" in cmd.args:
            self.add(Hit(system.HISTORY_CLEAR))
        if name == "kill" and any(system.lists_every_process(self.stream_of(sub).source)
                                  for w in words[1:] for sub in w.subs):
            # The ids come from a command that lists every process: kill $(pgrep -f .).
            self.add(Hit(system.KILL_ALL))
        if name in network.SENDERS:
            # A secret read by a substitution and put in a header, a URL or a hostname leaves the machine.
            secret = next((stream.secret for w in words[1:] for sub in w.subs
                           for stream in (self.stream_of(sub),)
                           if stream.secret and not network.goes_home(stream.source, cmd.args)), None)
            if secret:
                self.add(Hit(network.EXFILTRATE, secret))
        for check in checkers_for(name):
            for h in check(cmd):
                self.add(h)
        if name == "tee":
            opts = cmd.options()
            for target in opts.operands:
                self.remember(target, cmd.stdin.text, "a" in opts.shorts or "--append" in opts.longs)
        elif name in ("cp", "mv", "install", "ln", "dd"):
            self.copied(cmd)
        out = self.output_of(cmd, words)
        self.write_hits(cmd, cmd.redirects, out)
        self.note_download(cmd)
        return out

    def output_of(self, cmd: Cmd, words: List[Word]) -> Stream:
        """What the command writes to stdout, as far as the next command in a pipe cares."""
        name, args, stdin = cmd.name, cmd.args, cmd.stdin
        streams = [self.stream_of(s) for w in words for s in w.subs]
        out = Stream(source=cmd, present=True)
        out.network = network.is_fetcher(cmd) or any(s.network for s in streams) or (
            name in ("cat", "tee") and any(self.downloaded(normalize(a)) for a in args))
        out.secret = next((s.secret for s in streams if s.secret), None) or network.secret_output(cmd)
        operands = [a for a in args if not a.startswith("-")]
        if name in _READERS:
            out.secret = out.secret or next((secret_in(a) for a in args if secret_in(a)), None)
        if name in _ENV_DUMPS and not operands and name not in ("set",) or name == "set" and not args:
            out.secret = "the environment"
        if name in ("cat", "tee", "tr", "sort", "head", "tail", "gzip", "xz", "tar", "base64", "sed", "awk",
                    "grep") and stdin.secret:
            out.secret = out.secret or stdin.secret
        decoding = (name == "base64" and bool({"-d", "-D", "--decode"} & set(args))
                    or name in ("xxd",) and bool({"-r", "-p"} & set(args)) and "-r" in args
                    or name in ("rev", "uudecode", "zcat", "gunzip", "bzcat", "xzcat")
                    or name == "gzip" and "-d" in args or name == "tr" and stdin.present
                    or name == "openssl" and ("-d" in args or "base64" in args))
        if name == "echo":
            out.text = " ".join(a for a in args if a not in ("-n", "-e", "-E")) + "\n"
            if "-e" in args:
                from .words import decode_ansi_c

                out.text = decode_ansi_c(out.text)
            if any(w.dynamic for w in words[1:]):
                out.text = None
        elif name == "printf" and args and not any(w.dynamic for w in words[1:]):
            fmt = args[0]
            if re.search(r"\\(x[0-9a-fA-F]|[0-7]{3})", fmt):
                out.decoded = True
            from .words import decode_ansi_c

            out.text = decode_ansi_c(fmt).replace("%s", " ".join(args[1:]) if len(args) > 1 else "", 1)
        elif name in ("cat", "tee") and not operands and stdin.present:
            out.text = stdin.text
        elif name in ("cat", "tee") and stdin.present and operands == ["-"]:
            out.text = stdin.text
        if decoding:
            out.decoded = True
            out.text = _decode(name, args, stdin.text)
        if name == "yes" or name == "cat" and set(operands) & _INFINITE:
            out.endless = True
        if name == "crontab" and "-l" in args:
            out.text = ""
        return out

    def copied(self, cmd: Cmd) -> None:
        """A file made by copying: it holds what its source held, if the line wrote that."""
        if cmd.name == "dd":
            params = dict(a.split("=", 1) for a in cmd.args if "=" in a)
            source, dest = params.get("if"), params.get("of")
        else:
            operands = cmd.options(("-t", "--target-directory", "-S", "--suffix", "-m", "--mode", "-o", "-g")).operands
            source, dest = (operands[0], operands[-1]) if len(operands) >= 2 else (None, None)
        if dest is None:
            return
        if source in (None, "/dev/stdin", "-"):
            self.remember(dest, cmd.stdin.text, False)
        else:
            key = self.written(source)
            self.remember(dest, self.files[key] if key is not None else None, False)
            if self.downloaded(normalize(source)):
                self.downloads.add(normalize(dest))

    def note_download(self, cmd: Cmd) -> None:
        if cmd.name not in ("curl", "wget", "fetch", "aria2c", "http", "xh"):
            return
        opts = cmd.options(("-o", "--output", "-O", "--output-document", "-P", "--directory-prefix", "-H",
                            "--header", "-d", "--data", "-X", "--request", "-u", "--user", "-A", "-e", "-F"))
        out = opts.value("-o", "--output", "--output-document") if cmd.name != "wget" else opts.value(
            "-O", "--output-document")
        if out and out != "-":
            self.downloads.add(normalize(out))
            self.wrote(out, Stream(network=True), False, cmd)
        for url in opts.operands:
            base = posixpath.basename(url.split("?")[0].rstrip("/"))
            if base and ("O" in opts.shorts or "--remote-name" in opts.longs or cmd.name == "wget"):
                self.downloads.add(base)

    def downloaded(self, path: str) -> bool:
        return bool(path) and (path in self.downloads or posixpath.basename(path) in self.downloads
                               or path.lstrip("./") in self.downloads)


def _relative_to(cwd: str, arg: str) -> str:
    if not arg or arg.startswith(("-", "/", "~", "$")) or "=" in arg:
        return arg
    return posixpath.join(cwd, arg)


def _decode(name: str, args: List[str], text: Optional[str]) -> Optional[str]:
    if text is None:
        return None
    if name == "base64" or name == "openssl":
        return inline.base64_text(text)
    if name == "rev":
        return "\n".join(line[::-1] for line in text.splitlines())
    if name == "xxd":
        try:
            return bytes.fromhex("".join(text.split())).decode("utf-8", "replace")
        except ValueError:
            return None
    return None

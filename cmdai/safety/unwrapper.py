"""From a simple command to the command that does the work, and to the code it runs.

Wrappers come off (sudo, env, nohup, timeout, xargs, parallel, find -exec, ssh, containers,
coproc …); words that expand to several (arrays, "$@", IFS splitting) are split; command names
chosen at run time, patterns and obfuscation are decoded or reported; code handed to shells,
eval, source, interpreters and files written on the line is judged like the line itself.
"""
from __future__ import annotations

import posixpath
import re

from ..lazy_regex import lazy_regex
from . import inline
from .rules import Appended, Cmd, Hit, Stream, checked_names
from .rules import cloud, filesystem, network, shell, system
from .rules.paths import normalize
from .words import IFS, INDIRECTION, LIST, QUOTED, SEPARATOR, SUBSTITUTION, Word, list_word, split_words

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Dict, List, Optional, Set, Tuple

SHELLS = frozenset(["sh", "bash", "zsh", "dash", "ksh", "mksh", "ash", "fish", "rbash", "yash", "posh",
                    "csh", "tcsh", "busybox-sh"])
_NAME_ALIASES = {"nodejs": "node", "mariadb": "mysql", "podman-compose": "docker-compose", "netcat": "nc",
                 ".": "source", "doas": "sudo", "pkexec": "sudo", "run0": "sudo"}
#: Wrappers whose inner command runs with these options taking a value.
_WRAPPERS: Dict[str, Set[str]] = {
    "sudo": {"-u", "-g", "-h", "-p", "-C", "-D", "-r", "-t", "-U", "-T", "--user", "--group", "--host",
             "--prompt", "--chdir", "--role", "--type", "--other-user", "--close-from", "--command-timeout"},
    "env": {"-u", "--unset", "-C", "--chdir"},
    "nohup": set(), "time": {"-f", "--format", "-o", "--output"}, "nice": {"-n", "--adjustment"},
    "ionice": {"-c", "-n", "-p", "-P", "-u", "--class", "--classdata"},
    "stdbuf": {"-i", "-o", "-e", "--input", "--output", "--error"}, "setsid": set(), "unbuffer": set(),
    "caffeinate": {"-t", "-w"}, "command": set(), "builtin": set(), "exec": {"-a"}, "busybox": set(),
    "toybox": set(), "systemd-run": {"-u", "--unit", "-p", "--property", "--uid", "--gid", "-E", "--setenv",
                                    "--on-calendar", "--on-active", "-M", "--machine"},
    "runuser": {"-u", "-g", "-G", "--user", "--group"}, "strace": {"-o", "-e", "-p", "-s", "-E"},
    "ltrace": {"-o", "-e"}, "firejail": set(), "proxychains": {"-f"}, "proxychains4": {"-f"}, "torsocks": set(),
    "timeout": {"-s", "--signal", "-k", "--kill-after"}, "chrt": set(), "taskset": set(), "chroot": {"--userspec"},
    "flock": {"-w", "--timeout", "-E", "--conflict-exit-code"}, "then": set(), "do": set(), "else": set(),
    "and": set(), "or": set(), "not": set(), "!": set(), "doas": {"-u", "-C"}, "xargs": set(), "parallel": set(),
    "nsenter": {"-t", "--target"}, "unshare": set(), "watch": {"-n", "--interval"}, "sg": set(),
    "valgrind": set(), "catchsegv": set(), "fakeroot": set(), "eatmydata": set(), "nocache": set(),
    "dbus-launch": set(), "xvfb-run": {"-n", "-s", "-f", "-e", "-p", "--server-num", "--server-args"},
    "gosu": set(), "su-exec": set(), "chpst": {"-u", "-U", "-e", "-/", "-n", "-l", "-L", "-m", "-d", "-o", "-p",
                                                "-f", "-c", "-r", "-t"},
    "cgexec": {"-g"}, "sshpass": {"-p", "-f", "-d", "-P"}, "prlimit": {"-p", "--pid"}, "numactl": set(),
    "perf": {"-e", "-o", "-p", "-F", "-c", "--event", "--output"}, "entr": set(),
    # zsh precommand modifiers and loops that run the words after them.
    "noglob": set(), "nocorrect": set(), "-": set(), "repeat": set(),
}
#: Wrappers that also take the command as one string after -c.
_COMMAND_OPTION_WRAPPERS = {"flock": ("-c", "--command"), "runuser": ("-c", "--command"), "sg": ("-c",),
                            "chroot": ("-c",), "unshare": ("-c",), "nsenter": ("-c",), "entr": ("-s",)}
#: Wrappers followed by one positional argument before the inner command.
_POSITIONAL = {"timeout": 1, "chrt": 1, "taskset": 1, "chroot": 1, "flock": 1, "sg": 1, "gosu": 1, "su-exec": 1,
               "perf": 1, "repeat": 1}
_XARGS_VALUES = {"-I", "-i", "-L", "-l", "-n", "-P", "-d", "-a", "-s", "-E", "-e", "--replace", "--max-lines",
                 "--max-args", "--max-procs", "--delimiter", "--arg-file", "--max-chars", "--eof",
                 "--process-slot-var"}
_SSH_VALUES = set("-b -c -D -E -e -F -I -i -J -L -l -m -O -o -p -Q -R -S -W -w -B".split())
#: Commands that change the files find hands them in place: judged by the tree find walks.
_IN_PLACE_EDITORS = frozenset(["sed", "perl", "truncate"])
#: A command word the interactive shell replaces with a line from its history (!!, !-2, !rm).
_HISTORY_EXPANSION = lazy_regex(r"^!(!|-?\d+|\?[^?]+\??|[A-Za-z_./][^\s:]*)(:(?!p)\S*)*$")
#: A command word that bash expands as a file name pattern (/bin/r?, /usr/bin/[r]m).
_GLOB_NAME = lazy_regex(r"[*?]|\[[^\]]+\]")
#: A character one of its matches holds: a name without any is not matched (nor the pattern compiled).
_GLOB_CHARACTERS = frozenset("*?[")
#: Shells a name with a version (bash5.2, sh-4) still names.
_VERSIONED_SHELLS = ("bash", "zsh", "ksh", "mksh", "dash", "ash", "yash", "fish", "tcsh", "csh", "sh")
_VERSIONED_SHELL = lazy_regex(rf"({'|'.join(_VERSIONED_SHELLS)})[\d.-]+")
#: Variables that hold the path of a shell.
_SHELL_VARIABLES = lazy_regex(r"^\$\{?(BASH|SHELL|0|ZSH_ARGZERO|BASH_ARGV0)\}?$")
_KNOWN_COMMANDS: Set[str] = set()


_EXPANSION = lazy_regex(r"\$\{[^}]*\}|\$[A-Za-z_]\w*|\$[0-9@*#?$!-]|\$\([^)]*\)|`[^`]*`")


#: PowerShell cmdlets (Verb-Noun) and their common aliases, as the first word of a line.
_POWERSHELL_COMMAND = lazy_regex(r"^(?:[A-Z][a-z]+-[A-Z][A-Za-z]+|iex|iwr|irm|Format-Volume)$")


def _reruns_history(name: str, args: List[Word]) -> bool:
    """fc -s, fc -e - and zsh's r run a command from the history, which cannot be seen here."""
    texts = [a.text for a in args]
    return name == "r" or name == "fc" and ("-s" in texts or "-e" in texts and "-" in texts)


def _guesses(text: str) -> Set[str]:
    """Known commands a name with unknown parts becomes when each part is "/" or empty."""
    found = set()
    for filler in ("/", ""):
        name = canonical(_EXPANSION.sub(filler, text).strip())
        if name and name in known_commands():
            found.add(name)
    return found


def known_commands() -> Set[str]:
    """Names the engine judges in their own right: what a name pattern such as /bin/r? is matched against."""
    if not _KNOWN_COMMANDS:
        _KNOWN_COMMANDS.update(checked_names(), SHELLS, _WRAPPERS, ("eval", "source", "find", "ssh", "sudo", "su",
                                                                    "python", "perl", "ruby", "node", "php", "lua",
                                                                    "awk", "alias", "trap"))
    return _KNOWN_COMMANDS


def canonical(name: str) -> str:
    """The command a name runs: /bin/rm, \\rm and rm are all rm; mkfs.ext4 is mkfs."""
    base = posixpath.basename(name.rstrip("/")) if "/" in name else name
    base = base.lstrip("\\")
    if base.startswith("mkfs.") or base.startswith("mkfs_"):
        return "mkfs"
    if base.startswith("python") and re.fullmatch(r"python[\d.]*", base):
        return "python"
    if base.startswith("pip") and re.fullmatch(r"pip[\d.]*", base):
        return "pip"
    versioned = base.startswith(_VERSIONED_SHELLS) and _VERSIONED_SHELL.fullmatch(base)
    if versioned:
        return versioned.group(1)
    return _NAME_ALIASES.get(base, base)


class Unwrapper:
    """Unwrapping and code following; the state and the judging are the analysis's (analyzer)."""

    env: Any
    depth: int
    files: Any
    cwd: Optional[str]
    sockets: Any

    def invoke(self, words: List[Word], stdin: Stream, redirects: List[Tuple[str, str]],
               sudo: bool = False, appended: Optional[Appended] = None) -> Stream:
        """Judge one simple command, taking wrappers off until the command that does the work."""
        while words:
            words = self.split_lists(self.decode_ifs(words))
            if not words:
                break
            head = words[0]
            if set(head.tricks) & {"quotes", "escape", "ansi-c", SUBSTITUTION}:
                self.add(Hit(shell.OBFUSCATED_NAME, head.text))
            if INDIRECTION in head.tricks:
                self.add(Hit(shell.INDIRECTION, head.text))
            if head.dynamic:
                if any(normalize(t).startswith(network.SOCKET_PATHS) for op, t in redirects if not op.startswith("<")):
                    self.add(Hit(network.REVERSE_SHELL))
                streams = [self.stream_of(s) for s in head.subs]
                if any(s.network for s in streams):
                    self.add(Hit(network.PIPE_TO_SHELL, head.text))
                elif any(s.decoded for s in streams):
                    self.add(Hit(shell.DECODED_CODE))
                else:
                    self.add(Hit(shell.DYNAMIC_COMMAND, head.text))
                if _SHELL_VARIABLES.match(head.text.strip()):
                    words = [Word("bash")] + words[1:]
                    continue
                for guess in _guesses(head.text):
                    # ${PATH:0:1}bin${PATH:0:1}rm, $HOME/bin/rm, r${x}m: what the name is when the parts are / or empty.
                    self.invoke([Word(guess)] + words[1:], stdin, redirects, sudo)
                self.unknown_runner(words, stdin, redirects, sudo)
                return Stream()
            if (not _GLOB_CHARACTERS.isdisjoint(head.text) and _GLOB_NAME.search(head.text)
                    and head.text not in ("[", "[[")):
                self.glob_command(words, stdin, redirects, sudo)
                return Stream()
            if head.text.startswith("=") and len(head.text) > 1:
                head = words[0] = Word(head.text[1:], head.dynamic, head.tricks, head.subs)  # zsh: =rm is rm's path
            if (head.text.startswith("!") and _HISTORY_EXPANSION.match(head.text)
                    or _reruns_history(head.text, words[1:])):
                self.add(Hit(shell.DYNAMIC_COMMAND, "a command from the shell history"))
                return Stream()
            name = canonical(head.text.strip())
            args = [w.text for w in words[1:]]
            if self.downloaded(normalize(head.text)):
                self.add(Hit(network.RUN_DOWNLOAD, head.text))
            if name == "coproc":
                # coproc [NAME] { …; } or coproc CMD: the grammar reads the words as arguments.
                rest = words[1:]
                if len(rest) > 1 and rest[1].text == "{":
                    rest = rest[1:]
                words = rest[1:] if rest and rest[0].text == "{" else rest
                continue
            if name in ("sudo", "su"):
                sudo = True
                inner = self.unwrap_sudo(name, words, args, stdin)
                if inner is None:
                    return Stream()
                words = inner
                continue
            if name in _WRAPPERS:
                if name == "command" and {"-v", "-V"} & set(args):
                    return Stream()
                if name == "env":
                    split = self.env_split_string(words)
                    if split is not None:
                        words = split
                        continue
                    if not [a for a in args if not a.startswith("-") and "=" not in a]:
                        return Stream(secret="the environment", present=True)
                if name == "watch":
                    self.code_words(words[1 + self.skip_options(name, args):], "bash", "watch")
                    return Stream()
                if name in ("xargs", "parallel"):
                    return self.xargs(name, words, stdin, redirects, sudo)
                if name in _COMMAND_OPTION_WRAPPERS:
                    code = next((i for i, a in enumerate(args[:-1]) if a in _COMMAND_OPTION_WRAPPERS[name]), None)
                    if code is not None:
                        self.code_words(words[code + 2:code + 3], "bash", name)
                        return Stream()
                start = 1 + self.skip_options(name, args)
                if start >= len(words):
                    if name == "exec":  # exec >file rewires the shell itself
                        self.write_hits(Cmd(name, args), redirects, Stream())
                    return Stream()
                for w in words[1:start]:
                    if "=" in w.text and not w.text.startswith("-"):
                        key, _, value = w.text.partition("=")
                        self.env_hits(key, value)
                words = words[start:]
                continue
            if ("-" in head.text or head.text in ("iex", "iwr", "irm")) and _POWERSHELL_COMMAND.match(head.text):
                # A PowerShell command line (Remove-Item …, iex …): read as PowerShell code.
                self.inline_code(" ".join(w.text for w in words), "powershell")
                return Stream()
            if name == "ssh":
                self.ssh(words, args, stdin, redirects, sudo)
                return Stream(network=True)
            cmd = Cmd(name, args, [w.dynamic for w in words[1:]], redirects, stdin, sudo, appended)
            return self.run(cmd, words)
        return Stream()

    def split_lists(self, words: List[Word]) -> List[Word]:
        """Words that expand to several ("${x[@]}", "$@", $x after IFS=,) split into them."""
        ifs = self.env["IFS"].text if "IFS" in self.env else " \t\n"
        if not any(LIST in w.tricks or ifs and INDIRECTION in w.tricks and QUOTED not in w.tricks for w in words):
            return words
        out: List[Word] = []
        for w in words:
            if LIST in w.tricks:
                tricks = [t for t in w.tricks if t != LIST]
                out.extend(Word(part, w.dynamic, list(tricks), w.subs) for part in w.text.split(SEPARATOR) if part)
            elif ifs and INDIRECTION in w.tricks and QUOTED not in w.tricks:
                parts = [p for p in re.split("[" + re.escape(ifs) + "]", w.text) if p]
                if len(parts) > 1 and "IFS" in self.env:
                    self.add(Hit(shell.IFS))
                out.extend(Word(p, w.dynamic, list(w.tricks), w.subs) for p in parts)
            else:
                out.append(w)
        return out

    def unknown_runner(self, words: List[Word], stdin: Stream, redirects: List[Tuple[str, str]], sudo: bool) -> None:
        """A command whose name is not known before it runs: judge its arguments as if it ran them."""
        args = words[1:]
        for i, w in enumerate(args[:-1]):
            if w.text == "-c" or re.fullmatch(r"-[a-z]*c", w.text):
                self.code_words(args[i + 1:i + 2], "bash", "a command chosen at run time")
                return
        if args and not args[0].text.startswith("-"):
            self.invoke(args, stdin, redirects, sudo)

    def glob_command(self, words: List[Word], stdin: Stream, redirects: List[Tuple[str, str]], sudo: bool) -> None:
        """A command name that is a file name pattern: judged as every command it could match."""
        import fnmatch

        head = words[0].text
        self.add(Hit(shell.OBFUSCATED_NAME, head))
        pattern = posixpath.basename(head.rstrip("/")) or head
        if not pattern.strip("*?"):
            return
        for name in sorted(known_commands()):
            if fnmatch.fnmatchcase(name, pattern):
                self.invoke([Word(name)] + words[1:], stdin, redirects, sudo)

    def decode_ifs(self, words: List[Word]) -> List[Word]:
        if not any(IFS in w.tricks for w in words):
            return words
        self.add(Hit(shell.IFS))
        out: List[Word] = []
        for w in words:
            if IFS in w.tricks:
                out.extend(Word(part, w.dynamic, [t for t in w.tricks if t != IFS], w.subs) for part in w.text.split())
            else:
                out.append(w)
        return out

    def skip_options(self, name: str, args: List[str]) -> int:
        """How many arguments of wrapper ``name`` come before its inner command."""
        with_value = _WRAPPERS.get(name, set())
        positional = _POSITIONAL.get(name, 0)
        i = 0
        while i < len(args):
            a = args[i]
            if a == "--":
                return i + 1 + positional
            if a.startswith("-") and len(a) > 1:
                if a in with_value:
                    i += 2
                    continue
                i += 1
                continue
            if name in ("env", "sudo", "doas") and re.match(r"^[^=\s-][^=\s]*=", a):
                i += 1
                continue
            if name == "nice" and re.fullmatch(r"-?\d+", a):
                i += 1
                continue
            if positional:
                i += positional
                positional = 0
                continue
            return i
        return i

    def unwrap_sudo(self, name: str, words: List[Word], args: List[str], stdin: Stream) -> Optional[List[Word]]:
        if args[:1] in (["--help"], ["-h"], ["--version"], ["-V"]):
            return None
        self.add(Hit(system.SUDO))
        if name == "su":
            for i, a in enumerate(args):
                if a in ("-c", "--command") and i + 1 < len(args):
                    self.code_words([words[i + 2]], "bash", "su -c")
                    return None
            self.add(Hit(system.ROOT_SHELL))
            if stdin.present:
                self.feed_code(stdin, "bash", "su")
            return None
        start = 1 + self.skip_options("sudo", args)
        if start >= len(words):
            if {"-i", "-s", "--login", "--shell"} & set(args) or any(re.fullmatch(r"-[a-zA-Z]*[is]", a) for a in args):
                self.add(Hit(system.ROOT_SHELL))
                if stdin.present:
                    self.feed_code(stdin, "bash", "sudo")
            return None
        return words[start:]

    def env_split_string(self, words: List[Word]) -> Optional[List[Word]]:
        """``env -S 'cmd args'`` runs the split string; anything else after env is printed."""
        for i, w in enumerate(words):
            if w.text in ("-S", "--split-string") and i + 1 < len(words):
                return [Word(p) for p in split_words(words[i + 1].text)] + words[i + 2:]
            if w.text.startswith("-S") and len(w.text) > 2:
                return [Word(p) for p in split_words(w.text[2:])] + words[i + 1:]
        return None

    def xargs(self, name: str, words: List[Word], stdin: Stream, redirects: List[Tuple[str, str]],
              sudo: bool) -> Stream:
        args = [w.text for w in words[1:]]
        if name == "parallel" and ":::" in args:
            cut = args.index(":::")
            inner = words[1:1 + cut]
            inner = inner[self.skip_options("parallel", [w.text for w in inner]):] or [Word("echo")]
            extra = [a for a in args[cut + 1:] if a not in (":::", "::::")]
            if any("{}" in w.text for w in inner):
                # parallel puts each argument where {} stands, and runs a one-word command through a shell.
                for item in extra[:8]:
                    filled = [Word(w.text.replace("{}", item), w.dynamic, w.tricks, w.subs) for w in inner]
                    self.invoke(filled if len(filled) > 1 else [Word(p) for p in split_words(filled[0].text)],
                                Stream(), redirects, sudo)
                return Stream()
            return self.invoke(inner + [Word(a) for a in extra], Stream(), redirects, sudo)
        i = 0
        replace: Optional[str] = None
        while i < len(args):
            a = args[i]
            if a == "--":
                i += 1
                break
            if not a.startswith("-"):
                break
            if a == "-I" and i + 1 < len(args):
                replace = args[i + 1]
            elif a.startswith(("-I", "-i", "--replace")):
                replace = a[2:] if a[:2] in ("-I", "-i") and len(a) > 2 else a.partition("=")[2] or "{}"
            i += 2 if a in _XARGS_VALUES else 1
        inner = words[1 + i:] or [Word("echo")]
        source = stdin.source
        listing = _listing(source)
        if canonical(inner[0].text) == "kill" and system.lists_every_process(source):
            self.add(Hit(system.KILL_ALL))  # pgrep -f . | xargs kill
        known = stdin.text is not None and (source is None or source.name in ("echo", "printf", "cat"))
        if replace is not None:
            items = [line.strip() for line in stdin.text.splitlines() if line.strip()][:8] if known else (
                [listing.root] if listing.root else [])
            for item in items or [replace]:
                self.invoke([Word(w.text.replace(replace, item), w.dynamic, w.tricks, w.subs) for w in inner],
                            Stream(), redirects, sudo, None if known else listing)
            return Stream()
        if known:
            return self.invoke(inner + [Word(p) for p in split_words(stdin.text or "")], Stream(), redirects, sudo)
        if canonical(inner[0].text) in SHELLS and listing.root:
            inner = inner + [Word(listing.root)]  # what the shell sees as $0, $1 …
        return self.invoke(inner, Stream(), redirects, sudo, listing)

    def ssh(self, words: List[Word], args: List[str], stdin: Stream, redirects: List[Tuple[str, str]],
            sudo: bool) -> None:
        i = 0
        while i < len(args) and args[i].startswith("-"):
            i += 2 if args[i] in _SSH_VALUES else 1
        remote = words[i + 2:]
        if remote and remote[0].text == "--":
            remote = remote[1:]
        cmd = Cmd("ssh", args, [w.dynamic for w in words[1:]], redirects, stdin, sudo)
        self.run(cmd, words)
        if remote:
            self.code_words(remote, "bash", "ssh")

    def code_words(self, words: List[Word], lang: str, consumer: str) -> None:
        """Judge code given as arguments (sh -c CODE, eval ARGS, ssh host CMD)."""
        if not words:
            return
        streams = [self.stream_of(s) for w in words for s in w.subs]
        if any(s.network for s in streams):
            self.add(Hit(network.PIPE_TO_SHELL, consumer))
            return
        if any(s.decoded for s in streams):
            self.add(Hit(shell.DECODED_CODE))
            for s in streams:
                if s.text:
                    self.run_code(s.text, lang)
            return
        text = " ".join(w.text for w in words)
        if any(w.dynamic for w in words):
            self.add(Hit(shell.RUNTIME_CODE, consumer))
        self.run_code(text, lang)

    def run_code(self, text: str, lang: str) -> None:
        if lang in ("bash", "fish") or lang in SHELLS:
            self.script(text, "fish" if lang == "fish" else "bash", self.depth + 1)
        else:
            self.inline_code(text, lang)

    def feed_code(self, stream: Stream, lang: str, consumer: str) -> None:
        """Judge code a shell or interpreter reads from its input."""
        if stream.network:
            self.add(Hit(network.PIPE_TO_SHELL, consumer))
        elif stream.decoded:
            self.add(Hit(shell.DECODED_CODE))
            if stream.text:
                self.run_code(stream.text, lang)
        elif stream.text is not None:
            self.run_code(stream.text, lang)
        else:
            self.add(Hit(shell.UNSEEN_CODE))

    def script_operand(self, cmd: Cmd, operand: List[Word], lang: str, consumer: str) -> None:
        if not operand:
            if cmd.stdin.present:
                self.feed_code(cmd.stdin, lang, consumer)
            return
        w = operand[0]
        if w.subs:
            for s in w.subs:
                self.feed_code(self.stream_of(s), lang, consumer)
        elif w.text in ("/dev/stdin", "-", "/proc/self/fd/0"):
            self.feed_code(cmd.stdin, lang, consumer)
        elif self.downloaded(normalize(w.text)):
            self.add(Hit(network.RUN_DOWNLOAD, w.text))
        elif self.written(w.text) is not None:
            self.sourced(w.text, consumer, lang)

    def written(self, path: str) -> Optional[str]:
        """The key under which ``path`` was written earlier on the line, if it was."""
        p = normalize(path)
        for key in (p, p[2:] if p.startswith("./") else "./" + p):
            if key in self.files:
                return key
        return None

    def sourced(self, path: str, consumer: str, lang: str = "bash") -> None:
        """A file a shell reads as code: judged by what the line wrote into it, else unknown code."""
        key = self.written(path)
        if self.downloaded(normalize(path)):
            self.add(Hit(network.RUN_DOWNLOAD, path))
        elif key is not None and self.files[key] is not None:
            self.run_code(self.files[key] or "", lang)
        else:
            self.add(Hit(shell.UNCHECKABLE, consumer))

    def assign_from(self, cmd: Cmd, words: List[Word]) -> None:
        """Variables set from input (read, mapfile) or by printf -v: their value when it is known."""
        if cmd.name == "printf":
            if len(words) > 3:
                text = self.output_of(Cmd("printf", cmd.args[2:]), [words[0]] + words[3:]).text
                self.env[cmd.args[1]] = Word(text) if text is not None else Word(cmd.args[1], dynamic=True)
            return
        opts = cmd.options(("-p", "-d", "-n", "-N", "-t", "-u", "-a", "-C", "-c", "-O", "-s"))
        names = opts.operands or ["REPLY"]
        text = cmd.stdin.text
        lines = text.splitlines() if text is not None else None
        array = opts.value("-a") if cmd.name == "read" else names[0]
        if cmd.name == "read" and array is None:
            fields = (lines[0] if lines else "").split(None, len(names) - 1)
            for i, n in enumerate(names):
                self.env[n] = Word(fields[i] if lines is not None and i < len(fields) else n, dynamic=lines is None)
        elif array:
            items = (lines[0].split() if cmd.name == "read" else lines) if lines else []
            self.env[array] = list_word([Word(i) for i in items]) if lines is not None else Word(array, dynamic=True)

    def positional(self, words: List[Word]) -> None:
        """Set $1 … and "$@" (set -- …, sh -c CODE NAME ARGS …)."""
        for key in [k for k in self.env if k.isdigit() or k in ("@", "*")]:
            del self.env[key]
        for i, w in enumerate(words, start=1):
            self.env[str(i)] = w
        self.env["@"] = self.env["*"] = list_word(words)

    def shell_invocation(self, cmd: Cmd, words: List[Word]) -> None:
        lang = "fish" if cmd.name == "fish" else "bash"
        args = words[1:]
        code_next = reads_stdin = False
        i = 0
        while i < len(args):
            a = args[i].text
            if a == "--" or a == "-":
                i += 1
                break
            if cmd.name == "fish" and a in ("-C", "--init-command"):
                self.code_words(args[i + 1:i + 2], lang, cmd.name)
                i += 2
                continue
            if a in ("--rcfile", "--init-file") and i + 1 < len(args):
                self.sourced(args[i + 1].text, f"{cmd.name} {a}")
            if a in ("-o", "+o", "--rcfile", "--init-file", "-O", "+O"):
                i += 2
                continue
            if a.startswith(("-", "+")) and len(a) > 1:
                if a in ("--command",) or not a.startswith("--") and "c" in a[1:]:
                    code_next = True
                if not a.startswith("--") and "s" in a[1:]:
                    reads_stdin = True
                i += 1
                continue
            break
        rest = args[i:]
        if code_next:
            saved = dict(self.env)
            if len(rest) > 1:
                self.positional(rest[2:])
                self.env["0"] = rest[1]
            try:
                self.code_words(rest[:1], lang, cmd.name)
            finally:
                self.env = saved
        elif reads_stdin or not rest and cmd.stdin.present:
            if cmd.stdin.present:
                self.feed_code(cmd.stdin, lang, cmd.name)
        else:
            self.script_operand(cmd, rest[:1], lang, cmd.name)

    def interpreter(self, cmd: Cmd, words: List[Word], lang: str) -> None:
        code, from_stdin, script = inline.code_of(lang, cmd.args)
        if code is not None:
            idx = next((i for i, a in enumerate(cmd.args) if a == code or a.endswith(code)), None)
            word = words[idx + 1] if idx is not None else Word(code)
            streams = [self.stream_of(s) for s in word.subs]
            if any(s.network for s in streams):
                self.add(Hit(network.PIPE_TO_SHELL, cmd.name))
            elif any(s.decoded for s in streams):
                self.add(Hit(shell.DECODED_CODE))
                for s in streams:
                    if s.text:
                        self.inline_code(s.text, lang)
            self.inline_code(code, lang)
        elif from_stdin and cmd.stdin.present:
            self.feed_code(cmd.stdin, lang, cmd.name)
        elif script:
            w = next((w for w in words[1:] if w.text == script), Word(script))
            self.script_operand(cmd, [w], lang, cmd.name)

    def inline_code(self, code: str, lang: str) -> None:
        for f in inline.scan(code, lang):
            if f.kind == "shell":
                self.script(f.payload, "bash", self.depth + 1)
            elif f.kind in ("delete", "delete-file"):
                for h in filesystem.delete_hits(f.payload, f.kind == "delete"):
                    self.add(h)
            elif f.kind == "rce":
                self.add(Hit(network.PIPE_TO_SHELL, lang))
            elif f.kind == "reverse-shell":
                self.add(Hit(network.REVERSE_SHELL))
            elif f.kind == "fork-bomb":
                self.add(Hit(shell.FORK_BOMB))
            elif f.kind == "decoded":
                self.add(Hit(shell.DECODED_CODE))
            elif f.kind == "write":
                for h in filesystem.writes(f.payload, None, append=False):
                    self.add(h)
            elif f.kind == "uncheckable":
                self.add(Hit(shell.UNCHECKABLE, f.payload))
            else:
                self.add(Hit(shell.INLINE_DYNAMIC, lang))

    def find(self, cmd: Cmd, words: List[Word]) -> None:
        args = cmd.args
        roots: List[str] = []
        i = 0
        while i < len(args) and not args[i].startswith(("-", "(", "!")):
            roots.append(args[i])
            i += 1
        roots = roots or ["."]
        filtered = False
        j = i
        while j < len(args):
            a = args[j]
            if a in ("-exec", "-execdir", "-ok", "-okdir"):
                end = j + 1
                while end < len(args) and args[end] not in (";", "+", "\\;"):
                    end += 1
                inner = words[j + 2:end + 1]
                self.find_exec(inner, roots, filtered, cmd)
                j = end + 1
                continue
            if a == "-delete":
                for root in roots:
                    for h in filesystem.delete_hits(root, True, filtered):
                        self.add(h)
            elif a in ("-fprint", "-fprint0", "-fprintf", "-fls") and j + 1 < len(args):
                for h in filesystem.writes(args[j + 1], None, append=False):
                    self.add(h)
            elif a.startswith("-") and a not in ("-type", "-depth", "-maxdepth", "-mindepth", "-xdev", "-mount",
                                                  "-print", "-print0", "-follow", "-L", "-H", "-P", "-d",
                                                  "-noleaf", "-ignore_readdir_race"):
                filtered = True
            j += 1

    def find_exec(self, inner: List[Word], roots: List[str], filtered: bool, cmd: Cmd) -> None:
        if not inner:
            return
        inner_name = canonical(inner[0].text)
        while inner_name in _WRAPPERS and inner_name not in ("xargs", "parallel", "watch") and len(inner) > 1:
            inner = inner[1 + self.skip_options(inner_name, [w.text for w in inner[1:]]):]
            if not inner:
                return
            inner_name = canonical(inner[0].text)
        for root in roots:
            if inner_name in ("rm", "unlink", "shred", "srm", "rmdir"):
                for h in filesystem.delete_hits(root, True, filtered):
                    self.add(h)
                named = [w for w in inner[1:] if w.text.strip() != "{}"]
                if any(not w.text.startswith("-") for w in named):
                    self.invoke([inner[0]] + named, Stream(), [], cmd.sudo)
                continue
            if inner_name in _IN_PLACE_EDITORS:
                found = [w for w in inner if w.text.strip() != "{}"]
                self.invoke(found, Stream(), [], cmd.sudo, Appended(root, filtered))
                continue
            replaced = [Word(root) if "{}" in w.text and w.text.strip() == "{}" else w for w in inner]
            if inner_name in ("chmod", "chown", "chgrp"):
                replaced = replaced[:1] + [Word("-R")] + replaced[1:]
            self.invoke(replaced, Stream(), [], cmd.sudo)

    def container_command(self, cmd: Cmd, words: List[Word]) -> None:
        """The command docker/podman run or exec, or kubectl exec, runs in the container: judged as such."""
        call = cloud.container_call(cmd.name, cmd.args)
        if call is None:
            return
        inner = ([Word(call.entrypoint)] if call.entrypoint else []) + words[1 + call.body:]
        if inner:
            self.invoke(inner, cmd.stdin, [])

    def alias(self, cmd: Cmd) -> None:
        for a in cmd.args:
            if "=" not in a:
                continue
            name, _, value = a.partition("=")
            self.script(value, "bash", self.depth + 1)
            if name in filesystem.EVERYDAY_COMMANDS:
                self.add(Hit(system.ALIAS, name))


    def key_bindings(self, name: str, args: List[str]) -> None:
        """``bind -x '"KEYS": CMD'`` runs CMD when the keys are pressed; zsh's ``bindkey -s KEYS TEXT``
        types TEXT, which runs when it ends with a newline."""
        if name == "bind":
            for value in args[args.index("-x") + 1:] if "-x" in args else ():
                found = _BIND_COMMAND.fullmatch(value)
                if found:
                    self.script(found.group(1), "bash", self.depth + 1)
        elif "-s" in args:
            typed = [a for a in args[args.index("-s") + 1:] if not a.startswith("-")][1:2]
            for text in typed:
                ending = next((end for end in _TYPED_NEWLINES if text.endswith(end)), None)
                if ending is not None:
                    self.script(text[:-len(ending)], "bash", self.depth + 1)


#: How a newline is written in the text bindkey -s types: it runs the line.
_TYPED_NEWLINES = ("\\n", "\\r", "^M", "^J", "\n", "\r")
#: bind -x '"KEYS": COMMAND': the command a key runs.
_BIND_COMMAND = lazy_regex(r'\s*(?:"(?:[^"\\]|\\.)*"|[^:\s]+)\s*:\s*(.*)', re.S)


def _listing(source: Optional[Cmd]) -> Appended:
    """What the command feeding xargs lists, so that ``xargs rm`` can be judged by scope."""
    if source is None:
        return Appended(None, False)
    operands = [a for a in source.args if not a.startswith("-")]
    if source.name == "find":
        roots = []
        for a in source.args:
            if a.startswith(("-", "(", "!")):
                break
            roots.append(a)
        filtered = any(a.startswith("-") and a not in ("-type", "-print", "-print0", "-maxdepth", "-mindepth",
                                                        "-depth", "-xdev") for a in source.args)
        return Appended(roots[0] if roots else ".", filtered)
    if source.name == "ls":
        return Appended(operands[0] if operands else ".", False)
    if source.name in ("grep", "rg", "ag", "fd", "locate", "git"):
        return Appended(operands[-1] if len(operands) > 1 else ".", True)
    return Appended(None, False)

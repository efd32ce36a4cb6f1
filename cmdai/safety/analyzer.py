"""The safety engine: parse a command line with tree-sitter-bash and judge every command in it.

The walk finds each simple command (in pipelines, lists, subshells, substitutions, function
bodies and here-docs), takes wrappers such as sudo, env or xargs off it, follows code handed
to shells, eval and interpreters, and asks the rule catalog what the command does. The level
of the line is the highest level of anything found.
"""
from __future__ import annotations

import base64
import binascii
import posixpath
import re
import shlex
from typing import Any, Dict, List, Optional, Set, Tuple

from ..lazy_regex import lazy_regex
from . import inline
from .levels import Assessment, Risk
from .rules import Appended, Cmd, Hit, Stream, checked_names, checkers_for
from .rules import cloud, disk, filesystem, network, shell, system
from .rules.paths import normalize, secret_in
from .words import IFS, INDIRECTION, LIST, SEPARATOR, SUBSTITUTION, Word, WordReader, list_word

#: Longest input inspected; the rest of a longer one is reported as not inspected.
MAX_INPUT = 200_000
#: Deepest nesting of code in code (sh -c "eval '…'") that is followed.
MAX_DEPTH = 8

_PARSER: Any = None

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
}
#: Wrappers that also take the command as one string after -c.
_COMMAND_OPTION_WRAPPERS = frozenset(["flock", "runuser", "sg", "chroot", "unshare", "nsenter"])
#: Wrappers followed by one positional argument before the inner command.
_POSITIONAL = {"timeout": 1, "chrt": 1, "taskset": 1, "chroot": 1, "flock": 1, "sg": 1, "gosu": 1, "su-exec": 1,
               "perf": 1}
_XARGS_VALUES = {"-I", "-i", "-L", "-l", "-n", "-P", "-d", "-a", "-s", "-E", "-e", "--replace", "--max-lines",
                 "--max-args", "--max-procs", "--delimiter", "--arg-file", "--max-chars", "--eof",
                 "--process-slot-var"}
_SSH_VALUES = set("-b -c -D -E -e -F -I -i -J -L -l -m -O -o -p -Q -R -S -W -w -B".split())
_HELP = {"--help", "-help", "--version", "--usage"}
_DRY_RUN = re.compile(r"^--(dry-?run|simulate|what-if|just-print|no-act)(=(?!none).*)?$")
_READERS = frozenset(["cat", "head", "tail", "base64", "xxd", "od", "hexdump", "gzip", "tar", "zip", "bzip2",
                      "xz", "gpg", "openssl", "less", "more", "strings", "tac", "nl", "cp", "sed", "awk",
                      "grep", "7z", "dd", "sort", "uniq", "cut"])
_ENV_DUMPS = frozenset(["env", "printenv", "set", "export", "declare", "compgen"])
#: Commands whose relative operands are judged against the directory a ``cd`` moved to.
_PATH_TAKERS = frozenset(["rm", "shred", "chmod", "chown", "chgrp", "find", "unlink", "rmdir", "truncate"])
_INFINITE = frozenset(["/dev/zero", "/dev/urandom", "/dev/random"])
#: Commands that change the files find hands them in place: judged by the tree find walks.
_IN_PLACE_EDITORS = frozenset(["sed", "perl", "truncate"])
#: Commands whose redirections onto a socket hand the far end control of this machine.
_CODE_RUNNERS = SHELLS | {"exec", "eval", "source"}
_SOCKET_PATHS = ("/dev/tcp/", "/dev/udp/")
#: A command word the interactive shell replaces with a line from its history (!!, !-2, !rm).
_HISTORY_EXPANSION = lazy_regex(r"^!(!|-?\d+|\?[^?]+\??|[A-Za-z_./][^\s:]*)(:(?!p)\S*)*$")
#: Node types the walk understands; anything else is code it cannot check.
_KNOWN_NODES = frozenset("""
    program list pipeline command redirected_statement subshell compound_statement if_statement elif_clause
    else_clause while_statement for_statement c_style_for_statement do_group case_statement case_item
    function_definition declaration_command unset_command variable_assignment variable_assignments
    negated_command test_command command_substitution process_substitution heredoc_body heredoc_content
    heredoc_start heredoc_end heredoc_redirect herestring_redirect file_redirect file_descriptor comment word
    raw_string ansi_c_string string string_content translated_string concatenation expansion simple_expansion
    arithmetic_expansion array binary_expression unary_expression postfix_expression ternary_expression
    parenthesized_expression number variable_name special_variable_name subscript brace_expression
    extglob_pattern regex test_operator command_name ERROR""".split())
#: A brace expansion in command position: bash turns {rm,-rf,~} into the words rm -rf ~.
_BRACE_COMMAND = lazy_regex(r"(?:^|(?<=[;&|(`\n]))[ \t]*\{([^{}\s'\"$]*,[^{}\s'\"]*)\}")
_COPROC_GROUP = lazy_regex(r"\bcoproc\s+(?:[A-Za-z_][A-Za-z0-9_]*\s+)?(?=[{(])")
#: A here-doc operator and its delimiter (<<EOF, <<-'EOF', <<"EOF", <<\EOF), not a here-string.
_HEREDOC_OPERATOR = lazy_regex(r"(?<!<)<<(?!<)(-?)\s*(['\"]?)\\?([A-Za-z_0-9.@%+-]+)\2")
#: A command word that bash expands as a file name pattern (/bin/r?, /usr/bin/[r]m).
_GLOB_NAME = lazy_regex(r"[*?]|\[[^\]]+\]")
#: Variables that hold the path of a shell.
_SHELL_VARIABLES = lazy_regex(r"^\$\{?(BASH|SHELL|0|ZSH_ARGZERO|BASH_ARGV0)\}?$")
#: Variables whose value is a command some program runs later (pagers, editors, prompt hooks …).
_CODE_VARIABLES = frozenset(["PROMPT_COMMAND", "PAGER", "MANPAGER", "GIT_PAGER", "SYSTEMD_PAGER", "EDITOR",
                             "VISUAL", "GIT_EDITOR", "GIT_SEQUENCE_EDITOR", "FCEDIT", "GIT_SSH_COMMAND",
                             "GIT_SSH", "GIT_PROXY_COMMAND", "GIT_EXTERNAL_DIFF", "LESSOPEN", "LESSCLOSE",
                             "SSH_ASKPASS", "SUDO_ASKPASS", "GIT_ASKPASS", "RSYNC_RSH", "BROWSER", "PS0", "PS1",
                             "PS2", "PS4", "PROMPT", "RPROMPT", "precmd_functions"])
#: Prompt strings: text shown at every prompt, whose substitutions run each time.
_PROMPTS = frozenset(["PS0", "PS1", "PS2", "PS4", "PROMPT", "RPROMPT"])
#: Variables naming a file every new (non-interactive or sh) shell reads first.
_STARTUP_VARIABLES = frozenset(["BASH_ENV", "ENV", "ZDOTDIR"])


def _parser() -> Any:
    """The tree-sitter parser, created on first use (importing it costs milliseconds)."""
    global _PARSER
    if _PARSER is None:
        import tree_sitter_bash
        from tree_sitter import Language, Parser

        _PARSER = Parser(Language(tree_sitter_bash.language()))
    return _PARSER


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


def _text(node: Any) -> str:
    return node.text.decode("utf-8", "replace")


_KNOWN_COMMANDS: Set[str] = set()


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
    if re.fullmatch(r"python[\d.]*", base):
        return "python"
    if re.fullmatch(r"pip[\d.]*", base):
        return "pip"
    versioned = re.fullmatch(r"(bash|zsh|ksh|mksh|dash|ash|yash|fish|tcsh|csh|sh)[\d.-]+", base)
    if versioned:
        return versioned.group(1)
    return _NAME_ALIASES.get(base, base)


class _Analysis:
    """One classification: the findings so far and what earlier commands on the line set up."""

    def __init__(self) -> None:
        self.hits: List[Hit] = []
        self.env: Dict[str, Word] = {}
        self.downloads: Set[str] = set()
        self.sub_streams: Dict[Tuple[int, int, int], Stream] = {}
        self.depth = 0
        self.tree = 0
        #: The directory an earlier ``cd`` on the line moved to, for judging relative paths.
        self.cwd: Optional[str] = None
        self.trees: List[Any] = []
        #: Descriptors opened onto a network connection earlier on the line (exec 5<>/dev/tcp/…,
        #: zsh's ztcp), with the connection; "$" stands for a descriptor held in a variable.
        self.sockets: Dict[str, str] = {}
        #: Files written earlier on the line, with their content when it is known.
        self.files: Dict[str, Optional[str]] = {}

    # -- results -----------------------------------------------------------------------------

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

    # -- parsing -----------------------------------------------------------------------------

    def script(self, text: str, shell_name: str, depth: int, heredocs: bool = True) -> Stream:
        """Parse and walk a whole script (the line itself, or code found inside it)."""
        if depth > MAX_DEPTH:
            self.add(Hit(shell.TOO_DEEP))
            return Stream()
        if shell_name == "fish":
            from .fish import to_bash

            text = to_bash(text)
        if "coproc" in text:
            # coproc [NAME] { …; } runs the group in the background; the grammar does not know the form.
            text = _COPROC_GROUP.sub(lambda m: " " * len(m.group(0)), text)
        outer = (self.depth, self.tree)
        try:
            tree = _parser().parse(text.encode("utf-8", "surrogatepass"))
            self.depth, self.tree = depth, id(tree)
            self.trees.append(tree)  # keeps id(tree) unique while its nodes are cached
            if tree.root_node.has_error:
                self.add(Hit(shell.UNPARSEABLE))
                if heredocs and "<<" in text:
                    self.heredoc_fallback(text, depth)
            for m in _BRACE_COMMAND.finditer(text):
                self.add(Hit(shell.OBFUSCATED_NAME, m.group(0).strip()))
                self.script(text[:m.start()] + " " + " ".join(m.group(1).split(",")) + text[m.end():],
                            "bash", depth + 1)
            out = self.statement(tree.root_node, Stream())
            if "$(" in text or "`" in text or "<(" in text or ">(" in text:
                self.sweep(tree.root_node)
            return out
        finally:
            self.depth, self.tree = outer

    def heredoc_fallback(self, text: str, depth: int) -> None:
        """Here-docs cut the way bash cuts them, for lines the grammar misreads (a body line "EOF'").

        Every body is judged as code, whatever reads it: the line around them could not be read,
        so what consumes them is not known.
        """
        lines = text.split("\n")
        rest: List[str] = []
        i = 0
        while i < len(lines):
            line = lines[i]
            rest.append(line)
            i += 1
            for m in _HEREDOC_OPERATOR.finditer(line):
                tabs, delimiter = bool(m.group(1)), m.group(3)
                body: List[str] = []
                while i < len(lines) and (lines[i].lstrip("\t") if tabs else lines[i]) != delimiter:
                    body.append(lines[i])
                    i += 1
                i += 1
                self.script("\n".join(body), "bash", depth + 1)
        self.script("\n".join(rest), "bash", depth + 1, heredocs=False)

    def evaluated_variables(self, node: Any, prompt: bool = False) -> None:
        """Variables whose value the shell evaluates again (arithmetic, ${x@P}): a[$(cmd)] in it runs cmd."""
        stack = [node]
        while stack:
            n = stack.pop()
            if n.type == "variable_name":
                value = self.env.get(_text(n))
                if value is None and prompt:
                    self.add(Hit(shell.UNCHECKABLE, f"the prompt expansion of ${_text(n)}"))
                elif value is not None and ("$(" in value.text or "`" in value.text):
                    self.script(": " + value.text.replace(SEPARATOR, " "), "bash", self.depth + 1)
            stack.extend(n.named_children)

    def sweep(self, root: Any) -> None:
        """Walk every substitution the structured walk did not reach: nothing in the tree goes unjudged."""
        stack = [root]
        while stack:
            node = stack.pop()
            if node.type in ("command_substitution", "process_substitution"):
                if (node.start_byte, node.end_byte, self.tree) not in self.sub_streams:
                    self.substitution(node)
                continue
            stack.extend(node.named_children)

    def statement(self, node: Any, stdin: Stream) -> Stream:
        t = node.type
        if t == "command":
            return self.command(node, stdin, [])
        if t == "pipeline":
            return self.pipeline(self.stages(node), stdin)
        if t == "redirected_statement":
            return self.redirected(node, stdin)
        if t == "variable_assignment":
            self.assignment(node)
            return Stream()
        if t == "function_definition":
            self.function(node)
            return Stream()
        if t == "declaration_command":
            for child in node.named_children:
                if child.type == "variable_assignment":
                    self.assignment(child)
                else:
                    self.statement(child, Stream())
            if _text(node).split()[:1] in (["export"], ["declare"]) and len(node.named_children) == 0:
                return Stream(secret="the environment", present=True)
            return Stream()
        if t == "unset_command":
            names = {_text(c) for c in node.named_children}
            if names & {"HISTFILE", "HISTSIZE", "HISTFILESIZE"}:
                self.add(Hit(system.HISTORY_CLEAR))
            return Stream()
        if t in ("command_substitution", "process_substitution"):
            return self.substitution(node)
        if t in ("raw_string", "heredoc_content", "comment", "word", "ansi_c_string"):
            return Stream()
        if t not in _KNOWN_NODES:
            self.add(Hit(shell.UNCHECKABLE, f"a {t.replace('_', ' ')}"))
        elif t == "expansion":
            self.expansion_code(node)
        elif t == "arithmetic_expansion" or t == "compound_statement" and _text(node).startswith("(("):
            self.evaluated_variables(node)
        out = Stream()
        for child in node.named_children:
            out = self.statement(child, stdin if t in ("subshell", "compound_statement") else Stream())
        return out

    def substitution(self, node: Any) -> Stream:
        """Walk a $(…) or <(…) once; what it outputs is remembered for the command using it."""
        key = (node.start_byte, node.end_byte, self.tree)
        if key not in self.sub_streams:
            self.sub_streams[key] = Stream()
            out = Stream()
            for child in node.named_children:
                out = self.statement(child, Stream())
            self.sub_streams[key] = out
        return self.sub_streams[key]

    stream_of = substitution

    def expansion_code(self, node: Any) -> None:
        """Substitutions in ${x:-…} words that the grammar keeps as plain text (${x:=`cmd`})."""
        if _text(node).endswith("@P}"):
            # Prompt expansion runs the substitutions in the variable's value.
            self.evaluated_variables(node, prompt=True)
        for child in node.named_children:
            if child.type in ("word", "string", "concatenation") and ("`" in _text(child) or "$(" in _text(child)):
                self.script(": " + _text(child), "bash", self.depth + 1)

    @staticmethod
    def stages(node: Any) -> List[Any]:
        out: List[Any] = []
        for child in node.named_children:
            if child.type == "pipeline":
                out.extend(_Analysis.stages(child))
            else:
                out.append(child)
        return out

    def pipeline(self, stages: List[Any], stdin: Stream) -> Stream:
        stream = stdin
        names: List[Cmd] = []
        for stage in stages:
            out = self.statement(stage, stream)
            if out.source is not None:
                names.append(out.source)
            stream = stream.joined(out) if stream.present else out.connected()
        # A shell reading its input in the same pipe as a socket: the far end types the commands.
        if any(c.name in SHELLS and not [a for a in c.args if not a.startswith("-")] for c in names) and any(
                c.name in network.SOCKET_TOOLS for c in names):
            self.add(Hit(network.REVERSE_SHELL))
        return stream

    def redirected(self, node: Any, stdin: Stream) -> Stream:
        body = node.child_by_field_name("body")
        while body is not None and body.type == "list" and body.named_children:
            # The grammar hangs the redirections of `a && b >x` on the list; the shell gives them to b.
            *first, body = body.named_children
            for child in first:
                self.statement(child, Stream())
        redirects: List[Tuple[str, str]] = []
        feed = stdin
        continuation: List[Any] = []
        for child in node.children_by_field_name("redirect"):
            feed, redirects = self.redirect(child, feed, redirects, continuation)
        if body is None:
            out = Stream()
            self.write_hits(None, redirects, out)
        elif body.type == "command":
            out = self.command(body, feed, redirects)
        else:
            out = self.statement(body, feed)
            self.write_hits(None, redirects, out)
        for extra in continuation:
            if extra.type == "pipeline":
                out = self.pipeline(self.stages(extra), out.connected())
            else:
                out = self.statement(extra, Stream())
        return out

    def redirect(self, node: Any, feed: Stream, redirects: List[Tuple[str, str]],
                 continuation: List[Any]) -> Tuple[Stream, List[Tuple[str, str]]]:
        t = node.type
        if t == "heredoc_redirect":
            body = next((c for c in node.named_children if c.type == "heredoc_body"), None)
            for c in node.named_children:
                if c.type not in ("heredoc_start", "heredoc_body", "heredoc_end", "file_redirect"):
                    continuation.append(c)
                elif c.type == "file_redirect":
                    _, redirects = self.redirect(c, feed, redirects, continuation)
            if body is not None:
                self.statement(body, Stream())
                start = next((_text(c) for c in node.named_children if c.type == "heredoc_start"), "")
                if not re.search(r"['\"\\]", start):
                    # An unquoted here-doc runs its backquotes too; the grammar keeps them as text.
                    for m in re.finditer(r"`([^`]*)`", _text(body)):
                        self.script(m.group(1), "bash", self.depth + 1)
                return Stream(text=_text(body), present=True), redirects
            return Stream(text="", present=True), redirects
        if t == "herestring_redirect":
            word = next((c for c in node.named_children), None)
            if word is None:
                return feed, redirects
            self.statement(word, Stream())
            w = self.read(word)
            streams = [self.stream_of(s) for s in w.subs]
            return Stream(text=None if w.dynamic else w.text, network=any(s.network for s in streams),
                          decoded=any(s.decoded for s in streams), secret=next((s.secret for s in streams if s.secret), None),
                          present=True), redirects
        if t == "file_redirect":
            dest = node.child_by_field_name("destination")
            op = next((_text(c) for c in node.children if not c.is_named), ">")
            if op == "<" and any(c.type == "ERROR" and _text(c) == ">" for c in node.children):
                op = "<>"  # the grammar does not know N<>file
            fd = next((_text(c) for c in node.named_children if c.type == "file_descriptor"), None)
            if dest is None:
                return feed, redirects
            if dest.type == "process_substitution":
                s = self.stream_of(dest)
                return (s.connected() if op.startswith("<") else feed), redirects
            self.statement(dest, Stream())
            target = self.read(dest).text
            if op in (">&", "<&"):
                socket = self.sockets.get("$" if target.startswith("$") else target)
                if socket is not None:
                    # A copy of a descriptor that holds a network connection.
                    if op == "<&" and fd in (None, "0"):
                        return Stream(network=True, present=True), redirects
                    return feed, redirects + [(">&", socket)]
            if op in ("<", "<>"):
                path = normalize(target)
                if path.startswith(_SOCKET_PATHS):
                    self.add(Hit(network.RAW_SOCKET, path))
                    if fd not in (None, "0"):
                        self.sockets[fd] = path
                        return feed, redirects
                    return Stream(network=True, present=True), redirects
                return Stream(network=self.downloaded(path), secret=secret_in(target),
                              endless=path in _INFINITE, present=True), redirects
            if op in (">&", "<&", ">&-") and re.fullmatch(r"\d*-?", target):
                return feed, redirects
            return feed, redirects + [(op, target)]
        return feed, redirects

    # -- commands ------------------------------------------------------------------------------

    def read(self, node: Any) -> Word:
        return WordReader(self.env).read(node)

    def assignment(self, node: Any) -> None:
        name_node = node.child_by_field_name("name")
        value = node.child_by_field_name("value")
        name = _text(name_node) if name_node is not None else ""
        if name_node is not None and name_node.type == "subscript":
            self.statement(name_node, Stream())
            name = ""
        self.env[name] = self.assigned(value)
        self.env_hits(name, self.env[name].text)

    def assigned(self, value: Any) -> Word:
        """The value of an assignment; an array keeps its elements apart."""
        if value is None:
            return Word("")
        self.statement(value, Stream())
        if value.type == "array":
            return list_word([self.read(c) for c in value.named_children])
        return self.read(value)

    def env_hits(self, name: str, value: str) -> None:
        if name.startswith("BASH_FUNC_") and value.lstrip().startswith("("):
            # An exported function: bash defines it from the environment (shellshock-style).
            self.script("f" + value, "bash", self.depth + 1)
        if name in _CODE_VARIABLES and value:
            code = value.lstrip("|") if name.startswith("LESS") else value
            if name in _PROMPTS:
                code = ": " + code if ("$(" in code or "`" in code) else ""
            if code:
                self.script(code, "bash", self.depth + 1)
        if name in _STARTUP_VARIABLES and value:
            self.sourced(value, f"the file ${name} names")
        if name == "PATH" and "$PATH" not in value and "${PATH}" not in value:
            self.add(Hit(system.PATH_CHANGE, "PATH"))
        elif name in ("LD_PRELOAD", "LD_LIBRARY_PATH", "LD_AUDIT", "DYLD_INSERT_LIBRARIES", "PROMPT_COMMAND"):
            self.add(Hit(system.PATH_CHANGE, name))
        elif name == "HISTFILE" and value in ("/dev/null", "") or name in ("HISTSIZE", "HISTFILESIZE", "SAVEHIST") and value == "0":
            self.add(Hit(system.HISTORY_CLEAR))
        for h in network.env_tls_hits(name, value):
            self.add(h)

    def function(self, node: Any) -> None:
        name_node = node.child_by_field_name("name")
        body = node.child_by_field_name("body")
        if body is None:
            return
        fname = _text(name_node) if name_node is not None else ""
        calls = 0
        stack = [body]
        while stack:
            n = stack.pop()
            if n.type == "command":
                cname = n.child_by_field_name("name")
                if cname is not None and _text(cname) == fname:
                    calls += 1
            stack.extend(n.named_children)
        if calls >= 2:
            self.add(Hit(shell.FORK_BOMB))
        self.statement(body, Stream())

    def command(self, node: Any, stdin: Stream, redirects: List[Tuple[str, str]]) -> Stream:
        words: List[Word] = []
        prefix_env: List[Tuple[str, Word]] = []
        children = node.children
        for i, child in enumerate(children):
            field = node.field_name_for_child(i)
            after = children[i + 1] if i + 1 < len(children) else node.next_sibling
            if field in ("name", "argument") and _glued_descriptor(child, after):
                continue
            if child.type == "variable_assignment":
                name_node = child.child_by_field_name("name")
                value = child.child_by_field_name("value")
                prefix_env.append((_text(name_node) if name_node is not None else "", self.assigned(value)))
            elif field == "name":
                self.statement(child, Stream())
                words.append(self.read(child.named_children[0] if child.named_child_count == 1 else child))
            elif field == "argument":
                self.statement(child, Stream())
                words.append(self.read(child))
            elif field == "redirect" or child.type in ("herestring_redirect", "file_redirect"):
                stdin, redirects = self.redirect(child, stdin, redirects, [])
            elif child.is_named:
                self.statement(child, Stream())
        for name, w in prefix_env:
            self.env_hits(name, w.text)
        if not words:
            for name, w in prefix_env:
                self.env[name] = w
            return Stream()
        return self.invoke(words, stdin, redirects)

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
                if any(normalize(t).startswith(_SOCKET_PATHS) for op, t in redirects if not op.startswith("<")):
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
                self.unknown_runner(words, stdin, redirects, sudo)
                return Stream()
            if _GLOB_NAME.search(head.text) and head.text not in ("[", "[["):
                self.glob_command(words, stdin, redirects, sudo)
                return Stream()
            if _HISTORY_EXPANSION.match(head.text):
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
                    code = next((i for i, a in enumerate(args[:-1]) if a in ("-c", "--command")), None)
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
            if name == "ssh":
                self.ssh(words, args, stdin, redirects, sudo)
                return Stream(network=True)
            cmd = Cmd(name, args, [w.dynamic for w in words[1:]], redirects, stdin, sudo, appended)
            return self.run(cmd, words)
        return Stream()

    def split_lists(self, words: List[Word]) -> List[Word]:
        """Words that expand to several ("${x[@]}", "$@", $x after IFS=,) split into them."""
        ifs = self.env["IFS"].text if "IFS" in self.env else " \t\n"
        if not any(LIST in w.tricks or ifs and INDIRECTION in w.tricks for w in words):
            return words
        out: List[Word] = []
        for w in words:
            if LIST in w.tricks:
                tricks = [t for t in w.tricks if t != LIST]
                out.extend(Word(part, w.dynamic, list(tricks), w.subs) for part in w.text.split(SEPARATOR) if part)
            elif ifs and INDIRECTION in w.tricks:
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
                return [Word(p) for p in _split(words[i + 1].text)] + words[i + 2:]
            if w.text.startswith("-S") and len(w.text) > 2:
                return [Word(p) for p in _split(w.text[2:])] + words[i + 1:]
        return None

    def xargs(self, name: str, words: List[Word], stdin: Stream, redirects: List[Tuple[str, str]],
              sudo: bool) -> Stream:
        args = [w.text for w in words[1:]]
        if name == "parallel" and ":::" in args:
            cut = args.index(":::")
            inner = words[1:1 + cut]
            inner = inner[self.skip_options("parallel", [w.text for w in inner]):]
            extra = [Word(a) for a in args[cut + 1:]]
            return self.invoke((inner or [Word("echo")]) + extra, Stream(), redirects, sudo)
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
        known = stdin.text is not None and (source is None or source.name in ("echo", "printf", "cat"))
        if replace is not None:
            items = [line.strip() for line in stdin.text.splitlines() if line.strip()][:8] if known else (
                [listing.root] if listing.root else [])
            for item in items or [replace]:
                self.invoke([Word(w.text.replace(replace, item), w.dynamic, w.tricks, w.subs) for w in inner],
                            Stream(), redirects, sudo, None if known else listing)
            return Stream()
        if known:
            return self.invoke(inner + [Word(p) for p in _split(stdin.text or "")], Stream(), redirects, sudo)
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

    # -- running a command ----------------------------------------------------------------------

    def run(self, cmd: Cmd, words: List[Word]) -> Stream:
        name = cmd.name
        if name in ("cd", "pushd"):
            operands = [a for a in cmd.args if not a.startswith("-")]
            target = operands[0] if operands else "~"
            self.cwd = None if target == "-" else posixpath.join(self.cwd, target) if self.cwd else target
            return Stream()
        if self.cwd is not None and name in _PATH_TAKERS:
            cmd.args = [_relative_to(self.cwd, a) for a in cmd.args]
        if set(cmd.args) & _HELP or any(_DRY_RUN.match(a) for a in cmd.args) or (
                name == "git" and cmd.args[:1] == ["help"]) or name in ("which", "whereis", "type",
                                                                         "apropos", "whatis", "tldr", "info"):
            return Stream()
        lang = inline.language_of(name)
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
        for check in checkers_for(name):
            for h in check(cmd):
                self.add(h)
        if name == "tee":
            opts = cmd.options()
            for target in opts.operands:
                self.remember(target, cmd.stdin.text, "a" in opts.shorts or "--append" in opts.longs)
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
        out.secret = next((s.secret for s in streams if s.secret), None)
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

    def write_hits(self, cmd: Optional[Cmd], redirects: List[Tuple[str, str]], out: Stream) -> None:
        for op, target in redirects:
            if op.startswith("<"):
                continue
            path = normalize(target)
            if path.startswith(_SOCKET_PATHS):
                if cmd is not None and cmd.name in _CODE_RUNNERS:
                    self.add(Hit(network.REVERSE_SHELL))
                elif out.secret:
                    self.add(Hit(network.EXFILTRATE, out.secret))
                else:
                    self.add(Hit(network.RAW_SOCKET, path))
                continue
            for h in disk.redirect_hits(path):
                self.add(h)
            if out.endless and not path.startswith("/dev/"):
                self.add(Hit(disk.FILL, path))
            self.wrote(path, out, append=op in (">>", "&>>"))
            if out.network and cmd is not None:
                self.downloads.add(path)

    def wrote(self, path: str, out: Stream, append: bool) -> None:
        """Judge writing ``out`` to ``path`` and remember the content for a later source or run."""
        for h in filesystem.writes(path, out.text, append=append):
            self.add(h)
        if out.network:
            for h in filesystem.runs_later(path):
                self.add(h)
        self.remember(path, out.text, append)

    def remember(self, path: str, text: Optional[str], append: bool) -> None:
        key = normalize(path)
        before = self.files.get(key, "") if append else ""
        self.files[key] = None if text is None or before is None else before + text

    def note_download(self, cmd: Cmd) -> None:
        if cmd.name not in ("curl", "wget", "fetch", "aria2c", "http", "xh"):
            return
        opts = cmd.options(("-o", "--output", "-O", "--output-document", "-P", "--directory-prefix", "-H",
                            "--header", "-d", "--data", "-X", "--request", "-u", "--user", "-A", "-e", "-F"))
        out = opts.value("-o", "--output", "--output-document") if cmd.name != "wget" else opts.value(
            "-O", "--output-document")
        if out and out != "-":
            self.downloads.add(normalize(out))
            self.wrote(out, Stream(network=True), append=False)
        for url in opts.operands:
            base = posixpath.basename(url.split("?")[0].rstrip("/"))
            if base and ("O" in opts.shorts or "--remote-name" in opts.longs or cmd.name == "wget"):
                self.downloads.add(base)

    def downloaded(self, path: str) -> bool:
        return bool(path) and (path in self.downloads or posixpath.basename(path) in self.downloads
                               or path.lstrip("./") in self.downloads)

    # -- code inside commands --------------------------------------------------------------------

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
            if name in ("rm", "ls", "cd", "sudo", "git", "cp", "mv", "cat", "echo", "grep", "ssh", "sh", "bash"):
                self.add(Hit(system.ALIAS, name))


def _glued_descriptor(child: Any, after: Any) -> bool:
    """Whether ``child`` is the descriptor of the redirection right after it (``0<&5``).

    The grammar reads the digits of ``N<&M`` as a word of the command when no descriptor node
    is made for them.
    """
    return (after is not None and after.type == "file_redirect" and after.start_byte == child.end_byte
            and _text(child).isdigit())


def _relative_to(cwd: str, arg: str) -> str:
    if not arg or arg.startswith(("-", "/", "~", "$")) or "=" in arg:
        return arg
    return posixpath.join(cwd, arg)


def _split(text: str) -> List[str]:
    try:
        return shlex.split(text)
    except ValueError:
        return text.split()


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


def _decode(name: str, args: List[str], text: Optional[str]) -> Optional[str]:
    if text is None:
        return None
    if name == "base64" or name == "openssl":
        try:
            return base64.b64decode("".join(text.split()), validate=False).decode("utf-8", "replace")
        except (binascii.Error, ValueError):
            return None
    if name == "rev":
        return "\n".join(line[::-1] for line in text.splitlines())
    if name == "xxd":
        try:
            return bytes.fromhex("".join(text.split())).decode("utf-8", "replace")
        except ValueError:
            return None
    return None

"""Programs that run commands named in their options or input: the code they run is judged too.

Terminal multiplexers (tmux, screen, script), editors and pagers with shell escapes (vim, ex,
ed, less, man), archivers and copiers with command options (tar, zip, rsync, ssh), make
reading a makefile from its input, sed's ``e`` command, gdb, hyperfine. Each checker returns
the code as a ``RUNS`` hit (no danger by itself) that the engine judges like the line itself;
code that cannot be read is "runs code that cmdai cannot check".
"""
from __future__ import annotations

import re

from ...lazy_regex import lazy_regex
from ..words import join_words, split_words
from .base import Cmd, Hit, checks, option_values
from .filesystem import writes
from .shell import INLINE_DYNAMIC, RUNS, UNCHECKABLE, code_from_input

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Iterable, List, Optional, Tuple


def runs(code: Optional[str], consumer: str, lang: str = "bash") -> Hit:
    """The code ``consumer`` runs, or an unknown-code finding when it cannot be read."""
    if code is None:
        return Hit(UNCHECKABLE, consumer)
    return Hit(RUNS, consumer, code=code, lang=lang)


# -- terminal multiplexers -----------------------------------------------------------------------

_TMUX_RUNS_SHELL = {"new-session": 0, "new": 0, "new-window": 0, "neww": 0, "split-window": 0, "splitw": 0,
                    "respawn-pane": 0, "respawnp": 0, "respawn-window": 0, "respawnw": 0, "display-popup": 0,
                    "popup": 0, "run-shell": 0, "run": 0, "pipe-pane": 0, "pipep": 0, "if-shell": 1, "if": 1}
#: tmux commands whose arguments after the key or hook name are another tmux command.
_TMUX_NESTED = {"bind-key": 1, "bind": 1, "set-hook": 1, "confirm-before": 0, "confirm": 0}
_TMUX_VALUES = set("-c -e -F -n -s -t -x -y -f -l -p -T -S -L -N -X -Y".split())
_POPUP_VALUES = set("-c -d -e -h -s -S -t -T -w -x -y -b".split())
_TMUX_KEYS_AS_ENTER = {"Enter", "C-m", "KPEnter", "C-j"}


@checks("tmux")
def check_tmux(cmd: Cmd) -> List[Hit]:
    args = list(cmd.args)
    hits: List[Hit] = []
    i = 0
    while i < len(args) and args[i].startswith("-"):
        if args[i] == "-c" and i + 1 < len(args):
            hits.append(runs(args[i + 1], "tmux -c"))
        i += 2 if args[i] in ("-c", "-f", "-L", "-S", "-T") else 1
    return hits + _tmux_commands(args[i:])


def _tmux_commands(args: List[str]) -> List[Hit]:
    hits: List[Hit] = []
    current: List[str] = []
    for a in args + [";"]:
        if a in (";", "\\;"):
            if current:
                hits += _tmux_command(current[0], current[1:])
            current = []
        elif a.endswith("\\;") or a.endswith(" ;") and len(a) > 2:
            current.append(a[:-2].rstrip())
            hits += _tmux_command(current[0], current[1:])
            current = []
        else:
            current.append(a)
    return hits


def _tmux_command(name: str, args: List[str]) -> List[Hit]:
    values = _POPUP_VALUES if name in ("display-popup", "popup") else _TMUX_VALUES
    operands: List[str] = []
    i = 0
    while i < len(args):
        a = args[i]
        if a.startswith("-") and len(a) > 1 and not operands:
            i += 2 if a in values else 1
            continue
        operands.append(a)
        i += 1
    if name in _TMUX_RUNS_SHELL:
        skip = _TMUX_RUNS_SHELL[name]
        shell_words = operands[skip:skip + 1] if skip else operands
        if skip:
            # if-shell CONDITION TMUX-COMMAND [ELSE-COMMAND]: the branches are tmux commands.
            return [runs(" ".join(shell_words), f"tmux {name}")] + [
                h for o in operands[1:] for h in _tmux_commands(split_words(o))]
        return [runs(" ".join(shell_words), f"tmux {name}")] if shell_words else []
    if name in ("send-keys", "send"):
        literal = "-l" in args
        typed = "".join("\n" if not literal and o in _TMUX_KEYS_AS_ENTER else o + ("" if literal else " ")
                        for o in operands)
        return [runs(typed, "tmux send-keys")] if typed.strip() else []
    if name in _TMUX_NESTED and len(operands) > _TMUX_NESTED[name]:
        rest = operands[_TMUX_NESTED[name]:]
        return _tmux_commands(split_words(rest[0]) if len(rest) == 1 else rest)
    if name in ("set-option", "set", "set-window-option", "setw") and len(operands) >= 2 and operands[0] in (
            "default-command", "default-shell"):
        return [runs(operands[1], f"tmux {operands[0]}")]
    return []


_SCREEN_VALUES = set("cehpstSTX")


@checks("screen")
def check_screen(cmd: Cmd) -> List[Hit]:
    args = cmd.args
    i = 0
    while i < len(args) and args[i].startswith("-") and args[i] != "--":
        flag = args[i]
        if flag == "-X":
            return _screen_command(args[i + 1:])
        if flag in ("-ls", "-list", "-wipe", "-v", "-r", "-R", "-x", "-D", "-d"):
            i += 1
            continue
        takes = flag[-1] in _SCREEN_VALUES and not flag.startswith("--")
        if flag[-1] == "s" and flag != "-s":
            takes = False  # -dmS NAME takes a value; -ls does not
        i += 2 if takes else 1
        if takes and flag[-1] == "X":
            return _screen_command(args[i - 1:])
    program = args[i + (1 if i < len(args) and args[i] == "--" else 0):]
    return [runs(join_words(program), "screen")] if program else []


def _screen_command(args: List[str]) -> List[Hit]:
    if not args:
        return []
    if args[0] == "stuff" and len(args) > 1:
        return [runs(args[1].replace("^M", "\n").replace("\\n", "\n").replace("\\r", "\n"), "screen stuff")]
    if args[0] in ("exec", "screen") and len(args) > 1:
        return [runs(join_words(a for a in args[1:] if not a.startswith("!")), f"screen {args[0]}")]
    return []


@checks("script")
def check_script(cmd: Cmd) -> List[Hit]:
    args = cmd.args
    hits: List[Hit] = []
    for i, a in enumerate(args):
        if a.startswith("--command="):
            hits.append(runs(a[len("--command="):], "script -c"))
        elif (a == "--command" or re.fullmatch(r"-[a-zA-Z]*c", a)) and i + 1 < len(args):
            hits.append(runs(args[i + 1], "script -c"))
    return hits


# -- editors and pagers -------------------------------------------------------------------------

#: An ex command that runs a shell command: :!cmd, :r !cmd, :w !cmd, :{range}!filter, :sh, :terminal cmd.
_EX_SHELL = lazy_regex(r"^[:\s]*[\d.$,%'<>+\-]*\s*(?:(?:r|re|read|w|write|e|edit|new|vnew|silent!?)\s+!|!"
                       r"|(?:ter|term|terminal)\s+)(.*)$", re.S)
_EX_CALL = lazy_regex(r"\b(?:system|systemlist|jobstart|termopen)\s*\(\s*(?:'([^']*)'|\"((?:[^\"\\]|\\.)*)\")")
_EX_DYNAMIC = lazy_regex(r"\b(?:system|systemlist|jobstart|termopen)\s*\(\s*[^'\"\s)]|^[:\s]*(?:exe|execute)\b"
                         r"|^[:\s]*(?:so|source|runtime|luafile|pyfile|py3file|rubyfile|perlfile)\b")
_EX_LANG = lazy_regex(r"^[:\s]*(py|python|py3|python3|pyx|lua|perl|ruby|rub)\s+(.*)$", re.S)
_EX_LANGS = {"py": "python", "python": "python", "py3": "python", "python3": "python", "pyx": "python",
             "lua": "lua", "perl": "perl", "ruby": "ruby", "rub": "ruby"}


def ex_commands(lines: Iterable[str], consumer: str) -> List[Hit]:
    """What vim/ex commands run outside the editor."""
    hits: List[Hit] = []
    for line in lines:
        for part in line.split("|") if "!" not in line else [line]:
            m = _EX_SHELL.match(part)
            if m:
                hits.append(runs(m.group(1) or None, consumer))
                continue
            lang = _EX_LANG.match(part)
            if lang:
                hits.append(runs(lang.group(2), consumer, _EX_LANGS[lang.group(1)]))
                continue
            for call in _EX_CALL.finditer(part):
                hits.append(runs(call.group(1) if call.group(1) is not None else call.group(2), consumer))
            if _EX_DYNAMIC.search(part):
                hits.append(Hit(UNCHECKABLE, consumer))
            if re.match(r"^[:\s]*sh(ell)?\s*$", part):
                hits.append(Hit(UNCHECKABLE, f"{consumer}: an interactive shell"))
    return hits


@checks("vim", "vi", "nvim", "view", "vimdiff", "gvim", "ex", "evim", "rvim", "rview", "nvi", "elvis", "vile")
def check_vim(cmd: Cmd) -> List[Hit]:
    args = cmd.args
    lines = option_values(args, ("-c", "--cmd")) + [a[1:] for a in args if a.startswith("+") and len(a) > 1]
    hits = ex_commands(lines, cmd.name)
    silent = cmd.name == "ex" or any(a in ("-e", "-E", "-es", "-Es") for a in args)
    for script in option_values(args, ("-S", "-u") if silent else ("-S", "-s", "-u")):
        if script not in ("NONE", "NORC", "DEFAULTS"):
            hits.append(Hit(UNCHECKABLE, f"the {cmd.name} script {script}"))
    if silent and cmd.stdin.present and "-" not in args:
        if cmd.stdin.text is None:
            hits += code_from_input(cmd.stdin, cmd.name)
        else:
            hits += ex_commands(cmd.stdin.text.splitlines(), cmd.name)
    return hits


_ED_SHELL = lazy_regex(r"^[\d.$,;'+\-a-z]*\s*[rweWE]?\s*!(.*)$")


@checks("ed", "red")
def check_ed(cmd: Cmd) -> List[Hit]:
    if not cmd.stdin.present:
        return []
    if cmd.stdin.text is None:
        return code_from_input(cmd.stdin, cmd.name)
    return [runs(m.group(1), cmd.name) for m in map(_ED_SHELL.match, cmd.stdin.text.splitlines()) if m]


@checks("less", "more", "most")
def check_pager(cmd: Cmd) -> List[Hit]:
    hits: List[Hit] = []
    for a in cmd.args:
        if a.startswith("+") and ("!" in a or "|" in a):
            # less runs the text after ! (or after |MARK) as a shell command.
            bang = a.find("!")
            hits.append(runs(a[bang + 1:] if bang >= 0 else a[a.index("|") + 2:], cmd.name))
    return hits


@checks("man")
def check_man(cmd: Cmd) -> List[Hit]:
    return [runs(pager, "man --pager") for pager in option_values(cmd.args, ("-P", "--pager", "-H", "--html"))
            if pager]


# -- archivers, copiers and remote shells with command options ------------------------------------


@checks("tar", "bsdtar", "gtar")
def check_tar(cmd: Cmd) -> List[Hit]:
    args = cmd.args
    hits = [runs(c, "tar") for c in option_values(args, ("--to-command", "--use-compress-program", "-I",
                                                           "--rsh-command", "--info-script", "--new-volume-script",
                                                           "-F"))]
    for action in option_values(args, ("--checkpoint-action",)):
        name, _, value = action.partition("=")
        if name == "exec":
            hits.append(runs(value, "tar --checkpoint-action"))
    return hits


@checks("zip")
def check_zip(cmd: Cmd) -> List[Hit]:
    return [runs(c, "zip --unzip-command") for c in option_values(cmd.args, ("-TT", "--unzip-command"))]


@checks("rsync")
def check_rsync_shell(cmd: Cmd) -> List[Hit]:
    return [runs(c, "rsync --rsh") for c in option_values(cmd.args, ("-e", "--rsh", "--rsync-path"))]


_SSH_COMMAND_OPTIONS = lazy_regex(r"^\s*(ProxyCommand|LocalCommand|KnownHostsCommand|RemoteCommand|"
                                  r"PKCS11Provider|SecurityKeyProvider)\s*[= ]\s*(.*)$", re.I | re.S)


@checks("ssh", "scp", "sftp", "autossh", "sshfs")
def check_ssh_options(cmd: Cmd) -> List[Hit]:
    hits: List[Hit] = []
    for option in option_values(cmd.args, ("-o",)):
        m = _SSH_COMMAND_OPTIONS.match(option)
        if m and m.group(2).strip().lower() != "none":
            hits.append(runs(m.group(2), f"ssh {m.group(1)}"))
    if cmd.name in ("scp", "sftp"):
        hits += [runs(p, f"{cmd.name} -S") for p in option_values(cmd.args, ("-S",))]
    return hits


# -- make, sed, gdb, benchmarks ----------------------------------------------------------------------

_MAKE_SHELL = lazy_regex(r"\$[({]shell\s+([^)}]*)[)}]")


def makefile_code(text: str) -> str:
    """The shell code of a makefile: its recipe lines and $(shell …) calls."""
    code = [line.lstrip("\t").lstrip("@+-") for line in text.splitlines() if line.startswith("\t")]
    code += _MAKE_SHELL.findall(text)
    return "\n".join(code)


@checks("make", "gmake", "bmake")
def check_make(cmd: Cmd) -> List[Hit]:
    hits = [runs(makefile_code(e), "make --eval") for e in option_values(cmd.args, ("--eval", "-E"))]
    # The grammar drops a lone "-" before a here-doc, so a trailing -f means the same as -f -.
    if any(f in ("-", "/dev/stdin") for f in option_values(cmd.args, ("-f", "--file", "--makefile"))) or (
            cmd.args[-1:] in (["-f"], ["--file"])):
        stdin = cmd.stdin
        if stdin.text is not None and not stdin.network:
            hits.append(runs(makefile_code(stdin.text), "make -f -"))
        else:
            hits += code_from_input(stdin, "make -f -")
    return hits


def sed_programs(cmd: Cmd) -> List[str]:
    """The sed scripts given on the command line."""
    opts = cmd.options(("-e", "--expression", "-f", "--file", "-l", "--line-length"))
    given = option_values(cmd.args, ("-e", "--expression"))
    if given or option_values(cmd.args, ("-f", "--file")):
        return given
    return opts.operands[:1]


_SED_ADDRESS = lazy_regex(r"\s*(?:\d+(?:~\d+)?|\$|/(?:[^/\\]|\\.)*/[IM]*|\\(.)(?:(?!\1).)*\1[IM]*)?"
                          r"(?:\s*,\s*(?:\d+|\$|/(?:[^/\\]|\\.)*/[IM]*|[+~]\d+))?\s*!?\s*")


def sed_actions(script: str) -> Tuple[List[Optional[str]], List[str]]:
    """(commands an ``e`` runs — None for the pattern space —, files ``w`` writes) in a sed script."""
    commands: List[Optional[str]] = []
    files: List[str] = []
    i = 0
    n = len(script)
    while i < n:
        m = _SED_ADDRESS.match(script, i)
        i = m.end() if m else i
        if i >= n:
            break
        c = script[i]
        i += 1
        if c in ";\n{}":
            continue
        if c in "sy":
            if i >= n:
                break
            delim = script[i]
            i += 1
            parts: List[str] = []
            for _ in range(2):
                start = i
                while i < n and script[i] != delim:
                    i += 2 if script[i] == "\\" else 1
                parts.append(script[start:i])
                i += 1
            flags_start = i
            while i < n and script[i] not in ";\n}":
                if script[i] == "w" and c == "s":
                    end = script.find("\n", i)
                    files.append(script[i + 1:end if end >= 0 else n].strip())
                    i = end if end >= 0 else n
                    break
                i += 1
            if c == "s" and "e" in script[flags_start:i] and len(parts) == 2:
                commands.append(parts[1].replace("\\" + delim, delim) if "\\" not in parts[1].replace(
                    "\\" + delim, "") and "&" not in parts[1] else None)
            continue
        if c in "aicrRwWe:btTv#":
            end = script.find("\n", i)
            end = n if end < 0 else end
            if c in "btT:" and ";" in script[i:end]:
                end = script.index(";", i)
            rest = script[i:end].strip()
            if c == "e":
                commands.append(rest or None)
            elif c in "wW":
                files.append(rest)
            i = end
            continue
        # Other one-letter commands (p, d, q, l …) and their optional numbers.
        while i < n and script[i].isdigit():
            i += 1
    return commands, files


@checks("sed", "gsed")
def check_sed_exec(cmd: Cmd) -> List[Hit]:
    hits: List[Hit] = []
    for script in sed_programs(cmd):
        commands, files = sed_actions(script)
        for code in commands:
            if code is not None:
                hits.append(runs(code, "sed e"))
            elif cmd.stdin.present and cmd.stdin.text is not None:
                hits.append(runs(cmd.stdin.text, "sed e"))
            elif cmd.stdin.present:
                hits += code_from_input(cmd.stdin, "sed e")
            else:
                hits.append(Hit(INLINE_DYNAMIC, "sed"))
        for target in files:
            if target not in ("/dev/stdout", "/dev/stderr"):
                hits += writes(target, None, append=False)
    return hits


@checks("gdb", "lldb")
def check_debugger(cmd: Cmd) -> List[Hit]:
    hits: List[Hit] = []
    for line in option_values(cmd.args, ("-ex", "--ex", "-eval-command", "--eval-command", "-o", "--one-line")):
        m = re.match(r"^\s*(?:shell|!|platform shell)\s*(.*)$", line, re.S)
        py = re.match(r"^\s*(?:python|script)\s+(.*)$", line, re.S)
        if m:
            hits.append(runs(m.group(1), cmd.name))
        elif py:
            hits.append(runs(py.group(1), cmd.name, "python"))
    return hits


@checks("hyperfine")
def check_hyperfine(cmd: Cmd) -> List[Hit]:
    values = ("-p", "--prepare", "-s", "--setup", "-c", "--cleanup", "--conclude", "-S", "--shell", "-w",
              "--warmup", "-r", "--runs", "-m", "--min-runs", "-M", "--max-runs", "--export-json",
              "--export-markdown", "--export-csv", "-L", "--parameter-list", "-P", "--parameter-scan", "-n",
              "--command-name", "-u", "--time-unit", "--style", "--output", "--sort", "-D", "--parameter-step-size")
    code = option_values(cmd.args, values[:7]) + cmd.options(values).operands
    return [runs(c, "hyperfine") for c in code]


# -- git and project runners -------------------------------------------------------------------------

#: git subcommand -> options whose value is a command git runs.
_GIT_COMMAND_OPTIONS = {
    "clone": ("--upload-pack", "-u", "--template"), "fetch": ("--upload-pack",), "pull": ("--upload-pack",),
    "ls-remote": ("--upload-pack", "-u"), "archive": ("--exec",), "push": ("--receive-pack", "--exec"),
    "rebase": ("--exec", "-x"), "difftool": ("--extcmd", "-x"), "mergetool": ("--tool-help",),
    "filter-branch": ("--env-filter", "--tree-filter", "--index-filter", "--parent-filter", "--msg-filter",
                      "--commit-filter", "--tag-name-filter"),
}


@checks("git")
def check_git_commands(cmd: Cmd) -> List[Hit]:
    from .git import split_git

    sub, args, _ = split_git(cmd.args)
    hits = [runs(c, f"git {sub}") for c in option_values(args, _GIT_COMMAND_OPTIONS.get(sub, ()))
            if not c.startswith("--")]
    if sub == "submodule" and "foreach" in args:
        rest = [a for a in args[args.index("foreach") + 1:] if a not in ("--recursive", "-q", "--quiet")]
        hits.append(runs(" ".join(rest), "git submodule foreach"))
    if sub == "bisect" and args[:1] == ["run"]:
        hits.append(runs(join_words(args[1:]), "git bisect run"))
    for url in args:
        if url.startswith("ext::"):
            # The ext transport runs its URL as a command; "% " is a space.
            argv = [a.replace("% ", " ").replace("%%", "%") for a in re.split(r"(?<!%) ", url[5:]) if a]
            hits.append(runs(join_words(argv), "git ext::"))
    return hits


#: Project tools that run a command in their environment: tool -> (subcommands, options taking a value).
_RUNNERS = {
    "uv": (("run",), ("--with", "--python", "-p", "--project", "--directory", "--package", "--env-file", "--extra",
                      "--group", "--index")),
    "poetry": (("run",), ("-C", "--directory", "-P", "--project")), "pipenv": (("run",), ()),
    "pdm": (("run",), ("-p", "--project")), "hatch": (("run",), ("-e", "--env")), "rye": (("run",), ()),
    "pixi": (("run", "exec"), ("-e", "--environment", "--manifest-path")), "bundle": (("exec",), ("--gemfile",)),
    "conda": (("run",), ("-n", "--name", "-p", "--prefix", "--cwd")),
    "mamba": (("run",), ("-n", "--name", "-p", "--prefix", "--cwd")),
    "micromamba": (("run",), ("-n", "--name", "-p", "--prefix", "--cwd")),
    "npm": (("exec", "x"), ("--package", "-w", "--workspace")), "pnpm": (("exec", "dlx"), ("--filter", "-C", "--dir")),
    "yarn": (("exec",), ()), "direnv": (("exec",), ()), "mise": (("exec", "x"), ()), "asdf": (("exec",), ()),
    "pyenv": (("exec",), ()), "rbenv": (("exec",), ()), "opam": (("exec",), ("--switch",)),
    "nix": (("develop", "shell"), ()), "dotenv": ((), ("-e", "-f", "-c", "-v")),
}


@checks(*_RUNNERS, "npx", "nix-shell")
def check_runner(cmd: Cmd) -> List[Hit]:
    args = cmd.args
    if cmd.name in ("npx", "npm", "nix-shell", "nix"):
        code = option_values(args, ("-c", "--call", "--run", "--command"))
        if code:
            return [runs(c, f"{cmd.name} -c") for c in code]
        if cmd.name in ("nix-shell", "npx"):
            return []
    subs, with_value = _RUNNERS[cmd.name]
    i = 0
    if subs:
        while i < len(args) and args[i] not in subs:
            i += 1
        i += 1
    if cmd.name == "direnv":
        i += 1  # the directory
    if "--" in args[i:]:
        rest = args[args.index("--", i) + 1:]
    else:
        while i < len(args) and args[i].startswith("-"):
            i += 2 if args[i] in with_value else 1
        rest = args[i:]
    return [runs(join_words(rest), f"{cmd.name} {'/'.join(subs) or 'run'}")] if i <= len(args) and rest else []


# -- search, watch and fleet tools ---------------------------------------------------------------------


@checks("rg", "ripgrep")
def check_ripgrep(cmd: Cmd) -> List[Hit]:
    return [runs(c, "rg --pre") for c in option_values(cmd.args, ("--pre", "--hostname-bin"))]


_FZF_ACTION = lazy_regex(r"(?:execute(?:-silent)?|become|reload|preview)\s*[(\[{<:]([^)\]}>]*)")


@checks("fzf", "sk")
def check_fzf(cmd: Cmd) -> List[Hit]:
    hits = [runs(c, f"{cmd.name} --preview") for c in option_values(cmd.args, ("--preview",))]
    for binding in option_values(cmd.args, ("--bind",)):
        hits += [runs(m.group(1), f"{cmd.name} --bind") for m in _FZF_ACTION.finditer(binding)]
    return hits


@checks("watchexec", "nodemon", "entr")
def check_watchers(cmd: Cmd) -> List[Hit]:
    if cmd.name == "nodemon":
        return [runs(c, "nodemon --exec") for c in option_values(cmd.args, ("--exec", "-x"))]
    if cmd.name == "entr":
        return []  # a wrapper: the engine judges the command after its options
    values = ("-w", "--watch", "-e", "--exts", "-f", "--filter", "-i", "--ignore", "-d", "--debounce", "--shell",
              "-s", "--signal", "--project-origin", "--workdir", "-E", "--env")
    rest = cmd.args[cmd.args.index("--") + 1:] if "--" in cmd.args else cmd.options(values).operands
    return [runs(" ".join(rest) if len(rest) == 1 else join_words(rest), "watchexec")] if rest else []


@checks("ansible")
def check_ansible(cmd: Cmd) -> List[Hit]:
    module = next(iter(option_values(cmd.args, ("-m", "--module-name"))), "command")
    if module.split(".")[-1] not in ("shell", "command", "raw", "script"):
        return []
    return [runs(a, f"ansible -m {module}") for a in option_values(cmd.args, ("-a", "--args"))]


@checks("salt", "salt-call", "salt-ssh")
def check_salt(cmd: Cmd) -> List[Hit]:
    args = cmd.args
    return [runs(args[i + 1] if i + 1 < len(args) else None, f"{cmd.name} {a}") for i, a in enumerate(args)
            if a in ("cmd.run", "cmd.shell", "cmd.run_all", "cmd.script", "cmd.exec_code")]


@checks("pdsh", "pssh", "parallel-ssh", "clush", "mussh")
def check_fleet(cmd: Cmd) -> List[Hit]:
    values = ("-w", "-x", "-h", "-H", "-l", "-p", "-t", "-o", "-e", "-O", "-g", "-R", "-f", "-i")
    operands = cmd.options(values).operands
    return [runs(" ".join(operands), cmd.name)] if operands else []

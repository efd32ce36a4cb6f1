"""What interpreter one-liners (python -c, perl -e, ruby -e, node -e, php -r, awk …) do.

The code of a one-liner is another language, so it is scanned for the calls that reach the
system: shell commands (``os.system``, ``system()``, backticks) are handed back for the
shell engine to judge, file deletions become the equivalent ``rm``.
"""
from __future__ import annotations

import re

from ..lazy_regex import lazy_regex
from .finding import Finding
from .words import join_words, quote_word

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import List, Optional, Tuple

_STR = r"""(?:'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)")"""

_NODE_FS = r"(?:\bfs\w*\.|require\(\s*['\"](?:node:)?fs(?:/promises)?['\"]\s*\)\.|(?<![\w.]))"
#: Language -> (calls that run a shell string, calls that delete recursively, calls that delete one file).
_CALLS = {
    "python": (
        [r"\bos\.(?:system|popen)\s*\(\s*", r"\bsubprocess\.\w+\s*\(\s*", r"\bcommands\.getoutput\s*\(\s*",
         r"\bpty\.spawn\s*\(\s*"],
        [r"\bshutil\.rmtree\s*\(\s*"],
        [r"\bos\.(?:remove|unlink|rmdir|removedirs)\s*\(\s*", r"\bPath\s*\(\s*(?=" + _STR + r"\s*\)\s*\.unlink)"],
    ),
    "node": (
        [r"\b(?:exec|execSync|spawn|spawnSync|execFile|execFileSync)\s*\(\s*"],
        [_NODE_FS + r"(?:rmSync|rm|rmdirSync|rmdir)\s*\(\s*(?=" + _STR + r"[^)]*recursive)"],
        [_NODE_FS + r"(?:unlinkSync|unlink|rmSync|rm)\s*\(\s*"],
    ),
    "ruby": (
        [r"\b(?:system|exec|spawn|IO\.popen|Open3\.\w+)\s*\(?\s*"],
        [r"\bFileUtils\.(?:rm_rf|rm_r|remove_dir|remove_entry|remove_entry_secure)\s*\(?\s*"],
        [r"\b(?:File\.delete|FileUtils\.rm|FileUtils\.rm_f|File\.unlink)\s*\(?\s*"],
    ),
    "perl": (
        [r"\b(?:system|exec)\s*\(?\s*"],
        [r"\b(?:rmtree|remove_tree)\s*\(?\s*"],
        [r"\bunlink\s*\(?\s*"],
    ),
    "php": (
        [r"\b(?:system|exec|shell_exec|passthru|popen|proc_open)\s*\(\s*"],
        [],
        [r"\bunlink\s*\(\s*"],
    ),
    "awk": ([r"\bsystem\s*\(\s*"], [], []),
    "lua": ([r"\bos\.execute\s*\(\s*", r"\bio\.popen\s*\(\s*"], [], [r"\bos\.remove\s*\(\s*"]),
}
#: Literal arguments of a call: "cmd", or "prog", "arg" …, or "prog", ["arg" …] (a program and its argv).
_ARGS = (r"(?P<args>" + _STR + r"(?:\s*,\s*(?:" + _STR + r"|\[\s*" + _STR + r"(?:\s*,\s*" + _STR
         + r")*\s*\]))*)")
_BACKTICKS = lazy_regex(r"`([^`]+)`|%x\(([^)]*)\)|qx[({/]([^)}/]*)[)}/]")
_LIST_CALL = lazy_regex(r"\b(?:subprocess\.\w+|os\.exec\w*|spawn\w*|execFile\w*)\s*\(\s*\[([^\]]*)\]")
_SHELL_TRUE = lazy_regex(r"shell\s*=\s*True")
_SOCKET = lazy_regex(r"\bsocket\b|IO::Socket|TCPSocket|fsockopen|net\.(?:Socket|connect|createConnection)|"
                     r"/inet/tcp|socket\.connect|Socket\.new", re.I)
_SPAWN = lazy_regex(r"dup2|pty\.spawn|subprocess|/bin/(?:ba)?sh|\bexec\b|\bspawn\b|proc_open|popen|"
                    r"shell_exec|\bsystem\b|cmd\.exe|open\s*\(\s*STDIN|\|&\s*getline", re.I)
_FETCH = lazy_regex(r"urlopen|urllib|requests\.get|http\.client|LWP|HTTP::Tiny|open-uri|Net::HTTP|"
                    r"\bfetch\s*\(|https?\.get|file_get_contents\s*\(\s*['\"]https?:|curl_exec|wget|curl")
_EVAL = lazy_regex(r"\b(?:exec|eval|instance_eval|Function)\s*\(|\beval\b|\bsystem\b|\bsh\b")
_DECODE = lazy_regex(r"b64decode|base64_decode|decode_base64|atob\s*\(|Buffer\.from\([^)]*base64|"
                     r"unpack\(['\"]m|codecs\.decode|bytes\.fromhex|\.decode\(['\"]hex|fromCharCode|"
                     r"\[::-1\]|\.reverse\(\)|chr\(\d+\)\s*\.\s*chr|rot13", re.I)
_FORK = lazy_regex(r"fork\s+while\s+fork|while\s*\(?\s*(1|true|True)\s*\)?\s*[:{]?\s*(os\.)?fork|"
                   r"loop\s*\{\s*fork|for\s*\(\s*;\s*;\s*\)\s*fork|while\s*True\s*:\s*os\.fork", re.I)
_DYNAMIC_SHELL = {
    "python": lazy_regex(r"\bos\.(?:system|popen)\s*\(\s*[^'\"\s)]"),
    "perl": lazy_regex(r"\bsystem\s*\(?\s*\$"),
    "ruby": lazy_regex(r"\bsystem\s*\(?\s*[a-z_@$]"),
    "php": lazy_regex(r"\b(?:system|exec|shell_exec|passthru)\s*\(\s*\$"),
    "node": lazy_regex(r"\bexec(?:Sync)?\s*\(\s*[a-zA-Z_`$]"),
}
#: awk: "cmd" | getline, and print … | "cmd" (a shell runs cmd; a shell fed the printed text runs that).
_AWK_GETLINE = lazy_regex(r"\"((?:[^\"\\]|\\.)*)\"\s*\|&?\s*getline")
_AWK_PRINT_TO = lazy_regex(r"\bprint[f]?\b\s*(?:\(?\s*\"((?:[^\"\\]|\\.)*)\"\s*\)?)?[^|\n;}]*\|&?\s*\"((?:[^\"\\]|\\.)*)\"")
_AWK_PRINT_DYNAMIC = lazy_regex(r"(?<!\|)\|(?!\|)&?(?!\s*getline)\s*[A-Za-z_$(]|[A-Za-z_)\]]\s*\|&?\s*getline|"
                                r"\bsystem\s*\(\s*[^\"\s)]")
#: How each language names the home directory; replaced by "~" so that deletes of it are seen.
_HOME = {
    "node": r"require\(\s*['\"]os['\"]\s*\)\.homedir\(\)|\bos\.homedir\(\)|process\.env\.HOME\b|"
            r"process\.env\[['\"]HOME['\"]\]",
    "ruby": r"\bDir\.home\b|ENV\[['\"]HOME['\"]\]|File\.expand_path\(\s*['\"]~['\"]\s*\)",
    "perl": r"\$ENV\{\s*['\"]?HOME['\"]?\s*\}|\bglob\(\s*['\"]~['\"]\s*\)",
    "php": r"getenv\(\s*['\"]HOME['\"]\s*\)|\$_(?:SERVER|ENV)\[['\"]HOME['\"]\]",
    "lua": r"os\.getenv\(\s*['\"]HOME['\"]\s*\)",
    "awk": r"ENVIRON\[\"HOME\"\]",
}
#: Calls whose target or code is computed at run time: the code cannot be checked.
_UNCHECKABLE = {
    "node": r"\beval\s*\(\s*[^'\"`\s)]|\bnew\s+Function\s*\(|\bvm\.run|"
            + _NODE_FS + r"(?:rmSync|rm|rmdirSync|rmdir|unlinkSync|unlink)\s*\(\s*[^'\"`\s)]",
    "ruby": r"\beval\s*\(?\s*[^'\"\s)]|\b(?:instance|class|module)_eval\b|\.send\s*\(|"
            r"\bFileUtils\.(?:rm_rf|rm_r|rm|remove_dir)\s*\(?\s*[^'\"\s)(]",
    "perl": r"\beval\s*\(?\s*\$|\b(?:rmtree|remove_tree|unlink)\s*\(?\s*[$@]",
    "php": r"\beval\s*\(\s*\$|\bcreate_function\b|\bassert\s*\(\s*\$|\bunlink\s*\(\s*\$",
    "lua": r"\bload(?:string)?\s*\(|\b(?:dofile|loadfile)\s*\(|\bos\.remove\s*\(\s*[^'\"\s)]",
}


def language_of(name: str) -> Optional[str]:
    # Each pattern is tried only on a name that starts as it does: most names are none of these.
    if name.startswith(("python", "pypy", "ipython")) and re.fullmatch(r"python[\d.]*|pypy[\d.]*|ipython[\d.]*", name):
        return "python"
    if name in ("node", "nodejs", "deno", "bun"):
        return "node"
    if name in ("perl", "ruby", "php", "lua"):
        return name
    if name.startswith("perl") and re.fullmatch(r"perl[\d.]+", name):
        return "perl"
    if name.startswith(("ruby", "jruby")) and re.fullmatch(r"ruby[\d.]+|jruby", name):
        return "ruby"
    if name.startswith("php") and re.fullmatch(r"php[\d.]+", name):
        return "php"
    if name in ("awk", "gawk", "mawk", "nawk", "busybox-awk"):
        return "awk"
    if name in ("pwsh", "powershell", "powershell.exe", "pwsh.exe"):
        return "powershell"
    if name in _OTHER_INTERPRETERS:
        return "other"
    if name.startswith("lua") and re.fullmatch(r"lua(jit|[\d.]+)?", name):
        return "lua"
    return None


def code_of(lang: str, args: List[str]) -> Tuple[Optional[str], bool, Optional[str]]:
    """(inline code, whether the program comes from stdin, the script file) for an invocation."""
    code_flags = {"python": ("-c",), "node": ("-e", "--eval", "-p", "--print", "eval"), "ruby": ("-e",),
                  "perl": ("-e", "-E"), "php": ("-r",), "lua": ("-e",), "awk": (),
                  "powershell": ("-c", "-command", "-Command", "-C", "--command"),
                  "other": ("-e", "-c", "--eval", "--execute", "-E", "-x")}[lang]
    pieces: List[str] = []
    i = 0
    while i < len(args):
        a = args[i]
        if lang == "powershell" and a.lower() in ("-encodedcommand", "-enc", "-e", "-ec") and i + 1 < len(args):
            return _powershell_decoded(args[i + 1]), False, None
        if lang == "powershell" and a in code_flags and i + 1 < len(args):
            return " ".join(args[i + 1:]), False, None
        if lang == "powershell" and a.lower() in ("-file", "-f") and i + 1 < len(args):
            return None, False, args[i + 1]
        if lang in ("perl", "ruby") and re.fullmatch(r"-[a-zA-Z]*[eE]", a) and i + 1 < len(args):
            pieces.append(args[i + 1])
            i += 2
            continue
        if a in code_flags and i + 1 < len(args):
            pieces.append(args[i + 1])
            if lang == "python":
                return "\n".join(pieces), False, None
            i += 2
            continue
        if lang == "python" and a.startswith("-c") and len(a) > 2:
            return a[2:], False, None
        if lang == "python" and a == "-m":
            return None, False, None
        if lang == "awk" and a in ("-f",):
            return None, False, args[i + 1] if i + 1 < len(args) else None
        if lang == "awk" and a in ("-F", "-v") and i + 1 < len(args):
            i += 2
            continue
        if a.startswith("-") and a != "-":
            i += 1
            continue
        if pieces:
            break
        if lang == "awk":
            return a, False, None
        if a == "-":
            return None, True, None
        return None, False, a
    if pieces:
        return "\n".join(pieces), False, None
    return None, True, None


def base64_text(data: str, encoding: str = "utf-8") -> Optional[str]:
    """``data`` decoded from base64 (characters outside the alphabet, blanks too, are skipped) as
    ``encoding`` text, or None when it is not base64."""
    import base64

    try:
        return base64.b64decode(data).decode(encoding, "replace")
    except ValueError:  # binascii.Error is one
        return None


def _powershell_decoded(text: str) -> str:
    """The script of powershell -EncodedCommand (base64 of UTF-16LE); marked so the scan sees the encoding."""
    return "#encoded\n" + (base64_text(text, "utf-16-le") or "")


_PS_DELETE = lazy_regex(r"\b(?:Remove-Item|rm|del|erase|rd|rmdir|ri)\b([^;|\n]*)", re.I)
_PS_PATH = lazy_regex(r"(?:-(?:Literal)?Path\s+)?(?:'([^']*)'|\"([^\"]*)\"|([~$\w:\\/.*-]+))")
_PS_HOME = lazy_regex(r"\$(?:env:USERPROFILE|env:HOME|HOME)\b|~", re.I)


def _powershell(code: str) -> List[Finding]:
    """PowerShell is not read in full: deletes are judged by target, anything else cannot be checked."""
    found: List[Finding] = [Finding("uncheckable", "PowerShell code, which cmdai does not read in full")]
    if code.startswith("#encoded\n"):
        found.append(Finding("decoded"))
    for m in _PS_DELETE.finditer(code):
        rest = m.group(1)
        recursive = re.search(r"-r(ecurse)?\b", rest, re.I) is not None
        for p in _PS_PATH.finditer(rest):
            path = next((g for g in p.groups() if g), "")
            if path and not path.startswith("-"):
                path = _PS_HOME.sub("~", path).replace("\\", "/")
                if re.fullmatch(r"[A-Za-z]:/?", path):
                    path = "/"
                found.append(Finding("delete" if recursive else "delete-file", path))
                break
    if re.search(r"\b(iex|Invoke-Expression)\b", code, re.I) and re.search(
            r"\b(iwr|irm|Invoke-WebRequest|Invoke-RestMethod|DownloadString|DownloadFile|WebClient)\b", code, re.I):
        found.append(Finding("rce"))
    return found


#: Interpreters cmdai does not read beyond the commands their code visibly runs.
_OTHER_INTERPRETERS = frozenset(["Rscript", "R", "julia", "tclsh", "wish", "expect", "osascript", "guile", "racket",
                                 "groovy", "sbcl", "clojure", "elixir", "erl", "swift", "kotlin", "scala", "jshell",
                                 "octave", "gnuplot", "tcc", "crystal", "nim", "raku", "rakudo", "pwsh-preview"])
_OTHER_SHELL = lazy_regex(r"(?:\bsystem2?|\bshell|\brun|\bSys\.command|\bos\.execute|\bpopen|do shell script)"
                          r"\s*\(?\s*(?:`([^`]*)`|\"((?:[^\"\\]|\\.)*)\"|'([^']*)')")
_TCL_EXEC = lazy_regex(r"(?:^|[\[;{\s])(?:spawn|exec)\s+([^\n;\]}]+)")


def _other(code: str) -> List[Finding]:
    found = [Finding("uncheckable", "code in a language cmdai does not read")]
    for m in _OTHER_SHELL.finditer(code):
        found.append(Finding("shell", _unescape(next(g for g in m.groups() if g is not None))))
    for m in _TCL_EXEC.finditer(code):
        found.append(Finding("shell", m.group(1)))
    return found


def scan(code: str, lang: str) -> List[Finding]:
    """The system-level actions visible in a one-liner's code."""
    found: List[Finding] = []
    shell_calls, rec_deletes, file_deletes = _CALLS.get(lang, ([], [], []))
    if lang == "python":
        from . import pycode

        found += pycode.scan(code)
    elif lang == "powershell":
        return _powershell(code)
    elif lang == "other":
        return _other(code)
    else:
        found += _lexical(_home_spelled(code, lang), lang, shell_calls, rec_deletes, file_deletes)
    for m in re.finditer(r"(?:b64decode|base64_decode|decode_base64|atob)\s*\(\s*b?" + _STR, code):
        decoded = base64_text(m.group(1) if m.group(1) is not None else m.group(2))
        if decoded is None:
            continue
        if any(re.search(p, code) for p in shell_calls):
            found.append(Finding("shell", decoded))
    if _SOCKET.search(code) and _SPAWN.search(code):
        found.append(Finding("reverse-shell"))
    if _FETCH.search(code) and _EVAL.search(code):
        found.append(Finding("rce"))
    if _DECODE.search(code) and _EVAL.search(code):
        found.append(Finding("decoded"))
    if _FORK.search(code):
        found.append(Finding("fork-bomb"))
    return found


def _home_spelled(code: str, lang: str) -> str:
    """The code with the language's ways of naming the home directory replaced by ~."""
    pattern = _HOME.get(lang)
    if pattern is None:
        return code

    def repl(m: "re.Match[str]") -> str:
        before = code[:m.start()].rstrip()[-1:]
        return '"~"' if before in ("(", ",", "=", "") else "~"

    return re.sub(pattern, repl, code)


def _lexical(code: str, lang: str, shell_calls: List[str], rec_deletes: List[str],
             file_deletes: List[str]) -> List[Finding]:
    """Calls of the language's process and deletion APIs with literal arguments, found by pattern."""
    found: List[Finding] = []
    for pattern in shell_calls:
        for m in re.finditer(pattern + _ARGS, code):
            found.append(Finding("shell", _command_of(m.group("args"))))
    for m in _LIST_CALL.finditer(code):
        parts = [_unescape(a if a else b) for a, b in re.findall(_STR, m.group(1))]
        if parts:
            found.append(Finding("shell", join_words(parts)))
    if lang in ("ruby", "perl", "php", "node") or lang == "python" and _SHELL_TRUE.search(code):
        for m in _BACKTICKS.finditer(code):
            body = next(g for g in m.groups() if g is not None)
            if lang != "node" or "exec" in code:
                found.append(Finding("shell", body))
    for pattern in rec_deletes:
        for m in re.finditer(pattern + _STR, code):
            found.append(Finding("delete", _unescape(m.group(1) if m.group(1) is not None else m.group(2))))
    for pattern in file_deletes:
        for m in re.finditer(pattern + _STR, code):
            found.append(Finding("delete-file", _unescape(m.group(1) if m.group(1) is not None else m.group(2))))
    if lang == "awk":
        found += _awk_pipes(code)
    unchecked = _UNCHECKABLE.get(lang)
    if unchecked and re.search(unchecked, code):
        found.append(Finding("uncheckable", f"{lang} code that computes what it runs or deletes"))
    dynamic = _DYNAMIC_SHELL.get(lang)
    if dynamic and dynamic.search(code) and not any(f.kind == "shell" for f in found):
        found.append(Finding("dynamic", lang))
    return found


def _command_of(args: str) -> str:
    """The command line literal call arguments stand for: one string is a shell command, several an argv."""
    parts = [_unescape(a if a is not None and a != "" or b is None else b) for a, b in re.findall(_STR, args)]
    if len(parts) == 1:
        return parts[0]
    # An argv is not expanded by a shell, but ~ here stands for the home directory the code named.
    return " ".join(p if p == "~" or p.startswith("~/") else quote_word(p) for p in parts)


def _awk_pipes(code: str) -> List[Finding]:
    """awk's pipes: "cmd" | getline runs cmd; print X | "cmd" runs cmd, and X too when cmd is a shell."""
    found = [Finding("shell", _unescape(m.group(1))) for m in _AWK_GETLINE.finditer(code)]
    for m in _AWK_PRINT_TO.finditer(code):
        target = _unescape(m.group(2))
        if target.strip() in ("sh", "bash", "zsh", "dash", "/bin/sh", "/bin/bash", "sh -s", "bash -s"):
            found.append(Finding("shell", _unescape(m.group(1))) if m.group(1) is not None
                         else Finding("dynamic", "awk"))
        else:
            found.append(Finding("shell", target))
    if _AWK_PRINT_DYNAMIC.search(code):
        found.append(Finding("dynamic", "awk"))
    return found


_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "0": "\0", "e": "\x1b"}


def _unescape(s: str) -> str:
    """A string literal's text: \\n is a newline (a line break for the shell), \\" a quote."""
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), m.group(1)), s, flags=re.S)



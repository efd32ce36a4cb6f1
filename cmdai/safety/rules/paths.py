"""What a path argument points at, as far as its text tells: the scope rules judge by."""
from __future__ import annotations

import re
from enum import Enum

from ...lazy_regex import lazy_regex

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Optional, Tuple


class Scope(Enum):
    ROOT = "/"
    SYSTEM = "a system directory"
    ALL_HOMES = "every home directory"
    HOME = "the whole home directory"
    DEVICE = "a block device"
    SYSTEM_PART = "part of a system directory"
    HOME_PART = "a directory in the home directory"
    CWD_ALL = "everything in the current, previous or parent directory"
    COMPUTED = "a path known only when the command runs"
    EMPTY_VAR = "a path that becomes / when a variable is empty"
    OTHER_ABSOLUTE = "an absolute path"
    TEMP = "a temporary directory"
    NAMED = "a named path"


#: Top-level directories whose loss breaks the system.
SYSTEM_DIRS = frozenset(
    "bin boot dev etc lib lib32 lib64 libx32 opt proc root run sbin srv sys usr var snap "
    "System Library Applications Users Volumes private".split()
)
_HOME_VARS = ("$HOME", "${HOME}")
_HOME_WITH_DEFAULT = lazy_regex(r"^\$\{HOME:?[-?=][^}]*\}(?=/|$)")
_TEMP_PREFIXES = ("/tmp/", "/var/tmp/", "/private/tmp/", "/dev/shm/")
_TEMP_VAR = lazy_regex(r"^\$\{?TMPDIR(?::-[^}]*)?\}?(/|$)")
_VAR_PREFIX = lazy_regex(r"^\$\{?[A-Za-z_][A-Za-z0-9_]*(?:[:#%/^,@-][^}]*)?\}?/")
#: The current directory spelled as a variable or a command (``~+`` is normalised to $PWD, ``~-`` to
#: $OLDPWD), and the previous directory, which may be any directory.
_CWD = lazy_regex(r"\$\{?(?:PWD|OLDPWD)\}?|\$\(\s*pwd(?:\s+-[LP])?\s*\)|`\s*pwd(?:\s+-[LP])?\s*`")
#: A parameter expansion that transforms its value (``${PATH:0:1}``, ``${x#*/}``, ``${!name}``), beyond a
#: plain name and the default, error and alternative forms.
_TRANSFORMED = lazy_regex(r"\$\{(?![A-Za-z_]\w*(?:\[[^]]*\])?(?::?[-=?+][^}]*)?\})[^}]*\}")
#: A command substitution whose output is a fresh temporary directory.
_MKTEMP = lazy_regex(r"\$\(\s*mktemp\b[^()`]*\)|`\s*mktemp\b[^()`]*`")
_BLOCK_DEVICE = lazy_regex(
    r"^/dev/(sd[a-z]|hd[a-z]|vd[a-z]|xvd[a-z]|nvme\d|mmcblk\d|disk\d|rdisk\d|md\d|dm-\d|"
    r"mapper/|loop\d|sr\d|nbd\d|zd\d)"
)


def normalize(path: str) -> str:
    """Collapse the spellings that mean the same place: quotes are gone already; // and /./."""
    p = path.strip()
    p = re.sub(r"/+", "/", p)
    p = re.sub(r"(/\.)+(/|$)", "/", p)
    # ${HOME:-…}, ${HOME:?…} and ${HOME:=…} are the home directory whenever HOME is set.
    p = _HOME_WITH_DEFAULT.sub("~", p, count=1)
    for home in _HOME_VARS:
        if p == home or p.startswith(home + "/"):
            p = "~" + p[len(home):]
    if p.startswith("/root") and (len(p) == 5 or p[5] == "/"):
        p = "~" + p[5:]
    if p.startswith(("~+", "~-")) and (len(p) == 2 or p[2] == "/"):
        # The current and the previous directory (bash, zsh), not the home directory.
        p = ("$PWD" if p[1] == "+" else "$OLDPWD") + p[2:]
    if "/.." in p and p.startswith(("/", "~/")):
        p = _resolve_parents(p)
    return p


_SELF = "/home/\x00self"


def _resolve_parents(p: str) -> str:
    """~/../.. is /, /etc/../ is /: climbing out of a directory reaches what is above it."""
    import posixpath

    resolved = posixpath.normpath(_SELF + p[1:] if p.startswith("~") else p)
    if resolved.startswith(_SELF):
        return "~" + resolved[len(_SELF):]
    return resolved


def is_block_device(path: str) -> bool:
    return bool(_BLOCK_DEVICE.match(normalize(path)))


def is_glob_all(part: str) -> bool:
    return part in ("*", ".*", "*.*", "{*,.*}", ".[!.]*", "..?*", ".??*")


def scope(path: str) -> Scope:
    """How much a recursive operation on ``path`` reaches."""
    p = normalize(path)
    if not p:
        return Scope.NAMED
    if is_block_device(p):
        return Scope.DEVICE
    stripped = p.rstrip("/") or "/"
    head, rest = _head(stripped)
    if _CWD.fullmatch(head) or head.startswith(("$(", "`")) or _TRANSFORMED.fullmatch(head):
        # The current or previous directory, or what a command prints or an expansion makes (a fresh
        # temporary directory, or a place cmdai cannot see): the whole of it, or something named inside it.
        if rest and not is_glob_all(rest) and ".." not in rest.split("/"):
            return Scope.NAMED
        return Scope.CWD_ALL if _CWD.fullmatch(head) else Scope.TEMP if _MKTEMP.fullmatch(head) else Scope.COMPUTED
    if _VAR_PREFIX.match(p):
        return Scope.TEMP if _TEMP_VAR.match(p) else Scope.EMPTY_VAR
    if stripped in ("/tmp", "/var/tmp"):
        return Scope.TEMP
    if stripped in ("/", "/*", "/.*"):
        return Scope.ROOT
    if stripped in ("~", "~/*", "~/.*") or re.fullmatch(r"~/?(\.\*|\*|\.)?", stripped):
        return Scope.HOME
    if re.fullmatch(r"/home(/\*?)?|/Users(/\*)?|/home/[^/]+/?\*?|/Users/[^/]+/?\*?", stripped):
        return Scope.ALL_HOMES if stripped in ("/home", "/home/*", "/Users", "/Users/*") else Scope.HOME
    if stripped.startswith("~"):
        return Scope.HOME_PART if not re.match(r"~[^/]", stripped) else Scope.HOME
    if _TEMP_VAR.match(stripped):
        return Scope.TEMP
    if stripped.startswith(_TEMP_PREFIXES):
        return Scope.TEMP
    if stripped.startswith(("/home/", "/Users/")):
        return Scope.HOME_PART
    if _VAR_PREFIX.match(stripped) or re.fullmatch(r'\$\{?[A-Za-z_]\w*\}?/?\*', stripped):
        return Scope.EMPTY_VAR
    if stripped.startswith("/"):
        parts = stripped.strip("/").split("/")
        top = parts[0]
        if len(parts) == 1:
            # Every top-level directory but /tmp holds the system or mounted data.
            return Scope.SYSTEM_PART if top == "tmp" else Scope.SYSTEM
        if len(parts) == 2 and (top, parts[1]) in (("var", "lib"), ("usr", "bin"), ("usr", "lib"),
                                                   ("usr", "sbin"), ("usr", "share"), ("usr", "local"),
                                                   ("var", "log")):
            return Scope.SYSTEM if parts[1] != "log" else Scope.SYSTEM_PART
        if len(parts) == 2 and is_glob_all(parts[1]) and top in SYSTEM_DIRS:
            return Scope.SYSTEM
        if top in SYSTEM_DIRS:
            return Scope.SYSTEM_PART
        return Scope.OTHER_ABSOLUTE
    first = stripped.split("/")[0]
    rest = stripped[len(first):].strip("/")
    if first in (".", "..") and (not rest or is_glob_all(rest)):
        return Scope.CWD_ALL
    if is_glob_all(first) and not rest:
        return Scope.CWD_ALL
    return Scope.NAMED


def _head(path: str) -> Tuple[str, str]:
    """The first part of ``path`` and the rest: ``$(cmd …)/rest`` and ``${x#*/}/rest`` split after the
    substitution or expansion, which may hold slashes itself."""
    if path.startswith("`"):
        end = path.find("`", 1)
        if end > 0:
            return path[:end + 1], path[end + 1:].lstrip("/")
    elif path.startswith("$("):
        depth = 0
        for index, char in enumerate(path):
            depth += (char == "(") - (char == ")")
            if depth == 0 and char == ")":
                return path[:index + 1], path[index + 1:].lstrip("/")
    elif path.startswith("${"):
        end = path.find("}")
        if end > 0:
            return path[:end + 1], path[end + 1:].lstrip("/")
    head, _, rest = path.partition("/")
    return head, rest


#: Files whose truncation or replacement locks everyone out or stops the boot.
CRITICAL_FILES = frozenset(["/etc/passwd", "/etc/shadow", "/etc/sudoers", "/etc/fstab", "/etc/group",
                            "/etc/gshadow", "/boot/grub/grub.cfg"])

#: Shell start-up files: what is written to them runs in every new shell.
STARTUP_FILES = lazy_regex(
    r"^(~|/etc)/(\.?(bashrc|bash_profile|bash_login|profile|zshrc|zshenv|zprofile|zlogin|"
    r"kshrc|cshrc|tcshrc|inputrc|xinitrc|xprofile)|\.config/fish/(config\.fish|conf\.d/.*)|"
    r"profile\.d/.*|bash\.bashrc|zsh/zshrc|environment)$"
)
HISTORY_FILES = lazy_regex(r"^~/\.(bash_history|zsh_history|history|sh_history|python_history|"
                           r"local/share/fish/fish_history|mysql_history|psql_history|lesshst|viminfo)$")
CRON_PATHS = lazy_regex(r"^(/etc/cron|/var/spool/cron|/etc/anacrontab|/var/at/|/usr/lib/cron)")
PERSISTENCE_PATHS = lazy_regex(r"^(/etc/(rc\.local|init\.d/|systemd/|ld\.so\.preload|profile|"
                               r"update-motd\.d/)|/lib/systemd/|/usr/lib/systemd/|"
                               r"~/\.config/(autostart|systemd)/|/Library/Launch|~/Library/LaunchAgents)")
AUTHORIZED_KEYS = lazy_regex(r"(^|/)\.ssh/authorized_keys2?$")
SUDOERS = lazy_regex(r"^/etc/sudoers(\.d/.*)?$")
LOG_PATHS = lazy_regex(r"^/var/log(/|$)|^/var/(run|adm)/(utmp|wtmp|btmp)|^~/\.xsession-errors")

_SECRET = lazy_regex(
    r"(^|/)(\.ssh(/(?!.*\.pub$|known_hosts|config$).*|/?$)|\.aws(/|$)|\.azure(/|$)|"
    r"\.config/gcloud(/|$)|\.kube/config|\.docker/config\.json|\.netrc$|\.git-credentials$|"
    r"\.gnupg(/|$)|\.npmrc$|\.pypirc$|\.password-store|\.vault-token$|"
    r"id_(rsa|dsa|ecdsa|ed25519)$|\.pem$|\.key$|\.p12$|\.pfx$|\.env$|credentials(\.json)?$|"
    r"\.config/gh/hosts\.yml$|\.terraform\.d/credentials)|"
    r"^/etc/(shadow|gshadow|ssh/ssh_host_.*_key)$|^/proc/(self|\d+|\$\$)/environ$|"
    r"^~?/?\.local/share/keyrings"
)


#: Credential files whose loss locks the user out: private keys and the credential stores of tools.
CREDENTIAL_FILES = lazy_regex(
    r"^(~|/home/[^/]+)/(\.ssh/(id_[^/]*(?<!\.pub)|[^/]*_key|[^/]*\.pem)|\.aws/credentials|\.kube/config|"
    r"\.netrc|\.git-credentials|\.docker/config\.json|\.config/gcloud/[^/]*credentials[^/]*|\.pypirc|\.npmrc|"
    r"\.vault-token|\.gnupg/(private-keys-v1\.d(/.*)?|secring\.gpg)|\.config/gh/hosts\.yml)$|"
    r"^/etc/ssh/ssh_host_[^/]*_key$"
)


def secret_in(text: str) -> Optional[str]:
    """The secret a path (or an argument holding a path, like ``@~/.ssh/id_rsa``) names."""
    p = text.lstrip("@<")
    if "=" in p and not p.startswith(("/", "~", ".")):
        p = p.split("=", 1)[1].lstrip("@<")
    p = normalize(p)
    return p if _SECRET.search(p) else None

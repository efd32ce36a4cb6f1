"""Deleting, moving, overwriting files, and changing permissions or ownership."""
from __future__ import annotations

import re

from ...lazy_regex import lazy_regex
from ..levels import Risk
from .base import Cmd, Hit, Redirect, checks, on_redirect, rule
from .paths import (AUTHORIZED_KEYS, CREDENTIAL_FILES, CRITICAL_FILES, CRON_PATHS, HISTORY_FILES, LOG_PATHS,
                    PERSISTENCE_PATHS, STARTUP_FILES, SUDOERS, Scope, is_block_device, normalize,
                    scope, secret_in)

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import List, Optional

C, H, M = Risk.CRITICAL, Risk.HIGH, Risk.MODERATE
DEL = "file deletion"
PERM = "permissions and ownership"
ETC = "system configuration"
PRIV = "privilege and persistence"
LOGS = "history and log tampering"

RM_ROOT = rule("fs.rm-root", C, DEL, "deletes every file under / recursively")
RM_SYSTEM = rule("fs.rm-system", C, DEL, "deletes the system directory {target}")
RM_HOMES = rule("fs.rm-all-homes", C, DEL, "deletes every user's home directory ({target})")
RM_HOME = rule("fs.rm-home", C, DEL, "deletes your whole home directory ({target})")
RM_SYSTEM_PART = rule("fs.rm-system-part", H, DEL, "deletes {target}, part of a system directory")
RM_HOME_PART = rule("fs.rm-home-part", H, DEL, "deletes {target} in your home directory recursively")
RM_CWD = rule("fs.rm-cwd", H, DEL, "deletes everything in {target}")
RM_EMPTY_VAR = rule("fs.rm-empty-var", H, DEL,
                    "deletes {target}, which becomes a path under / if the variable is empty")
RM_ABSOLUTE = rule("fs.rm-absolute", H, DEL, "deletes {target} recursively")
RM_UNKNOWN = rule("fs.rm-listed", H, DEL, "deletes recursively whatever the previous command lists")
RM_COMPUTED = rule("fs.rm-computed", H, DEL,
                   "deletes recursively whatever {target} stands for when it runs, which cmdai cannot see")
RM_TEMP = rule("fs.rm-temp", M, DEL, "deletes the temporary files {target}")
RM_NAMED = rule("fs.rm-named", M, DEL, "deletes {target}")
CREDENTIAL_MOVE = rule("fs.credential-move", M, DEL, "moves the credentials in {target} away: what logs in with them stops working")
ARCHIVE_MOVE = rule("fs.archive-move", M, DEL, "moves {target} into the archive or copy, removing it from where it is")
WRITE_COMPUTED = rule("fs.write-computed", M, "file edit",
                      "writes to whatever {target} stands for when it runs, which cmdai cannot see")
DELETE_MATCHING_WIDE = rule("fs.delete-matching-wide", H, DEL,
                            "deletes the matching files anywhere under {target}")
DELETE_MATCHING = rule("fs.delete-matching", M, DEL, "deletes the matching files under {target}")
RMDIR = rule("fs.rmdir", M, DEL, "removes the empty directory {target}")
SHRED = rule("fs.shred", M, DEL, "destroys {target} beyond recovery")
MOVE_SYSTEM = rule("fs.mv-system", C, DEL, "moves {target} away, which breaks the system or loses it")
WRITE_CRITICAL = rule("etc.replace-critical", C, ETC,
                      "overwrites or deletes {target}, which logins and booting depend on")
APPEND_ACCOUNTS = rule("etc.append-accounts", H, ETC, "adds entries to {target}")
WRITE_ETC = rule("etc.write", H, ETC, "changes the system configuration in {target}")
WRITE_SYSTEM = rule("fs.write-system", H, ETC, "writes into the system directory {target}")
EDIT_FILE = rule("fs.edit", M, "file edit", "edits {target} in place")
STARTUP = rule("config.startup-file", M, "user configuration",
               "changes {target}, which every new shell runs")
HOOK_FILE = rule("config.git-hook", M, "user configuration", "writes the git hook {target}, which git runs on its own")
#: A git hook: git runs it at a commit, a checkout, a merge or a push.
GIT_HOOK = lazy_regex(r"(^|/)\.git/hooks/[^/]+$")
SUDOERS_RULE = rule("priv.sudoers", H, PRIV, "grants privileges through {target}")
AUTH_KEYS = rule("priv.authorized-keys", H, PRIV, "lets another key log in through {target}")
CRON_FILE = rule("persist.cron-file", H, PRIV, "installs a scheduled job through {target}")
SERVICE_FILE = rule("persist.boot-file", H, PRIV, "installs something that runs at boot or login ({target})")
REMOTE_PERSISTENCE = rule("persist.remote-code", C, PRIV,
                          "writes what was downloaded from the network into {target}, which runs it later")
CREDENTIAL_LOSS = rule("fs.credential-overwrite", H, DEL,
                       "empties, overwrites or deletes the credentials in {target}, which cannot be recovered")
HISTORY = rule("log.history", H, LOGS, "erases shell history ({target})")
LOG_TAMPER = rule("log.system-logs", H, LOGS, "erases or rewrites system logs ({target})")
SYSRQ = rule("power.sysrq", H, "process and power", "triggers a kernel SysRq action (reboot, crash, kill all)")
ASLR = rule("security.aslr", H, "disabling security", "turns off address-space randomisation (ASLR)")
KERNEL_PROTECTION = rule("security.kernel-protection", H, "disabling security", "turns off a kernel protection ({target})")
KERNEL = rule("system.kernel-setting", M, ETC, "changes the kernel setting {target}")
PERM_RECURSIVE_SYSTEM = rule("perm.recursive-system", C, PERM,
                             "changes permissions or owner of every file under {target}")
PERM_SETUID = rule("perm.setuid", H, PERM, "makes {target} run with its owner's rights for every user (setuid)")
PERM_WORLD = rule("perm.world-writable", H, PERM, "lets every user change {target}")
PERM_SYSTEM = rule("perm.system-file", H, PERM, "changes permissions or owner of the system path {target}")
PERM_HOME = rule("perm.recursive-home", H, PERM,
                 "replaces the permissions of every file in your home directory ({target})")
PERM_CHANGE = rule("perm.change", M, PERM, "changes permissions or owner of {target}")

_RECURSIVE_RULE = {
    Scope.ROOT: RM_ROOT, Scope.SYSTEM: RM_SYSTEM, Scope.ALL_HOMES: RM_HOMES, Scope.HOME: RM_HOME,
    Scope.DEVICE: RM_SYSTEM_PART, Scope.SYSTEM_PART: RM_SYSTEM_PART, Scope.HOME_PART: RM_HOME_PART,
    Scope.CWD_ALL: RM_CWD, Scope.EMPTY_VAR: RM_EMPTY_VAR, Scope.OTHER_ABSOLUTE: RM_ABSOLUTE,
    Scope.TEMP: RM_TEMP, Scope.NAMED: RM_NAMED, Scope.COMPUTED: RM_COMPUTED,
}
_WIDE = (Scope.ROOT, Scope.SYSTEM, Scope.ALL_HOMES, Scope.HOME)
_GLOB = lazy_regex(r"[*?\[]")


def delete_hits(target: str, recursive: bool, filtered: bool = False) -> List[Hit]:
    """What deleting ``target`` does: recursively, or only the files it names."""
    s = scope(target)
    path = normalize(target)
    hits: List[Hit] = []
    if path in CRITICAL_FILES:
        return [Hit(WRITE_CRITICAL, path)]
    if CREDENTIAL_FILES.match(path):
        hits.append(Hit(CREDENTIAL_LOSS, path))
    if HISTORY_FILES.match(path):
        hits.append(Hit(HISTORY, path))
    if LOG_PATHS.match(path):
        hits.append(Hit(LOG_TAMPER, path))
    if filtered:
        if s in _WIDE or s in (Scope.SYSTEM_PART, Scope.HOME_PART, Scope.OTHER_ABSOLUTE):
            return hits + [Hit(DELETE_MATCHING_WIDE, target)]
        return hits + [Hit(DELETE_MATCHING, target)]
    if not recursive:
        has_glob = bool(_GLOB.search(path))
        # Without -r a directory is refused, so only globs and files reach far.
        if s in (Scope.HOME_PART, Scope.OTHER_ABSOLUTE, Scope.COMPUTED) or (s == Scope.CWD_ALL and not has_glob):
            return hits + [Hit(RM_NAMED, target)]
        if s in (Scope.HOME, Scope.ROOT) and not has_glob:
            return hits + [Hit(RM_NAMED, target)]
    return hits + [Hit(_RECURSIVE_RULE[s], target)]


def appended_delete(cmd: Cmd, recursive: bool) -> List[Hit]:
    """Deletes of the operands xargs or find supply."""
    app = cmd.appended
    assert app is not None
    if app.root is None:
        return [Hit(RM_UNKNOWN)] if recursive else [Hit(RM_NAMED, "the files the previous command lists")]
    return delete_hits(app.root, True, app.filtered)


@checks("rm", "unlink", "srm", "trash-put", "gio")
def check_rm(cmd: Cmd) -> List[Hit]:
    if cmd.name == "gio" and (not cmd.args or cmd.args[0] not in ("remove", "trash")):
        return []
    opts = cmd.options()
    recursive = bool({"r", "R"} & opts.shorts) or "--recursive" in opts.longs
    operands = opts.operands[1:] if cmd.name == "gio" else opts.operands
    hits: List[Hit] = []
    if cmd.appended:
        hits += appended_delete(cmd, recursive)
    for target in operands:
        hits += delete_hits(target, recursive)
    return hits


@checks("rmdir")
def check_rmdir(cmd: Cmd) -> List[Hit]:
    return [Hit(RMDIR, t) for t in cmd.options().operands]


@checks("shred", "wipe")
def check_shred(cmd: Cmd) -> List[Hit]:
    hits: List[Hit] = []
    for target in cmd.options(("-n", "-s", "--iterations", "--size")).operands:
        if is_block_device(target):
            continue  # the disk rules judge devices
        hits += [h for h in delete_hits(target, False) if h.rule.level > Risk.MODERATE] or [Hit(SHRED, target)]
    if cmd.appended:
        hits += appended_delete(cmd, False)
    return hits


@checks("mv")
def check_mv(cmd: Cmd) -> List[Hit]:
    ops = cmd.options(("-t", "--target-directory", "-S", "--suffix")).operands
    if len(ops) < 2:
        return []
    *sources, dest = ops
    hits: List[Hit] = []
    for src in sources:
        s = scope(src)
        if normalize(src) in CRITICAL_FILES:
            hits.append(Hit(WRITE_CRITICAL, normalize(src)))
        elif s in _WIDE:
            hits.append(Hit(MOVE_SYSTEM, src))
        elif normalize(dest) == "/dev/null":
            hits += delete_hits(src, True)
        elif HISTORY_FILES.match(normalize(src)) or LOG_PATHS.match(normalize(src)):
            hits += delete_hits(src, True)
        elif secret_in(src):
            hits.append(Hit(CREDENTIAL_MOVE, normalize(src)))
    return hits + writes(dest, None, append=False)


@checks("cp", "install", "ln", "rsync")
def check_copy(cmd: Cmd) -> List[Hit]:
    values = ["-t", "--target-directory", "-S", "--suffix"]
    if cmd.name == "install":
        values += ["-m", "--mode", "-o", "--owner", "-g", "--group"]
    if cmd.name == "rsync":
        values += ["-e", "--rsh", "--exclude", "--include", "--filter", "-f"]
    opts = cmd.options(values)
    if cmd.name == "rsync" and ("n" in opts.shorts or "--dry-run" in opts.longs):
        return []
    if len(opts.operands) < 2:
        return []
    *sources, dest = opts.operands
    hits: List[Hit] = []
    if cmd.name == "ln" and normalize(sources[0]) == "/dev/null":
        return delete_hits(dest, False)
    if cmd.name == "rsync" and opts.longs & {"--delete", "--delete-before", "--delete-after",
                                             "--delete-during", "--delete-excluded", "--del"}:
        if ":" not in dest:
            hits += delete_hits(dest, True)
    if ":" not in dest:
        hits += writes(dest, None, append=False)
    return hits


@checks("truncate")
def check_truncate(cmd: Cmd) -> List[Hit]:
    opts = cmd.options(("-s", "--size", "-r", "--reference"))
    hits: List[Hit] = []
    for target in opts.operands:
        hits += writes(target, None, append=False) or [Hit(EDIT_FILE, target)]
    app = cmd.appended
    if app is not None:
        size = opts.value("-s", "--size") or ""
        if re.fullmatch(r"0+([KMGTPEZY](i?B)?)?", size):
            # Emptying every file found loses their content just as deleting them would.
            hits += appended_delete(cmd, False)
        else:
            hits += edits_found(app.root)
    return hits


@checks("sed", "perl")
def check_in_place(cmd: Cmd) -> List[Hit]:
    if cmd.name == "perl":
        in_place = any(a.startswith("-") and not a.startswith("--") and "i" in a for a in cmd.args)
        if not in_place:
            return []
        targets = [a for a in cmd.args if not a.startswith("-")][1:]
    else:
        opts = cmd.options(("-e", "--expression", "-f", "--file", "-l", "--line-length"))
        if not ({"i"} & opts.shorts or "--in-place" in opts.longs):
            return []
        targets = opts.operands if ("-e" in opts.values or "--expression" in opts.values) else opts.operands[1:]
    hits: List[Hit] = []
    for target in targets:
        path = normalize(target)
        if path in CRITICAL_FILES and not SUDOERS.match(path):
            hits.append(Hit(WRITE_ETC, path))
        else:
            hits += writes(target, None, append=True) or [Hit(EDIT_FILE, target)]
    if cmd.appended:
        hits += edits_found(cmd.appended.root)
    return hits


def edits_found(root: Optional[str]) -> List[Hit]:
    """In-place edits of the files find or xargs supply, judged by the tree they come from."""
    if root is None:
        return [Hit(EDIT_FILE, "the files the previous command lists")]
    path = normalize(root).rstrip("/") or "/"
    if path == "/":
        return [Hit(WRITE_SYSTEM, "/")]
    # A path inside the tree stands for every file found there (/etc -> /etc/…).
    return writes(path + "/", None, append=True) or [Hit(EDIT_FILE, f"files under {root}")]


@checks("tee")
def check_tee(cmd: Cmd) -> List[Hit]:
    opts = cmd.options()
    append = "a" in opts.shorts or "--append" in opts.longs
    hits: List[Hit] = []
    for target in opts.operands:
        hits += writes(target, cmd.stdin.text, append=append)
        if cmd.stdin.network:
            hits += runs_later(target)
    return hits


@on_redirect
def check_file_redirect(out: Redirect) -> List[Hit]:
    """What writing to the file does; downloaded content in a file that runs later is remote code."""
    hits = writes(out.path, out.stream.text, append=out.append)
    return hits + runs_later(out.path) if out.stream.network else hits


#: Commands the system ships and people type without a second thought: a program of that name found
#: first on PATH, or an alias, runs instead of the real one. (Tools installed by downloading them into
#: /usr/local/bin, such as kubectl, are not among them.)
EVERYDAY_COMMANDS = frozenset(("rm", "ls", "cd", "sudo", "su", "git", "cp", "mv", "cat", "echo", "grep", "ssh", "sh",
                               "bash", "zsh", "python", "python3", "vim", "vi", "nano", "less", "man", "ps", "kill",
                               "passwd", "login", "id", "env"))
#: Directories on the usual PATH, the user's own first.
_PATH_DIRS = ("~/.local/bin/", "~/bin/", "/usr/local/bin/", "/usr/local/sbin/", "/usr/bin/", "/bin/", "/usr/sbin/",
              "/sbin/", "/opt/homebrew/bin/")


def runs_later(target: str) -> List[Hit]:
    """Downloaded content written to ``target``: remote code execution when something runs that file
    (a start-up file, a cron file, a boot service, or a program on PATH named like an everyday command)."""
    path = normalize(target)
    if (STARTUP_FILES.match(path) or CRON_PATHS.match(path) or PERSISTENCE_PATHS.match(path) or SUDOERS.match(path)
            or path.startswith("/etc/profile")):
        return [Hit(REMOTE_PERSISTENCE, path)]
    directory, _, name = path.rpartition("/")
    if directory + "/" in _PATH_DIRS and name in EVERYDAY_COMMANDS:
        return [Hit(REMOTE_PERSISTENCE, path)]
    return []


#: Kernel settings whose lowest value turns a protection off: ptrace between processes, kernel
#: pointers and log for everyone, unprivileged BPF, the link and FIFO protections, module loading.
_KERNEL_PROTECTIONS = {"kernel.yama.ptrace_scope": "0", "kernel.kptr_restrict": "0", "kernel.dmesg_restrict": "0",
                       "kernel.unprivileged_bpf_disabled": "0", "fs.protected_symlinks": "0",
                       "fs.protected_hardlinks": "0", "fs.protected_fifos": "0", "fs.protected_regular": "0",
                       "kernel.perf_event_paranoid": "-1", "net.ipv4.conf.all.rp_filter": "0"}


def weakens_kernel(key: str, value: str) -> bool:
    """Whether setting ``key`` (dotted, or its /proc/sys path) to ``value`` turns a protection off."""
    key = key.strip().replace("/proc/sys/", "").replace("/", ".")
    return _KERNEL_PROTECTIONS.get(key) == value.strip().strip("'\"")


def writes(target: str, text: Optional[str], append: bool) -> List[Hit]:
    """What writing ``text`` (None when unknown) to ``target`` does; [] for an ordinary file."""
    path = normalize(target)
    if path in ("/dev/null", "/dev/stdout", "/dev/stderr", "/dev/tty") or path.startswith("/dev/fd/"):
        return []
    if is_block_device(path):
        return []  # judged by the disk rules, which know every way of writing a device
    if path in ("/etc/sudoers",) and not append:
        return [Hit(WRITE_CRITICAL, path)]
    if SUDOERS.match(path):
        return [Hit(SUDOERS_RULE, path)]
    if path in CRITICAL_FILES:
        return [Hit(APPEND_ACCOUNTS if append else WRITE_CRITICAL, path)]
    if AUTHORIZED_KEYS.search(path):
        return [Hit(AUTH_KEYS, path)]
    if not append and CREDENTIAL_FILES.match(path):
        return [Hit(CREDENTIAL_LOSS, path)]
    if CRON_PATHS.match(path):
        return [Hit(CRON_FILE, path, code=cron_code(text, system=path.startswith("/etc/")))]
    if STARTUP_FILES.match(path):
        return [Hit(STARTUP, path, code=text)]
    if PERSISTENCE_PATHS.match(path):
        return [Hit(SERVICE_FILE, path, code=text)]
    if HISTORY_FILES.match(path):
        return [] if append else [Hit(HISTORY, path)]
    if LOG_PATHS.match(path):
        return [Hit(LOG_TAMPER, path)]
    if path == "/proc/sysrq-trigger":
        return [Hit(SYSRQ, path)]
    if path.endswith("randomize_va_space"):
        return [Hit(ASLR, path)] if (text or "0").strip() in ("0", "") else [Hit(KERNEL, path)]
    if path.startswith("/proc/sys/") and weakens_kernel(path, text or ""):
        return [Hit(KERNEL_PROTECTION, path)]
    if path.startswith(("/proc/sys/", "/sys/")):
        return [Hit(KERNEL, path)]
    if GIT_HOOK.search(path):
        return [Hit(HOOK_FILE, path, code=text)]
    if path.startswith("/etc/") or path == "/etc":
        return [Hit(WRITE_ETC, path)]
    top = path.strip("/").split("/")[0] if path.startswith("/") else ""
    if top in ("bin", "sbin", "lib", "lib64", "usr", "boot"):
        return [Hit(WRITE_SYSTEM, path)]
    if scope(path) == Scope.COMPUTED:
        return [Hit(WRITE_COMPUTED, target)]
    return []


UNPACK_OVER = rule("fs.unpack-over", H, DEL, "unpacks an archive over {target}, replacing what is there")
UNPACK_SOFTWARE = rule("fs.unpack-software", M, "software", "unpacks software into {target}")
UNPACK_DOWNLOAD_OVER = rule("fs.unpack-download-over", C, DEL,
                            "unpacks a downloaded archive over {target}, replacing the programs and settings there")


@checks("tar", "bsdtar", "gtar", "unzip")
def check_unpack_target(cmd: Cmd) -> List[Hit]:
    """Unpacking into /, a system directory or the home directory can replace anything there."""
    if cmd.name == "unzip":
        target = cmd.options(("-d", "-x", "-P")).value("-d")
    else:
        first = cmd.args[0] if cmd.args else ""
        extracting = "--extract" in cmd.args or "--get" in cmd.args or (
            not first.startswith("--") and "x" in first.lstrip("-")) or any(
            a.startswith("-") and not a.startswith("--") and "x" in a for a in cmd.args[1:])
        if not extracting:
            return []
        target = cmd.options(("-C", "--directory", "-f", "--file")).value("-C", "--directory")
    if target is None:
        return []
    s = scope(target)
    if s not in (Scope.ROOT, Scope.SYSTEM, Scope.SYSTEM_PART, Scope.HOME, Scope.ALL_HOMES):
        return []
    downloaded = cmd.stdin.network or any("://" in a for a in cmd.args)
    path = normalize(target).rstrip("/")
    if any(path == place or path.startswith(place + "/") for place in _SOFTWARE_PLACES):
        # Where software is installed by unpacking it (tar -C /usr/local -xzf go.tar.gz).
        return [Hit(UNPACK_OVER if downloaded else UNPACK_SOFTWARE, target)]
    if downloaded and s != Scope.HOME:
        return [Hit(UNPACK_DOWNLOAD_OVER, target)]
    return [Hit(UNPACK_OVER, target)]


#: Directories meant for software installed by hand.
_SOFTWARE_PLACES = ("/usr/local", "/opt")


#: Archivers and copiers that remove their sources once copied: the option, and the options taking a value.
_SOURCE_REMOVING = {
    "tar": (("--remove-files",), ("-f", "--file", "-C", "--directory", "-T", "--files-from", "-X", "--exclude-from",
                                  "--exclude", "-b", "--blocking-factor", "-I", "--use-compress-program")),
    "zip": (("-m", "--move"), ("-b", "-n", "-t", "-tt", "-x", "-i", "-P", "--password", "-O", "--output-file")),
    "7z": (("-sdel",), ()),
    "rsync": (("--remove-source-files",), ("-e", "--rsh", "--exclude", "--include", "--filter", "-f")),
}


@checks("tar", "bsdtar", "gtar", "zip", "7z", "7za", "7zz", "rsync")
def check_source_removal(cmd: Cmd) -> List[Hit]:
    """``tar --remove-files``, ``zip -m``, ``7z -sdel`` and ``rsync --remove-source-files`` move their
    sources: removing the home directory or a system directory that way is as bad as deleting it."""
    name = {"bsdtar": "tar", "gtar": "tar", "7za": "7z", "7zz": "7z"}.get(cmd.name, cmd.name)
    removing, with_value = _SOURCE_REMOVING[name]
    if not set(removing) & set(cmd.args) and not (name == "zip" and any(
            a.startswith("-") and not a.startswith("--") and "m" in a for a in cmd.args)):
        return []
    operands = cmd.options(with_value).operands
    if name == "zip":
        sources = operands[1:]  # the archive comes first
    elif name == "7z":
        sources = operands[2:]  # the command letter, then the archive
    elif name == "rsync":
        sources = [a for a in operands[:-1] if ":" not in a]
    else:
        sources = operands
    hits: List[Hit] = []
    for source in sources:
        found = delete_hits(source, True)
        hits += [Hit(ARCHIVE_MOVE, source) if hit.rule in (RM_NAMED, RM_TEMP) else hit for hit in found]
    return hits


def cron_code(text: Optional[str], system: bool = False) -> Optional[str]:
    """The commands of crontab lines: time fields (and the user of system crontabs) stripped."""
    if text is None:
        return None
    lines = []
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#") or re.match(r"^[A-Z_]+=", line):
            continue
        fields = (1 if line.startswith("@") else 5) + (1 if system else 0)
        parts = line.split(None, fields)
        if len(parts) > fields:
            lines.append(parts[fields])
    return "\n".join(lines)


_MODE_WORLD = lazy_regex(r"^(0?[0-7]?[0-7][0-7][2367])$|(^|,)(o|a|)[+=][rwxXst]*w")
#: Modes that only take rights from group and others, or give the owner more: a common fix-up.
_MODE_TIGHTEN = lazy_regex(r"^([go]+-[rwxXst]+|u\+[rwxX]+)(,([go]+-[rwxXst]+|u\+[rwxX]+))*$")
_MODE_SETUID = lazy_regex(r"^0?[2467][0-7]{3}$|(^|,)[ugoa]*[+=][rwxXt]*s")


@checks("chmod", "chown", "chgrp", "setfacl", "chattr")
def check_permissions(cmd: Cmd) -> List[Hit]:
    opts = cmd.options(("--reference", "-m", "--modify", "-x", "--remove", "-M", "-X"))
    recursive = "R" in opts.shorts or "--recursive" in opts.longs
    operands = list(opts.operands)
    mode = ""
    if cmd.name == "chmod":
        # Modes such as -w look like flags, so take the first argument that is not an option.
        words = [a for a in cmd.args if a not in ("-R", "-c", "-f", "-v", "--")
                 and not a.startswith("--") and not re.fullmatch(r"-[Rcfv]+", a)]
        mode, operands = (words[0], words[1:]) if words else ("", [])
    elif cmd.name in ("chown", "chgrp") and "--reference" not in opts.longs and operands:
        mode = operands.pop(0)
    elif cmd.name == "chattr" and operands and operands[0][:1] in "+-=":
        mode = operands.pop(0)
    elif cmd.name == "setfacl":
        mode = opts.value("-m", "--modify") or ""
    targets = operands
    if cmd.appended and cmd.appended.root:
        targets = targets + [cmd.appended.root]
        recursive = True
    hits: List[Hit] = []
    for target in targets:
        s = scope(target)
        path = normalize(target)
        if recursive and s in (Scope.ROOT, Scope.SYSTEM, Scope.ALL_HOMES):
            hits.append(Hit(PERM_RECURSIVE_SYSTEM, target))
        elif recursive and s == Scope.HOME and cmd.name == "chmod" and not _MODE_TIGHTEN.search(mode):
            hits.append(Hit(PERM_HOME, target))
        elif cmd.name == "chmod" and _MODE_SETUID.search(mode):
            hits.append(Hit(PERM_SETUID, target))
        elif cmd.name in ("chmod", "setfacl") and (_MODE_WORLD.search(mode) or "o:" in mode) and (
                recursive or s not in (Scope.NAMED, Scope.TEMP) or secret_in(path)):
            hits.append(Hit(PERM_WORLD, target))
        elif s in (Scope.ROOT, Scope.SYSTEM, Scope.SYSTEM_PART, Scope.ALL_HOMES, Scope.DEVICE) or path in CRITICAL_FILES:
            hits.append(Hit(PERM_SYSTEM, target))
        else:
            hits.append(Hit(PERM_CHANGE, target))
    return hits

"""Privileges, persistence, security switches, processes and power, logs, packages, services."""
from __future__ import annotations

import re

from ...lazy_regex import lazy_regex
from ..levels import Risk
from .base import Cmd, Hit, checks, rule
from .filesystem import KERNEL_PROTECTION, cron_code, weakens_kernel
from .shell import code_from_input

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import List, Optional

C, H, M = Risk.CRITICAL, Risk.HIGH, Risk.MODERATE
PRIV = "privilege and persistence"
SEC = "disabling security"
POWER = "process and power"
LOGS = "history and log tampering"
PKG = "package management"

SUDO = rule("sudo", M, "sudo", "runs as another user, usually root")
ROOT_SHELL = rule("sudo.root-shell", M, "sudo", "opens a root shell")
CRONTAB_REMOVE = rule("persist.crontab-remove", H, PRIV, "deletes all your scheduled jobs (crontab -r)")
CRONTAB_INSTALL = rule("persist.crontab", M, PRIV, "replaces your scheduled jobs")
AT_JOB = rule("persist.at-job", M, PRIV, "schedules a command to run later")
USER_PRIV = rule("priv.grant", H, PRIV, "gives {target} administrator rights")
USER_ROOT = rule("priv.uid0", H, PRIV, "creates or changes an account to have root's user id")
PASSWORD_REMOVE = rule("priv.password-remove", H, PRIV, "removes the password of {target}")
USER_DELETE_HOME = rule("priv.user-delete-home", H, PRIV, "deletes the account {target} with its home directory")
USER_CHANGE = rule("priv.user-change", M, PRIV, "creates, changes or deletes the account {target}")
FIREWALL = rule("security.firewall", H, SEC, "turns off or flushes the firewall")
SELINUX = rule("security.selinux", H, SEC, "turns off SELinux or AppArmor enforcement")
ASLR_SYSCTL = rule("security.aslr-sysctl", H, SEC, "turns off address-space randomisation (ASLR)")
UNPUBLISH = rule("pkg.unpublish", H, PKG, "removes the published package from the registry for everyone who uses it")
YANK = rule("pkg.yank", M, PKG, "withdraws a published version from the registry")
SECURITY_SERVICE = rule("security.service", H, SEC, "stops or disables the security service {target}")
MAC_SECURITY = rule("security.macos", H, SEC, "turns off a macOS protection (Gatekeeper or SIP)")
AUDIT = rule("security.audit", H, SEC, "deletes the audit rules")
TLS_CONFIG = rule("security.tls-config", H, SEC, "turns off TLS certificate checks for {target}")
KILL_ALL = rule("power.kill-all", H, POWER, "kills every process you can signal")
KILL_INIT = rule("power.kill-init", H, POWER, "kills PID 1 (init), which brings the system down")
KILL_ONE = rule("process.kill", M, POWER, "stops the process {target}")
KILL_LISTED = rule("power.kill-listed", M, POWER, "stops the processes the previous command lists")
KILL_BY_NAME = rule("process.kill-by-name", M, POWER, "stops every process named {target}")
SHUTDOWN = rule("power.shutdown", H, POWER, "shuts down or restarts the machine")
SERVICE = rule("service.change", M, "services", "restarts, stops or changes the service {target}")
HISTORY_CLEAR = rule("log.history-clear", H, LOGS, "erases or stops recording shell history")
JOURNAL_VACUUM = rule("log.journal-vacuum", M, LOGS, "deletes old system journal entries")
JOURNAL_WIPE = rule("log.journal-wipe", H, LOGS, "deletes nearly all of the system journal ({target})")
PKG_REMOVE = rule("pkg.remove", M, PKG, "removes the software {target}")
PKG_REMOVE_CORE = rule("pkg.remove-core", H, PKG, "removes {target}, which the system needs to run")
PKG_INSTALL = rule("pkg.install", M, PKG, "installs or upgrades software")
PUBLISH = rule("pkg.publish", M, PKG, "publishes the package to a registry, where it stays for anyone to download")
ALIAS = rule("env.alias", M, "environment", "redefines the command {target}")

_SECURITY_SERVICES = lazy_regex(r"^(firewalld|ufw|iptables|ip6tables|nftables|apparmor|auditd|selinux|"
                                r"fail2ban|clamav.*|crowdstrike|falcon-sensor|osqueryd|wazuh-agent|"
                                r"sshguard|csf|lfd)(\.service)?$")
_CORE_PACKAGES = lazy_regex(r"^(libc6|glibc|systemd|coreutils|bash|sudo|apt|dpkg|rpm|dnf|yum|pacman|"
                            r"linux-image.*|kernel|kernel-core|grub.*|openssh-server|python3|util-linux|"
                            r"login|passwd|base|base-files|init|libstdc\+\+6|zlib1g)$")


@checks("kill")
def check_kill(cmd: Cmd) -> List[Hit]:
    args = [a for a in cmd.args if a not in ("--",)]
    if "-l" in args or "-L" in args or args[:1] in (["-0"], ["-s"]) and (args[:2] == ["-s", "0"] or args[0] == "-0"):
        return []
    targets = []
    skip = False
    for i, a in enumerate(args):
        if skip:
            skip = False
            continue
        if a in ("-s", "-n"):
            skip = True
            continue
        if a.startswith("-") and i == 0 and a != "-1":
            continue  # the signal
        if a.startswith("-") and i == 0 and a == "-1" and len(args) > 1:
            continue  # kill -1 PID: -1 is SIGHUP
        targets.append(a)
    if "-1" in targets:
        return [Hit(KILL_ALL)]
    if "1" in targets:
        return [Hit(KILL_INIT)]
    if not targets and cmd.appended is not None:
        return [Hit(KILL_LISTED)]  # ... | xargs kill
    return [Hit(KILL_ONE, " ".join(targets) or None)]


#: Process name patterns that match every process.
_EVERY_NAME = (".", ".*", "^", "", "^.*$", ".+")


def lists_every_process(cmd: Optional[Cmd]) -> bool:
    """Whether ``cmd`` prints the id of every process (``pgrep -f .``, ``ps -e -o pid=``): killing what it
    prints kills them all."""
    if cmd is None:
        return False
    operands = [a for a in cmd.args if not a.startswith("-")]
    if cmd.name in ("pgrep", "pidof"):
        return any(o in _EVERY_NAME for o in operands)
    if cmd.name == "ps":
        every = {"-e", "-A", "ax", "aux", "-ax", "-aux", "axo", "-ef"} & set(cmd.args)
        return bool(every) and any("pid" in a for a in cmd.args)
    return False


@checks("pkill", "killall", "killall5", "skill", "slay")
def check_pkill(cmd: Cmd) -> List[Hit]:
    operands = [a for a in cmd.args if not a.startswith("-")]
    if cmd.name == "killall5" or any(o in _EVERY_NAME + ("-1",) for o in operands) or (
            "-u" in cmd.args and not operands[1:]):
        return [Hit(KILL_ALL)]
    if any(o in ("init", "systemd", "launchd") for o in operands):
        return [Hit(KILL_INIT)]
    return [Hit(KILL_BY_NAME, " ".join(operands) or None)]


@checks("shutdown", "reboot", "poweroff", "halt", "init", "telinit", "systemctl", "loginctl", "service",
        "launchctl", "rc-service")
def check_power_and_services(cmd: Cmd) -> List[Hit]:
    args = cmd.args
    words = [a for a in args if not a.startswith("-")]
    if cmd.name == "shutdown":
        return [] if "-c" in args else [Hit(SHUTDOWN)]
    if cmd.name in ("reboot", "poweroff", "halt"):
        return [Hit(SHUTDOWN)]
    if cmd.name in ("init", "telinit"):
        return [Hit(SHUTDOWN)] if words[:1] in (["0"], ["6"]) else []
    if cmd.name in ("systemctl", "loginctl") and words[:1] and words[0] in (
            "poweroff", "reboot", "halt", "kexec", "soft-reboot", "emergency", "rescue"):
        return [Hit(SHUTDOWN)]
    if cmd.name == "service" and len(words) >= 2:
        verb, units = words[1], words[:1]
    elif cmd.name == "rc-service" and len(words) >= 2:
        verb, units = words[1], words[:1]
    elif cmd.name == "launchctl" and words:
        verb, units = words[0], words[1:]
        if verb in ("unload", "bootout", "disable", "remove", "stop", "kill"):
            return [Hit(SERVICE, " ".join(units) or None)]
        return []
    elif cmd.name == "systemctl" and words:
        verb, units = words[0], words[1:]
    else:
        return []
    if verb in ("stop", "disable", "mask", "kill") and any(_SECURITY_SERVICES.match(u) for u in units):
        return [Hit(SECURITY_SERVICE, " ".join(units))]
    if verb in ("start", "stop", "restart", "reload", "enable", "disable", "mask", "unmask", "kill",
                "try-restart", "reload-or-restart", "daemon-reload", "isolate", "set-property", "edit",
                "link", "revert", "preset", "reset-failed"):
        return [Hit(SERVICE, " ".join(units) or None)]
    return []


@checks("iptables", "ip6tables", "nft", "ufw", "firewall-cmd", "pfctl", "netsh")
def check_firewall(cmd: Cmd) -> List[Hit]:
    args = cmd.args
    joined = " ".join(args)
    if cmd.name in ("iptables", "ip6tables"):
        flush = {"-F", "--flush", "-X", "--delete-chain"} & set(args)
        opened = re.search(r"(-P|--policy)\s+\w+\s+ACCEPT", joined)
        if flush or opened:
            return [Hit(FIREWALL)]
        return []
    if cmd.name == "nft":
        return [Hit(FIREWALL)] if re.search(r"\bflush\s+ruleset\b|\bdelete\s+table\b", joined) else []
    if cmd.name == "ufw":
        opens_everything = args[:2] == ["default", "allow"] and args[2:3] in ([], ["incoming"], ["routed"])
        return [Hit(FIREWALL)] if (args[:1] in (["disable"], ["reset"]) or "--force" in args and "reset" in args
                                   or opens_everything) else []
    if cmd.name == "firewall-cmd":
        return [Hit(FIREWALL)] if "--panic-off" in args or "--set-default-zone=trusted" in args else []
    if cmd.name == "pfctl":
        return [Hit(FIREWALL)] if "-d" in args or "-F" in args else []
    return [Hit(FIREWALL)] if re.search(r"firewall.*state\s+off", joined, re.I) else []


@checks("setenforce", "aa-teardown", "aa-disable", "aa-complain", "spctl", "csrutil", "auditctl", "sysctl",
        "Set-MpPreference", "Set-ExecutionPolicy")
def check_security(cmd: Cmd) -> List[Hit]:
    args = cmd.args
    if cmd.name == "setenforce":
        return [Hit(SELINUX)] if args[:1] in (["0"], ["Permissive"], ["permissive"]) else []
    if cmd.name.startswith("aa-"):
        return [Hit(SELINUX)]
    if cmd.name in ("spctl", "csrutil"):
        return [Hit(MAC_SECURITY)] if {"--master-disable", "disable", "--global-disable"} & set(args) else []
    if cmd.name == "auditctl":
        return [Hit(AUDIT)] if {"-D", "-e0"} & set(args) or args[-2:] == ["-e", "0"] else []
    if cmd.name == "sysctl":
        if any(re.fullmatch(r"kernel\.randomize_va_space=0", a) for a in args):
            return [Hit(ASLR_SYSCTL)]
        weakened = [a for a in args if weakens_kernel(*a.partition("=")[::2])]
        return [Hit(KERNEL_PROTECTION, weakened[0])] if weakened else []
    return [Hit(MAC_SECURITY)] if any(a.lower() in ("unrestricted", "bypass", "$true") for a in args) else []


@checks("npm", "pnpm", "yarn", "pip", "conda")
def check_tls_config(cmd: Cmd) -> List[Hit]:
    joined = " ".join(cmd.args).lower()
    if re.search(r"strict-ssl\s*(=\s*|\s+)false|ssl_verify\s*(=\s*|\s+)(false|no)|"
                 r"sslverify\s*(=\s*|\s+)false|trusted-host|cert\s*(=\s*|\s+)\"?\"?$", joined):
        return [Hit(TLS_CONFIG, cmd.name)]
    return []


@checks("history")
def check_history(cmd: Cmd) -> List[Hit]:
    return [Hit(HISTORY_CLEAR)] if {"-c", "-cw", "-wc", "-d", "-p"} & set(cmd.args) else []


#: What ``--vacuum-time`` and ``--vacuum-size`` keep when they keep next to nothing: under a day, under a
#: megabyte (one journal file is several).
_VACUUM_TO_NOTHING = lazy_regex(
    r"--vacuum-time=\s*(\d+\s*(s|sec|second|seconds|m|min|minute|minutes|h|hour|hours|ms|us)?|0+\s*\w*)$"
    r"|--vacuum-size=\s*(\d+\s*[bk]?|0+\s*\w*)$", re.IGNORECASE)


@checks("journalctl")
def check_journal(cmd: Cmd) -> List[Hit]:
    args = cmd.args
    # "--vacuum-time 1s" as two words reads the same as "--vacuum-time=1s".
    joined = [f"{a}={args[i + 1]}" if a in ("--vacuum-time", "--vacuum-size") and i + 1 < len(args) else a
              for i, a in enumerate(args)]
    wiped = [a for a in joined if _VACUUM_TO_NOTHING.match(a)]
    if wiped:
        return [Hit(JOURNAL_WIPE, wiped[0])]
    if any(a.startswith(("--vacuum", "--rotate")) for a in args):
        return [Hit(JOURNAL_VACUUM)]
    return []


@checks("crontab")
def check_crontab(cmd: Cmd) -> List[Hit]:
    opts = cmd.options(("-u",))
    if "r" in opts.shorts:
        return [Hit(CRONTAB_REMOVE)]
    if {"l", "e"} & opts.shorts:
        return []
    text = cmd.stdin.text if opts.operands in ([], ["-"]) else None
    return [Hit(CRONTAB_INSTALL, code=cron_code(text))]


@checks("at", "batch")
def check_at(cmd: Cmd) -> List[Hit]:
    if {"-l", "-r", "-d", "-c"} & set(cmd.args) or cmd.name == "at" and not cmd.args:
        return []
    return [Hit(AT_JOB)] + code_from_input(cmd.stdin, cmd.name)


@checks("usermod", "useradd", "adduser", "gpasswd", "passwd", "userdel", "deluser", "groupadd", "chpasswd",
        "dscl")
def check_users(cmd: Cmd) -> List[Hit]:
    args = cmd.args
    operands = [a for a in args if not a.startswith("-")]
    target = operands[-1] if operands else None
    admin_groups = {"sudo", "wheel", "admin", "root", "docker", "adm"}
    if "-o" in args and "-u" in args and "0" in args or re.search(r"(^|\s)-u\s*0(\s|$)", " ".join(args)):
        return [Hit(USER_ROOT)]
    if cmd.name in ("usermod", "useradd") and any(
            set(re.split(r"[,\s]", args[i + 1])) & admin_groups
            for i, a in enumerate(args[:-1]) if a in ("-G", "-aG", "-g", "--groups", "--append")):
        return [Hit(USER_PRIV, target)]
    if cmd.name == "gpasswd" and "-a" in args and set(operands) & admin_groups:
        return [Hit(USER_PRIV, operands[0] if operands else None)]
    if cmd.name in ("adduser",) and len(operands) == 2 and operands[1] in admin_groups:
        return [Hit(USER_PRIV, operands[0])]
    if cmd.name in ("userdel", "deluser") and ({"--remove", "--remove-home", "--remove-all-files"} & set(args) or any(
            re.fullmatch(r"-[a-zA-Z]*r[a-zA-Z]*", a) for a in args)):
        return [Hit(USER_DELETE_HOME, target)]
    if cmd.name == "passwd" and ("-d" in args or "--delete" in args):
        return [Hit(PASSWORD_REMOVE, target or "your account")]
    if cmd.name == "passwd" and not {"-l", "-u", "-e"} & set(args):
        return []
    return [Hit(USER_CHANGE, target)]


_REMOVE_VERBS = {
    "apt": {"remove", "purge", "autoremove"}, "apt-get": {"remove", "purge", "autoremove"},
    "aptitude": {"remove", "purge"}, "dnf": {"remove", "erase", "autoremove"}, "yum": {"remove", "erase"},
    "zypper": {"remove", "rm"}, "apk": {"del"}, "brew": {"uninstall", "remove", "rm"},
    "snap": {"remove"}, "flatpak": {"uninstall"}, "pip": {"uninstall"}, "pipx": {"uninstall"},
    "npm": {"uninstall", "remove", "rm", "un", "r"}, "port": {"uninstall"}, "gem": {"uninstall"},
    "cargo": {"uninstall"}, "conda": {"remove", "uninstall"}, "choco": {"uninstall"}, "winget": {"uninstall"},
}
_INSTALL_VERBS = {"install", "reinstall", "upgrade", "dist-upgrade", "full-upgrade", "add", "update"}


@checks(*_REMOVE_VERBS, "pacman", "rpm", "dpkg", "yay", "paru")
def check_packages(cmd: Cmd) -> List[Hit]:
    args = cmd.args
    words = [a for a in args if not a.startswith("-")]
    if {"-s", "--simulate", "--dry-run", "--just-print", "--no-act", "--assumeno", "--what-if"} & set(args):
        return []
    removing = False
    if cmd.name in ("pacman", "yay", "paru"):
        op = next((a for a in args if re.fullmatch(r"-[A-Za-z]+", a)), "")
        removing = op.startswith("-R")
        installing = op.startswith(("-S", "-U")) and not re.search(r"[sQlgi]", op[2:]) and words
        packages = words
    elif cmd.name == "rpm":
        removing = any(re.fullmatch(r"-[a-z]*e[a-z]*|--erase", a) for a in args)
        installing = any(re.fullmatch(r"-[a-z]*[iU][a-z]*|--install|--upgrade", a) for a in args)
        packages = words
    elif cmd.name == "dpkg":
        removing = bool({"-r", "-P", "--remove", "--purge"} & set(args))
        installing = bool({"-i", "--install"} & set(args))
        packages = words
    else:
        verb = words[0] if words else ""
        removing = verb in _REMOVE_VERBS.get(cmd.name, set())
        installing = verb in _INSTALL_VERBS or (cmd.name in ("npm", "pnpm", "yarn") and verb in ("i", "ci"))
        packages = words[1:]
    if removing:
        core = [p for p in packages if _CORE_PACKAGES.match(p.split("=")[0])]
        if core:
            return [Hit(PKG_REMOVE_CORE, " ".join(core))]
        return [Hit(PKG_REMOVE, " ".join(packages) or None)]
    if installing:
        return [Hit(PKG_INSTALL)]
    return []


_PUBLISH_VERBS = {"npm": "publish", "pnpm": "publish", "yarn": "publish", "cargo": "publish", "twine": "upload",
                  "gem": "push", "poetry": "publish", "flit": "publish", "uv": "publish", "hatch": "publish"}


@checks(*_PUBLISH_VERBS)
def check_publish(cmd: Cmd) -> List[Hit]:
    words = [a for a in cmd.args if not a.startswith("-")]
    if cmd.name == "yarn" and words[:1] == ["npm"]:
        words = words[1:]  # yarn npm publish (Yarn 2+)
    if words[:1] == [_PUBLISH_VERBS[cmd.name]]:
        return [Hit(PUBLISH)]
    if cmd.name in ("npm", "pnpm", "yarn") and words[:1] == ["unpublish"]:
        return [Hit(UNPUBLISH)]
    if cmd.name in ("cargo", "gem") and words[:1] == ["yank"] or cmd.name in ("npm", "pnpm", "yarn") and words[:1] == ["deprecate"]:
        return [Hit(YANK)]
    return []


def alias_hits(name: str) -> List[Hit]:
    return [Hit(ALIAS, name)]

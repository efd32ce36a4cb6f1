"""git commands that lose work: discarded changes, rewritten remote history, dropped stashes."""
from __future__ import annotations

import re

from ...lazy_regex import lazy_regex
from ..levels import Risk
from .base import Cmd, Hit, checks, rule
from .network import CHANGING_METHODS, REMOTE_CHANGE, REMOTE_DELETE

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import List, Tuple

GIT = "git"
H, M = Risk.HIGH, Risk.MODERATE

RESET_HARD = rule("git.reset-hard", H, GIT, "discards every uncommitted change (git reset --hard)")
RESET = rule("git.reset", M, GIT, "moves the branch and unstages changes (git reset)")
CLEAN = rule("git.clean-force", H, GIT, "deletes untracked files for good (git clean -f)")
PUSH_FORCE = rule("git.push-force", H, GIT, "overwrites history on the remote (force push)")
PUSH_LEASE = rule("git.push-force-with-lease", M, GIT, "rewrites remote history if nobody pushed since")
PUSH_DELETE = rule("git.push-delete", H, GIT, "deletes branches or tags on the remote, with commits only they hold")
PUSH_MIRROR = rule("git.push-mirror", H, GIT, "makes the remote an exact mirror, deleting what it has extra")
DISCARD = rule("git.discard-changes", H, GIT, "discards uncommitted changes in the whole working tree")
DISCARD_FILE = rule("git.discard-file", M, GIT, "discards uncommitted changes to {target}")
STASH_CLEAR = rule("git.stash-clear", H, GIT, "deletes every stash")
STASH_DROP = rule("git.stash-drop", M, GIT, "deletes a stash")
BRANCH_DELETE = rule("git.branch-force-delete", M, GIT, "deletes a branch even if it is not merged")
PURGE_UNTRACKED = rule("vcs.purge-untracked", H, GIT, "deletes the files version control does not track, for good")
BRANCH_BULK_DELETE = rule("git.branch-bulk-force-delete", H, GIT, "deletes every branch a command lists, merged or not")
REFLOG = rule("git.reflog-expire", H, GIT, "throws away the reflog, the safety net for lost commits")
GC_PRUNE = rule("git.gc-prune", M, GIT, "deletes unreachable commits now")
REWRITE = rule("git.rewrite-history", H, GIT, "rewrites the whole history of the repository")
LOCAL_REWRITE = rule("git.local-rewrite", M, GIT, "rewrites local commits")
CHECKOUT_FORCE = rule("git.checkout-force", H, GIT, "switches branch and throws away local changes")
WORKTREE_FORCE = rule("git.worktree-remove", M, GIT, "removes a worktree with its changes")
UPDATE_REF = rule("git.update-ref-delete", M, GIT, "deletes a reference")
TLS_OFF = rule("security.git-tls", H, "disabling security", "turns off TLS certificate checks for git")
COMMAND_SETTING = rule("git.command-setting", M, GIT, "makes git run the command set in {target}")
REPO_DELETE = rule("git.repo-delete", H, GIT, "deletes the repository {target} on the server, with all its history")

# Global options placed before the subcommand, and whether they take a value.
_GLOBAL_WITH_VALUE = {"-C", "-c", "--git-dir", "--work-tree", "--namespace", "--exec-path",
                      "--super-prefix", "--config-env"}
_WHOLE_TREE = {".", ":/", "*", ":(top)", "./", "-A", "--all"}
#: Settings whose value is a command git runs (aliases only when they start with "!").
_COMMAND_SETTING = lazy_regex(r"^(core\.(pager|editor|sshcommand|fsmonitor|hookspath|askpass)|sequence\.editor|"
                              r"diff\.external|pager\.[\w-]+|gpg\.(\w+\.)?program|credential\.helper|"
                              r"uploadpack\.packobjectshook|(diff|merge|filter)\.[^.]+\.(command|textconv|clean|"
                              r"smudge|process|driver)|alias\.[^.]+)$")


def _command_setting(key: str, value: str) -> List[Hit]:
    """The setting ``key=value`` when it makes git run a command; the command is judged too."""
    key = key.lower()
    if not _COMMAND_SETTING.match(key) or key.startswith(("alias.", "credential.")) and not value.startswith("!"):
        return []
    code = None if key == "core.hookspath" else value[1:] if value.startswith("!") else value
    return [Hit(COMMAND_SETTING, key, code=code)]


def split_git(args: List[str]) -> Tuple[str, List[str], List[str]]:
    """(subcommand, its arguments, the -c settings) once git's global options are skipped."""
    settings: List[str] = []
    i = 0
    while i < len(args):
        a = args[i]
        if a in _GLOBAL_WITH_VALUE:
            if a == "-c" and i + 1 < len(args):
                settings.append(args[i + 1])
            i += 2
            continue
        if a.startswith("-"):
            i += 1
            continue
        return a, args[i + 1:], settings
    return "", [], settings


@checks("git")
def check_git(cmd: Cmd) -> List[Hit]:
    sub, args, settings = split_git(cmd.args)
    hits: List[Hit] = []
    if any(s.lower().startswith("http.sslverify=false") for s in settings):
        hits.append(Hit(TLS_OFF))
    for setting in settings:
        hits += _command_setting(*setting.partition("=")[::2])
    view = Cmd("git " + sub, args)
    opts = view.options(("-m", "--message", "-b", "-B", "--exclude", "-e", "-o", "--push-option",
                         "--repo", "--receive-pack", "--exec"))
    if "--dry-run" in opts.longs or (sub in ("clean", "push") and "n" in opts.shorts):
        return hits
    if sub == "reset":
        hits.append(Hit(RESET_HARD) if "--hard" in opts.longs else Hit(RESET))
    elif sub == "clean":
        if "f" in opts.shorts or "--force" in opts.longs:
            hits.append(Hit(CLEAN))
    elif sub == "push":
        refspecs = opts.operands[1:]
        if "--mirror" in opts.longs:
            hits.append(Hit(PUSH_MIRROR))
        elif "f" in opts.shorts or "--force" in opts.longs or any(r.startswith("+") for r in refspecs):
            hits.append(Hit(PUSH_FORCE))
        elif {"--force-with-lease", "--force-if-includes"} & opts.longs:
            hits.append(Hit(PUSH_LEASE))
        if "d" in opts.shorts or {"--delete", "--prune"} & opts.longs or any(
                r.startswith(":") and len(r) > 1 for r in refspecs):
            hits.append(Hit(PUSH_DELETE))
    elif sub in ("checkout", "restore", "switch"):
        hits += _checkout(sub, args, opts)
    elif sub == "stash" and opts.operands[:1] == ["clear"]:
        hits.append(Hit(STASH_CLEAR))
    elif sub == "stash" and opts.operands[:1] == ["drop"]:
        hits.append(Hit(STASH_DROP))
    elif sub == "branch" and ("D" in opts.shorts or ({"d", "--delete"} & (opts.shorts | opts.longs)
                                                     and ("f" in opts.shorts or "--force" in opts.longs))):
        listed = cmd.appended is not None or any(cmd.dynamic or ())
        hits.append(Hit(BRANCH_BULK_DELETE if listed else BRANCH_DELETE))
    elif sub == "reflog" and opts.operands[:1] in (["expire"], ["delete"]):
        hits.append(Hit(REFLOG))
    elif sub == "gc" and any(a.startswith("--prune") for a in args):
        hits.append(Hit(GC_PRUNE))
    elif sub in ("filter-branch", "filter-repo"):
        hits.append(Hit(REWRITE))
    elif sub == "commit" and "--amend" in opts.longs or sub == "rebase":
        hits.append(Hit(LOCAL_REWRITE))
    elif sub == "worktree" and opts.operands[:1] == ["remove"] and ("f" in opts.shorts or "--force" in opts.longs):
        hits.append(Hit(WORKTREE_FORCE))
    elif sub == "update-ref" and "d" in opts.shorts:
        hits.append(Hit(UPDATE_REF))
    elif sub == "config" and any(a.lower() == "http.sslverify" for a in args) and "false" in args:
        hits.append(Hit(TLS_OFF))
    elif sub == "config" and len(opts.operands) == 2:
        hits += _command_setting(*opts.operands)
    return hits


def _checkout(sub: str, args: List[str], opts) -> List[Hit]:
    paths: List[str] = []
    if "--" in args:
        paths = args[args.index("--") + 1:]
    elif sub == "restore":
        paths = opts.operands
    elif sub == "checkout" and opts.operands[:1] == ["."]:
        paths = ["."]
    if sub == "restore" and ("S" in opts.shorts or "--staged" in opts.longs) and not (
            "W" in opts.shorts or "--worktree" in opts.longs):
        return []  # only unstages
    if paths:
        if set(paths) & _WHOLE_TREE:
            return [Hit(DISCARD)]
        return [Hit(DISCARD_FILE, " ".join(paths))]
    if sub in ("checkout", "switch") and ("f" in opts.shorts or {"--force", "--discard-changes"} & opts.longs):
        return [Hit(CHECKOUT_FORCE)]
    return []


@checks("svn", "hg")
def check_other_version_control(cmd: Cmd) -> List[Hit]:
    """Subversion's and Mercurial's ways of throwing away local changes and untracked files."""
    opts = cmd.options(("-r", "--rev", "--depth", "-m", "--message"))
    words = opts.operands
    if not words:
        return []
    sub = words[0]
    if cmd.name == "svn":
        if sub == "revert" and ("R" in opts.shorts or "--recursive" in opts.longs or "--depth" in opts.values):
            return [Hit(DISCARD)]
        if sub == "revert":
            return [Hit(DISCARD_FILE, " ".join(words[1:]) or None)]
        if sub == "cleanup" and {"--remove-unversioned", "--remove-ignored"} & opts.longs:
            return [Hit(PURGE_UNTRACKED)]
        return []
    if sub in ("update", "up", "checkout", "co") and ("C" in opts.shorts or "--clean" in opts.longs):
        return [Hit(DISCARD)]
    if sub == "revert" and ("a" in opts.shorts or "--all" in opts.longs):
        return [Hit(DISCARD)]
    if sub == "revert":
        return [Hit(DISCARD_FILE, " ".join(words[1:]) or None)]
    if sub in ("purge", "clean"):
        return [Hit(PURGE_UNTRACKED)]
    return []


@checks("gh", "glab")
def check_forge(cmd: Cmd) -> List[Hit]:
    """GitHub and GitLab CLIs: deleting repositories, releases and the like, raw API calls."""
    opts = cmd.options(("-R", "--repo", "-X", "--method", "-f", "--field", "-F", "--raw-field", "-H", "--header",
                        "--input", "-q", "--jq", "-t", "--template", "--hostname", "-p", "--paginate"))
    words = opts.operands
    if words[:2] == ["repo", "delete"]:
        return [Hit(REPO_DELETE, words[2] if len(words) > 2 else opts.value("-R", "--repo") or "of this directory")]
    if len(words) > 1 and words[1] == "delete":
        return [Hit(REMOTE_DELETE, " ".join(words[:1] + words[2:]))]
    if words[:1] == ["api"] and len(words) > 1:
        method = (opts.value("-X", "--method") or "").upper()
        endpoint = words[1]
        if method == "DELETE" and re.fullmatch(r"/?(repos|projects)/[^/]+(/[^/]+)?/?", endpoint):
            return [Hit(REPO_DELETE, endpoint)]
        if method == "DELETE":
            return [Hit(REMOTE_DELETE, endpoint)]
        if method in CHANGING_METHODS:
            return [Hit(REMOTE_CHANGE, f"{method} {endpoint}")]
    return []

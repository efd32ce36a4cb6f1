"""Variable assignments: settings that decide what runs (PATH, LD_PRELOAD), code kept for later
(PROMPT_COMMAND, pagers, editors, prompts, exported functions) and history switches."""
from __future__ import annotations

from ..levels import Risk
from .base import Hit, on_assignment, rule
from .network import env_tls_hits
from .shell import RUNS
from .system import HISTORY_CLEAR

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import List

PATH_CHANGE = rule("env.path", Risk.MODERATE, "environment", "changes {target}, which decides what programs run")

#: Variables whose value is a command some program runs later (pagers, editors, prompt hooks …).
CODE_VARIABLES = frozenset(["PROMPT_COMMAND", "PAGER", "MANPAGER", "GIT_PAGER", "SYSTEMD_PAGER", "EDITOR",
                            "VISUAL", "GIT_EDITOR", "GIT_SEQUENCE_EDITOR", "FCEDIT", "GIT_SSH_COMMAND",
                            "GIT_SSH", "GIT_PROXY_COMMAND", "GIT_EXTERNAL_DIFF", "LESSOPEN", "LESSCLOSE",
                            "SSH_ASKPASS", "SUDO_ASKPASS", "GIT_ASKPASS", "RSYNC_RSH", "BROWSER", "precmd_functions"])
#: Prompt strings: text shown at every prompt, whose substitutions run each time.
PROMPTS = frozenset(["PS0", "PS1", "PS2", "PS4", "PROMPT", "RPROMPT"])
_LOADERS = ("LD_PRELOAD", "LD_LIBRARY_PATH", "LD_AUDIT", "DYLD_INSERT_LIBRARIES", "PROMPT_COMMAND")


@on_assignment
def check_assignment(name: str, value: str) -> List[Hit]:
    hits: List[Hit] = []
    if name.startswith("BASH_FUNC_") and value.lstrip().startswith("("):
        # An exported function: bash defines it from the environment (shellshock-style).
        hits.append(Hit(RUNS, name, code="f" + value))
    if name.startswith("GIT_CONFIG_VALUE_") or name == "GIT_CONFIG_PARAMETERS":
        # git settings from the environment: a pager, editor or alias set there runs like -c.
        hits.append(Hit(RUNS, name, code=value.lstrip("!")))
    if name in CODE_VARIABLES and value:
        hits.append(Hit(RUNS, name, code=value.lstrip("|") if name.startswith("LESS") else value))
    if name in PROMPTS and ("$(" in value or "`" in value):
        hits.append(Hit(RUNS, name, code=": " + value))
    if name == "PATH" and "$PATH" not in value and "${PATH}" not in value:
        hits.append(Hit(PATH_CHANGE, "PATH"))
    elif name in _LOADERS:
        hits.append(Hit(PATH_CHANGE, name))
    elif name == "HISTFILE" and value in ("/dev/null", "") or name in ("HISTSIZE", "HISTFILESIZE", "SAVEHIST") and (
            value == "0"):
        hits.append(Hit(HISTORY_CLEAR))
    return hits + env_tls_hits(name, value)

"""Constructs that run words, proven in real bash: each one runs a harmless payload for real.

Every case is a pair: the construct with ``touch marker`` runs in bash in a temporary directory
and must create the marker; the same construct with a destructive payload must be rated critical.
So the adversarial rules cannot drift from what the shell really does. A case whose tool is not
installed is skipped, naming the tool.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path
from typing import List, Tuple

import pytest

from cmdai.safety import Risk, assess

RUN, HARM = "touch marker", "rm -rf ~"

#: (construct with PAYLOAD, tools it needs besides bash)
TEMPLATES: List[Tuple[str, Tuple[str, ...]]] = [
    ("coproc PAYLOAD", ()),
    ("coproc x { PAYLOAD; }", ()),
    ("echo ${x:=`PAYLOAD`}", ()),
    ("echo ${x:-$(PAYLOAD)}", ()),
    (": \"${x:=$(PAYLOAD)}\"", ()),
    ("a[$(PAYLOAD)]=1", ()),
    ("[[ $(PAYLOAD) ]]", ()),
    ("cat <<EOF\n$(PAYLOAD)\nEOF", ()),
    ("cat <<EOF\n`PAYLOAD`\nEOF", ()),
    ("bash <<< 'PAYLOAD'", ()),
    ("sh <<EOF\nPAYLOAD\nEOF", ()),
    ("cat <<'EOF' | sh\nPAYLOAD\nEOF", ()),
    ("echo 'PAYLOAD' | xargs -I{} sh -c '{}'", ("xargs",)),
    ("echo 'PAYLOAD' > x.sh; . ./x.sh", ()),
    ("echo 'PAYLOAD' > x.sh; source x.sh", ()),
    ("echo 'PAYLOAD' > x.sh && bash x.sh", ()),
    ("cat > x.sh <<'EOF'\nPAYLOAD\nEOF\nsh x.sh", ()),
    ("printf 'PAYLOAD' > x.sh; chmod +x x.sh; ./x.sh", ()),
    ("script -qc 'PAYLOAD' /dev/null", ("script",)),
    ("printf 'all:\\n\\tPAYLOAD\\n' | make -f -", ("make",)),
    ("make -f - <<'EOF'\nall:\n\tPAYLOAD\nEOF", ("make",)),
    ("tmux -S ./tmux.sock new -d 'PAYLOAD'", ("tmux",)),
    ("screen -dm sh -c 'PAYLOAD'", ("screen",)),
    ("vim -es -N -u NONE -c '!PAYLOAD' -c 'qa!'", ("vim",)),
    ("echo '!PAYLOAD' | ed -s", ("ed",)),
    ("x=(PAYLOAD); \"${x[@]}\"", ()),
    ("set -- PAYLOAD; \"$@\"", ()),
    ("$BASH -c 'PAYLOAD'", ()),
    ("bash -c '\"$@\"' _ PAYLOAD", ()),
    ("trap 'PAYLOAD' EXIT", ()),
    ("shopt -s expand_aliases\nalias x='PAYLOAD'\nx", ()),
    ("f() { PAYLOAD; }; f", ()),
    ("eval 'PAYLOAD'", ()),
    ("env -S 'PAYLOAD'", ("env",)),
    ("command PAYLOAD", ()),
    ("builtin eval 'PAYLOAD'", ()),
    ("exec PAYLOAD", ()),
    ("nohup PAYLOAD >/dev/null 2>&1", ("nohup",)),
    ("timeout 5 PAYLOAD", ("timeout",)),
    ("stdbuf -o0 PAYLOAD", ("stdbuf",)),
    ("setsid PAYLOAD", ("setsid",)),
    ("flock ./lock -c 'PAYLOAD'", ("flock",)),
    ("find . -maxdepth 0 -exec sh -c 'PAYLOAD' \\;", ("find",)),
    ("awk 'BEGIN{system(\"PAYLOAD\")}'", ("awk",)),
    ("awk 'BEGIN{\"PAYLOAD\" | getline}'", ("awk",)),
    ("awk 'BEGIN{print \"PAYLOAD\" | \"sh\"}'", ("awk",)),
    ("sed 's/.*/PAYLOAD/e' <<< x", ("sed",)),
    ("echo 'PAYLOAD' | sed e", ("sed",)),
    ("echo x > f; tar -cf a.tar --checkpoint=1 --checkpoint-action=exec='PAYLOAD' f", ("tar",)),
    ("echo x > f; zip -q a.zip f -T -TT 'PAYLOAD'", ("zip",)),
    ("ssh -F /dev/null -o BatchMode=yes -o ProxyCommand='PAYLOAD' x", ("ssh",)),
    ("gdb -batch -nx -ex 'shell PAYLOAD'", ("gdb",)),
    ("git -c alias.x='!PAYLOAD' x", ("git",)),
    ("python3 -c 'import os; os.system(\"PAYLOAD\")'", ("python3",)),
    ("python3 <<'EOF'\nimport subprocess\nsubprocess.run('PAYLOAD', shell=True)\nEOF", ("python3",)),
    ("node -e 'require(\"child_process\").execSync(\"PAYLOAD\")'", ("node",)),
    ("perl -e 'system(\"PAYLOAD\")'", ("perl",)),
    ("ruby -e 'system(\"PAYLOAD\")'", ("ruby",)),
    ("php -r 'system(\"PAYLOAD\");'", ("php",)),
    ("lua -e 'os.execute(\"PAYLOAD\")'", ("lua",)),
]

#: Constructs whose payload is not a plain command line: (what runs, what is judged).
PAIRS: List[Tuple[str, str, Tuple[str, ...]]] = [
    ("/usr/bin/t?uch marker", "/bin/r? -rf ~", ()),
    ("/usr/bin/[t]ouch marker", "/usr/bin/[r]m -rf ~", ()),
    ("{touch,marker}", "{rm,-rf,~}", ()),
    ("IFS=,; x=touch,marker; $x", "IFS=,; x=rm,-rf,~; $x", ()),
    ("y=touch; x=y; ${!x} marker", "y=rm; x=y; ${!x} -rf ~", ()),
    ("$'\\x74ouch' marker", "$'\\x72\\x6d' -rf ~", ()),
    ("bash -c 'touch $0' marker", "bash -c 'rm -rf $0' ~", ()),
    ("echo marker | xargs sh -c 'touch \"$0\"'", "echo ~ | xargs sh -c 'rm -rf \"$0\"'", ("xargs",)),
]

CASES = [(t.replace("PAYLOAD", RUN), t.replace("PAYLOAD", HARM), tools) for t, tools in TEMPLATES] + PAIRS


def _bash_env(tmp_path: Path) -> dict:
    return {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(tmp_path), "TERM": "dumb",
            "LC_ALL": "C.UTF-8"}


@pytest.mark.parametrize("runs,judged,tools", CASES, ids=[c[1][:60] for c in CASES])
def test_construct_really_runs_and_is_critical(tmp_path: Path, runs: str, judged: str, tools: Tuple[str, ...]) -> None:
    missing = [t for t in ("bash",) + tools if shutil.which(t) is None]
    if missing:
        pytest.skip(f"needs {', '.join(missing)}, which is not installed")
    verdict = assess(judged)
    assert verdict.risk is Risk.CRITICAL, (judged, verdict.reasons)

    try:
        subprocess.run(["bash", "-c", runs], cwd=tmp_path, env=_bash_env(tmp_path), stdin=subprocess.DEVNULL,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=30)
        deadline = time.monotonic() + 10  # coproc, tmux and screen run the payload in the background
        while not (tmp_path / "marker").exists() and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        if "tmux" in tools:
            subprocess.run(["tmux", "-S", str(tmp_path / "tmux.sock"), "kill-server"], stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL, timeout=10)
    assert (tmp_path / "marker").exists(), f"bash did not run the payload of {runs!r}: the case is wrong"


def test_a_quoted_here_document_runs_nothing(tmp_path: Path) -> None:
    """The look-alike: with a quoted delimiter the body is text, and the engine agrees."""
    text = "cat <<'EOF'\n$(touch marker)\nEOF"
    subprocess.run(["bash", "-c", text], cwd=tmp_path, env=_bash_env(tmp_path), stdout=subprocess.DEVNULL,
                   timeout=30)
    assert not (tmp_path / "marker").exists()
    assert assess(text.replace("touch marker", HARM)).risk is Risk.SAFE

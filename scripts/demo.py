"""Draw docs/demo.svg: the Ctrl-G key at work in a real zsh, captured from tmux.

    .venv/bin/python -m pip install rich      # only this script needs it
    .venv/bin/python scripts/demo.py          # rewrites docs/demo.svg

zsh runs in a private tmux server with a throw-away home and `cmdai --init zsh` loaded; the
offline engine answers, so no network or account is needed. For each request the script types
it, captures the screen (`tmux capture-pane -e` keeps the colours), presses Ctrl-G, waits for
the answer and captures again; rich turns the captures into an SVG. Run it again whenever the
widget or the engine changes, and commit the new picture.
"""
from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import List, Sequence

REPO = Path(__file__).resolve().parents[1]
#: Typed requests, in order; the last one is answered disarmed (`# ` in front, a warning below).
REQUESTS = (
    "find python files changed today",
    "show the 10 largest files in this folder",
    "discard all local git changes",
)
COLUMNS, ROWS = 104, 12
WAIT = 20
ZSHRC = """\
PS1='%F{{cyan}}~/shop%f %F{{green}}❯%f '
unsetopt prompt_sp
bindkey -e
eval "$({cmdai} --init zsh)"
"""


def cmdai_program() -> str:
    """The cmdai of this environment (its console script), so the picture shows this checkout."""
    beside = Path(sys.executable).with_name("cmdai")
    found = str(beside) if beside.exists() else shutil.which("cmdai")
    if not found:
        sys.exit("demo: cmdai is not installed in this environment; run the README's test command first")
    return found


class Tmux:
    """One zsh in a tmux server of its own (its own socket: nothing else is touched)."""

    def __init__(self, home: Path, cmdai: str):
        self.socket = f"cmdai-demo-{os.getpid()}"
        zdotdir = home / "zdotdir"
        zdotdir.mkdir()
        (zdotdir / ".zshrc").write_text(ZSHRC.format(cmdai=cmdai), encoding="utf-8")
        project = home / "shop"
        project.mkdir()
        env = {"HOME": str(home), "PATH": os.environ.get("PATH", "/usr/bin:/bin"), "ZDOTDIR": str(zdotdir),
               "XDG_CONFIG_HOME": str(home / ".config"), "XDG_CACHE_HOME": str(home / ".cache"),
               "XDG_DATA_HOME": str(home / ".local" / "share"), "XDG_CONFIG_DIRS": str(home / "site"),
               "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8", "TERM": "xterm-256color", "HISTFILE": "/dev/null"}
        self.run("-f", "/dev/null", "new-session", "-d", "-s", "demo", "-x", str(COLUMNS), "-y", str(ROWS),
                 "-c", str(project), "zsh", "--no-globalrcs", "-i", env=env)
        self.wait_for(lambda screen: "❯" in screen)

    def run(self, *args: str, env=None) -> str:
        result = subprocess.run(["tmux", "-L", self.socket, *args], capture_output=True, text=True,
                                env=env, timeout=WAIT, check=True)
        return result.stdout

    def keys(self, *keys: str, literal: bool = False) -> None:
        self.run("send-keys", "-t", "demo", *(["-l"] if literal else []), *keys)

    def screen(self, colours: bool = False) -> str:
        text = self.run("capture-pane", "-p", "-t", "demo", *(["-e"] if colours else []))
        return "\n".join(text.rstrip("\n").split("\n")).rstrip()

    def wait_for(self, done) -> str:
        deadline = time.monotonic() + WAIT
        last, since = None, time.monotonic()
        while time.monotonic() < deadline:
            screen = self.screen()
            if screen != last:
                last, since = screen, time.monotonic()
            # Done, and the screen has held still for a moment (the prompt is redrawn last).
            elif done(screen) and time.monotonic() - since > 0.5:
                return screen
            time.sleep(0.1)
        raise SystemExit(f"demo: timed out; the screen was:\n{last}")

    def close(self) -> None:
        subprocess.run(["tmux", "-L", self.socket, "kill-server"], capture_output=True, timeout=WAIT)


def capture(requests: Sequence[str]) -> List[List[str]]:
    """For each request: the screen with the request typed, then the screen after Ctrl-G."""
    frames = []
    with tempfile.TemporaryDirectory(prefix="cmdai-demo-") as home:
        tmux = Tmux(Path(home), cmdai_program())
        try:
            for request in requests:
                tmux.keys("C-l")
                tmux.wait_for(lambda screen: screen.strip().endswith("❯"))
                tmux.keys(request, literal=True)
                typed = tmux.wait_for(lambda screen: request in screen)
                before = tmux.screen(colours=True)
                tmux.keys("C-g")
                tmux.wait_for(lambda screen: screen != typed and "⏳" not in screen)
                frames.append([before, tmux.screen(colours=True)])
                tmux.keys("C-u")
        finally:
            tmux.close()
    return frames


def render(frames: List[List[str]], output: Path) -> None:
    try:
        from rich.console import Console
        from rich.text import Text
    except ImportError:
        sys.exit("demo: this script draws with rich; install it first: python -m pip install rich")
    console = Console(record=True, width=COLUMNS, file=open(os.devnull, "w"), force_terminal=True,
                      color_system="truecolor")
    for number, (before, after) in enumerate(frames):
        if number:
            console.print()
        console.print(Text.from_ansi(before))
        console.print(Text("          ⌃G  ↓", style="bold yellow"))
        console.print(Text.from_ansi(after))
    console.save_svg(str(output), title="cmdai: plain words, Ctrl-G, a command to review")


def main(argv: Sequence[str] = ()) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--output", type=Path, default=REPO / "docs" / "demo.svg", help="where to write the SVG")
    args = parser.parse_args(argv)
    if shutil.which("tmux") is None or shutil.which("zsh") is None:
        sys.exit("demo: needs tmux and zsh (apt-get install tmux zsh, brew install tmux zsh)")
    render(capture(REQUESTS), args.output)
    print(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""Real zsh, bash and fish in a pseudo-terminal, with cmdai answering from a loopback Foundry.

A session sources the script `cmdai --init SHELL` printed, plus one test key (Ctrl-X Ctrl-B)
that writes the line buffer and cursor position to a file: the tests read the line from there
instead of scraping the screen. Where the layout itself is under test, the shell runs inside
tmux, whose rendering of the terminal the tests read back.
"""
from __future__ import annotations

import io
import json
import os
import re
import shutil
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Optional, Tuple

import pexpect
import pytest
from werkzeug.wrappers import Request, Response

DUMP_KEY = "\x18\x02"  # Ctrl-X Ctrl-B, bound by the test rc files only
# Keys as the terminal sends them.
CTRL_G = "\x07"
CTRL_C = "\x03"
CTRL_E = "\x05"
CTRL_U = "\x15"
CTRL_X = "\x18"
UNDO = "\x1f"  # Ctrl-_ : undo in zsh's emacs keymap, in readline and in fish
ALT_I = "\x1bi"
LEFT = "\x1b[D"
UP = "\x1b[A"
PROMPT = "READY> "
#: Long enough for a slow, busy machine; a passing test never waits this long.
WAIT = 30


@dataclass
class Foundry:
    """A Foundry model-inference endpoint on 127.0.0.1 whose answer each test chooses."""

    url: str
    command: str = "ls -la"
    explanation: str = "list the files"
    #: Other commands for the same request, sent with the answer.
    alternatives: List[str] = field(default_factory=list)
    #: Part → meaning, sent with the answer, for a request to explain a command.
    parts: Dict[str, str] = field(default_factory=dict)
    status: int = 200
    #: When True, chat requests wait (until the test ends) instead of answering.
    stall: bool = False
    #: Seconds a chat request waits before the answer, as a slow model would.
    delay: float = 0.0
    #: The user config file that points cmdai here; tests may add settings to it.
    config: Optional[Path] = None
    requests: List[Dict[str, object]] = field(default_factory=list)
    released: threading.Event = field(default_factory=threading.Event)

    def handle(self, request: Request) -> Response:
        body = json.loads(request.get_data() or b"{}")
        self.requests.append({"path": request.path, "api-key": request.headers.get("api-key"), "body": body})
        if self.stall:
            self.released.wait(WAIT)
            return Response("{}", status=503, content_type="application/json")
        if self.delay:
            self.released.wait(self.delay)
        if self.status != 200:
            return _json(self.status, {"error": {"code": "InternalServerError",
                                                 "message": "the model is overloaded"}})
        reply = {"cmd": self.command, "explanation": self.explanation}
        if self.alternatives:
            reply["alternatives"] = self.alternatives
        if self.parts:
            reply["parts"] = self.parts
        content = json.dumps(reply)
        return _json(200, {
            "id": "chatcmpl-1", "object": "chat.completion", "created": 1700000000, "model": "gpt-4o-mini",
            "choices": [{"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": content}}],
            "usage": {"prompt_tokens": 40, "completion_tokens": 10, "total_tokens": 50},
        })

    def add_config(self, text: str) -> None:
        """Append settings (whole TOML tables) to the user config."""
        assert self.config is not None
        with self.config.open("a", encoding="utf-8") as handle:
            handle.write("\n" + text)

    def chat_requests(self) -> List[Dict[str, object]]:
        return [r for r in self.requests if str(r["path"]).endswith("/chat/completions")]

    def user_text(self) -> str:
        """Everything the user role said in the last chat request."""
        messages = self.chat_requests()[-1]["body"]["messages"]  # type: ignore[index]
        return "\n".join(str(m["content"]) for m in messages if m["role"] == "user")

    def wait_for_request(self) -> None:
        deadline = time.monotonic() + WAIT
        while not self.chat_requests():
            if time.monotonic() > deadline:
                raise AssertionError("cmdai never sent its request")
            time.sleep(0.02)


def _json(status: int, body: object) -> Response:
    return Response(json.dumps(body), status=status, content_type="application/json")


def _rc(shell: str, init: Path, dump: Path, vi: bool) -> str:
    if shell == "zsh":
        return f"""\
PS1='{PROMPT}'
unsetopt prompt_sp
{'bindkey -v' if vi else 'bindkey -e'}
source '{init}'
_test_dump() {{ print -rn -- "$BUFFER"$'\\0'"$CURSOR" >| '{dump}.part' && command mv '{dump}.part' '{dump}'; }}
zle -N _test_dump
bindkey -M emacs '^X^B' _test_dump
bindkey -M viins '^X^B' _test_dump
"""
    if shell == "bash":
        return f"""\
PS1='{PROMPT}'
{'set -o vi' if vi else 'set -o emacs'}
source '{init}'
_test_dump() {{ printf '%s\\0%s' "$READLINE_LINE" "$READLINE_POINT" > '{dump}.part' && command mv '{dump}.part' '{dump}'; }}
bind -m emacs -x '"\\C-x\\C-b": _test_dump'
bind -m vi-insert -x '"\\C-x\\C-b": _test_dump'
"""
    return f"""\
function fish_greeting; end
function fish_prompt; printf '%s' '{PROMPT}'; end
function fish_mode_prompt; end
{'fish_vi_key_bindings' if vi else 'fish_default_key_bindings'}
set -g fish_autosuggestion_enabled 0
source '{init}'
function _test_dump
    printf '%s\\0%s' (commandline | string collect) (commandline -C) > '{dump}.part'
    and command mv '{dump}.part' '{dump}'
end
bind \\cx\\cb _test_dump
bind -M insert \\cx\\cb _test_dump
"""


class ShellSession:
    """One interactive shell in a pseudo-terminal with the cmdai widget loaded."""

    def __init__(self, shell: str, home: Path, env: Dict[str, str], init_script: str, *,
                 vi: bool = False, key_setting: Optional[str] = None, in_tmux: bool = False,
                 size: Tuple[int, int] = (40, 200), extra_env: Optional[Dict[str, str]] = None):
        self.shell = shell
        self.dump = home / f"dump-{shell}"
        init = home / f"init.{shell}"
        init.write_text(init_script, encoding="utf-8")
        rc = _rc(shell, init, self.dump, vi)
        env = dict(env, TERM="xterm", LANG="C.UTF-8", LC_ALL="C.UTF-8", HISTFILE=str(home / "history"))
        env.pop("LC_CTYPE", None)
        env.update(extra_env or {})
        if key_setting is not None:
            env["CMDAI_KEY"] = key_setting
        if shell == "zsh":
            zdotdir = home / "zdotdir"
            zdotdir.mkdir(exist_ok=True)
            (zdotdir / ".zshrc").write_text(rc, encoding="utf-8")
            env["ZDOTDIR"] = str(zdotdir)
            argv = ["--no-globalrcs", "-i"]
        elif shell == "bash":
            rcfile = home / "bashrc"
            rcfile.write_text(rc, encoding="utf-8")
            argv = ["--noprofile", "--rcfile", str(rcfile), "-i"]
        else:
            config = Path(env["XDG_CONFIG_HOME"]) / "fish" / "config.fish"
            config.parent.mkdir(parents=True, exist_ok=True)
            config.write_text(rc, encoding="utf-8")
            argv = ["-i"]
        program = shutil.which(shell)
        self.tmux: Optional[List[str]] = None
        if in_tmux:
            # tmux draws the shell's output on a screen of its own, which capture-pane reads back.
            conf = home / "tmux.conf"
            conf.write_text("set -g status off\nset -g prefix None\nset -g escape-time 0\n", encoding="utf-8")
            self.tmux = [shutil.which("tmux"), "-S", str(home / "tmux.sock")]
            argv = [*self.tmux[1:], "-f", str(conf), "new-session", program, *argv]
            program = self.tmux[0]
        self.child = pexpect.spawn(program, argv, env=env, cwd=str(home), encoding="utf-8",
                                   dimensions=size, timeout=WAIT)
        self.output = io.StringIO()
        self.child.logfile_read = self.output
        self.child.expect_exact(PROMPT)

    def send(self, keys: str) -> None:
        self.child.send(keys)

    def press(self, text: str, key: str = CTRL_G, back: int = 0) -> None:
        """Type TEXT, move the cursor BACK characters to the left, press KEY."""
        self.send(text)
        self.send(LEFT * back)
        self.send(key)

    def line(self) -> Tuple[str, int]:
        """The line buffer and cursor position, as the shell itself reports them.

        Keys typed while cmdai works are discarded, so a dump key that arrives before the widget
        has finished is lost: it is sent again, less and less often, until the shell answers.
        """
        if self.dump.exists():
            self.dump.unlink()
        deadline = time.monotonic() + WAIT
        patience = 0.3
        while True:
            self.child.send(DUMP_KEY)
            retry = time.monotonic() + patience
            while not self.dump.exists() and time.monotonic() < min(retry, deadline):
                time.sleep(0.02)
            if self.dump.exists():
                break
            if time.monotonic() >= deadline:
                raise AssertionError(f"{self.shell} never ran the dump key; screen so far:\n{self.child.before}")
            patience = min(patience * 2, 3.0)
        text, cursor = self.dump.read_text(encoding="utf-8").split("\0")
        return text, int(cursor)

    def expect(self, text: str) -> None:
        self.child.expect_exact(text)

    def screen(self) -> List[str]:
        """The rows of the terminal as tmux shows them, trailing blanks removed."""
        assert self.tmux is not None, "open the shell with in_tmux=True"
        import subprocess

        shown = subprocess.run([*self.tmux, "capture-pane", "-p"], capture_output=True, text=True, timeout=WAIT)
        return [row.rstrip() for row in shown.stdout.rstrip("\n").split("\n")]

    def wait_for_screen(self, condition, what: str) -> List[str]:
        """The screen once ``condition(rows)`` holds."""
        deadline = time.monotonic() + WAIT
        while True:
            rows = self.screen()
            if condition(rows):
                return rows
            if time.monotonic() > deadline:
                raise AssertionError(f"the screen never showed {what}:\n" + "\n".join(rows))
            time.sleep(0.1)

    def screen_output(self) -> str:
        """Everything the shell wrote to the terminal so far."""
        while True:
            try:
                self.child.read_nonblocking(100_000, timeout=0.3)
            except (pexpect.TIMEOUT, pexpect.EOF):
                return self.output.getvalue()

    def close(self) -> None:
        if self.tmux is not None:
            import subprocess

            subprocess.run([*self.tmux, "kill-server"], capture_output=True, timeout=WAIT)
        self.child.close(force=True)


def interrupt_keeps_the_line(session: "ShellSession", foundry: "Foundry", line: str, key: str = CTRL_G,
                             back: int = 0) -> None:
    """Type LINE, move BACK to the left, press KEY, Ctrl-C while the model stalls: the line stays."""
    foundry.stall = True
    session.press(line, key, back)
    foundry.wait_for_request()
    session.send(CTRL_C)
    session.expect("cmdai: interrupted")
    assert session.line() == (line, len(line) - back)


@pytest.fixture
def foundry(httpserver, isolated_env: Dict[str, str], write_file) -> Foundry:
    """The endpoint, and a user config that points cmdai at it (no fallback, no cache)."""
    emulator = Foundry(url=httpserver.url_for("/models"))
    httpserver.expect_request(re.compile(r"^/.*")).respond_with_handler(emulator.handle)
    emulator.config = write_file(Path(isolated_env["XDG_CONFIG_HOME"]) / "cmdai" / "config.toml", f"""\
[backend]
type = "azure-foundry"
endpoint = "{emulator.url}"
api_key = "test-key"
model = "gpt-4o-mini"
fallback = false
max_retries = 0

[backend.azure]
api_style = "model-inference"

[cache]
enabled = false
""")
    yield emulator
    # Let a stalled handler go, so the server thread is free for the next test.
    emulator.released.set()


@pytest.fixture
def open_shell(isolated_env: Dict[str, str], tmp_path: Path, run_cmdai):
    """open_shell("zsh", vi=False, key_setting=None, program=None, …) -> ShellSession; closed after the test."""
    sessions: List[ShellSession] = []

    def open_(shell: str, program: Optional[List[str]] = None, **options) -> ShellSession:
        if shutil.which(shell) is None:
            pytest.skip(f"{shell} is not installed")
        init = run_cmdai("--init", shell)
        assert init.returncode == 0, init.stderr
        script = init.stdout
        if program is not None:
            # As if cmdai had been installed as PROGRAM when the shell started.
            from cmdai.shell_integration import program_line

            naming = re.compile(r"^(_cmdai_command=\(|set -g __cmdai_command ).*$", re.MULTILINE)
            script = naming.sub(lambda _: program_line(shell, program).replace("\\", "\\\\"), script, count=1)
        session = ShellSession(shell, tmp_path, dict(os.environ), script, **options)
        sessions.append(session)
        return session

    yield open_
    for session in sessions:
        session.close()

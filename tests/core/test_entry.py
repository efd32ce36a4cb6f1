"""The process entry point: the same output and exit codes as the command line, ended quickly."""
from __future__ import annotations

import subprocess
import sys

from tests.conftest import cmdai_command


def in_process(*args: str) -> subprocess.CompletedProcess:
    """The command line run by ``cli.main`` in a process that ends the ordinary way."""
    # --init writes how to call cmdai back, from the program name.
    code = f"import sys; sys.argv[0] = {cmdai_command()[0]!r}; from cmdai.cli import main; sys.exit(main(sys.argv[1:]))"
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, timeout=60)


def test_long_output_is_delivered_whole(run_cmdai) -> None:
    for args in (("--init", "zsh"), ("--init", "fish"), ("--help",)):
        fast, plain = run_cmdai(*args), in_process(*args)
        assert fast.returncode == plain.returncode == 0
        assert fast.stdout == plain.stdout and len(fast.stdout) > 500


def test_exit_codes_and_messages_are_kept(run_cmdai) -> None:
    for args in (("list all python files",), ("compose a haiku about my cat",), ("--check", "rm -rf /"),
                 ("--json", "show open ports")):
        fast, plain = run_cmdai(*args), in_process(*args)
        assert (fast.returncode, fast.stdout, fast.stderr) == (plain.returncode, plain.stdout, plain.stderr), args


def test_python_dash_m_uses_the_same_entry() -> None:
    result = subprocess.run([sys.executable, "-m", "cmdai", "list all python files"], capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 0 and result.stdout == "find . -name '*.py'\n"


def test_a_reader_that_goes_away_leaves_no_traceback() -> None:
    command = " ".join(f"'{part}'" for part in cmdai_command())
    result = subprocess.run(["sh", "-c", f"{command} --init zsh | head -n 1"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and result.stdout.strip()
    assert "Traceback" not in result.stderr and "Exception ignored" not in result.stderr

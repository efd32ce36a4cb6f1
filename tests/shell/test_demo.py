"""scripts/demo.py, which draws the README's picture, still drives zsh in tmux to a real answer."""
from __future__ import annotations

import importlib.util
import re
import shutil
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "demo.py"
ANSI = re.compile(r"\x1b\[[0-9;]*m")


@pytest.fixture(scope="module")
def demo():
    spec = importlib.util.spec_from_file_location("cmdai_demo", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_demo_types_a_request_presses_ctrl_g_and_captures_both_screens(demo):
    if shutil.which("tmux") is None or shutil.which("zsh") is None:
        pytest.skip("the demo needs tmux and zsh")
    [(before, after)] = demo.capture(["discard all local git changes"])

    assert "\x1b[" in before  # the colours are kept
    assert ANSI.sub("", before).rstrip().endswith("discard all local git changes")
    plain = ANSI.sub("", after)
    assert "# git reset --hard" in plain and "cmdai: high risk" in plain


def test_the_captures_become_an_svg(demo, tmp_path):
    pytest.importorskip("rich")
    output = tmp_path / "demo.svg"
    demo.render([["\x1b[36m~ ❯\x1b[39m list files", "~ ❯ ls"]], output)
    svg = output.read_text(encoding="utf-8")
    assert svg.lstrip().startswith("<svg") and "list&#160;files" in svg

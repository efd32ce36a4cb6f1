"""Modules found by listing their folder, and imported by name without importlib."""
from __future__ import annotations

import importlib
import subprocess
import sys

from cmdai.discovery import load, module_names


def test_module_names_lists_public_modules_and_asked_for_packages(tmp_path):
    for name in ("zsh.py", "bash.py", "_private.py", "notes.txt", "__init__.py", "data.json"):
        (tmp_path / name).write_text("")
    (tmp_path / "embedded").mkdir()
    (tmp_path / "embedded" / "__init__.py").write_text("")
    (tmp_path / "plain_folder").mkdir()
    other = tmp_path / "more"
    other.mkdir()
    (other / "fish.py").write_text("")
    (other / "zsh.py").write_text("")

    assert module_names([str(tmp_path), str(other)]) == ["bash", "fish", "zsh"]
    assert module_names([str(tmp_path)], packages=True) == ["bash", "embedded", "zsh"]


def test_load_gives_the_module_importlib_gives():
    assert load("cmdai.shells.fish") is importlib.import_module("cmdai.shells.fish")
    assert load("json.decoder") is sys.modules["json.decoder"]


def test_finding_and_loading_shells_imports_neither_importlib_nor_warnings():
    code = ("import sys; from cmdai import shells; shells.get('zsh'); "
            "print(sorted({'importlib', 'warnings', 'pkgutil', 'inspect'} & set(sys.modules)))")
    out = subprocess.run([sys.executable, "-S", "-c", f"import sys; sys.path[:0] = {sys.path!r}; {code}"],
                         capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"

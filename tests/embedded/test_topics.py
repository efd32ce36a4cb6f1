"""Catalog topics are found by being in catalog/: a module dropped there is matched with no list to edit."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import cmdai

TOY_TOPIC = textwrap.dedent('''
    """A toy topic: one intent."""
    from ..intent import intent

    INTENTS = [
        intent("toy.polish", "toyctl polish <input>", "polish|shine toy|toys", "the my please",
               explain="polish the toy <input>"),
    ]
''')


def _offline(package_root: Path, home: Path, request: str) -> subprocess.CompletedProcess:
    env = {"PYTHONPATH": str(package_root), "PATH": os.environ["PATH"], "HOME": str(home),
           "XDG_CACHE_HOME": str(home / "cache"), "XDG_CONFIG_HOME": str(home / "config"), "LANG": "C.UTF-8"}
    return subprocess.run([sys.executable, "-m", "cmdai", "-b", "embedded", "-s", "bash", request],
                          cwd=home, capture_output=True, text=True, env=env, timeout=60)


def test_a_topic_module_in_catalog_is_matched(tmp_path: Path) -> None:
    copy = tmp_path / "cmdai"
    shutil.copytree(Path(cmdai.__file__).parent, copy, ignore=shutil.ignore_patterns("__pycache__"))
    home = tmp_path / "home"
    home.mkdir()
    before = _offline(tmp_path, home, "polish the toy robot.txt")
    assert before.returncode == 1 and before.stdout == ""  # unknown to the catalog as shipped (cached too)

    (copy / "backends" / "embedded" / "catalog" / "toy.py").write_text(TOY_TOPIC, encoding="utf-8")
    after = _offline(tmp_path, home, "polish the toy robot.txt")
    assert after.returncode == 0, after.stderr
    assert after.stdout == "toyctl polish robot.txt\n"


def test_every_topic_module_is_in_the_catalog() -> None:
    from cmdai.backends.embedded import catalog

    folder = Path(catalog.__file__).parent
    modules = {path.stem for path in folder.glob("*.py")} - {"__init__", "vocab"}
    assert {topic.__name__.rsplit(".", 1)[1] for topic in catalog.TOPICS} == modules
    assert len(catalog.INTENTS) == sum(len(topic.INTENTS) for topic in catalog.TOPICS) > 400

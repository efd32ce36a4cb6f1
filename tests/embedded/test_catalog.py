"""The catalog as data: size, coverage of topics, and that every template renders to valid
syntax for every shell and OS it can be asked for."""
from __future__ import annotations

import shutil
import subprocess
from collections import Counter
from pathlib import Path
from typing import Dict, List

import pytest

from cmdai.backends.embedded.catalog import INTENTS, TOPICS
from cmdai.backends.embedded.render import PLACEHOLDER, fill, pick_variant
from cmdai.backends.embedded.slots import Slot

#: One plausible value per placeholder, awkward where it can be (spaces, quotes) to test quoting.
SAMPLES: Dict[str, Slot] = {
    "path": Slot("./my dir", "path"), "input": Slot("notes.txt", "path"), "dir": Slot("src", "path"),
    "file": Slot("it's.txt", "path"), "dest": Slot("/tmp/out", "path"), "file2": Slot("b.txt", "path"),
    "dir2": Slot("docs", "path"), "base": Slot("src", "quote"), "glob": Slot("*.py", "force"),
    "ext": Slot("py", "quote"), "ext2": Slot("md", "quote"), "text": Slot("a b 'c'", "force"), "name": Slot("x y", "quote"),
    "arg": Slot("nginx", "quote"), "size": Slot("+1M", "literal"), "age": Slot("-mtime -3", "literal"),
    "since": Slot("3 days ago", "force"), "before": Slot("3 days ago", "force"), "n": Slot("5", "literal"),
    "n2": Slot("9", "literal"), "mode": Slot("755", "literal"), "user": Slot("alice", "quote"),
    "host": Slot("example.com", "quote"), "target": Slot("bob@example.com", "quote"),
    "url": Slot("https://example.com/a?b=1&c=2", "quote"), "remote": Slot("bob@host:/tmp", "quote"),
    "from_remote": Slot("bob@host:/tmp/x", "quote"), "port": Slot("8080", "literal"), "port2": Slot("80", "literal"),
    "pid": Slot("123", "literal"), "email": Slot("a@example.com", "quote"), "sed_sub": Slot("s/a/b/g", "force"),
    "tarfile": Slot("a.tar.gz", "path"), "tarfile2": Slot("b.tar.gz", "path"), "zipfile": Slot("a.zip", "path"),
    "zipfile2": Slot("b.zip", "path"), "gzfile": Slot("a.gz", "path"), "bz2file": Slot("a.bz2", "path"),
    "xzfile": Slot("a.xz", "path"), "here": Slot(".", "literal", implicit=True),
    "repo": Slot("git@github.com:me/app.git", "quote"), "media": Slot("my clip.mov", "path"),
    "media_out": Slot("my clip.gif", "path"),
}

TARGETS = [("bash", "linux"), ("zsh", "linux"), ("sh", "linux"), ("bash", "macos"), ("zsh", "macos"),
           ("fish", "linux"), ("fish", "macos")]


def renderings(shell: str, os_name: str) -> List[str]:
    out = []
    for it in INTENTS:
        if it.only is not None and it.only != os_name:
            continue
        template = pick_variant(it.command, it.variants, shell, os_name)
        # Alternatives render with the same values and must be just as valid.
        for each in (template, *it.alts.get(os_name, ())):
            command = fill(each, SAMPLES, it.defaults, shell)
            assert command is not None, it.id
            out.append(command)
    return out


def test_catalog_is_large_and_covers_every_topic() -> None:
    assert len(INTENTS) >= 200
    names = {topic.__name__.rsplit(".", 1)[-1] for topic in TOPICS}
    assert {"files", "text", "processes", "network", "git", "packages", "system", "docker", "archives", "ssh", "dates"} <= names
    assert all(len(topic.INTENTS) >= 10 for topic in TOPICS)


def test_intent_ids_are_unique() -> None:
    duplicates = [name for name, count in Counter(it.id for it in INTENTS).items() if count > 1]
    assert duplicates == []


def test_every_placeholder_has_a_sample_and_every_intent_has_evidence() -> None:
    for it in INTENTS:
        for template in [it.command, *it.variants.values(), *it.alts.get("linux", ()), *it.alts.get("macos", ())]:
            assert set(PLACEHOLDER.findall(template)) <= set(SAMPLES) | {"arg"}, it.id
        # An intent must need a word or a slot, or it would answer anything.
        required = set(PLACEHOLDER.findall(it.command.split("[?")[0])) - set(it.defaults)
        assert it.need.strip() or required, it.id
        assert set(it.variants) <= {"macos", "fish", "zsh", "sh", "macos_fish"}, it.id
        assert it.only in (None, "linux", "macos"), it.id


def test_fish_renderings_avoid_posix_only_syntax() -> None:
    for command in renderings("fish", "linux") + renderings("fish", "macos"):
        assert "$(" not in command and "`" not in command and "<<<" not in command, command


@pytest.mark.parametrize("shell, os_name", TARGETS)
def test_every_rendering_is_valid_shell_syntax(shell: str, os_name: str, tmp_path: Path) -> None:
    program = {"sh": "bash"}.get(shell, shell)
    if shutil.which(program) is None:
        pytest.skip(f"{program} is not installed")
    script = tmp_path / "all.sh"
    script.write_text("\n".join(renderings(shell, os_name)) + "\n", encoding="utf-8")
    flags = ["--no-execute"] if program == "fish" else ["-n"]
    result = subprocess.run([program, *flags, str(script)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr

"""Offline alternatives: the next-best distinct answers for the same request, at most two, never padding."""
from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import List

import pytest

from cmdai.values import GenerationRequest
from cmdai.backends.embedded import MODEL_NAME, EmbeddedBackend
from cmdai.backends.embedded.engine import Matcher
from cmdai.values import MAX_ALTERNATIVES
from cmdai.backends.embedded.intent import intent
from cmdai.errors import NoAnswerError

REPO = Path(__file__).resolve().parents[2]
BACKEND = EmbeddedBackend(None)


def alternatives(text: str, shell: str = "bash", os_name: str = "linux") -> List[str]:
    return [alt.command for alt in BACKEND.generate(GenerationRequest(text, shell, os_name)).alternatives]


@pytest.mark.parametrize("text, expected", [
    ("list all python files", ["fd -g '*.py' ."]),
    ("what is listening on port 8080", ["ss -ltnp 'sport = :8080'", "fuser -v 8080/tcp"]),
    ("show open ports", ["netstat -tulpn", "sudo lsof -iTCP -sTCP:LISTEN -n -P"]),
    ("search for TODO in all python files", ["rg -n -g '*.py' 'TODO' ."]),
    ("find files containing 'api_key'", ["rg -l 'api_key' ."]),
    ("create a new branch called feature-login", ["git checkout -b feature-login"]),
    ("follow the log file server.log", ["tail -F server.log", "less +F server.log"]),
    ("look up the dns of example.com", ["nslookup example.com", "host example.com"]),
])
def test_meaningful_variants_come_best_first(text: str, expected: List[str]) -> None:
    assert alternatives(text) == expected


def test_alternatives_follow_the_target_os_and_shell() -> None:
    assert alternatives("what is listening on port 8080", os_name="macos") == ["lsof -nP -iTCP:8080 -sTCP:LISTEN"]
    assert alternatives("kill the process on port 3000", os_name="macos") == []
    assert alternatives("remove dangling docker images", shell="fish") == ["docker rmi (docker images -f dangling=true -q)"]


@pytest.mark.parametrize("text", [
    "python files modified today",          # fd would drop the age
    "find python files larger than 1MB",    # ... or the size
    "count lines in main.py",               # a weaker reading (word frequencies) is no alternative
    "show hidden files",                    # ls -la reads less of the request than ls -a
    "find directories named node_modules",  # find -name without -type d reads less
])
def test_no_padding_with_weak_matches(text: str) -> None:
    assert alternatives(text) == []


def test_alternatives_are_generations_of_the_offline_model() -> None:
    result = BACKEND.generate(GenerationRequest("find files containing 'api_key'"))
    alt = result.alternatives[0]
    assert alt.model == MODEL_NAME and alt.explanation and alt.alternatives == []


def test_every_answer_on_the_labelled_set_has_at_most_two_distinct_alternatives() -> None:
    spec = importlib.util.spec_from_file_location("bench_offline", REPO / "bench" / "bench_offline.py")
    assert spec and spec.loader
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    offered = 0
    for case in bench.load_labelled():
        try:
            result = BACKEND.generate(GenerationRequest(case.text, case.shell, case.os_name))
        except NoAnswerError:
            continue
        commands = [alt.command for alt in result.alternatives]
        assert len(commands) <= MAX_ALTERNATIVES
        assert len(set(commands)) == len(commands) and result.command not in commands, case.text
        if case.shell == "fish":
            assert not any("$(" in c for c in commands), case.text
        offered += bool(commands)
    assert offered >= 20


def test_equally_specific_intents_are_alternatives_and_less_specific_ones_are_not() -> None:
    m = Matcher([
        intent("best", "show <path>", "show list"),             # uses "here" as a value: scores higher
        intent("peer", "show --all", "show list", "here"),      # reads "here" as a word: as specific
        intent("vague", "show", "show", "list here"),           # needs less of the request
        intent("variants", "tool <arg>", "tool", arg=r"[a-z]+", alt=["other <arg>", "tool <arg>", "third <arg>", "fourth <arg>"]),
    ])
    found = m.match("show the list here")
    assert found.command == "show ."
    assert [command for command, _ in found.alternatives] == ["show --all"]
    # Duplicates of the answer are skipped, and no more than two are offered.
    assert [command for command, _ in m.match("tool x").alternatives] == ["other x", "third x"]

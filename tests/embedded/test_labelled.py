"""Table test over the labelled request set that bench/bench_offline.py also reports on."""
from __future__ import annotations

import importlib.util
from pathlib import Path

from cmdai.values import GenerationRequest
from cmdai.backends.embedded import EmbeddedBackend
from cmdai.errors import NoAnswerError

REPO = Path(__file__).resolve().parents[2]


def load_bench():
    spec = importlib.util.spec_from_file_location("bench_offline", REPO / "bench" / "bench_offline.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_labelled_set_is_answered_exactly() -> None:
    bench = load_bench()
    cases = bench.load_labelled()
    assert len(cases) >= 150
    backend = EmbeddedBackend(None)
    unanswered, wrong = [], []
    for case in cases:
        try:
            command = backend.generate(GenerationRequest(case.text, case.shell, case.os_name)).command
        except NoAnswerError:
            unanswered.append(case.text)
            continue
        if command != case.expected:
            wrong.append((case.text, command, case.expected))
    # The engine answers every labelled request exactly; a regression anywhere shows here by name.
    assert unanswered == []
    assert wrong == []


def test_nl2bash_judge() -> None:
    bench = load_bench()
    assert bench.similar("find . -name '*.pyc' -delete", 'find . -name "*.pyc" | xargs rm -rf')
    assert bench.similar("grep -rl foo .", "find . -type f -exec grep -l foo {} \\;")
    assert not bench.similar("grep -rn foo .", "find . -type f -exec grep -l foo {} \\;")
    assert not bench.similar("ls -la", "find .")
    assert bench.similar("find . -type f -empty", "find . -size 0 -type f")
    assert not bench.similar("find . -type d", "find . -type f -name x -mtime -2")


def test_fresh_set_meets_the_precision_goal() -> None:
    """The everyday set written before the changes: the issue's goal is 85% answered and 97% of answers right;
    the engine reaches 95% and 100%, and the test holds it there."""
    bench = load_bench()
    cases = bench.load_judged(bench.FRESH)
    assert len(cases) >= 100
    score = bench.judge(EmbeddedBackend(None), cases)
    assert score.answered >= 0.95 * score.answerable, score.unanswered
    assert score.right == score.given, score.wrong


def test_judged_sets_compare_shell_words() -> None:
    bench = load_bench()
    assert bench.same_command("grep -rn 'TODO' .", 'grep -rn TODO .')
    assert not bench.same_command("grep -rn TODO", "grep -rn TODO .")
    assert all(case.accepted or case.text for case in bench.load_judged(bench.HELD_OUT))
    assert any(not case.accepted for case in bench.load_judged(bench.FRESH))

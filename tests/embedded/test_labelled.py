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


def test_labelled_set_is_mostly_answered_and_correct() -> None:
    bench = load_bench()
    cases = bench.load_labelled()
    assert len(cases) >= 150
    backend = EmbeddedBackend(None)
    answered = correct = 0
    wrong = []
    for case in cases:
        try:
            command = backend.generate(GenerationRequest(case.text, case.shell, case.os_name)).command
        except NoAnswerError:
            continue
        answered += 1
        if command == case.expected:
            correct += 1
        else:
            wrong.append((case.text, command, case.expected))
    assert answered >= 0.9 * len(cases)
    assert correct >= 0.95 * answered, wrong


def test_nl2bash_judge() -> None:
    bench = load_bench()
    assert bench.similar("find . -name '*.pyc' -delete", 'find . -name "*.pyc" | xargs rm -rf')
    assert bench.similar("grep -rl foo .", "find . -type f -exec grep -l foo {} \\;")
    assert not bench.similar("grep -rn foo .", "find . -type f -exec grep -l foo {} \\;")
    assert not bench.similar("ls -la", "find .")
    assert bench.similar("find . -type f -empty", "find . -size 0 -type f")
    assert not bench.similar("find . -type d", "find . -type f -name x -mtime -2")


def test_fresh_set_meets_the_precision_goal() -> None:
    """The everyday set written before the changes: at least 85% answered and 97% of answers right."""
    bench = load_bench()
    cases = bench.load_judged(bench.FRESH)
    assert len(cases) >= 100
    score = bench.judge(EmbeddedBackend(None), cases)
    assert score.answered >= 0.85 * score.answerable, score.unanswered
    assert score.right >= 0.97 * score.given, score.wrong


def test_judged_sets_compare_shell_words() -> None:
    bench = load_bench()
    assert bench.same_command("grep -rn 'TODO' .", 'grep -rn TODO .')
    assert not bench.same_command("grep -rn TODO", "grep -rn TODO .")
    assert all(case.accepted or case.text for case in bench.load_judged(bench.HELD_OUT))
    assert any(not case.accepted for case in bench.load_judged(bench.FRESH))

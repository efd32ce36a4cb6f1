"""Plain lines read without the grammar (cmdai/safety/plain.py) are judged exactly as the grammar's reading.

Every command of the labelled, adversarial and offline sets, of every list these tests use, and of
the dcg corpus and NL2Bash when ../shared/data holds them, is judged twice: as it is and with the
plain reader turned off; so are every short string of the class's symbols and lines Hypothesis makes
in and around the class. Both must agree on the verdict and on the words each command is invoked with.
"""
from __future__ import annotations

import importlib
import itertools
import subprocess
import sys
from pathlib import Path
from typing import Any, Iterator, List, Tuple

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cmdai.safety import assess, walker
from cmdai.safety.analyzer import _Analysis, analyze
from cmdai.safety.plain import MAX_WORDS, plain_pipeline
from cmdai.safety.rules import Cmd, Stream
from cmdai.safety.words import Word

from .conftest import ADVERSARIAL, DCG_CORPUS, dcg_cases, labelled_cases, load_toml

HERE = Path(__file__).resolve().parent
OFFLINE_SETS = sorted((HERE.parents[1] / "bench" / "data").glob("offline_*.tsv"))
NL2BASH = DCG_CORPUS.parent / "nl2bash" / "all.cm"


class _Recording(_Analysis):
    """An analysis that notes each command the walk invokes instead of judging it."""

    def __init__(self) -> None:
        super().__init__()
        self.invoked: List[Tuple[Any, ...]] = []

    def invoke(self, words: List[Word], stdin: Stream, redirects: List[Tuple[str, str]], sudo: bool = False,
               appended: Any = None) -> Stream:
        self.invoked.append(([(w.text, w.dynamic, list(w.tricks), [s.text for s in w.subs]) for w in words],
                             stdin.present, list(redirects)))
        return Stream(source=Cmd(words[0].text, [w.text for w in words[1:]]), present=True)


def _reading(command: str, shell: str) -> Tuple[Any, ...]:
    run = _Recording()
    try:
        run.script(command, shell, 0)
    except RecursionError:
        run.invoked.append(("too deep",))
    return run.invoked, [(h.rule.id, h.target) for h in run.hits]


def _both_ways(cases: List[Tuple[str, str]]) -> List[Tuple[str, Any, Any]]:
    """(command, plain, grammar) for every case whose verdict or reading differs between the two paths."""
    plain = [(analyze(command, shell), _reading(command, shell)) for shell, command in cases]
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(walker, "plain_pipeline", lambda text: None)
        grammar = [(analyze(command, shell), _reading(command, shell)) for shell, command in cases]
    return [(command, p, g) for (_, command), p, g in zip(cases, plain, grammar) if p != g]


def _parametrized_strings() -> Iterator[str]:
    """Every string the other safety tests are parametrized with (commands, and a few labels)."""

    def strings(value: Any) -> Iterator[str]:
        if isinstance(value, str):
            yield value
        elif isinstance(value, (tuple, list)):
            for item in value:
                yield from strings(item)

    for path in sorted(HERE.glob("test_safety_*.py")):
        if path.stem == Path(__file__).stem:
            continue
        module = importlib.import_module(f"{__package__}.{path.stem}")
        for test in vars(module).values():
            for mark in getattr(test, "pytestmark", []):
                if mark.name == "parametrize":
                    yield from strings(list(mark.args[1]))


def _own_lists() -> List[Tuple[str, str]]:
    properties = importlib.import_module(f"{__package__}.test_safety_properties")
    layered = [layer(inner) for inner in properties.INNER for layer in properties.LAYERS]
    return [("bash", c) for c in [*_parametrized_strings(), *properties.INNER, *layered]]


def _offline_answers() -> List[Tuple[str, str]]:
    cases = []
    for path in OFFLINE_SETS:
        for line in path.read_text(encoding="utf-8").splitlines():
            fields = line.split("\t")
            if line.startswith("#") or len(fields) < 2:
                continue
            cases.append((fields[2] if len(fields) > 2 and fields[2] else "bash", fields[1]))
    return cases


def _adversarial() -> List[Tuple[str, str]]:
    return [("bash", command) for side in load_toml(ADVERSARIAL).values() for rows in side.values()
            for _, command in rows]


CORPORA = {
    "labelled": lambda: [("bash", c) for _, _, c in labelled_cases()],
    "adversarial": _adversarial,
    "offline answers": _offline_answers,
    "the safety tests' own commands": _own_lists,
}


@pytest.mark.parametrize("name", list(CORPORA))
def test_every_command_of_a_set_is_judged_the_same_both_ways(name: str) -> None:
    cases = CORPORA[name]()
    assert sum(plain_pipeline(command) is not None for _, command in cases) >= 20, "too few plain lines to compare"
    assert _both_ways(cases) == []


def test_fish_lines_are_judged_the_same_both_ways() -> None:
    # The plain reader reads what fish's reading for the bash grammar made of the line.
    cases = [("fish", c) for c in ("ls -la", "rm -rf ~", "echo (date) | cat", "and rm -rf /", "not true | sh",
                                   "for f in *.txt; rm $f; end", "cat x | psub")]
    assert _both_ways(cases) == []


@pytest.mark.parametrize("path", [DCG_CORPUS, NL2BASH], ids=["dcg corpus", "nl2bash"])
def test_public_data_sets_are_judged_the_same_both_ways(path: Path) -> None:
    if not path.exists():
        pytest.skip(f"{path.resolve()} not found (shared/ beside the repository)")
    if path == NL2BASH:
        cases = [("bash", c) for c in path.read_text(encoding="utf-8").splitlines()]
    else:
        cases = [("bash", c) for _, _, c in dcg_cases()]
    assert _both_ways(cases) == []


#: Pieces of plain words: the class's characters, quoted strings, reserved words (which it leaves to
#: the grammar), and words of wrappers and commands the rules judge.
_PLAIN_PIECES = (list("aZ09_./,:=@%+-*?~") +
                 ["'x'", "''", "'a b'", "'$(x)'", "'{rm,-rf,~}'", "'|'", "'\"'", "'\\'", "rm", "-rf", "~/", "in",
                  "if", "time", "done", "export", "==", "=~", "a=b", "x+=1", "sudo", "find", "-exec", "git", "push",
                  "--force", "eval", "sh", "-c", "curl", "xargs", "chmod", "777", "of=/dev/sda", "0x1", "-1", "--"])
#: What the class leaves to the grammar, put somewhere in a plain line.
_OUTSIDE = list("[]!#$;&<>(){}\\\"^`\n\r\x00\x7fé") + ["[ ]", "[ab]", "||", "$(", "${x}", "2>&1"]
_WORD = st.lists(st.sampled_from(_PLAIN_PIECES), min_size=1, max_size=3).map("".join)
_NAME = st.sampled_from(["rm", "git", "sudo", "find", "sh", "xargs", "dd", "curl", "eval", "x", "r'm'"]) | _WORD


@st.composite
def _near_lines(draw: Any) -> str:
    """A pipeline of plain words, and half the time one piece from outside the class put somewhere in it."""
    commands = []
    for _ in range(draw(st.integers(1, 3))):
        args = draw(st.lists(_WORD, max_size=5))
        commands.append(draw(_NAME) + "".join(draw(st.sampled_from([" ", "  ", "\t"])) + arg for arg in args))
    line = commands[0] + "".join(draw(st.sampled_from([" | ", "|", "\t|  "])) + c for c in commands[1:])
    if draw(st.booleans()):
        at = draw(st.integers(0, len(line)))
        line = line[:at] + draw(st.sampled_from(_OUTSIDE)) + line[at:]
    return line


@settings(max_examples=3000, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(_near_lines())
def test_generated_lines_are_judged_the_same_both_ways(line: str) -> None:
    assert _both_ways([("bash", line)]) == []


#: Symbols of which every string of up to three is tried as a command, an argument and a later stage.
_SYMBOLS = list("a0_./,:=@%+-*?~[]| \t") + ["'x'", "''", "if", "in"]


def test_every_short_string_of_plain_symbols_is_judged_the_same_both_ways() -> None:
    words = ["".join(s) for n in (1, 2, 3) for s in itertools.product(_SYMBOLS, repeat=n)]
    lines = [line for w in words for line in (w, "ls " + w, "ls | " + w) if plain_pipeline(line) is not None]
    assert len(lines) > 10_000
    assert _both_ways([("bash", line) for line in lines]) == []


@pytest.mark.parametrize("line, words", [
    ("find . -name '*.py'", [["find", ".", "-name", "*.py"]]),
    ("du -sh -- * | sort -h", [["du", "-sh", "--", "*"], ["sort", "-h"]]),
    ("git log --oneline -n 10", [["git", "log", "--oneline", "-n", "10"]]),
    ("grep -rn 'a $b `c` \"d\"' ~/src\t|head", [["grep", "-rn", "a $b `c` \"d\"", "~/src"], ["head"]]),
    ("r'm' -rf x", [["rm", "-rf", "x"]]),
    ("  ", []),
])
def test_plain_lines_are_read_into_words(line: str, words: List[List[str]]) -> None:
    stages = plain_pipeline(line)
    assert stages is not None
    assert [[w.text for w in stage] for stage in stages] == words


@pytest.mark.parametrize("line", [
    "echo $HOME", "echo `id`", 'echo "x"', "echo a\\ b", "ls; rm x", "ls && rm x", "ls || rm x", "ls &", "ls > x",
    "ls < x", "(ls)", "{ ls; }", "echo {a,b}", "ls #x", "! ls", "ls\nrm x", "ls\r", "echo é", "echo '\x01'",
    "echo 'a\tb'", "a=1 ls", "[ -f x ]", "ls [ab]", "ls | ", "| ls", "ls || ", "ls 'x", "ls 'a\nb'", "if true",
    "echo in", "export X", "time ls", "x@y", "a+:b ls", "a?b", "- x", "ls ==", "echo if'x'",
    " ".join(["x"] * (MAX_WORDS + 1)),
])
def test_lines_outside_the_class_go_to_the_grammar(line: str) -> None:
    assert plain_pipeline(line) is None


def test_a_quoted_name_next_to_text_is_noted_as_obfuscation() -> None:
    stages = plain_pipeline("r'm' 'rm' -rf")
    assert stages is not None
    assert [w.tricks for w in stages[0]] == [["quotes"], [], []]
    assert "obfuscation.command-name" in assess("r'm' -rf ~").rule_ids


def _fresh(code: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)


def test_a_plain_command_is_judged_without_loading_the_grammar() -> None:
    result = _fresh("import sys\nfrom cmdai.safety import assess\n"
                    "print(assess(\"find . -name '*.py'\").risk.label, assess('rm -rf ~ | cat').risk.label)\n"
                    "print(sorted(m for m in sys.modules if m.startswith('tree_sitter')))")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split("\n")[:2] == ["safe critical", "[]"]


def test_a_command_outside_the_class_still_loads_the_grammar_and_is_judged_as_before() -> None:
    result = _fresh("import sys\nfrom cmdai.safety import assess\n"
                    "v = assess('cd ~ && rm -rf .')\n"
                    "print(v.risk.label, v.rule_ids, 'tree_sitter._binding' in sys.modules)")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "critical ('fs.rm-home',) True"

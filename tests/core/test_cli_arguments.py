"""The usual runs are read without argparse, exactly as argparse reads them, or left to argparse."""
from __future__ import annotations

import argparse
import subprocess
import sys

import pytest
from hypothesis import given, settings, strategies as st

from cmdai import cli, shells

SHELLS = list(shells.names())
WORDS = st.sampled_from(["list", "all", "python files", "-", "--", "-1", "-rf", "x=y", "ünïcode", "", " -a b"])
VALUES = st.sampled_from(["zsh", "bash", "fish", "nosh", "", "-", "-x", "gpt-4o", "a=b", "7"])
FLAGS = st.sampled_from(sorted(cli.USUAL_OPTIONS) + ["--json", "-n", "--check", "--wid", "--shel", "-szsh",
                                                     "--widget=1", "--shell=zsh", "--shell=", "--model=m",
                                                     "-h", "--version", "--complete"])
TOKENS = st.lists(st.one_of(WORDS, VALUES, FLAGS), max_size=8)


def argparse_reading(arguments):
    """What the full parser makes of ``arguments``, or None when it refuses them (exit 2)."""
    parser = cli.build_parser()
    parser.wants_json = cli._asks_for_json(arguments)
    try:
        args = parser.parse_args(arguments)
        cli._check_combinations(parser, args)
    except SystemExit:
        return None
    return vars(args)


def usual_reading(arguments):
    """What the usual reading makes of ``arguments``: "argparse" when it leaves them to argparse, None when
    the combination is refused (exit 2), else the namespace."""
    args = cli._read_usual(arguments)
    if args is None:
        return "argparse"
    try:
        cli._check_combinations(cli._ParserWhenNeeded(arguments), args)
    except SystemExit:
        return None
    return vars(args)


@settings(max_examples=600, deadline=None)
@given(TOKENS)
def test_the_usual_reading_is_argparse_reading_or_none(arguments):
    usual = usual_reading(arguments)
    if usual != "argparse":
        assert usual == argparse_reading(arguments)


@pytest.mark.parametrize("arguments", [
    ["--widget", "--shell", "zsh", "--session", "4711"],
    ["--widget", "--shell", "fish"],
    ["-s", "bash", "list", "all", "python", "files"],
    ["list all python files"],
    ["--shell=zsh", "-b", "embedded", "--no-cache", "show disk usage", "--debug"],
    ["-m", "gpt-4o", "--safety", "strict", "--config", "/tmp/c.toml", "find big files"],
    ["--init", "zsh"], ["--json", "list all python files"],
])
def test_the_usual_runs_are_read_without_argparse(arguments):
    usual = usual_reading(arguments)
    assert usual not in ("argparse", None)
    assert usual == argparse_reading(arguments)


@pytest.mark.parametrize("arguments", [["--init", "zsh", "list files"], ["--init", "bash", "--widget"],
                                       ["--json", "--init", "fish"]])
def test_a_combination_argparse_refuses_is_refused_the_same_way(arguments, capsys):
    with pytest.raises(SystemExit) as refused:
        cli._check_combinations(cli._ParserWhenNeeded(arguments), cli._read_usual(arguments))
    assert refused.value.code == 2
    ours = capsys.readouterr()
    assert argparse_reading(arguments) is None
    assert capsys.readouterr() == ours


@pytest.mark.parametrize("arguments", [
    ["-n", "2", "list files"], ["--check", "rm -rf /"], ["--help"],
    ["--shell", "nosh", "x"], ["--shell"], ["a", "--debug", "b"], ["--shell", "zsh", "--shell", "bash"],
    ["--", "-rf"], ["-"], ["--wid"], ["--widget=yes"],
])
def test_anything_else_is_left_to_argparse(arguments):
    assert cli._read_usual(arguments) is None


def test_the_written_out_argparse_constants_are_argparse_own():
    assert (cli.SUPPRESS, cli.REMAINDER) == (argparse.SUPPRESS, argparse.REMAINDER)


def test_every_usual_option_is_in_the_table():
    flags = {flag for _, names, _ in cli.OPTIONS for flag in names}
    assert cli.USUAL_OPTIONS <= flags


def test_a_key_press_does_not_import_argparse(tmp_path):
    code = ("import sys; from cmdai import cli; "
            "sys.argv = ['cmdai', '--widget', '--shell', 'bash', '-b', 'embedded', 'list all python files']; "
            "code = cli.main(); print(); print(code, 'argparse' in sys.modules, 'gettext' in sys.modules)")
    env = {"HOME": str(tmp_path), "PATH": "/usr/bin:/bin", "XDG_CONFIG_HOME": str(tmp_path / "c"),
           "XDG_CACHE_HOME": str(tmp_path / "cache")}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60,
                         stdin=subprocess.DEVNULL).stdout.splitlines()
    assert out[-1] == "0 False False", out

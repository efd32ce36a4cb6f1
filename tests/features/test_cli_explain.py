"""``cmdai --explain``, the widget's explain mode and ``-x``, through the real process."""
from __future__ import annotations

import json
import os

import pexpect
import pytest

TAR = "tar -xzvf a.tgz -C /tmp"


def test_explain_offline_prints_parts_and_risk(run_cmdai):
    result = run_cmdai("--explain", TAR, "-s", "bash")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == TAR
    assert any(line.split() [:2] == ["-f", "a.tgz"] and "archive file is a.tgz" in line for line in lines)
    assert lines[-1] == "risk: safe"
    assert result.stderr == ""


def test_explain_reads_stdin_and_gives_reasons_for_risk(run_cmdai):
    result = run_cmdai("--explain", "-s", "bash", input="crontab -r\n")
    assert result.returncode == 0
    assert "deletes all of them" in result.stdout
    assert result.stdout.splitlines()[-1].startswith("risk: high — deletes all your scheduled jobs")
    assert "review it before running" in result.stdout


def test_explain_json(run_cmdai):
    data = json.loads(run_cmdai("--explain", "ls -la", "--json", "-s", "bash").stdout)
    assert data["source"] == "catalog" and data["risk"] == "safe" and data["blocked"] is False
    assert [part["text"] for part in data["parts"]] == ["ls", "-l", "-a"]


def test_widget_explain_writes_stderr_only_and_keeps_the_line(run_cmdai):
    line = "find . -name '*.py' | xargs wc -l | sort -n | tail -n 5"
    result = run_cmdai("--widget", "--explain", "--shell", "zsh", input=line + "\n")
    assert result.returncode == 0
    assert result.stdout == ""
    assert result.stderr.splitlines()[0] == line
    assert "pipe: the output" in result.stderr and "prints the last 5 lines" in result.stderr


def test_widget_explain_of_a_very_long_line_is_cut_but_keeps_the_risk(run_cmdai):
    line = " | ".join(["grep -v x"] * 30) + " ; crontab -r"
    result = run_cmdai("--widget", "--explain", "--shell", "bash", input=line)
    lines = result.stderr.splitlines()
    assert result.returncode == 0 and len(lines) == 24
    assert "more (all of it: cmdai --explain)" in lines[-2] and lines[-1].startswith("risk: high")
    assert len(run_cmdai("--explain", line, "-s", "bash").stdout.splitlines()) > 24


@pytest.mark.parametrize("line", ["", "   \n"])
def test_widget_explain_of_an_empty_line_is_one_message_and_non_zero(run_cmdai, line):
    result = run_cmdai("--widget", "--explain", "--shell", "bash", input=line)
    assert result.returncode != 0 and result.stdout == ""
    assert len(result.stderr.splitlines()) == 1 and result.stderr.startswith("cmdai: ")


def test_explain_with_a_model_uses_its_words_only_for_parts_of_the_command(cmdai_model, model):
    model.replies = [{"parts": [{"part": "-x", "meaning": "unpack the files"},
                                {"part": "--remove-files", "meaning": "deletes the originals"},
                                {"part": "tar", "meaning": "GNU tar"}]}]
    result = cmdai_model("--explain", TAR, "-s", "bash")
    assert result.returncode == 0, result.stderr
    assert "unpack the files" in result.stdout and "GNU tar" in result.stdout
    assert "remove-files" not in result.stdout and "deletes the originals" not in result.stdout
    assert "compresses or decompresses with gzip" in result.stdout  # skipped by the model: the catalog
    request = model.requests[0]["messages"]
    assert request[-1]["content"] == TAR and "parts" in request[0]["content"]


def test_explain_when_the_model_fails_falls_back_to_the_catalog(run_cmdai, user_config, write_file):
    write_file(user_config, '[backend]\ntype = "azure-foundry"\nmax_retries = 0\ntimeout_seconds = 5\n')
    result = run_cmdai("--explain", TAR, "-s", "bash", env={
        "CMDAI_AZURE_FOUNDRY_ENDPOINT": "http://127.0.0.1:9/models", "CMDAI_AZURE_FOUNDRY_API_KEY": "k3y-unused",
        "CMDAI_AZURE_FOUNDRY_MODEL": "m"})
    assert result.returncode == 0
    assert "the archive file is a.tgz" in result.stdout
    assert "explained from cmdai's catalog" in result.stderr and len(result.stderr.splitlines()) == 1


def test_execute_shows_the_parts_before_asking(isolated_env, tmp_path, cmdai_program):
    env = dict(os.environ, SHELL="/bin/bash", TERM="dumb")
    child = pexpect.spawn(cmdai_program[0], cmdai_program[1:] + ["-x", "-s", "bash", "list all python files"],
                          env=env, cwd=str(tmp_path), encoding="utf-8", timeout=30)
    try:
        child.expect("Run it\\?")
        shown = child.before
        assert "find . -name '*.py'" in shown
        assert "-name '*.py'" in shown and "the file name matches '*.py'" in shown
        assert "risk: safe" in shown
        child.sendline("n")
        child.expect(pexpect.EOF)
    finally:
        child.close(force=True)

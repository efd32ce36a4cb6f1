"""No input reaches "internal error" or a traceback: the CLI's arguments, stdin, config and environment,
and everything a server can answer (fuzzed with hypothesis).

Endpoints are only ever loopback addresses where nothing listens, so no fuzzed run leaves the machine.
"""
from __future__ import annotations

import io
import json
import os
import subprocess
import sys

import pytest
from harness import cmdai_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cmdai.config import environment_variables, schema
from cmdai.errors import CmdaiError, ModelOutputError
from cmdai.remote.parsing import MAX_COMMAND_CHARS, parse_model_output

SCHEMA = schema()
ENVIRONMENT = environment_variables()
CONTROLS = set(map(chr, [*range(0, 9), *range(11, 32), *range(0x7f, 0xa0)])) | set("\u202a\u202b\u202c\u202d\u202e")
LOOPBACK_URLS = ["http://127.0.0.1:9/v1", "https://127.0.0.1:9", "http://[::1]:9/models", "http://localhost:9",
                 "http://127.evil.example.com/v1", "https://x.openai.azure.com.127.0.0.1.nip.invalid", "ftp://x",
                 "http://127.0.0.1:99999", "http://u:p@127.0.0.1:9/", "not a url", ""]

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=40),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4),
    max_leaves=12)

# -- the model-output parser ----------------------------------------------------------------------

replies = st.one_of(
    st.text(max_size=300),
    st.builds(lambda cmd, expl: json.dumps({"cmd": cmd, "explanation": expl}), st.text(max_size=80), st.text(max_size=40)),
    st.builds(lambda cmd, cut: json.dumps({"cmd": cmd})[:cut], st.text(max_size=80), st.integers(0, 90)),
    st.builds(lambda body, lang: f"```{lang}\n{body}\n```", st.text(max_size=80), st.sampled_from(["", "bash", "json"])),
    json_values.map(json.dumps),
)


@given(replies)
@settings(max_examples=400, deadline=None)
def test_the_parser_returns_a_clean_command_or_a_model_output_error(reply):
    try:
        parsed = parse_model_output(reply)
    except ModelOutputError:
        return
    assert parsed.command.strip()
    assert len(parsed.command) <= MAX_COMMAND_CHARS
    assert not CONTROLS & set(parsed.command), repr(parsed.command)
    parsed.command.encode("utf-8")  # no lone surrogates


# -- what a server can answer --------------------------------------------------------------------


def _backend():
    from cmdai.backends import create_backend
    from cmdai.config import load_config

    config = load_config(overrides={"backend.type": "openai-compatible",
                                    "backend.openai_compatible.base_url": "http://127.0.0.1:9/v1",
                                    "backend.openai_compatible.model": "m"}, environ={})
    return create_backend("openai-compatible", config)


def _response(status: int, body: bytes, headers):
    import requests

    response = requests.Response()
    response.status_code = status
    response._content = body
    response.headers.update(headers)
    response.url = "http://127.0.0.1:9/v1/chat/completions"
    return response


bodies = st.one_of(st.binary(max_size=200), json_values.map(lambda v: json.dumps(v).encode()),
                   st.builds(lambda content, finish: json.dumps({"choices": [{"message": {"content": content},
                                                                              "finish_reason": finish}]}).encode(),
                             st.one_of(st.text(max_size=80), json_values), st.one_of(st.none(), st.text(max_size=10))))
headers = st.dictionaries(st.sampled_from(["retry-after", "retry-after-ms", "location", "x-ms-error-code",
                                           "content-type"]),
                          st.one_of(st.sampled_from(["inf", "nan", "-1", "1e400", "0", "Wed, 21 Oct 2015 07:28:00 GMT"]),
                                    st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=255), max_size=30)),
                          max_size=3)


@given(st.sampled_from([200, 200, 200, 301, 307, 400, 401, 403, 404, 408, 422, 429, 500, 503]), bodies, headers)
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_any_server_answer_is_a_generation_or_a_named_error(isolated_env, status, body, header_values):
    import time

    from cmdai.remote.exchange import error_for, read_generation

    backend = _backend()
    response = _response(status, body, header_values)
    try:
        if status == 200:
            generation = read_generation(response, response.url, "m", "")
            assert generation.command and not CONTROLS & set(generation.command)
        else:
            error = error_for(backend, response, "POST", response.url, "m", time.monotonic() + 5)
            assert isinstance(error, CmdaiError)
            assert not CONTROLS & set(error.one_line()), repr(error.one_line())
    except CmdaiError:
        pass


# -- the CLI, in process -------------------------------------------------------------------------

# (--debug prints tracebacks on purpose; it is left out.)
FLAGS = ["--json", "--no-cache", "--widget", "--refresh", "--list-models", "--doctor", "--check",
         "-s", "bash", "zsh", "fish", "sh", "-b", "embedded", "openai-compatible", "azure-foundry", "ollama",
         "-m", "--safety", "strict", "permissive", "--init", "--shell", "--session", "--config", "/dev/null",
         "--", "-", "--version", "--help"]
words = st.text(max_size=20) | st.sampled_from(["list all files", "rm -rf /", "show disk usage", "", " "])


def _config_value(key: str):
    kind = SCHEMA[key].kind
    if kind == "url":
        return st.sampled_from(LOOPBACK_URLS)
    choices = SCHEMA[key].choices
    return st.one_of(
        st.sampled_from(list(choices)) if choices else st.text(max_size=12),
        st.floats(allow_nan=True, allow_infinity=True), st.integers(-5, 10**6), st.booleans(),
        st.text(max_size=12), st.lists(st.integers(), max_size=2))


def _toml_value(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return {"nan": "nan", "inf": "inf", "-inf": "-inf"}.get(str(value), repr(value))
    if isinstance(value, str):
        return json.dumps(value)
    return json.dumps(value)


configs = st.dictionaries(st.sampled_from(sorted(SCHEMA)), st.none(), max_size=6).flatmap(
    lambda chosen: st.fixed_dictionaries({key: _config_value(key) for key in chosen}))
environments = st.dictionaries(st.sampled_from(sorted(ENVIRONMENT)),
                               st.sampled_from(LOOPBACK_URLS) | st.text(max_size=12).filter(lambda t: "\0" not in t)
                               | st.sampled_from(["nan", "inf", "ключ\r", "azure-foundry", "openai-compatible"]),
                               max_size=3)


def _write_config(path, values) -> None:
    tables = {}
    for key, value in values.items():
        table, _, leaf = key.rpartition(".")
        tables.setdefault(table, []).append(f"{leaf} = {_toml_value(value)}")
    path.write_text("".join(f"[{table}]\n" + "\n".join(lines) + "\n" for table, lines in tables.items()),
                    encoding="utf-8")


@given(st.lists(st.sampled_from(FLAGS) | words, max_size=6), st.binary(max_size=200), configs, environments)
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_no_cli_input_is_an_internal_error(isolated_env, tmp_path, capsys, argv, stdin, config, environ):
    from cmdai.cli import main

    if "--setup-backend" in argv:
        return
    config_path = tmp_path / "config.toml"
    _write_config(config_path, {k: v for k, v in config.items() if k != "backend.api_key_command"})
    saved_env = {name: os.environ.get(name) for name in environ}
    saved_stdin = sys.stdin
    os.environ.update(environ)
    os.environ["CMDAI_CONFIG"] = str(config_path)
    sys.stdin = io.TextIOWrapper(io.BytesIO(stdin), encoding="utf-8")
    try:
        try:
            code = main(argv)
        except SystemExit as exit:  # argparse: --help, --version, usage errors
            code = exit.code
    finally:
        sys.stdin = saved_stdin
        os.environ.pop("CMDAI_CONFIG", None)
        for name, value in saved_env.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
    out, err = capsys.readouterr()
    assert code in (0, 1, 2, 3, None), (code, err)
    assert "internal error" not in err and "Traceback" not in err, err


# -- the CLI, as a process -----------------------------------------------------------------------


@given(st.lists(st.binary(min_size=1, max_size=12).filter(lambda b: b"\0" not in b), max_size=3),
       st.binary(max_size=100))
@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_no_bytes_on_the_command_line_or_stdin_are_an_internal_error(isolated_env, argv, stdin):
    env = {k: v for k, v in os.environ.items() if not k.startswith("COVERAGE_")}
    result = subprocess.run([os.fsencode(part) for part in cmdai_command()] + [b"-s", b"bash", *argv], input=stdin,
                            capture_output=True, env=env, timeout=60)

    err = result.stderr.decode("utf-8", "replace")
    assert result.returncode in (0, 1, 2, 3), err
    assert "internal error" not in err and "Traceback" not in err, err


@pytest.mark.parametrize("key", sorted(SCHEMA))
def test_every_config_key_rejects_nonsense_with_a_named_error(user_config, write_file, key):
    from cmdai.config import load_config
    from cmdai.errors import ConfigError

    table, _, leaf = key.rpartition(".")
    for value in ("nan", "inf", "[1, 2]", '"\\u001b]52;c;eA==\\u0007"', "{ a = 1 }", '"ключ\\r"', "-1"):
        write_file(user_config, f"[{table}]\n{leaf} = {value}\n")
        try:
            load_config(environ={})
        except ConfigError as error:
            assert "\x1b" not in error.one_line() or "\\x1b" in error.one_line()

"""A new backend is one file: dropped into a copy of the package, it is validated, listed, checked by the
doctor, cached under its own identity and set up by the generic setup, with nothing else edited."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Dict, List

import pytest
from pytest_httpserver import HTTPServer

import cmdai

TOY = '''\
"""A toy service that answers GET /answer?q=… with {"cmd": …}."""
from __future__ import annotations

import json
from typing import Iterator, Optional
from urllib.parse import quote

from ..errors import BackendUnavailableError
from ..settings import Key
from ..values import Generation, GenerationRequest, HealthCheck
from .base import CommandGenerator


class ToyBackend(CommandGenerator):
    name = "toy"
    title = "Toy"
    summary = "a toy service that answers over HTTP"
    is_remote = True
    cache_identity = ("base_url",)
    keys = {
        "base_url": Key("url", example='base_url = "http://127.0.0.1:8000"', flag="--endpoint",
                        prompt="Toy server URL", env=("CMDAI_TOY_URL",), doc="the toy server"),
        "model": Key("str", "tiny", example='model = "tiny"', flag="--model", prompt="Model"),
    }

    @property
    def model(self) -> Optional[str]:
        return self.config.backend.model or self.settings.model

    def _get(self, path: str) -> dict:
        from urllib.request import ProxyHandler, build_opener

        try:
            with build_opener(ProxyHandler({})).open(self.settings.base_url + path, timeout=5) as response:
                return json.load(response)
        except OSError as error:
            raise BackendUnavailableError(f"the toy server does not answer ({error})", "start it") from None

    def generate(self, request: GenerationRequest) -> Generation:
        model = request.model or self.model or ""
        answer = self._get(f"/answer?model={quote(model)}&q={quote(request.text)}")
        return Generation(answer["cmd"], model=model)

    def check_connection(self) -> None:
        self._get("/health")

    def health_checks(self) -> Iterator[HealthCheck]:
        try:
            self._get("/health")
        except BackendUnavailableError as error:
            yield HealthCheck("toy server", False, error.message, error.hint)
        else:
            yield HealthCheck("toy server", True, f"{self.settings.base_url} answers")
'''


class ToyServer:
    """A loopback toy service that says which server answered and counts the requests it got."""

    def __init__(self, command: str):
        self.server = HTTPServer(host="127.0.0.1")
        self.server.expect_request("/health").respond_with_json({"ok": True})
        self.server.expect_request("/answer").respond_with_json({"cmd": command})
        self.server.start()
        self.url = self.server.url_for("").rstrip("/")

    def answers(self) -> List[str]:
        return [entry[0].args.get("q") for entry in self.server.log if entry[0].path == "/answer"]

    def stop(self) -> None:
        self.server.clear()
        if self.server.is_running():
            self.server.stop()


@pytest.fixture
def toy_package(tmp_path: Path) -> Path:
    """A copy of the package with backends/toy.py added: the only file a new backend needs."""
    root = tmp_path / "copy"
    shutil.copytree(Path(cmdai.__file__).parent, root / "cmdai", ignore=shutil.ignore_patterns("__pycache__"))
    (root / "cmdai" / "backends" / "toy.py").write_text(TOY, encoding="utf-8")
    return root


@pytest.fixture
def servers():
    started: List[ToyServer] = []

    def start(command: str) -> ToyServer:
        started.append(ToyServer(command))
        return started[-1]

    yield start
    for server in started:
        server.stop()


@pytest.fixture
def toy(toy_package: Path, tmp_path: Path):
    """toy(*args, env=…): the copy's cmdai, run as a process with the toy backend in it."""

    def run(*args: str, env: Dict[str, str] = None, input: str = "") -> subprocess.CompletedProcess:
        full_env = {k: v for k, v in os.environ.items() if not k.startswith("COVERAGE_")}
        full_env.update({"PYTHONPATH": str(toy_package), **(env or {})})
        return subprocess.run([sys.executable, "-m", "cmdai", *args], capture_output=True, text=True,
                              env=full_env, cwd=tmp_path, timeout=60, input=input)

    return run


def test_the_toy_backend_is_set_up_listed_checked_and_answers(toy, servers, user_config):
    first = servers("echo first")
    setup = toy("--setup-backend", "toy", "--yes", "--endpoint", first.url, "-m", "tiny")
    assert setup.returncode == 0, setup.stderr
    text = user_config.read_text()
    assert 'type = "toy"' in text and "[backend.toy]" in text and first.url in text

    help_text = toy("--help").stdout
    assert "a toy service that answers over HTTP" in help_text
    assert "CMDAI_TOY_URL" in help_text

    doctor = toy("--doctor")
    assert doctor.returncode == 0, doctor.stdout
    assert f"✓ toy server: {first.url} answers" in doctor.stdout

    answer = toy("-s", "bash", "list files")
    assert answer.returncode == 0, answer.stderr
    assert answer.stdout.strip() == "echo first"
    assert first.answers() == ["list files"]

    # The Ctrl-G key gets it too (a cached answer: the service is asked once).
    widget = toy("--widget", "--shell", "bash", input="list files")
    assert widget.returncode == 0 and widget.stdout.strip() == "echo first", widget.stderr
    assert first.answers() == ["list files"]

    # No model to ask about a command: --explain answers from the catalog alone.
    explained = toy("--explain", "ls -la")
    assert explained.returncode == 0, explained.stderr
    assert "ls" in explained.stdout and not explained.stderr


def test_the_generic_setup_checks_the_connection_and_names_the_flag(toy, servers, user_config):
    down = servers("echo x")
    url = down.url
    down.stop()
    result = toy("--setup-backend", "toy", "--yes", "--endpoint", url, "-m", "tiny")
    assert result.returncode == 2
    assert "connection test failed: the toy server does not answer" in result.stderr
    assert not user_config.exists()
    result = toy("--setup-backend", "toy", "--yes", "--endpoint", "ftp://nowhere")
    assert result.returncode == 2 and "not a valid http(s) URL" in result.stderr


def test_its_answers_are_cached_under_its_own_identity(toy, servers, user_config, write_file):
    first, second = servers("echo first"), servers("echo second")
    # The Azure endpoint is the same for both runs: it must not be what tells their answers apart.
    common = '[backend]\ntype = "toy"\nendpoint = "https://res.openai.azure.com"\n'
    write_file(user_config, common + f'[backend.toy]\nbase_url = "{first.url}"\n')
    assert toy("-s", "bash", "list files").stdout.strip() == "echo first"
    again = toy("--json", "-s", "bash", "list files")
    assert json.loads(again.stdout)["cached"] is True
    assert first.answers() == ["list files"]

    write_file(user_config, common + f'[backend.toy]\nbase_url = "{second.url}"\n')
    assert toy("-s", "bash", "list files").stdout.strip() == "echo second"
    assert second.answers() == ["list files"]
    # Another model is another identity too (-m, then the key the toy reads).
    assert toy("-s", "bash", "-m", "big", "list files").stdout.strip() == "echo second"
    assert len(second.answers()) == 2


def test_its_settings_are_validated_and_come_from_its_variables(toy, servers, user_config, write_file):
    write_file(user_config, '[backend]\ntype = "toy"\n[backend.toy]\nbase_ulr = "http://127.0.0.1:9"\n')
    result = toy("-s", "bash", "list files")
    assert result.returncode == 2
    assert "unknown key 'backend.toy.base_ulr'" in result.stderr
    assert "did you mean 'backend.toy.base_url'?" in result.stderr

    write_file(user_config, '[backend.toy]\nmodel = 3\n')
    result = toy("-b", "toy", "-s", "bash", "list files")
    assert result.returncode == 2 and "backend.toy.model must be a string" in result.stderr

    server = servers("echo from-env")
    result = toy("-b", "toy", "-s", "bash", "list files", env={"CMDAI_TOY_URL": server.url})
    assert result.returncode == 2  # the file's model = 3 is still wrong
    user_config.unlink()
    result = toy("-b", "toy", "-s", "bash", "list files", env={"CMDAI_TOY_URL": server.url})
    assert result.stdout.strip() == "echo from-env", result.stderr
    result = toy("-b", "toy", "-s", "bash", "list files", env={"CMDAI_TOY_URL": "not a url"})
    assert result.returncode == 2 and "CMDAI_TOY_URL: backend.toy.base_url is not a valid" in result.stderr


def test_without_the_file_the_backend_does_not_exist(run_cmdai):
    result = run_cmdai("-b", "toy", "list files")
    assert result.returncode == 2
    assert "'toy' is not valid" in result.stderr and "azure-foundry" in result.stderr

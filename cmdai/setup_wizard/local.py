"""Setting up the other backends: the offline engine, Ollama, and OpenAI-compatible servers."""
from __future__ import annotations

from typing import Any, Dict, List, Optional

from ..values import ModelInfo

from .common import Plan, Session, connect_and_choose_model, require, run_test, safety_answer, test_failure
from .probe import ProbeResult
from .ui import Option


class EmbeddedSetup:
    """The offline engine needs no endpoint or key: only the safety level."""

    title = "the offline engine"

    def __init__(self, session: Session):
        self.session = session

    def plan(self) -> Plan:
        self.session.console.line("The offline engine runs on this machine: no endpoint, key or model to choose.")
        return Plan({"backend.type": "embedded", "safety.level": safety_answer(self.session)})


class ServerSetup:
    """A chat-completions server reached by URL: Ollama or an OpenAI-compatible one."""

    model_noun = "Model"

    def __init__(self, session: Session, backend: str, table: str, title: str,
                 default_url: Optional[str], asks_key: bool):
        self.session = session
        self.backend = backend
        self.table = table
        self.title = title
        self.default_url = default_url
        self.asks_key = asks_key
        self.prefix = f"backend.{table}."
        existing = session.existing
        self.url: str = session.args.endpoint or existing.get(self.prefix + "base_url") or default_url or ""
        self.model: Optional[str] = session.args.model or existing.get(self.prefix + "model")
        self.key: Optional[str] = existing.get(self.prefix + "api_key") if asks_key else None

    def _keys(self, safety: Optional[str]) -> Dict[str, Any]:
        keys: Dict[str, Any] = {"backend.type": self.backend, self.prefix + "base_url": self.url,
                                self.prefix + "model": self.model}
        if self.asks_key:
            keys[self.prefix + "api_key"] = self.key or None
        keys["safety.level"] = safety
        return keys

    def plan(self) -> Plan:
        session, args = self.session, self.session.args
        if not session.interactive:
            self.url = require(self.url, "--endpoint", f"the {self.title} server's URL")
            self.model = require(args.model, "--model", "the model name")
            safety = safety_answer(session)
            if args.skip_test:
                session.console.note("Connection test skipped (--skip-test).")
            else:
                result = run_test(session, self.backend, self.test_keys(), self.url, self.model, discover=False)
                if result.error is not None:
                    raise test_failure(result.error)
            return Plan(self._keys(safety))
        self._ask_url()
        self._ask_key()
        connect_and_choose_model(session, self)
        return Plan(self._keys(safety_answer(session)))

    def _ask_url(self) -> None:
        self.url = self.session.ask.text(f"{self.title} server URL:", default=self.url, validate=self._valid_url)

    def _ask_key(self) -> None:
        if not self.asks_key:
            return
        hint = "leave empty to keep the saved one" if self.key else "leave empty if the server needs none"
        self.key = self.session.ask.secret(f"API key ({hint}):") or self.key

    # -- what the connection test needs (common.Connectable) --------------------------------

    def test_keys(self) -> Dict[str, Any]:
        return self._keys(None)

    def target(self) -> str:
        return self.url

    def fix_options(self) -> List[Option]:
        options = [Option("Change the server URL", "endpoint")]
        if self.asks_key:
            options.insert(0, Option("Enter the API key again", "credentials"))
        return options

    def apply_fix(self, action: str) -> None:
        if action == "endpoint":
            self._ask_url()
        elif action == "credentials":
            self._ask_key()

    def models_menu(self, result: ProbeResult) -> List[ModelInfo]:
        return result.models

    def _valid_url(self, text: str) -> Any:
        from urllib.parse import urlsplit

        try:
            parts = urlsplit(text.strip())
            parts.port  # raises ValueError for a malformed port
        except ValueError:
            parts = None
        if parts is not None and parts.scheme in ("http", "https") and parts.hostname:
            return True
        return f"enter an http:// or https:// URL, e.g. {self.default_url or 'http://127.0.0.1:8000/v1'}"


def ollama_setup(session: Session) -> ServerSetup:
    return ServerSetup(session, "ollama", "ollama", "Ollama", "http://127.0.0.1:11434", asks_key=False)


def openai_compatible_setup(session: Session) -> ServerSetup:
    return ServerSetup(session, "openai-compatible", "openai_compatible", "OpenAI-compatible", None, asks_key=True)

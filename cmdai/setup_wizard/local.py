"""Setting up the other backends: the offline engine, Ollama, and OpenAI-compatible servers."""
from __future__ import annotations

from typing import Any, Dict, Optional

from .common import Plan, Session, choose_model, require, run_test, safety_answer, test_failure
from .probe import ProbeResult


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

    def __init__(self, session: Session, backend: str, table: str, title: str,
                 default_url: Optional[str], asks_key: bool):
        self.session = session
        self.backend = backend
        self.table = table
        self.title = title
        self.default_url = default_url
        self.asks_key = asks_key

    def _keys(self, url: str, model: Optional[str], key: Optional[str], safety: Optional[str]) -> Dict[str, Any]:
        prefix = f"backend.{self.table}."
        keys: Dict[str, Any] = {"backend.type": self.backend, prefix + "base_url": url, prefix + "model": model}
        if self.asks_key:
            keys[prefix + "api_key"] = key or None
        keys["safety.level"] = safety
        return keys

    def plan(self) -> Plan:
        session, args = self.session, self.session.args
        prefix = f"backend.{self.table}."
        existing = session.existing
        if not session.interactive:
            url = args.endpoint or existing.get(prefix + "base_url") or self.default_url
            url = require(url, "--endpoint", f"the {self.title} server's URL")
            model = require(args.model, "--model", "the model name")
            key = existing.get(prefix + "api_key") if self.asks_key else None
            safety = safety_answer(session)
            if args.skip_test:
                session.console.note("Connection test skipped (--skip-test).")
            else:
                result = run_test(session, self.backend, self._keys(url, model, key, safety), url, discover=False)
                if result.error is not None:
                    raise test_failure(result.error)
            return Plan(self._keys(url, model, key, safety))

        ask = session.ask
        url = args.endpoint or existing.get(prefix + "base_url") or self.default_url or ""
        model = args.model or existing.get(prefix + "model")
        key = existing.get(prefix + "api_key") if self.asks_key else None
        result: Optional[ProbeResult] = None
        while True:
            url = ask.text(f"{self.title} server URL:", default=url, validate=self._valid_url)
            if self.asks_key:
                typed = ask.secret("API key (leave empty if the server needs none, or to keep the saved one):")
                key = typed or key
            if args.skip_test:
                break
            result = run_test(session, self.backend, self._keys(url, model, key, None), url)
            if result.ok or not ask.confirm("Change the answers and test again?", default=True):
                break
        model = choose_model(session, result, model)
        safety = safety_answer(session)
        return Plan(self._keys(url, model, key, safety))

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

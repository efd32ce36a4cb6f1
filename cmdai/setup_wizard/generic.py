"""The setup of a backend that has none of its own: the settings it declares with a question, a live
test, the model, the safety level. The offline engine, Ollama and OpenAI-compatible servers use it."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, Dict, List, Optional, Type

from ..errors import ConfigError
from .common import Plan, Session, connect_and_choose_model, require, run_test, safety_answer, test_failure
from .probe import ProbeResult
from .ui import Option

if TYPE_CHECKING:
    from ..backends.base import CommandGenerator
    from ..settings import Key
    from ..values import ModelInfo

#: The flags that name the model and the address, which the connection test treats apart.
MODEL_FLAG, ADDRESS_FLAG = "--model", "--endpoint"


class GenericSetup:
    """Asks each of the backend's keys that has a ``prompt``; ``--yes`` takes them from their flags."""

    model_noun = "Model"

    def __init__(self, session: Session, backend: Type["CommandGenerator"]):
        self.session = session
        self.cls = backend
        self.backend = backend.name
        self.title = backend.title or backend.name
        self.asked: Dict[str, "Key"] = {name: key for name, key in backend.keys.items() if key.prompt}
        self.model_key = next((name for name, key in self.asked.items() if key.flag == MODEL_FLAG), None)
        self.address_key = next((name for name, key in self.asked.items() if key.flag == ADDRESS_FLAG), None)
        self.values: Dict[str, Any] = {}
        for name, key in self.asked.items():
            given = self._flag(key)
            saved = session.existing.get(backend.key_path(name))
            self.values[name] = given or saved or key.default

    def _flag(self, key: "Key") -> Optional[str]:
        return getattr(self.session.args, key.flag[2:].replace("-", "_"), None) if key.flag else None

    def plan(self) -> Plan:
        session = self.session
        if not self.asked:
            session.console.line(f"{self.title[:1].upper()}{self.title[1:]}: no endpoint, key or model to choose.")
            return Plan(self._keys(safety_answer(session)))
        if not session.interactive:
            return self._scripted()
        for name in self.asked:
            if name != self.model_key:
                self._ask(name)
        if self.model_key is not None:
            connect_and_choose_model(session, self)
        elif self.cls.is_remote and not session.args.skip_test:
            run_test(session, self.backend, self.test_keys(), self.target(), None, discover=False)
        return Plan(self._keys(safety_answer(session)))

    def _scripted(self) -> Plan:
        session = self.session
        for name, key in self.asked.items():
            if key.flag and key.required:
                # A required answer is never taken from the old file: --yes says exactly what to write.
                self.values[name] = require(self._flag(key), key.flag, f"the {key.prompt}")
            elif key.flag and name == self.address_key:
                self.values[name] = require(self.values[name], key.flag, f"the {key.prompt}")
        safety = safety_answer(session)
        if session.args.skip_test:
            session.console.note("Connection test skipped (--skip-test).")
        elif self.cls.is_remote:
            # Without a model, listing the models is what proves the address and the key.
            result = run_test(session, self.backend, self.test_keys(), self.target(), self.model,
                              discover=self.model is None)
            if result.error is not None:
                raise test_failure(result.error)
        return Plan(self._keys(safety))

    def _ask(self, name: str) -> None:
        key, ask = self.asked[name], self.session.ask
        if key.secret:
            hint = "leave empty to keep the saved one" if self.values[name] else "leave empty if the server needs none"
            self.values[name] = ask.secret(f"{key.prompt} ({hint}):") or self.values[name]
            return
        self.values[name] = ask.text(f"{key.prompt}:", default=str(self.values[name] or ""),
                                     validate=lambda text: self._check(name, text))

    def _check(self, name: str, text: str) -> Any:
        """True, or why the answer cannot be used: the same check the configuration makes."""
        from ..settings import coerce

        try:
            coerce(self.cls.key_path(name), self.asked[name], text, "answer")
        except ConfigError as error:
            return error.one_line()
        return True

    def _keys(self, safety: Optional[str]) -> Dict[str, Any]:
        keys: Dict[str, Any] = {"backend.type": self.backend}
        keys.update({self.cls.key_path(name): value or None for name, value in self.values.items()})
        keys["safety.level"] = safety
        return keys

    # -- what the connection test needs (common.Connectable) --------------------------------

    @property
    def model(self) -> Optional[str]:
        return self.values.get(self.model_key) if self.model_key else None

    @model.setter
    def model(self, value: Optional[str]) -> None:
        if self.model_key:
            self.values[self.model_key] = value

    def test_keys(self) -> Dict[str, Any]:
        return self._keys(None)

    def target(self) -> str:
        return str(self.values.get(self.address_key) or self.title) if self.address_key else self.title

    def fix_options(self) -> List[Option]:
        options = []
        for name, key in self.asked.items():
            if key.secret:
                options.append(Option(f"Enter the {key.prompt} again", "credentials"))
            elif name == self.address_key:
                options.append(Option(f"Change the {key.prompt}", "endpoint"))
            elif name != self.model_key:
                options.append(Option(f"Change the {key.prompt}", name))
        return options

    def apply_fix(self, action: str) -> None:
        for name, key in self.asked.items():
            if action == name or action == "credentials" and key.secret or action == "endpoint" and name == self.address_key:
                self._ask(name)

    def models_menu(self, result: ProbeResult) -> List["ModelInfo"]:
        return result.models

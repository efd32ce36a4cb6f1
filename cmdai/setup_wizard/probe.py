"""Trying settings before they are saved: a Config built from the answers, a live call, discovery.

The candidate configuration is built from the answers alone (plus the connection settings
the user already has, such as a CA bundle or timeouts), never from CMDAI_* variables or the old
backend keys, so the test shows what the saved file will do.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Dict, List, Mapping, Optional

from ..errors import CmdaiError

if TYPE_CHECKING:
    from ..backends.base import CommandGenerator
    from ..values import ModelInfo
    from ..config import Config

#: cmdai's own keys the wizard decides; each backend's keys with a ``prompt`` are decided by its setup.
WIZARD_KEYS = ("backend.type", "backend.model", "safety.level")


def read_existing(path: Path) -> Dict[str, Any]:
    """The user's current settings as dotted keys ({} when there is no file yet).

    A file that is not valid TOML stops the setup at once, before any question is asked.
    """
    if not path.is_file():
        return {}
    from ..config import read_toml  # raises ConfigError naming the file and line
    from ..settings import flatten

    return flatten(read_toml(path))


def preserved_settings(existing: Mapping[str, Any], backend: Optional[str] = None) -> Dict[str, Any]:
    """Settings from the user's file that the wizard keeps and tests with: cmdai's connection settings
    (timeouts, CA bundle, …) and, of ``backend``'s own, those its setup does not ask about."""
    from .. import backends
    from ..config import CORE

    kept = {dotted: key for dotted, key in CORE.items() if dotted not in WIZARD_KEYS and not key.site_only}
    if backend is not None:
        cls = backends.get(backend)
        kept.update({cls.key_path(name): key for name, key in cls.keys.items() if not key.prompt})
    return {dotted: value for dotted, value in existing.items() if dotted in kept}


def candidate_config(answers: Mapping[str, Any], preserved: Mapping[str, Any]) -> "Config":
    """A validated Config made of ``preserved`` settings overlaid with the wizard's ``answers``.

    Only these two count: no file is read, and a CMDAI_* variable must not make a wrong answer look right.
    """
    from ..config import Layer, resolve

    return resolve([Layer("your config file", preserved, "settings"),
                    Layer("flags", {k: v for k, v in answers.items() if v is not None}, "flags")])


@dataclass
class ProbeResult:
    """What the live test found."""

    #: Why the connection failed; None when it worked (or was not disproved, see ``verified_model``).
    error: Optional[CmdaiError] = None
    #: The model that answered a real request; None when no model was tried.
    verified_model: Optional[str] = None
    models: List["ModelInfo"] = field(default_factory=list)
    #: Why the model list could not be read; None when discovery worked (even if it was empty).
    discovery_error: Optional[CmdaiError] = None
    #: For Microsoft Entra ID sign-in: the token that was obtained ("token for …, valid until …").
    credential: Optional[str] = None

    @property
    def ok(self) -> bool:
        return self.error is None


def _entra_token(backend: "CommandGenerator") -> Optional[str]:
    """For a backend that signs in with Entra ID: the token obtained ("token for …, valid until …")."""
    credentials = getattr(backend, "credentials", None)
    if credentials is None or not credentials.uses_entra:
        return None
    from ..remote.entra import check_credential
    from ..errors import AuthenticationError

    # A configured token_scope wins inside check_credential.
    check = check_credential(backend.settings, credentials.scope)
    if not check.ok:
        raise AuthenticationError(check.detail, check.hint)
    return check.detail


def _stops_the_test(error: CmdaiError) -> bool:
    """Errors that mean the connection itself does not work, not just that discovery is missing."""
    from ..errors import (AuthenticationError, BackendUnavailableError, ConfigError, MissingDependencyError,
                          RateLimitError)

    return isinstance(error, (AuthenticationError, BackendUnavailableError, RateLimitError, ConfigError,
                              MissingDependencyError))


def probe(backend_name: str, answers: Mapping[str, Any], preserved: Mapping[str, Any],
          discover: bool = True) -> ProbeResult:
    """Try the candidate settings live.

    With a model configured, one real request proves endpoint, credentials and model together.
    Without one, the model list is the test: it needs the same endpoint and credentials.
    """
    from ..backends import create_backend

    result = ProbeResult()
    try:
        config = candidate_config(answers, preserved)
        backend = create_backend(backend_name, config)
        # Getting a token first separates "not signed in" from endpoint and model trouble.
        result.credential = _entra_token(backend)
        if backend.model:
            backend.check_connection()
            result.verified_model = backend.model
    except CmdaiError as error:
        return ProbeResult(error=error)
    if discover:
        try:
            result.models = list(backend.list_models(refresh=True))
        except CmdaiError as error:
            if result.verified_model is None and _stops_the_test(error):
                return ProbeResult(error=error)
            result.discovery_error = error
    return result

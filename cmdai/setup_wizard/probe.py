"""Trying settings before they are saved: a Config built from the answers, a live call, discovery.

The candidate configuration is built from the answers alone (plus the connection settings
the user already has, such as a CA bundle or timeouts), never from CMDAI_* variables or the old
backend keys, so the test shows what the saved file will do.
"""
from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Dict, List, Mapping, Optional

from ..errors import CmdaiError

if TYPE_CHECKING:
    from ..values import ModelInfo
    from ..config import Config

#: Keys the wizard decides; everything else in the user's file is kept and used for the test.
WIZARD_KEYS = (
    "backend.type", "backend.endpoint", "backend.api_key", "backend.api_key_command", "backend.model",
    "backend.azure.auth", "backend.azure.use_managed_identity", "backend.azure.api_style",
    "backend.azure.deployment_name", "backend.azure.tenant_id", "backend.azure.managed_identity_client_id",
    "backend.ollama.base_url", "backend.ollama.model", "backend.ollama.api_key",
    "backend.openai_compatible.base_url", "backend.openai_compatible.model",
    "backend.openai_compatible.api_key", "safety.level",
)


def flatten(table: Mapping[str, Any], prefix: str = "") -> Dict[str, Any]:
    """``{"backend": {"model": "x"}}`` -> ``{"backend.model": "x"}``."""
    flat: Dict[str, Any] = {}
    for name, value in table.items():
        if isinstance(value, Mapping):
            flat.update(flatten(value, f"{prefix}{name}."))
        else:
            flat[f"{prefix}{name}"] = value
    return flat


def nest(flat: Mapping[str, Any]) -> Dict[str, Any]:
    """``{"backend.model": "x"}`` -> ``{"backend": {"model": "x"}}``, the shape config_writer takes."""
    root: Dict[str, Any] = {}
    for dotted, value in flat.items():
        node = root
        *parents, leaf = dotted.split(".")
        for part in parents:
            node = node.setdefault(part, {})
        node[leaf] = value
    return root


def read_existing(path: Path) -> Dict[str, Any]:
    """The user's current settings as dotted keys ({} when there is no file yet).

    A file that is not valid TOML stops the setup at once, before any question is asked.
    """
    if not path.is_file():
        return {}
    from ..config import read_toml  # raises ConfigError naming the file and line

    return flatten(read_toml(path))


def preserved_settings(existing: Mapping[str, Any]) -> Dict[str, Any]:
    """Connection settings from the user's file that the wizard keeps (timeouts, CA bundle, …)."""
    from ..config import SCHEMA

    return {key: value for key, value in existing.items()
            if key in SCHEMA and key not in WIZARD_KEYS and not SCHEMA[key].site_only}


def candidate_config(answers: Mapping[str, Any], preserved: Mapping[str, Any]) -> "Config":
    """A validated Config made of ``preserved`` settings overlaid with the wizard's ``answers``."""
    from ..config import load_config

    values = {**preserved, **{k: v for k, v in answers.items() if v is not None}}
    # Only the answers count: a CMDAI_* variable must not make a wrong answer look right.
    environ = {k: v for k, v in os.environ.items() if not k.startswith("CMDAI_")}
    with tempfile.TemporaryDirectory(prefix="cmdai-setup-") as directory:
        empty = Path(directory) / "config.toml"
        empty.write_text("")
        return load_config(path=str(empty), overrides=values, environ=environ)


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


def _entra_token(config: "Config", backend: Any) -> str:
    from ..remote.entra import check_credential
    from ..errors import AuthenticationError

    # A configured token_scope wins inside check_credential.
    check = check_credential(config.backend.azure, backend.endpoint.token_scope)
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
        if backend_name == "azure-foundry" and config.backend.azure.auth != "api-key":
            # Getting a token first separates "not signed in" from endpoint and model trouble.
            result.credential = _entra_token(config, backend)
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

"""Configuration: one schema, four sources, one validated result.

Precedence, highest first: command-line flags, environment, the user's config.toml, the
site-wide config.toml an administrator manages, built-in defaults. The site file's ``[policy]``
sets a safety floor that nothing else can lower.
"""
from __future__ import annotations

import math
import os
import sys
from pathlib import Path
from types import SimpleNamespace
from typing import Any, Dict, List, Mapping, NamedTuple, Optional, Tuple

from . import paths
from .context import SOURCES as CONTEXT_SOURCES
from .errors import ConfigError
from .records import Record
from .safety.levels import SAFETY_LEVELS, stricter

BACKEND_TYPES = ("azure-foundry", "embedded", "ollama", "openai-compatible")
AZURE_AUTH_METHODS = ("api-key", "azure-cli", "managed-identity", "default")
AZURE_API_STYLES = ("model-inference", "azure-openai", "azure-openai-v1", "serverless", "managed-online")


class Key(NamedTuple):
    """One configuration key: its type, default and the rules its value must follow."""

    kind: str  # "str", "bool", "int", "float", "url", "choice", "prices", "endpoints", "list" (of choices)
    default: Any = None
    choices: Tuple[str, ...] = ()
    minimum: Optional[float] = None
    maximum: Optional[float] = None
    example: str = ""
    secret: bool = False
    #: Read only from the site file (administrator policy).
    site_only: bool = False


SCHEMA: Dict[str, Key] = {
    "backend.type": Key("choice", None, BACKEND_TYPES, example='type = "azure-foundry"'),
    "backend.endpoint": Key("url", None, example='endpoint = "https://my-res.services.ai.azure.com/models"'),
    "backend.api_key": Key("str", None, secret=True, example='api_key = "…" (or use api_key_command)'),
    "backend.api_key_command": Key("str", None, example='api_key_command = "pass show azure/foundry"'),
    "backend.model": Key("str", None, example='model = "gpt-4o-mini"'),
    "backend.timeout_seconds": Key("float", 30.0, minimum=1, maximum=600, example="timeout_seconds = 30"),
    "backend.max_retries": Key("int", 3, minimum=0, maximum=10, example="max_retries = 3"),
    "backend.fallback": Key("bool", True, example="fallback = true"),
    "backend.allow_insecure_http": Key("bool", False, example="allow_insecure_http = false"),
    "backend.ca_bundle": Key("str", None, example='ca_bundle = "/etc/ssl/certs/corp-ca.pem"'),
    "backend.use_system_trust_store": Key("bool", False, example="use_system_trust_store = true"),
    "backend.azure.subscription_id": Key("str", None),
    "backend.azure.resource_group": Key("str", None),
    "backend.azure.deployment_name": Key("str", None, example='deployment_name = "gpt-4o-mini"'),
    "backend.azure.api_version": Key("str", None, example='api_version = "2024-10-21"'),
    "backend.azure.api_style": Key("choice", None, AZURE_API_STYLES, example='api_style = "model-inference"'),
    "backend.azure.project_endpoint": Key("url", None, example='project_endpoint = "https://my-res.services.ai.azure.com/api/projects/my-project"'),
    "backend.azure.use_managed_identity": Key("bool", False, example="use_managed_identity = true"),
    "backend.azure.auth": Key("choice", "api-key", AZURE_AUTH_METHODS, example='auth = "azure-cli"'),
    "backend.azure.managed_identity_client_id": Key("str", None),
    "backend.azure.tenant_id": Key("str", None),
    "backend.azure.failover": Key("endpoints", None, example='[[backend.azure.failover]] with endpoint = "https://my-res-westus.openai.azure.com/openai/v1"'),
    "backend.azure.token_scope": Key("str", None, example='token_scope = "https://cognitiveservices.azure.com/.default"'),
    "backend.reasoning_effort": Key("choice", None, ("none", "minimal", "low", "medium", "high", "xhigh"),
                                    example='reasoning_effort = "low"'),
    "backend.prices": Key("prices", None, example='prices = { "gpt-4o-mini" = { input = 0.15, output = 0.60 } }'),
    "backend.ollama.base_url": Key("url", "http://127.0.0.1:11434", example='base_url = "http://127.0.0.1:11434"'),
    "backend.ollama.model": Key("str", None, example='model = "qwen2.5-coder:7b"'),
    "backend.ollama.api_key": Key("str", None, secret=True),
    "backend.openai_compatible.base_url": Key("url", None, example='base_url = "http://127.0.0.1:8000/v1"'),
    "backend.openai_compatible.model": Key("str", None),
    "backend.openai_compatible.api_key": Key("str", None, secret=True),
    "safety.level": Key("choice", "moderate", SAFETY_LEVELS, example='level = "moderate"'),
    "policy.minimum_safety_level": Key("choice", None, SAFETY_LEVELS, site_only=True,
                                       example='minimum_safety_level = "strict"'),
    "cache.enabled": Key("bool", True, example="enabled = true"),
    "cache.ttl_hours": Key("float", 24.0, minimum=0, maximum=24 * 365, example="ttl_hours = 24"),
    "shell.hotkey_timeout_seconds": Key("float", 10.0, minimum=1, maximum=600,
                                        example="hotkey_timeout_seconds = 10"),
    "shell.record_requests": Key("bool", False, example="record_requests = true"),
    **{f"context.{name}": Key("bool", default, example=f"{name} = {str(not default).lower()}")
       for name, _, default, _ in CONTEXT_SOURCES},
    "policy.forbid_context": Key("list", None, tuple(name for name, _, _, _ in CONTEXT_SOURCES), site_only=True,
                                 example='forbid_context = ["cwd", "git", "last_command"]'),
    "audit.enabled": Key("bool", False, example="enabled = true"),
    "audit.max_bytes": Key("int", 1_048_576, minimum=4096, maximum=1 << 30, example="max_bytes = 1048576"),
    "audit.keep_files": Key("int", 3, minimum=1, maximum=50, example="keep_files = 3"),
    "policy.audit": Key("bool", None, site_only=True, example="audit = true"),
}

#: Environment variable -> config key.
ENVIRONMENT: Dict[str, str] = {
    "CMDAI_BACKEND": "backend.type",
    "CMDAI_MODEL": "backend.model",
    "CMDAI_SAFETY_LEVEL": "safety.level",
    "CMDAI_AZURE_FOUNDRY_ENDPOINT": "backend.endpoint",
    "CMDAI_AZURE_FOUNDRY_API_KEY": "backend.api_key",
    "CMDAI_AZURE_FOUNDRY_MODEL": "backend.model",
    "CMDAI_AZURE_FOUNDRY_API_VERSION": "backend.azure.api_version",
    "CMDAI_AZURE_FOUNDRY_DEPLOYMENT": "backend.azure.deployment_name",
}
# CMDAI_MODEL is the general override; it wins over the Azure-specific variable.
_ENV_ORDER = [
    "CMDAI_AZURE_FOUNDRY_MODEL", "CMDAI_MODEL", "CMDAI_BACKEND", "CMDAI_SAFETY_LEVEL",
    "CMDAI_AZURE_FOUNDRY_ENDPOINT", "CMDAI_AZURE_FOUNDRY_API_KEY", "CMDAI_AZURE_FOUNDRY_API_VERSION",
    "CMDAI_AZURE_FOUNDRY_DEPLOYMENT",
]


class Section(SimpleNamespace):
    """A table of settings, read by attribute (``config.backend.azure.auth``)."""


class Config(Record):
    """The validated configuration, and where each value came from."""

    __slots__ = ("backend", "safety", "policy", "cache", "shell", "context", "audit", "files", "sources", "warnings")

    def __init__(self, backend: Section, safety: Section, policy: Section, cache: Section,
                 files: Optional[List[Path]] = None, sources: Optional[Dict[str, str]] = None,
                 warnings: Optional[List[str]] = None, shell: Optional[Section] = None,
                 context: Optional[Section] = None, audit: Optional[Section] = None):
        self.backend = backend
        self.safety = safety
        self.policy = policy
        self.cache = cache
        #: The Ctrl-G key: its time budget and whether requests go into the shell's history.
        self.shell = shell
        #: The [context] switches and the [audit] log settings (docs/privacy.md).
        self.context = context
        self.audit = audit
        #: Config files that were read, site file first.
        self.files: List[Path] = [] if files is None else files
        #: Where each key's value came from ("default", a file path, an environment variable, "--flag").
        self.sources: Dict[str, str] = {} if sources is None else sources
        self.warnings: List[str] = [] if warnings is None else warnings

    def source_of(self, key: str) -> str:
        return self.sources.get(key, "default")


def _describe(source: str) -> str:
    return source if source.startswith(("CMDAI_", "--", "default")) else str(source)


def _fail(key: str, source: str, problem: str, example: str = "") -> ConfigError:
    where = f"{_describe(source)}: " if source else ""
    short = key.rsplit(".", 1)[-1]
    hint = f"set it like: {example}" if example else f"fix or remove '{short}'"
    return ConfigError(f"{where}{key} {problem}", hint)


def invalid_key_error(key: Any, where: str, what: str = "the API key") -> Optional[ConfigError]:
    """A ConfigError when ``key`` cannot travel in an HTTP header: not text, whitespace, controls (a
    carriage return would split the header), or characters outside Latin-1. Never quotes the key."""
    if isinstance(key, str) and key and all(0x21 <= ord(ch) <= 0x7e or 0xa1 <= ord(ch) <= 0xff for ch in key):
        return None
    return ConfigError(f"{where}: {what} contains invalid characters",
                       "copy it again: only visible ASCII characters, no spaces or line breaks")


def _coerce(key: str, spec: Key, value: Any, source: str) -> Any:
    """Check (and for strings from the environment, convert) one value against its key."""
    if spec.secret:
        return _coerce_secret(key, value, source)
    from_text = isinstance(value, str) and source.startswith("CMDAI_")
    kind = spec.kind
    if kind == "prices":
        return _prices(key, spec, value, source)
    if kind == "endpoints":
        return _failover_endpoints(key, spec, value, source)
    if kind == "list":
        return _coerce_list(key, spec, value, source, from_text)
    if kind == "bool":
        if from_text and value.lower() in ("1", "true", "yes", "on", "0", "false", "no", "off"):
            return value.lower() in ("1", "true", "yes", "on")
        if not isinstance(value, bool):
            raise _fail(key, source, f"must be true or false, not {value!r}", spec.example)
        return value
    if kind in ("int", "float"):
        if from_text:
            try:
                value = int(value) if kind == "int" else float(value)
            except ValueError:
                pass
        ok_types = (int,) if kind == "int" else (int, float)
        if isinstance(value, bool) or not isinstance(value, ok_types):
            noun = "a whole number" if kind == "int" else "a number"
            raise _fail(key, source, f"must be {noun}, not {value!r}", spec.example)
        if not math.isfinite(value):
            raise _fail(key, source, f"must be a finite number, not {value!r}", spec.example)
        if spec.minimum is not None and value < spec.minimum or spec.maximum is not None and value > spec.maximum:
            raise _fail(key, source, f"must be between {spec.minimum:g} and {spec.maximum:g}, not {value!r}",
                        spec.example)
        return float(value) if kind == "float" else value
    if not isinstance(value, str):
        raise _fail(key, source, f"must be a string, not {value!r}", spec.example)
    value = value.strip()
    if kind == "choice":
        normalised = value.lower()
        if normalised not in spec.choices:
            raise ConfigError(
                f"{_describe(source)}: {key} = {value!r} is not valid",
                f"choose one of: {', '.join(spec.choices)}",
            )
        return normalised
    if kind == "url":
        _check_url(key, value, source, spec)
        return value
    if not value:
        raise _fail(key, source, "is empty", spec.example)
    return value


def _coerce_secret(key: str, value: Any, source: str) -> Optional[str]:
    """A key: a string of header-safe characters; no message ever repeats it."""
    if not isinstance(value, str):
        raise _fail(key, source, f"must be a string, not a {type(value).__name__}", SCHEMA[key].example)
    value = value.strip()
    if not value:
        return value
    invalid = invalid_key_error(value, f"{_describe(source)}: {key}")
    if invalid is not None:
        raise invalid
    return value


def _prices(key: str, spec: Key, value: Any, source: str) -> Dict[str, Dict[str, float]]:
    """Per-deployment prices per million tokens: {"name": {input = 0.15, output = 0.60}}."""
    if not isinstance(value, dict):
        raise _fail(key, source, "must be a table of deployments", spec.example)
    prices = {}
    for name, price in value.items():
        if not isinstance(price, dict) or not price or set(price) - {"input", "output"} or any(
                isinstance(v, bool) or not isinstance(v, (int, float)) or v < 0 for v in price.values()):
            raise _fail(f"{key}.{name}", source, "must be { input = N, output = N } (per million tokens)",
                        spec.example)
        prices[name] = {k: float(v) for k, v in price.items()}
    return prices


#: What one failover endpoint may set; anything it leaves out (except the key) is the primary's.
FAILOVER_KEYS = {"endpoint": "url", "model": "str", "deployment_name": "str", "api_version": "str",
                 "api_style": "str", "auth": "str", "api_key": "str", "api_key_command": "str",
                 "api_key_env": "str", "token_scope": "str", "tenant_id": "str", "managed_identity_client_id": "str"}


def _failover_endpoints(key: str, spec: Key, value: Any, source: str) -> List[Dict[str, str]]:
    """An ordered list of endpoints ([[backend.azure.failover]] tables) tried after the primary."""
    if not isinstance(value, list):
        raise _fail(key, source, "must be a list of tables: [[backend.azure.failover]]", spec.example)
    endpoints = []
    for index, entry in enumerate(value, 1):
        where = f"{key}[{index}]"
        if not isinstance(entry, dict):
            raise _fail(where, source, "must be a table with endpoint = \"https://…\"", spec.example)
        unknown = sorted(set(entry) - set(FAILOVER_KEYS))
        if unknown:
            raise ConfigError(f"{_describe(source)}: {where} has an unknown key '{unknown[0]}'",
                              f"use: {', '.join(FAILOVER_KEYS)}")
        if "endpoint" not in entry:
            raise _fail(where, source, "has no endpoint", spec.example)
        checked = {}
        for name, item in entry.items():
            sub = Key(FAILOVER_KEYS[name], choices=AZURE_AUTH_METHODS if name == "auth" else
                      AZURE_API_STYLES if name == "api_style" else (), example=spec.example)
            if name in ("auth", "api_style"):
                sub = sub._replace(kind="choice")
            checked[name] = _coerce(f"{where}.{name}", sub, item, source)
        endpoints.append(checked)
    return endpoints


def _coerce_list(key: str, spec: Key, value: Any, source: str, from_text: bool) -> List[str]:
    if from_text:
        value = [item.strip() for item in value.split(",") if item.strip()]
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise _fail(key, source, f"must be a list of names, not {value!r}", spec.example)
    names = [item.strip().lower() for item in value]
    for name in names:
        if name not in spec.choices:
            raise ConfigError(f"{_describe(source)}: {key} names {name!r}, which is not one of them",
                              f"choose from: {', '.join(spec.choices)}")
    return names


def _check_url(key: str, value: str, source: str, spec: Key) -> None:
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(value)
        parts.port  # raises ValueError for a malformed port
    except ValueError:
        parts = None
    if parts is None or parts.scheme not in ("http", "https") or not parts.hostname or " " in value:
        raise _fail(key, source, f"is not a valid http(s) URL: {value!r}", spec.example)


def _flatten(table: Mapping[str, Any], prefix: str = "") -> Dict[str, Any]:
    flat: Dict[str, Any] = {}
    for name, value in table.items():
        dotted = f"{prefix}{name}"
        if isinstance(value, dict) and getattr(SCHEMA.get(dotted), "kind", "") not in ("prices", "endpoints"):
            flat.update(_flatten(value, dotted + "."))
        else:
            flat[dotted] = value
    return flat


def _unknown_key_error(key: str, source: str) -> ConfigError:
    import difflib

    close = difflib.get_close_matches(key, list(SCHEMA), n=1)
    hint = f"did you mean '{close[0]}'?" if close else "see the configuration reference in the README"
    return ConfigError(f"{_describe(source)}: unknown key '{key}'", hint)


def read_toml(path: Path) -> Dict[str, Any]:
    """Parse one TOML file; a syntax error names the file and the line."""
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - exercised on Python < 3.11 only
        import tomli as tomllib
    try:
        with open(path, "rb") as handle:
            return tomllib.load(handle)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}", "fix the syntax on that line") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: not UTF-8 text", "save the file as UTF-8") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot be read ({exc.strerror})", "check the path and its permissions") from None


def _config_file_exists(path: Path, origin: Optional[str]) -> bool:
    """Whether there is a config file to read at ``path``; a directory or an unreadable folder is an error.

    Any readable non-directory counts (``--config /dev/null`` means "no settings"; ``<(…)`` works).
    """
    import stat

    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        return False
    except NotADirectoryError:
        raise ConfigError(f"config file {path}: a part of the path is not a directory",
                          "check the path" + (f" given by {origin}" if origin else "")) from None
    except PermissionError:
        raise ConfigError(f"cannot read the folder of the config file {path} (permission denied)",
                          f"check its permissions, e.g. chmod u+rx '{path.parent}'") from None
    except OSError as exc:
        raise ConfigError(f"config file {path} cannot be read ({exc.strerror})", "check the path") from None
    if stat.S_ISDIR(mode):
        raise ConfigError(f"config file {path}{f' (from {origin})' if origin else ''} is a directory",
                          f"point it at a file, e.g. {path / paths.CONFIG_FILE_NAME}")
    return True


def _read_file(path: Path, *, site: bool, warnings: List[str]) -> Dict[str, Any]:
    values: Dict[str, Any] = {}
    for key, value in _flatten(read_toml(path)).items():
        spec = SCHEMA.get(key)
        if spec is None:
            raise _unknown_key_error(key, str(path))
        if spec.site_only and not site:
            warnings.append(f"{path}: [{key.rsplit('.', 1)[0]}] is only read from the site config "
                            f"({paths.site_config_file()}); ignored")
            continue
        values[key] = _coerce(key, spec, value, str(path))
    if any(SCHEMA[k].secret and values.get(k) for k in values) or any(
            "api_key" in entry for entry in values.get("backend.azure.failover") or ()):
        _warn_if_readable_by_others(path, warnings)
    return values


def _warn_if_readable_by_others(path: Path, warnings: List[str]) -> None:
    try:
        mode = path.stat().st_mode
    except OSError:
        return
    if mode & 0o077:
        warnings.append(f"{path} holds an api_key and is readable by others — run: chmod 600 '{path}'")


def _env_values(environ: Mapping[str, str]) -> List[Tuple[str, Any, str]]:
    found = []
    for name in _ENV_ORDER:
        value = environ.get(name)
        if value is None or (value == "" and name != "CMDAI_AZURE_FOUNDRY_API_KEY"):
            continue
        key = ENVIRONMENT[name]
        found.append((key, _coerce(key, SCHEMA[key], value, name), name))
    return found


def _build_sections(values: Mapping[str, Any]) -> Dict[str, Section]:
    root: Dict[str, Any] = {}
    for key, spec in SCHEMA.items():
        node = root
        *parents, leaf = key.split(".")
        for part in parents:
            node = node.setdefault(part, {})
        node[leaf] = values.get(key, spec.default)

    def to_section(table: Dict[str, Any], prefix: str) -> Section:
        # A key whose value is itself a table (prices, endpoint lists) stays a plain value.
        return Section(**{k: to_section(v, f"{prefix}{k}.") if isinstance(v, dict) and f"{prefix}{k}" not in SCHEMA
                          else v for k, v in table.items()})

    return {name: to_section(table, f"{name}.") for name, table in root.items()}


def user_config_path(path: Optional[str] = None, environ: Optional[Mapping[str, str]] = None) -> Path:
    """The user config file cmdai reads: ``--config``, else ``CMDAI_CONFIG``, else the XDG one."""
    environ = os.environ if environ is None else environ
    explicit = path or environ.get("CMDAI_CONFIG") or None
    return Path(explicit).expanduser() if explicit else paths.user_config_file()


def load_config(
    path: Optional[str] = None,
    overrides: Optional[Mapping[str, Any]] = None,
    environ: Optional[Mapping[str, str]] = None,
) -> Config:
    """Read every source, validate it, and return the effective configuration.

    ``path`` is an explicit user config file (``--config``); ``overrides`` maps keys such as
    ``"backend.model"`` to values given on the command line (named by ``--flag`` in messages).
    """
    environ = os.environ if environ is None else environ
    warnings: List[str] = []
    values: Dict[str, Any] = {}
    sources: Dict[str, str] = {}
    files: List[Path] = []

    def apply(new: Mapping[str, Any], source: str) -> None:
        for key, value in new.items():
            values[key] = value
            sources[key] = source

    site = paths.site_config_file()
    if _config_file_exists(site, None):
        apply(_read_file(site, site=True, warnings=warnings), str(site))
        files.append(site)

    explicit = path or environ.get("CMDAI_CONFIG") or None
    user = user_config_path(path, environ)
    origin = ("--config" if path else "CMDAI_CONFIG") if explicit else None
    if _config_file_exists(user, origin):
        apply(_read_file(user, site=False, warnings=warnings), str(user))
        files.append(user)
    elif explicit:
        raise ConfigError(f"config file {user} (from {origin}) does not exist",
                          "check the path, or run: cmdai --setup-backend azure-foundry")

    for key, value, name in _env_values(environ):
        apply({key: value}, name)

    for key, value in (overrides or {}).items():
        if value is None:
            continue
        flag = "--" + key.rsplit(".", 1)[-1].replace("_", "-")
        flag = {"--type": "--backend", "--level": "--safety"}.get(flag, flag)
        apply({key: _coerce(key, SCHEMA[key], value, flag)}, flag)

    _derive(values, sources)
    _apply_policy_floor(values, sources, warnings)
    _apply_policy_privacy(values, sources, warnings)
    sections = _build_sections(values)
    return Config(files=files, sources=sources, warnings=warnings, **sections)


def _derive(values: Dict[str, Any], sources: Dict[str, str]) -> None:
    """Fill in what follows from other settings."""
    if "backend.type" not in values:
        # An Azure endpoint with no backend chosen means the user wants Azure.
        endpoint_source = sources.get("backend.endpoint")
        if endpoint_source:
            values["backend.type"] = "azure-foundry"
            sources["backend.type"] = f"{endpoint_source} (endpoint set)"
        else:
            values["backend.type"] = "embedded"
    if values.get("backend.azure.use_managed_identity") and "backend.azure.auth" not in values:
        values["backend.azure.auth"] = "managed-identity"
        sources["backend.azure.auth"] = sources["backend.azure.use_managed_identity"]


def _apply_policy_floor(values: Dict[str, Any], sources: Dict[str, str], warnings: List[str]) -> None:
    floor = values.get("policy.minimum_safety_level")
    if not floor:
        return
    requested = values.get("safety.level", SCHEMA["safety.level"].default)
    effective = stricter(requested, floor)
    if effective != requested:
        origin = sources.get("safety.level", "the default")
        if "safety.level" in sources:
            warnings.append(
                f"safety level '{requested}' (from {_describe(origin)}) is below the minimum "
                f"'{floor}' set by your administrator in {sources['policy.minimum_safety_level']}; "
                f"using '{effective}'")
        values["safety.level"] = effective
        sources["safety.level"] = sources["policy.minimum_safety_level"] + " [policy]"



def _apply_policy_privacy(values: Dict[str, Any], sources: Dict[str, str], warnings: List[str]) -> None:
    """The site policy's context bans and audit switch, which no user setting can undo."""
    for name in values.get("policy.forbid_context") or ():
        key = f"context.{name}"
        if values.get(key):
            warnings.append(f"context source '{name}' (enabled in {_describe(sources[key])}) is forbidden by your "
                            f"administrator in {sources['policy.forbid_context']}; it is not sent")
        values[key] = False
        sources[key] = sources["policy.forbid_context"] + " [policy]"
    if values.get("policy.audit"):
        if values.get("audit.enabled") is False:
            warnings.append(f"audit.enabled = false (from {_describe(sources['audit.enabled'])}) is overridden: "
                            f"your administrator requires the audit log in {sources['policy.audit']}")
        values["audit.enabled"] = True
        sources["audit.enabled"] = sources["policy.audit"] + " [policy]"

"""Configuration: one schema, four layers, one validated result of typed sections.

Precedence, highest first: command-line flags, environment, the user's config.toml, the
site-wide config.toml an administrator manages, built-in defaults. The site file's ``[policy]``
sets a safety floor that nothing else can lower. The keys below are cmdai's own; every backend
declares its own keys (``CommandGenerator.keys``), and the schema is both together. A config file
that has not changed since an earlier run is not parsed again (``config_cache``).
"""
from __future__ import annotations

import os
import sys

from . import backends, paths
from .config_cache import ParsedFiles
from .context import SOURCES as CONTEXT_SOURCES
from .errors import ConfigError
from .records import Record, Value
from .safety.levels import SAFETY_LEVELS, stricter
from .settings import Key, coerce, flatten, holds_secret, section_type, unknown_key_error

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Dict, Iterator, List, Mapping, Optional, Sequence, Tuple, Type, Union

    from .backends.base import CommandGenerator

#: cmdai's own keys; backends add theirs.
CORE: Dict[str, Key] = {
    "backend.type": Key("choice", None, example='type = "azure-foundry"', env=("CMDAI_BACKEND",), flag="--backend",
                        doc="the backend that answers (default: embedded, or the one an endpoint setting chooses)"),
    "backend.model": Key("str", None, example='model = "gpt-4o-mini"', flag="--model", doc="model or deployment name",
                         # The older, Azure-named variable loses to the general one.
                         env=("CMDAI_MODEL", "CMDAI_AZURE_FOUNDRY_MODEL")),
    "backend.timeout_seconds": Key("float", 30.0, minimum=1, maximum=600, example="timeout_seconds = 30",
                                   doc="deadline for the whole run from start-up, retries, tokens and key helpers "
                                       "included"),
    "backend.max_retries": Key("int", 3, minimum=0, maximum=10, example="max_retries = 3",
                               doc="retries on 408/429/5xx and connection errors"),
    "backend.fallback": Key("bool", True, example="fallback = true",
                            doc="answer with the offline engine when the service cannot be reached"),
    "backend.allow_insecure_http": Key("bool", False, example="allow_insecure_http = false",
                                       doc="allow plain http:// to hosts other than this machine"),
    "backend.ca_bundle": Key("str", None, example='ca_bundle = "/etc/ssl/certs/corp-ca.pem"',
                             doc="CA bundle for TLS interception proxies (REQUESTS_CA_BUNDLE also works)"),
    "backend.use_system_trust_store": Key("bool", False, example="use_system_trust_store = true",
                                          doc="trust the operating system's certificate store (needs truststore)"),
    "backend.reasoning_effort": Key("choice", None, ("none", "minimal", "low", "medium", "high", "xhigh"),
                                    example='reasoning_effort = "low"',
                                    doc="effort of reasoning models (default: the lowest the deployment accepts)"),
    "backend.prices": Key("prices", None, example='prices = { "gpt-4o-mini" = { input = 0.15, output = 0.60 } }',
                          doc="prices per million tokens per deployment, for cmdai --usage"),
    "safety.level": Key("choice", "moderate", SAFETY_LEVELS, example='level = "moderate"',
                        env=("CMDAI_SAFETY_LEVEL",), flag="--safety", doc="strict, moderate or permissive"),
    "policy.minimum_safety_level": Key("choice", None, SAFETY_LEVELS, site_only=True,
                                       example='minimum_safety_level = "strict"',
                                       doc="a safety level users cannot go below"),
    "cache.enabled": Key("bool", True, example="enabled = true", doc="keep answers of backends that are cached"),
    "cache.ttl_hours": Key("float", 24.0, minimum=0, maximum=24 * 365, example="ttl_hours = 24",
                           doc="how long an answer is kept"),
    "shell.hotkey_timeout_seconds": Key("float", 10.0, minimum=1, maximum=600,
                                        example="hotkey_timeout_seconds = 10",
                                        doc="time budget of one press of the key, apart from timeout_seconds"),
    "shell.record_requests": Key("bool", False, example="record_requests = true",
                                 doc="add each request to the shell's history as a comment (read by --init)"),
    **{f"context.{name}": Key("bool", default, example=f"{name} = {str(not default).lower()}", doc=f"send {told}")
       for name, _, default, told in CONTEXT_SOURCES},
    "policy.forbid_context": Key("list", None, tuple(name for name, _, _, _ in CONTEXT_SOURCES), site_only=True,
                                 example='forbid_context = ["cwd", "git", "last_command"]',
                                 doc="context sources never sent, whatever users set"),
    "audit.enabled": Key("bool", False, example="enabled = true", doc="keep the audit log of answers"),
    "audit.max_bytes": Key("int", 1_048_576, minimum=4096, maximum=1 << 30, example="max_bytes = 1048576",
                           doc="size at which the log moves to audit.jsonl.1"),
    "audit.keep_files": Key("int", 3, minimum=1, maximum=50, example="keep_files = 3",
                            doc="how many moved logs are kept"),
    "policy.audit": Key("bool", None, site_only=True, example="audit = true",
                        doc="true keeps the audit log on for everyone"),
}


class BackendSettings(Value):
    """[backend]: what every backend shares (each backend's own keys are in ``Config.settings_of``)."""

    type: str
    model: Optional[str]
    timeout_seconds: float
    max_retries: int
    fallback: bool
    allow_insecure_http: bool
    ca_bundle: Optional[str]
    use_system_trust_store: bool
    reasoning_effort: Optional[str]
    prices: Optional[Dict[str, Dict[str, float]]]


class SafetySettings(Value):
    level: str


class PolicySettings(Value):
    """The site file's floors."""

    minimum_safety_level: Optional[str]
    forbid_context: Optional[List[str]]
    audit: Optional[bool]


class CacheSettings(Value):
    enabled: bool
    ttl_hours: float


class ShellSettings(Value):
    hotkey_timeout_seconds: float
    record_requests: bool


class AuditSettings(Value):
    enabled: bool
    max_bytes: int
    keep_files: int


#: The sections of cmdai's own keys, each a records.Value on Config; [context] has a field per context source.
SECTIONS: Dict[str, Optional[Type[Any]]] = {
    "backend": BackendSettings, "safety": SafetySettings, "policy": PolicySettings, "cache": CacheSettings,
    "shell": ShellSettings, "context": None, "audit": AuditSettings,
}


def core_key(dotted: str) -> Optional[Key]:
    """One of cmdai's own keys; the backend's choices are the registry's names at the time of asking."""
    key = CORE.get(dotted)
    if dotted == "backend.type" and key is not None:
        return key._replace(choices=backends.names())
    return key


def schema() -> Dict[str, Key]:
    """Every key: cmdai's own and every backend's (each backend's module is imported)."""
    return {**{dotted: core_key(dotted) or key for dotted, key in CORE.items()},
            **{dotted: key for dotted, (_, key) in backends.declared_keys().items()}}


def environment_variables() -> Dict[str, str]:
    """Every environment variable that sets a key, and the key (every backend imported)."""
    return {variable: dotted for dotted, key in schema().items() for variable in key.env}


class Layer(Value):
    """One source of settings for ``resolve``: where they come from and what they say.

    ``kind`` is "site" or "file" (``values`` is the file's tables; every value is from ``source``),
    "environment" (``values`` is the environment; each value is from its variable) or "flags"
    (``values`` maps dotted keys to values; each is from the key's flag).
    """

    source: str
    values: Mapping[str, Any]
    kind: str = "file"


class Config(Record):
    """The validated configuration: a records.Value per section, and where each value came from."""

    __slots__ = ("backend", "safety", "policy", "cache", "shell", "context", "audit", "files", "secret_files",
                 "sources", "warnings", "values", "owners", "_settings")

    def __init__(self, values: Dict[str, Any], sources: Dict[str, str], owners: Dict[str, str],
                 files: List[str], warnings: List[str], secret_files: List[str]):
        #: Every key that was set, resolved and checked, by dotted name.
        self.values = values
        #: Where each key's value came from (a file path, an environment variable, a "--flag").
        self.sources = sources
        #: Which backend declares each of the backends' keys that was set.
        self.owners = owners
        #: Config files that were read, site file first.
        self.files = files
        #: Those of them that hold a secret (an API key): never copied to a cache.
        self.secret_files = secret_files
        self.warnings = warnings
        self._settings: Dict[str, Any] = {}
        sections = _core_sections(values)
        self.backend: BackendSettings = sections["backend"]
        self.safety: SafetySettings = sections["safety"]
        self.policy: PolicySettings = sections["policy"]
        self.cache: CacheSettings = sections["cache"]
        self.shell: ShellSettings = sections["shell"]
        #: One bool per context source (``cmdai.context.SOURCES``).
        self.context: Any = sections["context"]
        self.audit: AuditSettings = sections["audit"]

    def source_of(self, key: str) -> str:
        return self.sources.get(key, "default")

    def settings_of(self, backend: Union[str, Type["CommandGenerator"]]) -> Any:
        """A backend's own settings (by name or class): a records.Value with one field per key it declares."""
        cls = backends.get(backend) if isinstance(backend, str) else backend
        found = self._settings.get(cls.name)
        if found is None:
            fields = {name: self.values.get(cls.key_path(name), key.default) for name, key in cls.keys.items()}
            title = "".join(part.title() for part in cls.section.split("_")) + "Settings"
            found = self._settings[cls.name] = section_type(title, fields)(**fields)
        return found

    def configured_backends(self) -> List[str]:
        """Backends whose own settings (not just a secret) were set somewhere, besides the one in use."""
        named = {owner for dotted, owner in self.owners.items()
                 if not backends.get(owner).keys[dotted.rsplit(".", 1)[1]].secret}
        return [name for name in backends.names() if name in named and name != self.backend.type]


def _core_sections(values: Mapping[str, Any]) -> Dict[str, Any]:
    grouped: Dict[str, Dict[str, Any]] = {name: {} for name in SECTIONS}
    for dotted, key in CORE.items():
        section, name = dotted.split(".")
        grouped[section][name] = values.get(dotted, key.default)
    return {section: (SECTIONS[section] or section_type(section.title() + "Settings", fields))(**fields)
            for section, fields in grouped.items()}


def _spec(dotted: str, load_all: bool = True, chosen: Optional[str] = None) -> Optional[Tuple[Key, Optional[str]]]:
    """The key ``dotted`` and the backend that declares it (None for cmdai's own); None if unknown.

    ``chosen``, the backend set so far, is asked first: Azure's endpoint in [backend] then loads Azure alone.
    """
    key = core_key(dotted)
    if key is not None:
        return key, None
    owner = backends.owner_of(dotted, load_all=load_all, prefer=chosen)
    if owner is None:
        return None
    return owner.keys[dotted.rsplit(".", 1)[1]], owner.name


def _nested(dotted: str) -> bool:
    found = _spec(dotted, load_all=False) if dotted.count(".") >= 1 else None
    return found is not None and found[0].nested


def _variables(environ: Mapping[str, str]) -> Dict[str, Tuple[str, Key, Optional[str]]]:
    """Variable -> (dotted key, key, backend) for cmdai's variables and those of the backends whose prefix
    (``CMDAI_OLLAMA_``) is in ``environ``: only those backends load."""
    found: Dict[str, Tuple[str, Key, Optional[str]]] = {
        variable: (dotted, key, None) for dotted, key in CORE.items() for variable in key.env}
    prefixes = {f"CMDAI_{name.upper().replace('-', '_')}_": name for name in backends.names()}
    wanted = {name for variable in environ for prefix, name in prefixes.items() if variable.startswith(prefix)}
    for cls in map(backends.get, sorted(wanted)):
        found.update({variable: (cls.key_path(name), key, cls.name)
                      for name, key in cls.keys.items() for variable in key.env})
    return found


def _layer_values(layer: Layer) -> Iterator[Tuple[str, Any, str, bool, Optional[str]]]:
    """(dotted key, raw value, source, from text, the backend that declares it if known) for what ``layer`` sets."""
    if layer.kind == "environment":
        chosen: Dict[str, str] = {}
        for variable, (dotted, key, owner) in _variables(layer.values).items():
            value = layer.values.get(variable)
            # An empty variable means "unset", except a key's: CMDAI_…_API_KEY= blanks the file's key.
            if value is None or (value == "" and not key.secret) or dotted in chosen:
                continue
            chosen[dotted] = variable
            yield dotted, value, variable, True, owner
    elif layer.kind == "flags":
        for dotted, value in layer.values.items():
            if value is not None:
                spec = _spec(dotted)
                flag = spec[0].flag if spec else None
                yield dotted, value, flag or "--" + dotted.rsplit(".", 1)[-1].replace("_", "-"), False, None
    else:
        for dotted, value in flatten(layer.values, _nested).items():
            yield dotted, value, layer.source, False, None


def resolve(layers: Sequence[Layer]) -> Config:
    """Check every layer's values against the schema and stack them, lowest layer first.

    An unknown key, a wrong type or an impossible value is a ConfigError naming the source, the
    key and the fix. The site policy applies last: nothing a user sets goes below it.
    """
    values: Dict[str, Any] = {}
    sources: Dict[str, str] = {}
    owners: Dict[str, str] = {}
    warnings: List[str] = []
    files: List[str] = []
    secret_files: List[str] = []
    for layer in layers:
        secret_here = False
        for dotted, raw, source, from_text, declared_by in _layer_values(layer):
            found = _spec(dotted, chosen=declared_by or values.get("backend.type"))
            if found is None:
                raise unknown_key_error(dotted, source, schema())
            key, owner = found
            if key.site_only and layer.kind != "site":
                warnings.append(f"{source}: [{dotted.rsplit('.', 1)[0]}] is only read from the site config "
                                f"({paths.site_config_file()}); ignored")
                continue
            values[dotted] = coerce(dotted, key, raw, source, from_text)
            sources[dotted] = source
            secret_here = secret_here or holds_secret(key, values[dotted])
            if owner is not None:
                owners[dotted] = owner
        if layer.kind in ("site", "file"):
            files.append(layer.source)
            if secret_here:
                secret_files.append(layer.source)
                _warn_if_readable_by_others(layer.source, warnings)
    _settle(values, sources, owners)
    _apply_policy_floor(values, sources, warnings)
    _apply_policy_privacy(values, sources, warnings)
    return Config(values, sources, owners, files, warnings, secret_files)


def _settle(values: Dict[str, Any], sources: Dict[str, str], owners: Dict[str, str]) -> None:
    """Fill in what follows from other settings: the backend a setting chooses, and each backend's own."""
    involved = [backends.get(name) for name in sorted(set(owners.values()))]
    if "backend.type" not in values:
        # An Azure endpoint with no backend chosen means the user wants Azure.
        chosen = next((cls for cls in involved if cls.selected_by and cls.key_path(cls.selected_by) in values), None)
        if chosen is not None:
            values["backend.type"] = chosen.name
            setting = chosen.selected_by or ""
            sources["backend.type"] = f"{sources[chosen.key_path(setting)]} ({setting} set)"
        else:
            values["backend.type"] = "embedded"
    for cls in involved:
        cls.settle(values, sources)


def reference_markdown() -> str:
    """Every key as docs/configuration.md lists it: cmdai's own, then each backend's, from their declarations."""
    groups = [("cmdai", list(CORE.items()))] + [
        (f"{cls.title or cls.name} (`-b {cls.name}`)", [(cls.key_path(name), key) for name, key in cls.keys.items()])
        for cls in backends.every() if cls.keys]
    lines: List[str] = []
    for title, keys in groups:
        lines += [f"### {title}", "", "| key | default | variable, flag | meaning |", "|---|---|---|---|"]
        for dotted, key in keys:
            default = "—" if key.default is None else f"`{str(key.default).lower() if key.kind == 'bool' else key.default}`"
            set_by = ", ".join(f"`{name}`" for name in (*key.env, *((key.flag,) if key.flag else ()))) or "—"
            notes = [key.doc or ""]
            if key.choices and key.kind in ("choice", "list") and not all(c in key.doc for c in key.choices):
                notes.append("one of " + ", ".join(f"`{choice}`" for choice in key.choices))
            if key.minimum is not None and key.maximum is not None:
                notes.append(f"{key.minimum:.0f} to {key.maximum:.0f}")
            if key.site_only:
                notes.append("**site file only**")
            if key.secret:
                notes.append("a secret: never shown")
            lines.append(f"| `{dotted}` | {default} | {set_by} | {'; '.join(note for note in notes if note)} |")
        lines.append("")
    return "\n".join(lines)


def load_config(
    path: Optional[str] = None,
    overrides: Optional[Mapping[str, Any]] = None,
    environ: Optional[Mapping[str, str]] = None,
) -> Config:
    """Read every layer from disk and the environment, and resolve them.

    ``path`` is an explicit user config file (``--config``); ``overrides`` maps keys such as
    ``"backend.model"`` to values given on the command line (named by their flag in messages).
    """
    environ = os.environ if environ is None else environ
    layers: List[Layer] = []
    parsed = ParsedFiles(read_toml)
    site = paths.site_config_file()
    found = _config_file(site, None)
    if found is not None:
        layers.append(Layer(site, parsed.read(site, found), "site"))
    explicit = path or environ.get("CMDAI_CONFIG") or None
    user = user_config_path(path, environ)
    origin = ("--config" if path else "CMDAI_CONFIG") if explicit else None
    found = _config_file(user, origin)
    if found is not None:
        layers.append(Layer(user, parsed.read(user, found), "file"))
    elif explicit:
        raise ConfigError(f"config file {user} (from {origin}) does not exist",
                          "check the path, or run: cmdai --setup-backend azure-foundry")
    layers.append(Layer("environment", environ, "environment"))
    layers.append(Layer("flags", dict(overrides or {}), "flags"))
    config = resolve(layers)
    parsed.save(holding_secrets=config.secret_files)
    return config


def user_config_path(path: Optional[str] = None, environ: Optional[Mapping[str, str]] = None) -> str:
    """The user config file cmdai reads: ``--config``, else ``CMDAI_CONFIG``, else the XDG one."""
    environ = os.environ if environ is None else environ
    explicit = path or environ.get("CMDAI_CONFIG") or None
    return os.path.expanduser(explicit) if explicit else paths.user_config_file()


def read_toml(path: str) -> Dict[str, Any]:
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


def _config_file(path: str, origin: Optional[str]) -> Optional[os.stat_result]:
    """The status of the config file to read at ``path``, None when there is none; a directory or an
    unreadable folder is an error.

    Any readable non-directory counts (``--config /dev/null`` means "no settings"; ``<(…)`` works).
    """
    import stat

    try:
        info = os.stat(path)
    except FileNotFoundError:
        return None
    except NotADirectoryError:
        raise ConfigError(f"config file {path}: a part of the path is not a directory",
                          "check the path" + (f" given by {origin}" if origin else "")) from None
    except PermissionError:
        raise ConfigError(f"cannot read the folder of the config file {path} (permission denied)",
                          f"check its permissions, e.g. chmod u+rx '{os.path.dirname(path) or os.curdir}'") from None
    except OSError as exc:
        raise ConfigError(f"config file {path} cannot be read ({exc.strerror})", "check the path") from None
    if stat.S_ISDIR(info.st_mode):
        raise ConfigError(f"config file {path}{f' (from {origin})' if origin else ''} is a directory",
                          f"point it at a file, e.g. {os.path.join(path, paths.CONFIG_FILE_NAME)}")
    return info


def _warn_if_readable_by_others(path: str, warnings: List[str]) -> None:
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return
    if mode & 0o077:
        warnings.append(f"{path} holds an api_key and is readable by others — run: chmod 600 '{path}'")


def _apply_policy_floor(values: Dict[str, Any], sources: Dict[str, str], warnings: List[str]) -> None:
    floor = values.get("policy.minimum_safety_level")
    if not floor:
        return
    requested = values.get("safety.level", CORE["safety.level"].default)
    effective = stricter(requested, floor)
    if effective != requested:
        origin = sources.get("safety.level", "the default")
        if "safety.level" in sources:
            warnings.append(
                f"safety level '{requested}' (from {origin}) is below the minimum "
                f"'{floor}' set by your administrator in {sources['policy.minimum_safety_level']}; "
                f"using '{effective}'")
        values["safety.level"] = effective
        sources["safety.level"] = sources["policy.minimum_safety_level"] + " [policy]"



def _apply_policy_privacy(values: Dict[str, Any], sources: Dict[str, str], warnings: List[str]) -> None:
    """The site policy's context bans and audit switch, which no user setting can undo."""
    for name in values.get("policy.forbid_context") or ():
        key = f"context.{name}"
        if values.get(key):
            warnings.append(f"context source '{name}' (enabled in {sources[key]}) is forbidden by your "
                            f"administrator in {sources['policy.forbid_context']}; it is not sent")
        values[key] = False
        sources[key] = sources["policy.forbid_context"] + " [policy]"
    if values.get("policy.audit"):
        if values.get("audit.enabled") is False:
            warnings.append(f"audit.enabled = false (from {sources['audit.enabled']}) is overridden: "
                            f"your administrator requires the audit log in {sources['policy.audit']}")
        values["audit.enabled"] = True
        sources["audit.enabled"] = sources["policy.audit"] + " [policy]"

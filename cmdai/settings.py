"""What a setting is, and how a value from a file, a variable or a flag is checked against it.

Backends declare their settings with ``Key``; ``cmdai.config`` gathers every declaration into one schema
and resolves the layers (site file, user file, environment, flags). Nothing here knows a particular key.
"""
from __future__ import annotations

from collections.abc import Mapping

from .errors import ConfigError
from .records import Value

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Callable, Dict, Iterable, List, Optional, Tuple, Type


class Key(Value):
    """One setting: its type, default and the rules its value follows, and where else it may be set."""

    kind: str  # "str", "bool", "int", "float", "url", "choice", "list" (of choices), "prices", "tables"
    default: Any = None
    choices: Tuple[str, ...] = ()
    minimum: Optional[float] = None
    maximum: Optional[float] = None
    #: How the key is written in config.toml, for messages ("set it like: …").
    example: str = ""
    #: What it is, in a few words, for ``--help`` (the key's name when empty).
    doc: str = ""
    #: Never repeated in a message; a file that holds one should be private.
    secret: bool = False
    #: Read only from the site file (administrator policy).
    site_only: bool = False
    #: Environment variables that set it, the one that wins first.
    env: Tuple[str, ...] = ()
    #: The command-line flag that sets it (for a run, or for ``--setup-backend``).
    flag: Optional[str] = None
    #: The question the setup asks for it; a key without one is not asked, and kept as the file has it.
    prompt: str = ""
    #: The table it lives in when not the backend's own (``"backend"`` for Azure's endpoint and key).
    table: Optional[str] = None
    #: For "tables": the keys each table may hold, and which one it must hold.
    fields: Optional[Mapping[str, "Key"]] = None
    required: bool = False

    @property
    def nested(self) -> bool:
        """Whether a TOML table in this key's place is its value rather than more keys."""
        return self.kind in ("prices", "tables")


def _fail(key: str, source: str, problem: str, example: str = "") -> ConfigError:
    where = f"{source}: " if source else ""
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


def unknown_key_error(key: str, source: str, known: Iterable[str]) -> ConfigError:
    """An unknown key, with the closest known one as the fix."""
    import difflib

    close = difflib.get_close_matches(key, list(known), n=1)
    hint = f"did you mean '{close[0]}'?" if close else "every key is in docs/configuration.md"
    return ConfigError(f"{source}: unknown key '{key}'", hint)


def coerce(key: str, spec: Key, value: Any, source: str, from_text: bool = False) -> Any:
    """Check ``value`` against ``spec``; text from an environment variable (``from_text``) is converted."""
    if spec.secret:
        return _coerce_secret(key, spec, value, source)
    kind = spec.kind
    if kind == "prices":
        return _prices(key, spec, value, source)
    if kind == "tables":
        return _tables(key, spec, value, source)
    if kind == "list":
        return _coerce_list(key, spec, value, source, from_text)
    if kind == "bool":
        if from_text and value.lower() in ("1", "true", "yes", "on", "0", "false", "no", "off"):
            return value.lower() in ("1", "true", "yes", "on")
        if not isinstance(value, bool):
            raise _fail(key, source, f"must be true or false, not {value!r}", spec.example)
        return value
    if kind in ("int", "float"):
        return _number(key, spec, value, source, from_text)
    if not isinstance(value, str):
        raise _fail(key, source, f"must be a string, not {value!r}", spec.example)
    value = value.strip()
    if kind == "choice":
        normalised = value.lower()
        if normalised not in spec.choices:
            raise ConfigError(f"{source}: {key} = {value!r} is not valid",
                              f"choose one of: {', '.join(spec.choices)}")
        return normalised
    if kind == "url":
        _check_url(key, value, source, spec)
        return value
    if not value:
        raise _fail(key, source, "is empty", spec.example)
    return value


def _number(key: str, spec: Key, value: Any, source: str, from_text: bool) -> Any:
    kind = spec.kind
    if from_text:
        try:
            value = int(value) if kind == "int" else float(value)
        except ValueError:
            pass
    ok_types = (int,) if kind == "int" else (int, float)
    if isinstance(value, bool) or not isinstance(value, ok_types):
        noun = "a whole number" if kind == "int" else "a number"
        raise _fail(key, source, f"must be {noun}, not {value!r}", spec.example)
    import math

    if not math.isfinite(value):
        raise _fail(key, source, f"must be a finite number, not {value!r}", spec.example)
    if spec.minimum is not None and value < spec.minimum or spec.maximum is not None and value > spec.maximum:
        raise _fail(key, source, f"must be between {spec.minimum:g} and {spec.maximum:g}, not {value!r}",
                    spec.example)
    return float(value) if kind == "float" else value


def _coerce_secret(key: str, spec: Key, value: Any, source: str) -> Optional[str]:
    """A key: a string of header-safe characters; no message ever repeats it."""
    if not isinstance(value, str):
        raise _fail(key, source, f"must be a string, not a {type(value).__name__}", spec.example)
    value = value.strip()
    if not value:
        return value
    invalid = invalid_key_error(value, f"{source}: {key}")
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


def _tables(key: str, spec: Key, value: Any, source: str) -> List[Dict[str, Any]]:
    """An ordered list of tables (``[[key]]``), each holding only the keys ``spec.fields`` declares."""
    fields = spec.fields or {}
    required = [name for name, field in fields.items() if field.required]
    if not isinstance(value, list):
        raise _fail(key, source, f"must be a list of tables: [[{key}]]", spec.example)
    tables = []
    for index, entry in enumerate(value, 1):
        where = f"{key}[{index}]"
        if not isinstance(entry, dict):
            raise _fail(where, source, f"must be a table with {' and '.join(required) or 'its keys'}", spec.example)
        unknown = sorted(set(entry) - set(fields))
        if unknown:
            raise ConfigError(f"{source}: {where} has an unknown key '{unknown[0]}'",
                              f"use: {', '.join(fields)}")
        missing = [name for name in required if name not in entry]
        if missing:
            raise _fail(where, source, f"has no {missing[0]}", spec.example)
        tables.append({name: coerce(f"{where}.{name}", fields[name]._replace(example=spec.example), item, source)
                       for name, item in entry.items()})
    return tables


def _coerce_list(key: str, spec: Key, value: Any, source: str, from_text: bool) -> List[str]:
    if from_text:
        value = [item.strip() for item in value.split(",") if item.strip()]
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise _fail(key, source, f"must be a list of names, not {value!r}", spec.example)
    names = [item.strip().lower() for item in value]
    for name in names:
        if name not in spec.choices:
            raise ConfigError(f"{source}: {key} names {name!r}, which is not one of them",
                              f"choose from: {', '.join(spec.choices)}")
    return names


def _check_url(key: str, value: str, source: str, spec: Key) -> None:
    if valid_url(value) is None:
        raise _fail(key, source, f"is not a valid http(s) URL: {value!r}", spec.example)


def valid_url(value: str) -> Optional[str]:
    """``value`` when it is an http(s) URL with a host (and a valid port), else None."""
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(value)
        parts.port  # raises ValueError for a malformed port
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not parts.hostname or " " in value:
        return None
    return value


def holds_secret(spec: Key, value: Any) -> bool:
    """Whether a checked value carries a secret, itself or in one of its tables."""
    if spec.secret:
        return bool(value)
    if spec.kind == "tables" and spec.fields:
        return any(spec.fields[name].secret and item for entry in value or () for name, item in entry.items())
    return False


def flatten(table: Mapping[str, Any], keep: Callable[[str], bool] = lambda dotted: False,
            prefix: str = "") -> Dict[str, Any]:
    """``{"backend": {"model": "x"}}`` -> ``{"backend.model": "x"}``; a table ``keep`` names stays a value."""
    flat: Dict[str, Any] = {}
    for name, value in table.items():
        dotted = f"{prefix}{name}"
        if isinstance(value, Mapping) and not keep(dotted):
            flat.update(flatten(value, keep, dotted + "."))
        else:
            flat[dotted] = value
    return flat


def nest(flat: Mapping[str, Any]) -> Dict[str, Any]:
    """``{"backend.model": "x"}`` -> ``{"backend": {"model": "x"}}``, the shape of the file."""
    root: Dict[str, Any] = {}
    for dotted, value in flat.items():
        node = root
        *parents, leaf = dotted.split(".")
        for part in parents:
            node = node.setdefault(part, {})
        node[leaf] = value
    return root


_SECTION_TYPES: Dict[Tuple[str, Tuple[str, ...]], Type[Any]] = {}


def section_type(title: str, names: Iterable[str]) -> Type[Any]:
    """The NamedTuple class of one section of settings, made once per set of names."""
    fields = tuple(names)
    found = _SECTION_TYPES.get((title, fields))
    if found is None:
        from collections import namedtuple

        found = _SECTION_TYPES[(title, fields)] = namedtuple(title, fields)  # type: ignore[misc]
    return found

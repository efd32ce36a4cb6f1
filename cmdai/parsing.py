"""Turn a model's reply, which is untrusted text, into one command line and an explanation.

Models are asked for ``{"cmd": ..., "explanation": ..., "alternatives": [...]}`` but reply in many
shapes: that object, a ``command`` key, JSON in ``` fences or wrapped in prose, a fenced or bare
command line. Every shape is reduced to the command alone, with terminal controls removed.
Alternatives are optional: a missing, malformed or repeated one is left out, never an error.
"""
from __future__ import annotations

import json
import re
from typing import Any, Iterator, List, NamedTuple, Optional, Tuple

from .errors import ModelOutputError
from .lazy_regex import lazy_regex
from .sanitize import one_line, strip_terminal_controls

_COMMAND_KEYS = ("cmd", "command", "shell_command", "bash")
_EXPLANATION_KEYS = ("explanation", "description", "explain")
_ALTERNATIVES_KEYS = ("alternatives", "alternative", "alts", "others")
#: Alternatives kept from one reply, however many the model sends.
MAX_ALTERNATIVES = 2
_THINKING = re.compile(r"<(think|thinking|reasoning)>.*?(</\1>|$)", re.DOTALL | re.IGNORECASE)
_FENCE = lazy_regex(r"```[ \t]*([\w+-]*)[ \t]*\n?(.*?)(?:```|$)", re.DOTALL)
_INLINE_CODE = lazy_regex(r"`([^`\n]+)`")
# A line of prose: a capitalised word, at least four words, closing punctuation.
_SENTENCE = lazy_regex(r"^[A-Z][a-z']*(?:\s+\S+){3,}[.:!?]$")
_REFUSAL = lazy_regex(r"^(?:i'?m sorry|sorry|i can(?:'|no)t|i cannot|i am unable|i'm unable|as an ai)\b", re.I)
_PROMPT_PREFIX = re.compile(r"^\s*\$\s+(?=\S)")


class ParsedOutput(NamedTuple):
    command: str
    explanation: Optional[str] = None
    #: Other commands for the same request, best first, each without alternatives of its own.
    alternatives: Tuple["ParsedOutput", ...] = ()


def parse_model_output(text: Optional[str]) -> ParsedOutput:
    """Extract the command from a model reply, or raise ModelOutputError saying why not."""
    cleaned = strip_terminal_controls(text or "")
    cleaned = _THINKING.sub("", cleaned).strip()
    if not cleaned:
        raise ModelOutputError("the model returned an empty answer", "try again, or rephrase the request")

    for obj in json_objects(cleaned):
        parsed = _from_object(obj)
        if parsed is not None:
            return parsed

    fences = [body for _lang, body in _FENCE.findall(cleaned) if body.strip()]
    if fences:
        return ParsedOutput(_tidy(fences[0]), _prose_outside(cleaned) or None)

    if _REFUSAL.match(cleaned):
        raise ModelOutputError(f"the model declined: {one_line(cleaned, 160)}",
                               "rephrase the request as a task for the shell")

    lines = [line for line in cleaned.splitlines() if line.strip()]
    prose = [line for line in lines if _SENTENCE.match(line.strip())]
    if prose:
        inline = _INLINE_CODE.findall(cleaned)
        if inline:
            return ParsedOutput(_tidy(inline[0]), one_line(cleaned))
        raise ModelOutputError(f"the model answered in prose, not a command: {one_line(cleaned, 120)}",
                               "try again, or use a model that follows instructions")
    return ParsedOutput(_tidy(cleaned))


def json_objects(text: str) -> Iterator[Any]:
    """Every JSON object in the text: the whole text first, then each embedded one."""
    decoder = json.JSONDecoder()
    stripped = text.strip()
    try:
        yield json.loads(stripped)
    except ValueError:
        pass
    start = text.find("{")
    while start != -1:
        try:
            obj, end = decoder.raw_decode(text, start)
        except ValueError:
            start = text.find("{", start + 1)
            continue
        yield obj
        start = text.find("{", end)


def _from_object(obj: Any) -> Optional[ParsedOutput]:
    if not isinstance(obj, dict):
        return None
    key = next((k for k in _COMMAND_KEYS if k in obj), None)
    if key is None:
        return None
    explanation = next((obj[k] for k in _EXPLANATION_KEYS if isinstance(obj.get(k), str)), None)
    explanation = one_line(explanation) if explanation else None
    value = obj[key]
    if isinstance(value, list) and all(isinstance(part, str) for part in value):
        value = "\n".join(value)
    if not isinstance(value, str):
        raise ModelOutputError(f"the model's '{key}' is not text", "try again")
    command = _tidy(strip_terminal_controls(value))
    if not command:
        reason = f": {explanation}" if explanation else ""
        raise ModelOutputError(f"the model gave no command{reason}", "rephrase the request")
    return ParsedOutput(command, explanation, _alternatives(obj, command))


def _alternatives(obj: dict, command: str) -> Tuple[ParsedOutput, ...]:
    """The usable alternatives in a reply object: each a command or an object with one."""
    listed = next((obj[k] for k in _ALTERNATIVES_KEYS if k in obj), None)
    if isinstance(listed, (str, dict)):
        listed = [listed]
    if not isinstance(listed, list):
        return ()
    seen = {command}
    found: List[ParsedOutput] = []
    for item in listed:
        if isinstance(item, str):
            item = {"cmd": item}
        try:
            parsed = _from_object({k: v for k, v in item.items() if k not in _ALTERNATIVES_KEYS}) \
                if isinstance(item, dict) else None
        except ModelOutputError:
            parsed = None
        if parsed is None or parsed.command in seen:
            continue
        seen.add(parsed.command)
        found.append(parsed)
        if len(found) == MAX_ALTERNATIVES:
            break
    return tuple(found)


def _tidy(command: str) -> str:
    """Drop a leading prompt sign and surrounding blank space; keep inner lines intact."""
    lines = command.strip("\n").splitlines()
    if len(lines) == 1:
        lines[0] = _PROMPT_PREFIX.sub("", lines[0])
    return "\n".join(line.rstrip() for line in lines).strip()


def _prose_outside(text: str) -> str:
    return one_line(_FENCE.sub(" ", text))

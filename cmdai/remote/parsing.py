"""Turn a model's reply, which is untrusted text, into one command line and an explanation.

Models are asked for ``{"cmd": ..., "explanation": ..., "alternatives": [...]}`` but reply in many
shapes: that object, a ``command`` key, JSON in ``` fences or wrapped in prose, a fenced or bare
command line. Every shape is reduced to the command alone, with terminal controls removed.
Alternatives are optional: a missing, malformed or repeated one is left out, never an error.

A reply that is not a complete answer — JSON cut off or invalid, a quote never closed, broken
text, a "command" longer than any command — is a ModelOutputError, never a command.
"""
from __future__ import annotations

import json
import re
from typing import Any, Iterator, List, NamedTuple, Optional, Tuple

from ..errors import ModelOutputError
from ..lazy_regex import lazy_regex
from ..sanitize import has_lone_surrogate, one_line, strip_terminal_controls
from ..values import MAX_ALTERNATIVES

#: A generated command longer than this is not a command anyone should insert unread.
MAX_COMMAND_CHARS = 4096

_COMMAND_KEYS = ("cmd", "command", "shell_command", "bash")
_EXPLANATION_KEYS = ("explanation", "description", "explain")
_ALTERNATIVES_KEYS = ("alternatives", "alternative", "alts", "others")
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
    if text and has_lone_surrogate(text):
        raise _broken_text()
    cleaned = strip_terminal_controls(text or "")
    cleaned = _THINKING.sub("", cleaned).strip()
    if not cleaned:
        raise ModelOutputError("the model returned an empty answer", "try again, or rephrase the request")

    for obj in json_objects(cleaned):
        parsed = _from_object(obj)
        if parsed is not None:
            return parsed
    if _INCOMPLETE_JSON.search(cleaned):
        # JSON was begun and never finished: the reply was cut off or is not valid JSON.
        raise ModelOutputError("the answer is incomplete: its JSON is cut off or invalid",
                               "try again; if it keeps happening, raise max_tokens")

    fences = [body for _lang, body in _FENCE.findall(cleaned) if body.strip()]
    if fences:
        return ParsedOutput(checked_command(_tidy(fences[0])), _prose_outside(cleaned) or None)

    if _REFUSAL.match(cleaned):
        raise ModelOutputError(f"the model declined: {one_line(cleaned, 160)}",
                               "rephrase the request as a task for the shell")

    lines = [line for line in cleaned.splitlines() if line.strip()]
    prose = [line for line in lines if _SENTENCE.match(line.strip())]
    if prose:
        inline = _INLINE_CODE.findall(cleaned)
        if inline:
            return ParsedOutput(checked_command(_tidy(inline[0])), one_line(cleaned))
        raise ModelOutputError(f"the model answered in prose, not a command: {one_line(cleaned, 120)}",
                               "try again, or use a model that follows instructions")
    return ParsedOutput(checked_command(_tidy(cleaned)))


# A JSON object (or a list of them) at the start, or a command key anywhere: the reply meant to be
# JSON. A shell group "{ ls; }" or a test "[ -f x ]" does not look like this.
_INCOMPLETE_JSON = lazy_regex(r"""\A(?:```[\w+-]*\s*)?(?:\{\s*["'}]|\[\s*[{"])|["'](?:cmd|command|shell_command|bash)["']\s*:""")


def checked_command(command: str) -> str:
    """``command`` if it can be a complete command line, else ModelOutputError; cached answers pass here too."""
    if has_lone_surrogate(command):
        raise _broken_text()
    command = strip_terminal_controls(command).strip()
    if not command:
        raise ModelOutputError("the model gave no command", "rephrase the request")
    if len(command) > MAX_COMMAND_CHARS:
        raise ModelOutputError(f"the answer is too long to be a command ({len(command)} characters)",
                               f"rephrase the request as one task; a command stays under {MAX_COMMAND_CHARS} characters")
    if "<<" not in command and _open_quote(command):
        raise ModelOutputError("the answer is incomplete: a quote in the command is never closed",
                               "try again; if it keeps happening, raise max_tokens")
    return command


def _broken_text() -> ModelOutputError:
    return ModelOutputError("the answer holds broken text (an unpaired UTF-16 surrogate)",
                            "try again; the model or a proxy garbled the reply")


def _open_quote(command: str) -> bool:
    """Whether a quote opened in ``command`` (sh, bash, zsh and fish quoting) is never closed."""
    quote = ""
    word_start = True
    index = 0
    while index < len(command):
        char = command[index]
        if quote == "'":
            quote = "" if char == "'" else quote
        elif quote:  # " or $'
            if char == "\\":
                index += 1
            elif char == quote[-1]:
                quote = ""
        elif char == "\\":
            index += 1
        elif char == "#" and word_start:
            newline = command.find("\n", index)
            index = len(command) if newline == -1 else newline
            continue
        elif char in "'\"":
            quote = char
        elif char == "$" and command.startswith("$'", index):
            quote = "$'"
            index += 1
        word_start = not quote and char in " \t\n;|&()<>"
        index += 1
    return bool(quote)


def json_objects(text: str) -> Iterator[Any]:
    """Every JSON object in the text: the whole text first, then each embedded one."""
    decoder = json.JSONDecoder()
    stripped = text.strip()
    try:
        yield json.loads(stripped)
    except (ValueError, RecursionError):
        pass
    start = text.find("{")
    while start != -1:
        try:
            obj, end = decoder.raw_decode(text, start)
        except (ValueError, RecursionError):
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
    if has_lone_surrogate(value):
        raise _broken_text()
    command = _tidy(strip_terminal_controls(value))
    if not command:
        reason = f": {explanation}" if explanation else ""
        raise ModelOutputError(f"the model gave no command{reason}", "rephrase the request")
    command = checked_command(command)
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

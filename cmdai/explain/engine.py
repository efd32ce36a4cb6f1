"""Walk the parse tree of a command line and name each part with the catalog's words."""
from __future__ import annotations

import re
from typing import Any, Callable, Dict, List, NamedTuple, Optional, Tuple

from .parts import Part
from .catalog import COMMANDS, CONNECTORS, MODULE_RUNNERS, REDIRECTIONS, WRAPPERS

_KEY = re.compile(r"^(?P<flag>[^\s=]+)(?:[ =](?P<metavar>\S+))?$")
#: A metavar ending in "…" takes every word up to ";" or "+" (find -exec).
_UNTIL_END = ("\\;", ";", "+")


class _Option(NamedTuple):
    metavar: Optional[str]
    meaning: str


class _Entry(NamedTuple):
    summary: str
    operands: str
    options: Dict[str, _Option]


_COMPILED: Dict[str, _Entry] = {}


def entry(name: str) -> Optional[_Entry]:
    """The catalog entry for a command or "command subcommand", options compiled on first use."""
    compiled = _COMPILED.get(name)
    if compiled is None and name in COMMANDS:
        summary, operands, options = COMMANDS[name]
        table = {}
        for key, meaning in options.items():
            match = _KEY.match(key)
            assert match, key
            table[match["flag"]] = _Option(match["metavar"], meaning)
        compiled = _COMPILED[name] = _Entry(summary, operands, table)
    return compiled


def _with_value(meaning: str, metavar: Optional[str], value: str) -> str:
    if not metavar:
        return meaning
    return re.sub(rf"\b{re.escape(metavar.rstrip('…'))}…?(?!\w)", lambda _: value, meaning)


def parts_of(command: str, shell: str) -> List[Part]:
    from ..safety.analyzer import _parser

    from .. import shells

    written = shells.get(shell)
    source = written.to_bash(command).encode("utf-8")
    walk = _Walk(lambda text: written.as_written(text, command),
                 headers=written.colon_headers(command))
    walk.visit(_parser().parse(source).root_node)
    return walk.parts


def _text(node: Any) -> str:
    return node.text.decode("utf-8", "replace")


class _Walk:
    def __init__(self, show: Callable[[str], str], headers: List[str]) -> None:
        self.parts: List[Part] = []
        #: The parse is of the line as bash reads it; parts are shown as the user's shell writes them.
        self.show = show
        self.headers = headers

    def add(self, text: str, meaning: str, level: int = 1) -> None:
        self.parts.append(Part(self.show(text), meaning, level))

    def visit(self, node: Any) -> None:
        kind = node.type
        if kind == "command":
            self.command(node)
            return
        if kind in ("for_statement", "c_style_for_statement"):
            self.add("for", "repeats the commands of the loop body for each item", 0)
        elif kind == "while_statement":
            self.add("while", "repeats the loop body as long as the condition succeeds", 0)
        elif kind == "if_statement":
            self.add("if", "runs the commands after 'then' only if the condition succeeds", 0)
        elif kind == "function_definition":
            name = node.child_by_field_name("name")
            self.add(_text(name) if name is not None else "function", "defines a function", 0)
        for child in node.children:
            if not child.is_named and child.type in CONNECTORS:
                self.add(child.type, CONNECTORS[child.type], 0)
            elif child.type in ("file_redirect", "heredoc_redirect", "herestring_redirect"):
                self.redirect(child)
            elif child.is_named:
                self.visit(child)

    def redirect(self, node: Any) -> None:
        text = _text(node).split("\n", 1)[0]
        operator = next((child.type for child in node.children if not child.is_named), "")
        destination = node.child_by_field_name("destination")
        target = _text(destination) if destination is not None else ""
        meaning = REDIRECTIONS.get(operator, "")
        descriptor = next((_text(child) for child in node.children if child.type == "file_descriptor"), "")
        if descriptor == "2" and operator in (">", ">>"):
            meaning = meaning.replace("output", "error messages")
        elif descriptor == "2" and operator == ">&" and target == "1":
            meaning = "sends error messages where the output goes"
        self.add(text, meaning.replace("TARGET", target) if meaning else "")
        for child in node.children:
            if child.is_named and child.type not in ("file_descriptor",):
                self.nested(child)

    def command(self, node: Any) -> None:
        for child in node.children:
            if child.type == "variable_assignment":
                name = child.child_by_field_name("name")
                self.add(_text(child), f"sets {_text(name) if name is not None else 'a variable'} for this command", 0)
        name_node = node.child_by_field_name("name")
        if name_node is None:
            return
        arguments = node.children_by_field_name("argument")
        if _text(name_node) == ":" and self.headers:
            header = self.headers.pop(0)
            looping = header.startswith("for")
            self.add(header, "repeats the loop body for each item, up to 'end'" if looping
                     else "runs the first case that matches the value, up to 'end'", 0)
            for argument in arguments:
                self.add(_text(argument), "an item of the loop" if looping else "the value compared")
                self.nested(argument)
            return
        self.words(_text(name_node), [_text(argument) for argument in arguments])
        for argument in arguments:
            self.nested(argument)
        for child in node.children:
            if child.type in ("file_redirect", "herestring_redirect"):
                self.redirect(child)

    def nested(self, node: Any) -> None:
        """Commands inside substitutions in an argument, explained after the command that holds them."""
        if node.type in ("command_substitution", "process_substitution"):
            self.add(_text(node).split("\n", 1)[0], "runs the command inside and puts its output here", 0)
            self.visit(node)
            return
        for child in node.children:
            self.nested(child)

    def words(self, name: str, args: List[str], level: int = 0) -> None:
        """A simple command: its name, then each option and argument as the catalog describes it."""
        base = name.rsplit("/", 1)[-1].lstrip("\\")
        found = entry(base)
        self.add(name, found.summary if found else "", level)
        self.arguments(base, found, args)

    def arguments(self, name: str, found: Optional[_Entry], args: List[str]) -> None:
        options_done = False
        wrapped_positionals = WRAPPERS.get(name)
        first_operand = True
        position = 0
        i = 0
        while i < len(args):
            word = args[i]
            if not options_done and word == "--":
                self.add("--", "ends the options: what follows are arguments, even if they start with -")
                options_done = True
            elif not options_done and len(word) > 1 and word[0] in "-+" and not _is_number_operand(word, found):
                used = self.option(found, args, i)
                if MODULE_RUNNERS.get(name) == word and used > i:
                    module = args[used]  # python3 -m pip install …: the module's own words follow
                    self.arguments(module, entry(module), args[used + 1:])
                    return
                i = used
            elif wrapped_positionals is not None:
                if wrapped_positionals > 0:
                    self.add(word, _operand(found, 0))
                    wrapped_positionals -= 1
                elif name == "env" and "=" in word:
                    self.add(word, f"sets {word.split('=', 1)[0]} in the environment of the command")
                else:
                    self.words(word, args[i + 1:], level=1)
                    return
            else:
                sub = entry(f"{name} {word}") if first_operand else None
                if sub is not None:
                    self.add(word, sub.summary)
                    found, name = sub, f"{name} {word}"
                    wrapped_positionals = WRAPPERS.get(name)
                    i += 1
                    continue  # "docker image prune": the next word may name a subcommand of the subcommand
                elif found is not None and word in found.options:
                    self.add(word, found.options[word].meaning)  # BSD-style options without a dash: ps aux
                else:
                    self.add(word, _operand(found, position))
                    position += 1
                first_operand = False
            i += 1

    def option(self, found: Optional[_Entry], args: List[str], i: int) -> int:
        """Explain the option at ``args[i]``; returns the index of the last word it used."""
        word = args[i]
        options = found.options if found else {}
        name, equals, value = word.partition("=")
        spec = options.get(word) or (options.get(name) if equals and word.startswith("-") else None)
        if spec is not None:
            shown = word
            if word in options:
                value, equals = "", ""
            if spec.metavar and not equals:
                used, value = _value(spec.metavar, args, i)
                if used > i:
                    shown = " ".join(args[i:used + 1])
                    i = used
            self.add(shown, _with_value(spec.meaning, spec.metavar, value))
            return i
        if word[1:].isdigit() and "-N" in options:
            self.add(word, _with_value(options["-N"].meaning, "N", word[1:]))
            return i
        if word.startswith("+"):
            plus = next((key for key in options if key == "+"), None)
            self.add(word, _with_value(options[plus].meaning, options[plus].metavar, word[1:]) if plus else "")
            return i
        if word.startswith("--") or not options:
            self.add(word, "")
            return i
        for position in range(1, len(word)):
            flag = "-" + word[position]
            spec = options.get(flag)
            if spec is None:
                self.add(flag, "")
                continue
            if spec.metavar:
                rest = word[position + 1:]
                if rest:
                    self.add(f"{flag}{rest}", _with_value(spec.meaning, spec.metavar, rest))
                    return i
                used, value = _value(spec.metavar, args, i)
                self.add(" ".join([flag] + args[i + 1:used + 1]), _with_value(spec.meaning, spec.metavar, value))
                return used
            self.add(flag, spec.meaning)
        return i


def _operand(found: Optional[_Entry], position: int) -> str:
    """What the operand at ``position`` is: the catalog lists them by position, the last repeating."""
    if found is None:
        return ""
    described = found.operands.split("; ")
    return described[min(position, len(described) - 1)]


def _value(metavar: str, args: List[str], i: int) -> Tuple[int, str]:
    """The index of the last word an option's value takes, and the value."""
    if metavar.endswith("…"):
        end = i + 1
        while end < len(args) and args[end] not in _UNTIL_END:
            end += 1
        end = min(end, len(args) - 1)
        return end, " ".join(args[i + 1:end + 1])
    if i + 1 < len(args):
        return i + 1, args[i + 1]
    return i, ""


def _is_number_operand(word: str, found: Optional[_Entry]) -> bool:
    """"-5" is an option of head but an argument of expr; the catalog decides."""
    return word[1:].isdigit() and found is not None and word not in found.options and "-N" not in found.options

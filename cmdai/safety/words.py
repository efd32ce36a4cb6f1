"""The static value of a shell word: quotes removed, escapes decoded, known variables filled in.

What cannot be known before running (``$HOME``, ``$(date)``) is kept as written and marked
dynamic; tricks that hide a word from a reader (``r''m``, ``${IFS}``, ``$'\\x72m'``) are noted.
"""
from __future__ import annotations

import re

from ..lazy_regex import lazy_regex
from ..records import Record

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Dict, Iterable, List, Optional

_ANSI = lazy_regex(r"\\(x[0-9a-fA-F]{1,2}|u[0-9a-fA-F]{1,4}|U[0-9a-fA-F]{1,8}|[0-7]{1,3}|c.|.)", re.S)
_SIMPLE_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "a": "\a", "b": "\b", "e": "\x1b", "E": "\x1b",
                   "f": "\f", "v": "\v", "\\": "\\", "'": "'", '"': '"', "?": "?"}

#: Trick names recorded on a word.
QUOTES, ESCAPE, ANSI_C, IFS, INDIRECTION, SUBSTITUTION = (
    "quotes", "escape", "ansi-c", "ifs", "indirection", "substitution")
#: An expansion inside double quotes: the shell does not split its value into words.
QUOTED = "quoted"
#: Marks a word that expands to several words (an array, "$@"); its text joins them with SEPARATOR.
LIST = "list"
SEPARATOR = "\x1f"


class Word(Record):
    __slots__ = ("text", "dynamic", "tricks", "subs")

    def __init__(self, text: str, dynamic: bool = False, tricks: Optional[List[str]] = None,
                 subs: Optional[List[Any]] = None):
        self.text = text
        self.dynamic = dynamic
        self.tricks: List[str] = [] if tricks is None else tricks
        #: Command and process substitutions inside the word (tree-sitter nodes).
        self.subs: List[Any] = [] if subs is None else subs


def decode_ansi_c(body: str) -> str:
    """Decode the inside of a $'…' string."""

    def repl(m: "re.Match[str]") -> str:
        esc = m.group(1)
        if esc[0] in "xuU" and len(esc) > 1:
            return chr(min(int(esc[1:], 16), 0x10FFFF))
        if esc[0] in "01234567":
            return chr(int(esc, 8) & 0xFF)
        if esc[0] == "c" and len(esc) == 2:
            return chr(ord(esc[1]) & 0x1F)
        return _SIMPLE_ESCAPES.get(esc, "\\" + esc)

    return _ANSI.sub(repl, body)


def _text(node: Any) -> str:
    return node.text.decode("utf-8", "replace")


class WordReader:
    """Evaluates word nodes against the variables assigned earlier on the same command line."""

    def __init__(self, env: Dict[str, "Word"]):
        self.env = env

    def read(self, node: Any) -> Word:
        if node.type in ("word", "concatenation"):
            expanded = brace_expansion(_text(node))
            if expanded is not None:
                return list_word([Word(item) for item in expanded])
        w = Word("")
        self._into(node, w, top=True)
        return w

    def _into(self, node: Any, w: Word, top: bool = False) -> None:
        t = node.type
        if t == "word":
            raw = _text(node)
            if "\\" in raw[1:] and not raw.endswith("\\;"):
                w.tricks.append(ESCAPE)
            w.text += re.sub(r"\\(.)", r"\1", raw, flags=re.S)
        elif t == "raw_string":
            w.text += _text(node)[1:-1]
        elif t in ("string", "translated_string"):
            self._string(node, w)
        elif t == "ansi_c_string":
            w.tricks.append(ANSI_C)
            w.text += decode_ansi_c(_text(node)[2:-1])
        elif t == "concatenation":
            kinds = [c.type for c in node.named_children]
            if any(k in ("string", "raw_string", "ansi_c_string") for k in kinds) and len(kinds) > 1:
                w.tricks.append(QUOTES)
            for child in node.named_children:
                self._into(child, w)
        elif t in ("simple_expansion", "expansion"):
            self._expansion(node, w)
        elif t == "command_substitution":
            w.subs.append(node)
            echoed = _echoed(node)
            if echoed is None:
                w.dynamic = True
                w.text += _text(node)
            else:
                if not _is_lookup(node):
                    w.tricks.append(SUBSTITUTION)
                w.text += echoed
        elif t == "process_substitution":
            w.subs.append(node)
            w.dynamic = True
            w.text += _text(node)
        elif t in ("arithmetic_expansion",):
            w.dynamic = True
            w.text += _text(node)
        else:
            w.text += _text(node)

    def _string(self, node: Any, w: Word) -> None:
        w.tricks.append(QUOTED)
        inner_start = node.start_byte + (2 if _text(node).startswith("$") else 1)
        pos = inner_start
        src = node.text
        base = node.start_byte
        for child in node.children:
            if not child.is_named:
                continue
            if child.start_byte > pos:
                w.text += _unescape_dq(src[pos - base:child.start_byte - base].decode("utf-8", "replace"))
            if child.type == "string_content":
                w.text += _unescape_dq(_text(child))
            else:
                self._into(child, w)
            pos = child.end_byte
        end = node.end_byte - 1
        if end > pos:
            w.text += _unescape_dq(src[pos - base:end - base].decode("utf-8", "replace"))

    def _expansion(self, node: Any, w: Word) -> None:
        names = [c for c in node.named_children if c.type in ("variable_name", "special_variable_name")]
        raw = _text(node)
        plain = len(node.named_children) == 1 and names
        name = _text(names[0]) if names else ""
        subscript = node.named_children[0] if len(node.named_children) == 1 and not names else None
        if plain and raw.startswith("${!"):
            # ${!x}: the variable named by x's value.
            pointed = self.env.get(name)
            name = pointed.text if pointed is not None and not pointed.dynamic else ""
            plain = bool(name)
        if name == "IFS" and plain:
            w.tricks.append(IFS)
            w.text += " "
        elif plain and name in self.env:
            value = self.env[name]
            w.tricks.append(INDIRECTION)
            if LIST in value.tricks and name not in ("@", "*"):
                w.text += value.text.split(SEPARATOR)[0]  # $array is its first element
            else:
                w.text += value.text
                if LIST in value.tricks:
                    w.tricks.append(LIST)
            w.dynamic = w.dynamic or value.dynamic
        elif subscript is not None and subscript.type == "subscript" and self._element(subscript, w):
            w.tricks.append(INDIRECTION)
        else:
            w.dynamic = True
            w.text += raw

    def _element(self, node: Any, w: Word) -> bool:
        """${x[@]}, ${x[*]} or ${x[N]} of an array assigned on the line; False when unknown."""
        name_node = node.child_by_field_name("name")
        index_node = node.child_by_field_name("index")
        value = self.env.get(_text(name_node)) if name_node is not None else None
        if value is None or index_node is None:
            return False
        index = _text(index_node)
        items = value.text.split(SEPARATOR) if LIST in value.tricks else [value.text]
        if index in ("@", "*"):
            w.text += value.text
            if LIST in value.tricks:
                w.tricks.append(LIST)
        elif index.isdigit() and int(index) < len(items):
            w.text += items[int(index)]
        else:
            return False
        w.dynamic = w.dynamic or value.dynamic
        return True


#: A word with one brace expansion and nothing the shell expands otherwise: prefix{a,b,…}suffix.
_BRACES = lazy_regex(r"([^{}'\"$`\\\s]*)\{([^{}'\"$`\\\s]*,[^{}'\"$`\\\s]*)\}([^{}'\"$`\\\s]*)")


def brace_expansion(text: str) -> Optional[List[str]]:
    """The words bash makes of ``text`` by brace expansion (``/{bin,etc}`` is /bin and /etc, ``{/,}`` is /),
    or None when it holds none the reader can expand."""
    found = _BRACES.fullmatch(text) if "{" in text else None
    if found is None:
        return None
    prefix, items, suffix = found.groups()
    words = [prefix + item + suffix for item in items.split(",")]
    return [word for word in words if word]


def list_word(words: List[Word]) -> Word:
    """One word standing for several (array elements, positional parameters)."""
    return Word(SEPARATOR.join(w.text for w in words), any(w.dynamic for w in words), [LIST],
                [s for w in words for s in w.subs])


def _unescape_dq(s: str) -> str:
    return re.sub(r'\\([\\"$`])', r"\1", s).replace("\\\n", "")


_LOOKUPS = ("which", "command", "type", "whereis")


def _is_lookup(node: Any) -> bool:
    """$(which NAME): the path of a command, a common way to name it, not a way to hide it."""
    body = node.named_children
    name = body[0].child_by_field_name("name") if len(body) == 1 and body[0].type == "command" else None
    return name is not None and _text(name) in _LOOKUPS


def _echoed(node: Any) -> Optional[str]:
    """The output of ``$(echo literal)``, ``$(printf literal)`` or ``$(which NAME)`` (the path of NAME,
    which names the same command), which can be known statically."""
    body = [c for c in node.named_children]
    if len(body) != 1 or body[0].type != "command":
        return None
    cmd = body[0]
    name = cmd.child_by_field_name("name")
    program = _text(name) if name is not None else ""
    if program not in ("echo", "printf") + _LOOKUPS:
        return None
    args = cmd.children_by_field_name("argument")
    reader = WordReader({})
    parts = []
    for a in args:
        word = reader.read(a)
        if word.dynamic:
            return None
        parts.append(word.text)
    if program in _LOOKUPS:
        names = [p for p in parts if not p.startswith("-")]
        return names[0] if names and (program != "command" or "-v" in parts or "-V" in parts) else None
    if program == "echo":
        escapes = "-e" in parts
        parts = [p for p in parts if p not in ("-n", "-e", "-E")]
        return decode_ansi_c(" ".join(parts)) if escapes else " ".join(parts)
    return decode_ansi_c(parts[0]).replace("%s", " ".join(parts[1:]), 1) if parts else ""


def split_words(text: str) -> List[str]:
    """``text`` split into words as a POSIX shell quotes them; on blanks when its quotes do not close."""
    import shlex

    try:
        return shlex.split(text)
    except ValueError:
        return text.split()


def quote_word(word: str) -> str:
    """``word`` as one shell word, quoted when it needs to be."""
    import shlex

    return shlex.quote(word)


def join_words(words: Iterable[str]) -> str:
    """The words as one command line that splits back into them."""
    return " ".join(quote_word(word) for word in words)

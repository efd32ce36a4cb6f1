"""Slot filling: find the parts of a request that become command arguments.

Each recogniser turns a span of the request ("larger than 100MB", "'TODO'", "~/src") into a
:class:`Phrase` carrying named slots, and blanks the span out so that later recognisers and
the word matcher do not see it again. Values stay raw here; quoting happens when rendering.
"""
from __future__ import annotations

import re

from ...lazy_regex import lazy_regex
from ...records import Record, Value
from .words import DESCRIPTIVE, STOPWORDS, norm, tokenize

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Callable, Dict, FrozenSet, List, Optional, Tuple


class Slot(Value):
    """One value for a template placeholder."""

    raw: str
    #: How to render: "quote" (only when needed), "force" (always single quotes),
    #: "path" (like quote but keeps a leading ~ expandable) or "literal" (generated, safe text).
    style: str = "quote"
    #: Text for the explanation, when it differs from ``raw``.
    human: Optional[str] = None
    #: A default location the user named ("here"); dropped from optional template parts.
    implicit: bool = False


class Phrase(Record):
    """A recognised span of the request and the slots it fills."""

    __slots__ = ("kind", "start", "slots", "glue", "soft", "words")

    def __init__(self, kind: str, start: int, slots: Dict[str, Slot], glue: FrozenSet[str] = frozenset(),
                 soft: Tuple[Tuple[str, str], ...] = (), words: FrozenSet[str] = frozenset()):
        self.kind = kind
        self.start = start
        self.slots = slots
        #: Canonical words that count as explained when an intent uses this phrase.
        self.glue = glue
        #: Words given back to the matcher when no intent uses the phrase ("current directory").
        self.soft = soft
        #: Canonical words inside the value that satisfy an intent's required words when it uses
        #: the phrase ("requirements.txt" counts as "requirement").
        self.words = words


class Parsed(Value):
    """A request split into slot phrases and the remaining content words."""

    phrases: List[Phrase]
    #: (canonical, surface) pairs not covered by any phrase, stop words removed.
    tokens: List[Tuple[str, str]]
    #: Stop words that still count as evidence for an intent's required or avoided words: "each"
    #: when the request asks for one result per entry ("of every folder", "by directory"), "all".
    marks: FrozenSet[str] = frozenset()


def _glue(words: str) -> FrozenSet[str]:
    return frozenset(norm(w) for w in words.split())


#: Language names and extension words that mean a file extension when followed by "files".
EXTENSIONS: Dict[str, str] = {
    "python": "py", "py": "py", "javascript": "js", "js": "js", "typescript": "ts", "ts": "ts",
    "java": "java", "kotlin": "kt", "scala": "scala", "go": "go", "golang": "go", "rust": "rs",
    "ruby": "rb", "rb": "rb", "php": "php", "perl": "pl", "c": "c", "c++": "cpp", "cpp": "cpp",
    "header": "h", "csharp": "cs", "c#": "cs", "swift": "swift", "haskell": "hs", "lua": "lua",
    "shell": "sh", "sh": "sh", "bash": "sh", "html": "html", "css": "css", "scss": "scss",
    "json": "json", "yaml": "yaml", "yml": "yml", "xml": "xml", "toml": "toml", "ini": "ini",
    "csv": "csv", "tsv": "tsv", "sql": "sql", "markdown": "md", "md": "md", "text": "txt",
    "txt": "txt", "log": "log", "pdf": "pdf", "jpg": "jpg", "jpeg": "jpeg", "png": "png",
    "gif": "gif", "svg": "svg", "mp3": "mp3", "mp4": "mp4", "wav": "wav", "zip": "zip",
    "pyc": "pyc", "class": "class", "jar": "jar", "bak": "bak", "backup": "bak", "tmp": "tmp",
    "temp": "tmp", "swp": "swp", "conf": "conf", "cfg": "cfg", "docx": "docx", "doc": "doc",
    "xls": "xls", "xlsx": "xlsx", "iso": "iso", "exe": "exe", "deb": "deb", "rpm": "rpm",
    "mov": "mov", "avi": "avi", "mkv": "mkv", "flac": "flac", "ipynb": "ipynb", "jsx": "jsx",
    "tsx": "tsx", "vue": "vue", "dart": "dart", "tex": "tex", "latex": "tex", "rst": "rst",
    "patch": "patch", "sqlite": "sqlite", "db": "db", "gz": "gz", "tar": "tar",
    "o": "o", "so": "so", "dll": "dll", "lock": "lock", "orig": "orig", "rej": "rej",
    "h": "h", "hpp": "hpp", "cc": "cc", "el": "el", "vim": "vim", "properties": "properties",
}
#: Programming languages, which "lines of <language>" counts in source files.
_LANGUAGES = ("python", "javascript", "typescript", "java", "kotlin", "scala", "golang", "rust", "ruby", "php", "perl",
              "c++", "cpp", "csharp", "c#", "swift", "haskell", "lua", "dart")
_KNOWN_EXT = frozenset(EXTENSIONS.values()) | {"tar.gz", "tgz", "tar.bz2", "tar.xz", "bz2", "xz", "7z", "rar", "webp", "ico", "ttf", "woff", "htm", "cxx", "hh", "mjs", "cjs"}

#: Top-level domains that make "word.tld" a host name rather than a file name.
_TLDS = "com|org|net|io|dev|edu|gov|co|uk|de|fr|nl|eu|app|ai|me|info|biz|us|ca|au|jp|cn|ru|internal|localdomain|cloud|tech"

_NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20,
    "thirty": 30, "sixty": 60, "ninety": 90,
}
_NUM = r"(?P<num>\d+|" + "|".join(_NUMBER_WORDS) + r")"
#: Units of time, each also with a plural s; a duration pattern needs one of them in the request.
_UNITS = ("minute", "min", "hour", "hr", "day", "week", "wk", "month", "year", "yr")
_UNIT = rf"(?P<unit>(?:{'|'.join(_UNITS)})s?)"
_VERB = r"(?:(?P<verb>modified|changed|edited|updated|touched|written|created|accessed|read|opened|used)\s+)?"

_Q = r"(?:\"[^\"]*\"|'[^']*'|“[^”]*”|‘[^’]*’)"
_W = r"[^\s'\"“”‘’]+"
_QUOTE_PAIRS = {'"': '"', "'": "'", "“": "”", "‘": "’", "`": "`"}

#: Words that are never a free-standing value (after "containing", "named", "user"...).
_NOT_VALUES = STOPWORDS | frozenset(
    "file files dir dirs directory directories folder folders name names text string word words "
    "pattern line lines list info id group process processes not user users only no both either exactly "
    "more less one two given nonexistent unknown any shell terminal".split()
)
_CLASS_WORDS = frozenset(
    "tab tabs space spaces newline newlines comma commas whitespace dash dashes underscore "
    "underscores semicolon semicolons uppercase lowercase".split()
)


#: Letters re's IGNORECASE matches with an ASCII one where str.lower() keeps them apart (K lowers to k).
_RE_FOLDS = str.maketrans({"ı": "i", "İ": "i", "ſ": "s"})


def _fold(word: str) -> str:
    """A word a case-insensitive pattern matched, spelt as the pattern spells it: "Fırst" is "first"."""
    return word.translate(_RE_FOLDS).lower()


def _unquote(s: str) -> str:
    if len(s) >= 2 and s[0] in _QUOTE_PAIRS and s[-1] == _QUOTE_PAIRS[s[0]]:
        return s[1:-1]
    return s


def _sed_escape_pattern(s: str) -> str:
    return re.sub(r"([\\/.*\[\]^$])", r"\\\1", s)


def _sed_escape_replacement(s: str) -> str:
    return re.sub(r"([\\/&])", r"\\\1", s)


# Each recogniser: (compiled regex, builder). The builder gets the match and returns
# (phrase, span to blank out) or None to skip the match.
if TYPE_CHECKING:
    _Builder = Callable[["re.Match[str]"], Optional[Tuple[Phrase, Tuple[int, int]]]]


def _subst(m: "re.Match[str]") -> Optional[Tuple[Phrase, Tuple[int, int]]]:
    old, new = _unquote(m.group("old")), _unquote(m.group("new"))
    if not old or old.lower() in _CLASS_WORDS or new.lower() in _CLASS_WORDS or "\n" in old + new:
        return None
    expr = f"s/{_sed_escape_pattern(old)}/{_sed_escape_replacement(new)}/g"
    slots = {
        "sed_sub": Slot(expr, "force", human=f"replace {old!r} with {new!r}"),
        "old": Slot(old, "force"),
        "new": Slot(new, "force"),
    }
    return Phrase("subst", m.start(), slots, _glue("replace substitute occurrence word string text all change swap")), (m.start("old"), m.end())


_QUOTED_PATH = lazy_regex(r"(?:~|\.{0,2})/[^\s]*")
_GLOB_CHARS = lazy_regex(r"[*?\[]")
_NAMED_BEFORE = lazy_regex(r"\b(?:named|called|titled|name|file|files|directory|folder)\s*(?:is\s+)?$", re.IGNORECASE)
_EXTENSION_BEFORE = lazy_regex(r"\bextension\s*$", re.IGNORECASE)
_FILES_AFTER = lazy_regex(r"\s+files?\b", re.IGNORECASE)
_DIR_AFTER = lazy_regex(r"[\"'”’]?\s+(?:dir|directory|folder)\b", re.IGNORECASE)
_DIR_BEFORE = lazy_regex(r"\b(?:dir|directory|folder)\s+$", re.IGNORECASE)


def _quoted(m: "re.Match[str]") -> Optional[Tuple[Phrase, Tuple[int, int]]]:
    if _QUOTE_PAIRS[m.group("o")] != m.group("c"):
        return None
    value = m.group("v")
    if not value.strip():
        # What is left of '"$DIR"' once the variable is taken: no value at all.
        return None
    before, after = m.string[:m.start()], m.string[m.end():]
    # A quoted path or directory name ("'my key phrase' directory") is a location, not text.
    if _QUOTED_PATH.fullmatch(value) or _DIR_AFTER.match(after):
        return _path_phrase(value, m.start(), m.span())
    bare = value.lower().lstrip(".")
    known = bare in _KNOWN_EXT or value.startswith(".") and bare.isalnum() and len(bare) <= 5 and bare not in _DOT_NAMES
    ext = EXTENSIONS.get(bare, bare if known else None)
    if ext and (_EXTENSION_BEFORE.search(before) or _FILES_AFTER.match(after)):
        slots = {"glob": Slot(f"*.{ext}", "force"), "ext": Slot(ext)}
        return Phrase("glob", m.start(), slots, _glue("file extension ext type name named whose having have")), m.span()
    # After "named"/"called"/"file" a quoted value is a file name, and so is a quoted pattern
    # ("'*.log'", "'custlist*'"); otherwise it is text to look for.
    if (_NAMED_BEFORE.search(before) or _FILES_AFTER.match(after)
            or _GLOB_CHARS.search(value) and " " not in value):
        slots = {"name": Slot(value, "quote"), "arg": Slot(value, "quote")}
        if _FILE_RE.match(value):
            slots["file"] = Slot(value, "path")
        if _GLOB_CHARS.search(value):
            slots["glob"] = Slot(value, "force")
        return Phrase("name", m.start(), slots, _glue("named name")), m.span()
    slots = {"text": Slot(value, "force"), "arg": Slot(value, "quote")}
    return Phrase("text", m.start(), slots, _glue("text string word pattern phrase contain match message")), m.span()


def _variable(m: "re.Match[str]") -> Optional[Tuple[Phrase, Tuple[int, int]]]:
    name = m.group("v").strip("${}")
    rest = m.group("rest") or ""
    slot = Slot(name + rest, "var", human="$" + name + rest)
    slots = {k: slot for k in ("path", "input", "dir", "arg")}
    return Phrase("path", m.start(), slots, _glue("dir file path variable under inside within")), m.span()


def _name_contains(m: "re.Match[str]") -> Optional[Tuple[Phrase, Tuple[int, int]]]:
    value = _unquote(m.group("v"))
    if not value or value.lower() in _NOT_VALUES:
        return None
    if value.lower() in _CLASS_WORDS:
        # "spaces in their names" is a character class no template spells: claim the words so
        # that nothing reads "spaces" as text to look for inside the files.
        return Phrase("name", m.start(), {"name_class": Slot(value)}), (m.start(), m.end())
    slots = {"name": Slot(f"*{value}*", "force", human=f"names containing {value!r}")}
    return Phrase("name", m.start(), slots, _glue("name named file contain whose")), (m.start("v"), m.end())


def _url(m: "re.Match[str]") -> Optional[Tuple[Phrase, Tuple[int, int]]]:
    url = m.group(0).rstrip(".,;:!?)")
    host = re.sub(r"^[a-z]+://", "", url).split("/")[0].split("@")[-1].split(":")[0]
    slots = {"url": Slot(url), "repo": Slot(url), "host": Slot(host), "target": Slot(host)}
    return Phrase("url", m.start(), slots, _glue("url link address website page endpoint")), (m.start(), m.start() + len(url))


def _remote(m: "re.Match[str]") -> Optional[Tuple[Phrase, Tuple[int, int]]]:
    user, host, rpath = m.group("user"), m.group("host").rstrip("."), m.group("rpath")
    slots = {"target": Slot(f"{user}@{host}"), "user": Slot(user), "host": Slot(host)}
    # "scp x user@host" copies to the home directory: the trailing colon keeps it a remote path.
    remote = f"{user}@{host}:{rpath or ''}"
    slots["from_remote" if m.group("src") else "remote"] = Slot(remote)
    if rpath is not None:
        # "git@github.com:me/app.git" is a repository address, never something for curl.
        slots["repo"] = Slot(remote)
    elif "." in host:
        slots["email"] = Slot(f"{user}@{host}")
    end = m.end() - (len(m.group(0)) - len(m.group(0).rstrip(".,;!?)")))
    return Phrase("host", m.start(), slots, _glue("server host machine remote address email user")), (m.start("user"), end)


def _host_path(m: "re.Match[str]") -> Optional[Tuple[Phrase, Tuple[int, int]]]:
    # "server1:/tmp": scp's remote form; the path after the colon makes it more than a word.
    host, rpath = m.group("host"), m.group("rpath").rstrip(".,;:!?)")
    remote = f"{host}:{rpath}"
    slots = {"from_remote" if m.group("src") else "remote": Slot(remote)}
    return Phrase("host", m.start(), slots, _glue("server host machine remote")), (m.start("host"), m.start("rpath") + len(rpath))


def _as_user(m: "re.Match[str]") -> Optional[Tuple[Phrase, Tuple[int, int]]]:
    value = m.group("v")
    if value.lower() in _NOT_VALUES:
        return None
    # Not soft: "ssh as root" names a login, never a host called "root".
    return Phrase("user", m.start(), {"user": Slot(value)}, _glue("user")), m.span()


#: Audio and video formats ffmpeg converts between by file name alone.
_VIDEO_EXT = frozenset("mp4 mov mkv avi webm m4v flv wmv mpg mpeg".split())
_AUDIO_EXT = frozenset("mp3 wav flac ogg m4a aac opus".split())
_MEDIA_EXT = _VIDEO_EXT | _AUDIO_EXT


def _media_convert(m: "re.Match[str]") -> Optional[Tuple[Phrase, Tuple[int, int]]]:
    source, src, dst = m.group("file"), m.group("src").lower(), m.group("dst").lower()
    # Audio has no pictures to make a video or a GIF from, and a file is never converted to itself.
    if src == dst or src in _AUDIO_EXT and dst not in _AUDIO_EXT:
        return None
    out = source[: -len(src)] + dst
    slots = {"media": Slot(source, "path"), "media_out": Slot(out, "path")}
    return Phrase("media", m.start(), slots, _glue("file video audio clip movie song format")), m.span()


#: The size pattern's comparisons that ask for smaller files.
_SMALLER = frozenset(("smaller", "less", "under", "below", "at most", "fewer", "<", "<="))


def _size(m: "re.Match[str]") -> Optional[Tuple[Phrase, Tuple[int, int]]]:
    cmp_word = " ".join(_fold(m.group("cmp")).split())  # "at  most" is "at most"
    sign = "-" if cmp_word in _SMALLER else "+"
    num = float(m.group("num"))
    unit = _fold(m.group("unit"))
    letter = {"b": "c", "k": "k", "m": "M", "g": "G", "t": "T"}[unit[0]]
    if unit.startswith("byte"):
        letter = "c"
    order = "ckMGT"
    if sign == "-":
        # find rounds a size up to whole units before comparing, so "-1M" finds only empty files:
        # "smaller than" counts bytes.
        limit = int(num * 1024 ** order.index(letter)) + (cmp_word in ("at most", "<="))
        size = f"-{limit}c"
    else:
        # find -size takes whole numbers only: 1.5G becomes 1536M.
        while num != int(num) and letter != "c":
            num *= 1024
            letter = order[order.index(letter) - 1]
        size = f"+{int(num)}{letter}"
    human = f"{'smaller' if sign == '-' else 'larger'} than {m.group('num')}{m.group('unit')}"
    return Phrase("size", m.start(), {"size": Slot(size, "literal", human=human)}, _glue("size file larger in")), m.span()


_UNIT_DAYS = {"minute": 0, "min": 0, "hour": 0, "hr": 0, "day": 1, "week": 7, "wk": 7, "month": 30, "year": 365, "yr": 365}


def _duration(recent: bool) -> "_Builder":
    def build(m: "re.Match[str]") -> Optional[Tuple[Phrase, Tuple[int, int]]]:
        groups = m.groupdict()
        num_text = _fold(groups.get("num") or "1")
        n = int(num_text) if num_text.isdigit() else _NUMBER_WORDS[num_text]
        unit = _fold(groups.get("unit") or "day").rstrip("s")
        if unit in ("today",):
            unit = "day"
        verb = _fold(groups.get("verb") or "")
        letter = "a" if verb in ("accessed", "read", "opened", "used") else "m"
        sign = "-" if recent else "+"
        if unit in ("minute", "min"):
            pred, amount = f"-{letter}min", n
        elif unit in ("hour", "hr"):
            pred, amount = (f"-{letter}time", n // 24) if n % 24 == 0 else (f"-{letter}min", n * 60)
        else:
            pred, amount = f"-{letter}time", n * _UNIT_DAYS[unit]
        unit_word = {"min": "minute", "hr": "hour", "wk": "week", "yr": "year"}.get(unit, unit)
        span_text = f"{n} {unit_word}{'s' if n != 1 else ''}"
        what = "accessed" if letter == "a" else "modified"
        human = f"{what} in the last {span_text}" if recent else f"{what} more than {span_text} ago"
        slots = {
            "age": Slot(f"{pred} {sign}{amount}", "literal", human=human),
            "since" if recent else "before": Slot(f"{span_text} ago", "force", human=human),
        }
        return Phrase("age", m.start(), slots, _glue("modify change edit update file time ago old recently date")), m.span()
    return build


#: Short names of dotfiles and tool directories: ".env files" are files named .env.
_DOT_NAMES = frozenset("env git svn hg bzr idea venv cache npmrc zshrc vimrc local".split())
_PLURAL_FILES_AFTER = lazy_regex(r"\s+files\b", re.IGNORECASE)


def _glob(any_extension: bool) -> "_Builder":
    def build(m: "re.Match[str]") -> Optional[Tuple[Phrase, Tuple[int, int]]]:
        word = m.group("e").lower()
        if any_extension and word in STOPWORDS:
            return None
        # ".bashrc" is a file, "*.bashrc" and ".py" are patterns.
        if any_extension or m.group(0).startswith("*") or word in _KNOWN_EXT:
            ext = EXTENSIONS.get(word, word)
        elif (m.group(0).startswith(".") and len(word) <= 5 and word.isalnum() and word not in _DOT_NAMES
              and _PLURAL_FILES_AFTER.match(m.string, m.end())):
            # "all .bam files": an extension we do not know by name.
            ext = m.group("e")
        else:
            ext = EXTENSIONS.get(word) if not m.group(0).startswith(".") else None
        if ext is None:
            return None
        slots = {"glob": Slot(f"*.{ext}", "force", human=f"*.{ext}"), "ext": Slot(ext)}
        return Phrase("glob", m.start(), slots, _glue("file extension ext end suffix type name named source code script whose having have")), m.span()
    return build


def _media_glob(m: "re.Match[str]") -> Optional[Tuple[Phrase, Tuple[int, int]]]:
    ext = next(found for found in m.groups() if found).lower()
    slots = {"glob": Slot(f"*.{ext}", "force", human=f"*.{ext}"), "ext": Slot(ext)}
    return Phrase("glob", m.start(), slots, _glue("file type")), m.span()


def _star_glob(m: "re.Match[str]") -> Optional[Tuple[Phrase, Tuple[int, int]]]:
    pattern = m.group("g")
    slots = {"glob": Slot(pattern, "force"), "name": Slot(pattern, "force")}
    return Phrase("glob", m.start(), slots, _glue("file name named whose matching match pattern like")), m.span()


def _value_after(kind: str, keys: Tuple[str, ...], glue: str, style: str = "quote") -> "_Builder":
    def build(m: "re.Match[str]") -> Optional[Tuple[Phrase, Tuple[int, int]]]:
        value = m.group("v").rstrip(".,;:!?)")
        if not value or value.lower() in _NOT_VALUES:
            return None
        slots = {k: Slot(value, style if k != "arg" else "quote") for k in keys}
        return Phrase(kind, m.start(), slots, _glue(glue)), (m.start("v"), m.start("v") + len(value))
    return build


def _name(m: "re.Match[str]") -> Optional[Tuple[Phrase, Tuple[int, int]]]:
    built = _value_after("name", ("name", "arg"), "named name")(m)
    if built is not None and _FILE_RE.match(built[0].slots["arg"].raw):
        built[0].slots["file"] = Slot(built[0].slots["arg"].raw, "path")
    return built


#: Words before "directory" that describe it rather than name it.
_DIR_ADJECTIVES = frozenset(
    "parent current working home root same new empty other another given specified temporary temp "
    "hidden whole entire top base target source destination specific different".split()
)


def _named_dir(m: "re.Match[str]") -> Optional[Tuple[Phrase, Tuple[int, int]]]:
    value = m.group("v")
    if value.lower() in _NOT_VALUES or value.lower() in _DIR_ADJECTIVES or value.lower() in DESCRIPTIVE:
        return None
    if m.groupdict().get("my") and value.lower() in _HOME_PLACES:
        # "my downloads folder" is ~/Downloads, wherever the shell is.
        value = "~/" + _HOME_PLACES[value.lower()]
        start = m.start("my")
    else:
        start = m.start("v")
    slots = {k: Slot(value, "path") for k in ("path", "dir", "arg")}
    slots["base"] = Slot(value.rstrip("/").rsplit("/", 1)[-1], "quote")
    return Phrase("path", m.start(), slots, _glue("dir under inside within")), (start, m.end())


#: Folders people name by their place in the home directory ("unzip it to desktop" means ~/Desktop).
#: The standard folders in the home directory, by the name people call them.
_HOME_PLACES = {name.lower(): name for name in "Desktop Downloads Documents Music Pictures Videos Movies Public Templates".split()}
_HOME_FOLDERS = frozenset("desktop downloads documents music pictures videos movies home tmp temp root".split())


def _unpack_dest(m: "re.Match[str]") -> Optional[Tuple[Phrase, Tuple[int, int]]]:
    if m.group("v").lower() in _HOME_FOLDERS:
        return None
    return _named_dir(m)


def _number_slot(kind: str, key: str, glue: str) -> "_Builder":
    def build(m: "re.Match[str]") -> Optional[Tuple[Phrase, Tuple[int, int]]]:
        return Phrase(kind, m.start(), {key: Slot(m.group("v"), "literal")}, _glue(glue)), m.span("v")
    return build


_ORDINALS = {w: i + 1 for i, w in enumerate("first second third fourth fifth sixth seventh eighth ninth tenth".split())}


def _ordinal(m: "re.Match[str]") -> Optional[Tuple[Phrase, Tuple[int, int]]]:
    n = str(_ORDINALS[_fold(m.group("v"))])
    return Phrase("number", m.start(), {"n": Slot(n, "literal")}, _glue("number")), m.span("v")


def _single_line(m: "re.Match[str]") -> Optional[Tuple[Phrase, Tuple[int, int]]]:
    # "the first line": one line, where "the first lines" would mean the default count.
    return Phrase("number", m.start(), {"n": Slot("1", "literal")}, _glue("line")), m.span("v")


def _host(m: "re.Match[str]") -> Optional[Tuple[Phrase, Tuple[int, int]]]:
    host = m.group("v")
    slots = {"host": Slot(host), "target": Slot(host), "arg": Slot(host)}
    return Phrase("host", m.start(), slots, _glue("host server machine domain website address ip remote")), m.span("v")


def _location(value: str) -> "_Builder":
    def build(m: "re.Match[str]") -> Optional[Tuple[Phrase, Tuple[int, int]]]:
        implicit = value == "."
        slots = {k: Slot(value, "literal", implicit=implicit) for k in ("path", "dir")}
        if implicit:
            # Only the current directory: "zip the current directory" names the archive after it.
            slots["here"] = slots["dir"]
        soft = tuple(tokenize(m.group(0)))
        return Phrase("path", m.start(), slots, _glue("dir under inside within location"), soft=soft), m.span()
    return build


_ARCHIVE_KEYS = (
    ((".tar.gz", ".tgz", ".tar.bz2", ".tbz2", ".tar.xz", ".txz", ".tar"), "tarfile"),
    ((".zip",), "zipfile"),
    ((".gz",), "gzfile"),
    ((".bz2",), "bz2file"),
    ((".xz",), "xzfile"),
)
#: File types whose name says how their columns are separated.
_DELIMITED = {"csv": frozenset({"csv", "comma"}), "tsv": frozenset({"tsv", "tab"})}
#: System files of colon-separated fields.
_COLON_FILES = dict.fromkeys(("/etc/passwd", "/etc/group", "/etc/shadow", "/etc/gshadow"), frozenset({"colon"}))
_FILE_RE = lazy_regex(r"^(?:[\w+@-][\w.+@-]*\.[A-Za-z][A-Za-z0-9]{0,7}|\.[\w][\w.-]*)$")


#: English words that "files/directories" or "created/modified" join with a slash.
_SLASHED_WORDS = frozenset(
    "file files dir dirs directory directories folder folders and or created modified accessed read write "
    "link links subdirectory subdirectories changed owner group user regular normal".split()
)


#: Directory names no request uses as an ordinary word: a path wherever they appear.
_PROJECT_DIRS = ("node_modules", "__pycache__", "bower_components", "site-packages", "venv")
#: Directory names that are also words ("build the image", "run the tests"), and snake_case names
#: ("my_project"): a path only after "in", "of", "cd"... or next to "folder"/"directory".
_WORD_DIRS = ("src", "build", "dist", "lib", "docs", "tests", "target", "vendor", "public", "assets", "static")
_LOCATIVE_BEFORE = lazy_regex(r"\b(?:in|of|under|inside|within|from|into|cd|(?:go|navigate)\s+to)\s+(?:the\s+|my\s+|our\s+)?$",
                              re.IGNORECASE)
_EVERY_BEFORE = lazy_regex(r"\b(?:every|each|all)\s+(?:of\s+)?(?:the\s+|my\s+)?$", re.IGNORECASE)
_DIRS_AFTER = lazy_regex(r"\s+(?:dirs|directories|folders)\b", re.IGNORECASE)
_NOT_A_DIR_AFTER = lazy_regex(r"\s+(?:files?|scripts?|code|programs?|modules?|suites?|commands?|steps?|logs?|outputs?)\b", re.IGNORECASE)


def _bare_dir(m: "re.Match[str]") -> Optional[Tuple[Phrase, Tuple[int, int]]]:
    value = m.group("v")
    before, after = m.string[:m.start()], m.string[m.end():]
    # JAVA_HOME is a variable rather than a directory.
    if _NOT_A_DIR_AFTER.match(after) or value != value.lower():
        return None
    if _DIRS_AFTER.match(after) or _DIR_AFTER.match(after) and _EVERY_BEFORE.search(before):
        # "delete __pycache__ directories", "every build folder": every directory of that name.
        return Phrase("name", m.start(), {"name": Slot(value, "quote")}, _glue("named name")), m.span()
    if value.lower() not in _PROJECT_DIRS and not (
            _LOCATIVE_BEFORE.search(before) or _DIR_BEFORE.search(before) or _DIR_AFTER.match(after)):
        return None
    return _path_phrase(value, m.start(), m.span())


def _path(m: "re.Match[str]") -> Optional[Tuple[Phrase, Tuple[int, int]]]:
    token = m.group("v").rstrip(".,;:!?)") or m.group("v")
    if token in (".", ".."):
        pass
    elif not ("/" in token or token.startswith("~") or _FILE_RE.match(token)):
        return None
    if token.lower() in ("e.g", "i.e", "etc", "tar.gz", "tar.bz2", "tar.xz"):
        # "create a tar.gz of logs" names a format, not a file.
        return None
    if token.startswith(".") and "/" not in token and _PLURAL_FILES_AFTER.match(m.string, m.end()):
        # "all .DS_Store files": every file of that name, not the one at the top.
        return Phrase("name", m.start(), {"name": Slot(token, "quote")}, _glue("file named name")), m.span()
    parts = [p.lower() for p in token.split("/") if p]
    if not token.startswith(("/", "~", ".")) and parts and all(p in _SLASHED_WORDS for p in parts):
        return None
    return _path_phrase(token, m.start(), (m.start(), m.start() + len(token)))


def _path_phrase(token: str, start: int, span: Tuple[int, int]) -> Tuple[Phrase, Tuple[int, int]]:
    # "input" is a path the user typed, as opposed to a location word such as "here".
    slots = {"path": Slot(token, "path"), "input": Slot(token, "path")}
    last = token.rstrip("/").rsplit("/", 1)[-1]
    if _FILE_RE.match(last) and not token.endswith("/"):
        slots["file"] = Slot(token, "path")
        for suffixes, key in _ARCHIVE_KEYS:
            if last.lower().endswith(suffixes):
                slots[key] = Slot(token, "path")
                break
    else:
        slots["dir"] = Slot(token, "path")
        if not token.endswith("/") and not token.startswith(("/", "~", ".")):
            # "feature/login", "library/nginx": may name a branch or an image as well.
            slots["arg"] = Slot(token, "path")
    base = last if last not in ("", ".", "..", "~") else ""
    if base:
        slots["base"] = Slot(base, "quote")
    # A file name can say what it is for ("requirements-dev.txt"); a directory path says less.
    words = frozenset(norm(w) for w in re.findall(r"[A-Za-z]+", last.rsplit(".", 1)[0])) if "file" in slots else frozenset()
    if "file" in slots:
        # A file type implies its delimiter: "the second column of data.csv" is comma-separated.
        words |= _DELIMITED.get(last.rsplit(".", 1)[-1].lower(), frozenset())
    words |= _COLON_FILES.get(token.rstrip("/"), frozenset())
    phrase = Phrase("path", start, slots, _glue("file dir path location under inside within named"), words=words)
    return phrase, span


def _number(m: "re.Match[str]") -> Optional[Tuple[Phrase, Tuple[int, int]]]:
    value = m.group("v")
    slots = {"n": Slot(str(int(value)), "literal")}
    if re.fullmatch(r"0?[0-7]{3}", value):
        slots["mode"] = Slot(value, "literal")
    # "3rd": the ordinal ending goes with the number.
    return Phrase("number", m.start(), slots, _glue("number")), m.span()


#: "python files", "c++ source code". The word is any run of word characters, "+" and "#", and
#: _extension_word looks it up: spelling out every extension here took longer to compile than the
#: rest of a request takes to answer. A word before whitespace is the whole run, so the two agree.
EXTENSION_WORD_FILES = (r"\b(?P<e>[\w+#]+)(?:\s+source)?\s+(?:files?|scripts?|sources?|code|programs?|modules?|documents?)\b"
                        # "the log file server.log" names one file rather than a pattern.
                        r"(?!\s+(?:named|called)\b|\s+[\w./~-]+\.[A-Za-z])")
_EXTENSION_GLOB = _glob(False)


def _extension_word(m: "re.Match[str]") -> Optional[Tuple[Phrase, Tuple[int, int]]]:
    return _EXTENSION_GLOB(m) if m.group("e").lower() in EXTENSIONS else None


DIGITS = tuple("0123456789")
QUOTES = tuple("\"'“‘`")

# Words a pattern cannot match without one of, beyond its triggers (see _mentions).
_COMPARISONS = ("larger", "bigger", "greater", "more", "over", "above", "exceed", "least", "smaller", "less", "under",
                "below", "most", "fewer", "<", ">")
_DOT_MEDIA = tuple("." + ext for ext in sorted(_MEDIA_EXT))
_DOT_TLDS = tuple("." + tld for tld in _TLDS.split("|"))
_DOT_ALNUM = tuple("." + c for c in "abcdefghijklmnopqrstuvwxyz0123456789")
_QUOTE_OPENERS = ('"', "'", "“", "‘")
#: Files named by their type and what they hold ("png images", "mp3 songs"): the types' names (as the
#: pattern reads them) and the nouns.
_MEDIA_KINDS = ((("jpe?g", "png", "gif", "svg", "webp", "bmp", "tiff?"), ("image", "photo", "picture", "pic")),
                (("mp3", "wav", "flac", "ogg", "m4a"), ("song", "track", "audio")),
                (("mp4", "mov", "mkv", "avi", "webm"), ("video", "clip", "movie")))
_MEDIA_PATTERN = "|".join(rf"\b(?P<e{index}>{'|'.join(types)})\s+(?:{'|'.join(nouns)})s?\b"
                          for index, (types, nouns) in enumerate(_MEDIA_KINDS))
#: What each type's name holds wherever it matches: its letters before an optional one ("jp" of jpe?g).
_MEDIA_WORDS = tuple(name[:name.index("?") - 1] if "?" in name else name for types, _ in _MEDIA_KINDS for name in types)


def _mentions(lowered: str, words: Tuple[str, ...]) -> bool:
    """Whether a case-insensitive pattern could find one of ``words`` (lower case) in the request.

    For ASCII text re's IGNORECASE is plain lower-casing; beyond it, re also folds ı and İ to i and ſ
    to s where str.lower() does not, so such text always may.
    """
    return not lowered.isascii() or any(word in lowered for word in words)


# (pattern, builder, triggers, needs): a pattern is compiled and run only when the lower-cased
# request contains one of its triggers and one word of each group it needs (_mentions):
# compiling the patterns takes longer than matching, so most requests compile few.
_RECOGNISERS: List[Tuple[str, _Builder, Tuple[str, ...], Tuple[Tuple[str, ...], ...]]] = [
    (r"(?<![\w$])(?P<v>\$(?:\{\w+\}|\w+))(?P<rest>/[^\s'\"]*)?", _variable, ("$",), ()),
    (r"\b(?:containing|contains?|with|having|have|has|including|includes?)\s+(?:the\s+)?(?:(?:words?|strings?|text)\s+)?"
     r"(?P<v>{Q}|{W})\s+in\s+(?:their|the|its|his|her)?\s*(?:file\s*)?names?\b"
     .replace("{Q}", _Q).replace("{W}", _W), _name_contains, ("name",),
     (("contain", "with", "having", "have", "has", "includ"),)),
    (r"\bwhose\s+(?:file\s*)?names?\s+(?:contains?|includes?|has)\s+(?P<v>{Q}|{W})".replace("{Q}", _Q).replace("{W}", _W),
     _name_contains, ("whose",), ()),
    (r"\b(?:replace|substitute)\s+(?:all\s+)?(?:(?:the\s+)?occurrences?\s+of\s+)?(?:the\s+)?(?:(?:word|string|text)\s+)?"
     rf"(?P<old>{_Q}|{_W})\s+(?:with|by)\s+(?:the\s+)?(?:(?:word|string|text)\s+)?(?P<new>{_Q}|{_W})", _subst, ("replace", "substitute"), ()),
    (r"\b(?:change|swap)\s+(?:all\s+)?(?:(?:the\s+)?occurrences?\s+of\s+)?"
     rf"(?P<old>{_Q})\s+(?:to|with|into)\s+(?P<new>{_Q})", _subst, ("change", "swap"), (_QUOTE_OPENERS,)),
    (r"(?<![\w])(?P<o>[\"'“‘`])(?P<v>[^\"'“”‘’`\n]+)(?P<c>[\"'”’`])(?![\w])", _quoted, QUOTES, ()),
    (r"\b(?:https?|ftp)://[^\s'\"]+", _url, ("://",), ()),
    (r"(?P<src>\bfrom\s+)?(?<![\w@./-])(?P<user>[A-Za-z_][\w.-]*)@(?P<host>[A-Za-z0-9][\w.-]*)(?::(?P<rpath>[^\s'\"]*))?", _remote, ("@",), ()),
    (r"(?P<src>\bfrom\s+)?(?<![\w@./:-])(?P<host>[A-Za-z0-9][\w-]+(?:\.[\w-]+)*):(?P<rpath>[~/][^\s'\"]*)", _host_path, (":/", ":~"), ()),
    (r"\b(?:as|with\s+user(?:name)?)\s+(?:(?:the\s+)?user\s+)?(?P<v>[A-Za-z_][\w.-]*)\b(?![@./])", _as_user, ("ssh",), (("as", "with"),)),
    (r"(?<![\w./~-])(?P<file>[\w./~+-]*[\w+-]\.(?P<src>{M}))\s+(?:in)?to\s+(?:an?\s+)?\.?(?P<dst>gif|{M})\b(?![\w.])"
     .replace("{M}", "|".join(sorted(_MEDIA_EXT))), _media_convert, ("to",), (_DOT_MEDIA,)),
    (r"(?P<cmp>larger|bigger|greater|more|over|above|exceeding|exceeds?|at\s+least|smaller|less|under|below|at\s+most|fewer|>=|<=|>|<)"
     r"(?:\s+than)?\s*(?P<num>\d+(?:\.\d+)?)\s*(?P<unit>bytes?|b|kb|kib|k|kilobytes?|mb|mib|m|megs?|megabytes?|gb|gib|g|gigs?|gigabytes?|tb|t|terabytes?)\b",
     _size, DIGITS, (_COMPARISONS,)),
    (rf"\bnot\s+(?:been\s+)?{_VERB}(?:in|within|for|during)\s+(?:the\s+)?(?:(?:last|past)\s+)?(?:{_NUM}\s+)?{_UNIT}", _duration(False), ("not",), (_UNITS,)),
    (rf"\b{_VERB}(?:(?:in|within|during|over|from)\s+)?(?:the\s+)?(?:last|past|previous)\s+(?:{_NUM}\s+)?{_UNIT}", _duration(True), ("last", "past", "previous"), (_UNITS,)),
    (rf"\b{_VERB}within\s+(?:the\s+)?{_NUM}\s+{_UNIT}", _duration(True), ("within",), (_UNITS,)),
    (rf"\b{_VERB}(?:less|fewer|newer|younger)\s+than\s+{_NUM}\s+{_UNIT}(?:\s+(?:ago|old))?", _duration(True), ("than",), (_UNITS, ("less", "fewer", "newer", "younger"))),
    (rf"\b{_VERB}(?:(?:more|older|greater)\s+than|over)\s+{_NUM}\s+{_UNIT}(?:\s+(?:ago|old))?", _duration(False), ("than", "over"), (_UNITS, ("more", "older", "greater", "over"))),
    (r"\b(?P<verb>modified|changed|edited|updated|touched|written|created|accessed|opened)\s+(?P<unit>today)\b", _duration(True), ("today",), ()),
    (r"(?<![\w/*])\*?\.(?P<e>[A-Za-z0-9]{1,10}(?:\.[A-Za-z0-9]{1,4})?)(?![\w/])", _glob(False), (".",), (_DOT_ALNUM,)),
    (EXTENSION_WORD_FILES, _extension_word, ("file", "script", "source", "code", "program", "module", "document"), ()),
    (r"(?<![^\s(])(?P<g>[\w.~#-]*\*[\w.*~#-]*)(?![^\s),;:!?])", _star_glob, ("*",), ()),
    # "lines of python": a language after "lines of" means its source files.
    (r"(?<=\blines of )(?P<e>" + "|".join(re.escape(k) for k in _LANGUAGES) + r")(?![\w+#])", _glob(False), ("lines of",), (_LANGUAGES,)),
    (r"\bextension\s\.?(?P<e>[A-Za-z0-9]{1,10})\b", _glob(True), ("extension",), ()),
    (_MEDIA_PATTERN, _media_glob, tuple(noun for _, nouns in _MEDIA_KINDS for noun in nouns), (_MEDIA_WORDS,)),
    (r"\b(?P<e>pdf|jpe?g|png|gif|csv|mp3|mp4|svg|mov)s\b", _glob(False), ("pdfs", "jpgs", "jpegs", "pngs", "gifs", "csvs", "mp3s", "mp4s", "svgs", "movs"), ()),
    (r"\b(?P<v>first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth)(?=\s+(?:column|field)s?\b)", _ordinal, ("column", "field"), ()),
    (r"\b(?:first|last|top|bottom)\s+(?P<v>line)\b(?!s)", _single_line, ("line",), ()),
    (r"\b(?:named|called|titled)\s(?P<v>[^\s'\"]+)", _name, ("named", "called", "titled"), ()),
    (r"\b(?:containing|contains?|with\s+the\s+(?:word|text|string)|the\s+(?:word|text|string|pattern)|matching)\s(?P<v>[^\s'\"]+)",
     _value_after("text", ("text", "arg"), "contain word text string pattern match", "force"), ("contain", "with the", "the word", "the text", "the string", "the pattern", "matching"), ()),
    (r"\b(?:(?:search|grep|look)\s+(?:for\s+)?(?:the\s+)?(?:(?:word|string|text|pattern)\s+)?|find\s+(?:the\s+)?(?:word|string|text|pattern)\s+)"
     r"(?P<v>[^\s'\"/*]+)\s+(?=(?:in|inside|within|across|under|through)\b)",
     _value_after("text", ("text", "arg"), "search grep look find word text string pattern", "force"), ("search", "grep", "look", "find"),
     (("search", "grep", "look", "word", "string", "text", "pattern"),)),
    (r"\b(?:search|grep|look)\s+(?:recursively\s+|everywhere\s+)?for\s+(?:the\s+)?(?:(?:word|string|text|pattern)\s+)?(?P<v>[^\s'\"/*]+)\s*$",
     _value_after("text", ("text", "arg"), "search grep look word text string pattern", "force"), ("search", "grep", "look"),
     (("for",),)),
    (r"\b(?:user(?:name)?|owned\s+by|belonging\s+to)\s(?P<v>[A-Za-z_][\w.-]*)", _value_after("user", ("user",), "user owned belonging owner"), ("user", "owned", "belonging"), ()),
    (r"\b(?:pid|process\s+id|process)\s+#?(?P<v>\d+)\b", _number_slot("pid", "pid", "pid process id"), ("pid", "process"), ()),
    (r"\bport\s*(?:number\s*)?#?(?P<v>\d{1,5})\b", _number_slot("port", "port", "port number"), ("port",), ()),
    (r"(?<![\w/:])(?:localhost)?:(?P<v>\d{2,5})\b", _number_slot("port", "port", "port number"), (":",), ()),
    (r"(?<![\w.])(?P<v>\d{1,3}(?:\.\d{1,3}){3}(?:/\d{1,2})?)(?![\w.])", _host, DIGITS, ()),
    (rf"(?<![\w./@-])(?P<v>(?:[A-Za-z0-9-]+\.)+(?:{_TLDS}))(?![\w/-])", _host, (".",), (_DOT_TLDS,)),
    (r"\b(?P<v>localhost)\b", _host, ("localhost",), ()),
    (r"\b(?:the\s+)?(?:current|present|this|working|current\s+working)\s+(?:dir|directory|folder)\b|\bhere\b", _location("."), ("current", "present", "this", "working", "here"), ()),
    (r"\b(?:my\s+|the\s+|your\s+)?home\s+(?:dir|directory|folder)\b", _location("~"), ("home",), ()),
    (r"\b(?:the\s+)?(?:root\s+(?:dir|directory|folder)|(?:whole|entire)\s+(?:system|filesystem|file\s+system|disk|computer|machine))\b|\beverywhere\b",
     _location("/"), ("root", "whole", "entire", "everywhere"), ()),
    (r"\b(?:in|under|inside|within|of|from|to|into|compress|archive|zip|tar|pack|backup|back\s+up|copy|move|sync)"
     r"\s+(?:the\s+|(?P<my>my\s+))?(?P<v>[\w.-]+)\s+(?:dir|directory|folder)\b",
     _named_dir, ("dir", "folder"), ()),
    # "unzip data.zip into out": the word after an archive's name is where it unpacks.
    (r"\.(?:zip|tar|tgz|tar\.gz|tar\.bz2|tar\.xz)\s+(?:in)?to\s+(?:the\s+)?(?P<v>[A-Za-z0-9_][\w-]*)(?![\w./~-])", _unpack_dest, (".zip", ".tar", ".tgz"), (("to",),)),
    (r"(?<![\w./~$@*-])(?P<v>\.?(?:" + "|".join(_PROJECT_DIRS + _WORD_DIRS) + r")|[a-z0-9]+(?:_[a-z0-9]+)+)(?![\w/.*@-])",
     _bare_dir, _PROJECT_DIRS + _WORD_DIRS + ("_",), ()),
    (r"(?<![\w@*-])(?P<v>(?:~|\.{1,2})?/[^\s'\"]*|~|\.\.?(?=\s|$)|[\w.+@-]+/[^\s'\"]*|[\w+@-][\w.+@-]*\.[A-Za-z][A-Za-z0-9]{0,7}[.,;:!?)]?|\.[\w][\w.-]*)", _path, ("/", "~", "."), ()),
    (r"(?<![\w.\-])(?P<v>\d+)(?:st|nd|rd|th)?(?![\w.])", _number, DIGITS, ()),
]

_COMPILED: Dict[int, "re.Pattern[str]"] = {}

#: A quantifier asking for one result per entry. "All" is absent: "list all files" wants one list.
_PER_ENTRY_NEEDS = ("each", "every", "by")
_PER_ENTRY = lazy_regex(r"\b(?:each|every)\b|\bby\s+(?:dir|directory|folder|subdir|subdirectory|subfolder|file|entry|item)\b",
                        re.IGNORECASE)

#: Looking into an archive without unpacking it.
_LIST_ONLY_NEEDS = ("not", "without")
_LIST_ONLY = lazy_regex(r"\b(?:without|but\s+not|not)\s+(?:extracting|unpacking|unzipping|decompressing|opening|expanding)(?:\s+(?:it|them))?\b",
                        re.IGNORECASE)

#: "All" outside quoted text: "commit all changes" is no commit of the staged ones only.
_ALL = lazy_regex(r"\ball\b", re.IGNORECASE)

#: Slot families whose second phrase gets its own keys ("copy a.txt to /tmp": path, then dest).
_SECOND_KEYS = {"path": {"path": "dest", "file": "file2", "arg": "arg2"}, "text": {"text": "text2", "arg": "arg2"}}


def extract(text: str) -> Parsed:
    """Split a request into slot phrases and leftover content words."""
    work = text
    lowered = text.lower()
    phrases: List[Phrase] = []
    for index, (pattern, build, triggers, needs) in enumerate(_RECOGNISERS):
        if not any(t in lowered for t in triggers) or not all(_mentions(lowered, words) for words in needs):
            continue
        regex = _COMPILED.get(index)
        if regex is None:
            regex = _COMPILED[index] = re.compile(pattern, re.IGNORECASE)
        pos = 0
        while True:
            m = regex.search(work, pos)
            if m is None:
                break
            built = build(m)
            if built is None:
                pos = m.start() + 1
                continue
            phrase, (a, b) = built
            if phrase.kind == "path":
                # "under /srv/www directory", "directory $dir": the word belongs to the path.
                tail = _DIR_AFTER.match(work, b)
                b = tail.end() if tail else b
                # "each folder here" speaks of the folders in a place, not of one folder.
                head = _DIR_BEFORE.search(work, 0, a) if work[a:b].lower() != "here" else None
                a = head.start() if head else a
            phrases.append(phrase)
            work = work[:a] + " " * (b - a) + work[b:]
            pos = b
    phrases.sort(key=lambda p: p.start)
    seen: Dict[str, int] = {}
    for phrase in phrases:
        index = seen.get(phrase.kind, 0)
        seen[phrase.kind] = index + 1
        if index == 0:
            continue
        renames = _SECOND_KEYS.get(phrase.kind, {})
        # Third and later phrases of a kind get keys no template uses, so they stay unexplained.
        suffix = str(index + 1)
        phrase.slots = {
            (renames.get(k, k + suffix) if index == 1 else k + suffix): v for k, v in phrase.slots.items()
        }
    marks = set()
    listing = _LIST_ONLY.search(work) if _mentions(lowered, _LIST_ONLY_NEEDS) else None
    if listing:
        # "list backup.tar.gz without extracting": a listing, never an unpacking.
        marks.add("listonly")
        work = work[:listing.start()] + " " * (listing.end() - listing.start()) + work[listing.end():]
    if _mentions(lowered, _PER_ENTRY_NEEDS) and _PER_ENTRY.search(work):
        marks.add("each")
    if _ALL.search(work):
        marks.add("all")
    return Parsed(phrases, tokenize(work), frozenset(marks))

"""Building blocks of the rule catalog: rules, the views they match on, the hooks they register.

The engine (``cmdai.safety.analyzer``) walks a command line, unwraps wrappers and calls the
hooks registered here: per command name (``@checks``), per redirection (``@on_redirect``), per
pipeline (``@on_pipeline``) and per variable assignment (``@on_assignment``). A hook returns
``Hit``s that name a ``Rule``; the rule carries the level, category and user-facing words.
Every module of the ``rules`` package is imported when the package is, so a rule module needs
no list to be added to.
"""
from __future__ import annotations

from ...records import Record, Value
from ..levels import Risk

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Callable, Dict, Iterable, List, Optional, Set, Tuple


class Rule(Value):
    """One kind of danger: an id, a level, a category and one line a user understands."""

    id: str
    level: Risk
    category: str
    #: May contain ``{target}``, filled with what the command acts on.
    explanation: str

    def reason(self, target: Optional[str] = None) -> str:
        if "{target}" not in self.explanation:
            return self.explanation
        return self.explanation.replace("{target}", target or "the target")


class Hit(Value):
    """A rule that matched, with what it matched on."""

    rule: Rule
    target: Optional[str] = None
    #: Code the finding carries (a cron line, an alias body) that the engine inspects too.
    code: Optional[str] = None
    #: The language of ``code``: "bash", or an interpreter's ("python", "perl" …).
    lang: str = "bash"


class Stream(Record):
    """What flows out of a command (and so into the next one's stdin)."""

    __slots__ = ("text", "network", "decoded", "secret", "endless", "source", "present")

    def __init__(self, text: Optional[str] = None, network: bool = False, decoded: bool = False,
                 secret: Optional[str] = None, endless: bool = False, source: Optional["Cmd"] = None,
                 present: bool = False):
        #: The content, when it is known without running anything (echo, printf, here-docs).
        self.text = text
        #: Comes from the network (curl, wget, nc …), possibly through other commands.
        self.network = network
        #: Passed through a decoder (base64 -d, xxd -r, rev …): its meaning is hidden.
        self.decoded = decoded
        #: A secret (private key, credentials, the environment) it carries, if any.
        self.secret = secret
        #: Never ends (/dev/zero, yes): writing it to a file fills the disk.
        self.endless = endless
        #: The command that writes directly into the stream.
        self.source = source
        #: Something is connected at all (pipe or redirect), as opposed to the terminal.
        self.present = present

    def connected(self) -> "Stream":
        """A copy of this stream marked as connected (``present``)."""
        return Stream(self.text, self.network, self.decoded, self.secret, self.endless, self.source, True)

    def joined(self, later: "Stream") -> "Stream":
        """The stream after ``later`` processed this one: taint accumulates, content is later's."""
        return Stream(
            text=later.text,
            network=self.network or later.network,
            decoded=self.decoded or later.decoded,
            secret=later.secret or self.secret,
            endless=later.endless,
            source=later.source,
            present=True,
        )


class Cmd(Record):
    """A simple command after wrappers (sudo, env, xargs …) were taken off."""

    __slots__ = ("name", "args", "dynamic", "redirects", "stdin", "sudo", "appended")

    def __init__(self, name: str, args: List[str], dynamic: Optional[List[bool]] = None,
                 redirects: Optional[List[Tuple[str, str]]] = None, stdin: Optional[Stream] = None,
                 sudo: bool = False, appended: Optional["Appended"] = None):
        self.name = name
        self.args = args
        #: Parallel to ``args``: the argument holds an expansion whose value is unknown.
        self.dynamic: List[bool] = [] if dynamic is None else dynamic
        #: (operator, target) of every redirection, e.g. (">>", "~/.bashrc").
        self.redirects: List[Tuple[str, str]] = [] if redirects is None else redirects
        self.stdin: Stream = Stream() if stdin is None else stdin
        self.sudo = sudo
        #: Set when xargs or find appends operands the command line does not show.
        self.appended = appended

    def options(self, with_value: Iterable[str] = ()) -> "Options":
        """Split the arguments into short flags, long flags and operands.

        ``with_value`` lists options that take a value ("-n", "--lines"); their value is
        kept in ``Options.values`` and not counted as an operand.
        """
        takes = frozenset(with_value)
        opts = Options()
        i = 0
        args = self.args
        while i < len(args):
            a = args[i]
            if a == "--":
                opts.operands.extend(args[i + 1:])
                break
            if a.startswith("--") and len(a) > 2:
                name, eq, value = a.partition("=")
                opts.longs.add(name)
                if eq:
                    opts.values.setdefault(name, []).append(value)
                elif name in takes and i + 1 < len(args):
                    opts.values.setdefault(name, []).append(args[i + 1])
                    i += 1
            elif a.startswith("-") and len(a) > 1 and not a[1:].isdigit():
                for j, ch in enumerate(a[1:], start=1):
                    flag = "-" + ch
                    opts.shorts.add(ch)
                    if flag in takes:
                        rest = a[j + 1:]
                        if rest:
                            opts.values.setdefault(flag, []).append(rest)
                        elif i + 1 < len(args):
                            opts.values.setdefault(flag, []).append(args[i + 1])
                            i += 1
                        break
            else:
                opts.operands.append(a)
            i += 1
        return opts

    def flag(self, short: str = "", *longs: str, with_value: Iterable[str] = ()) -> bool:
        """Whether any of the short flag letters in ``short`` or the long options is given."""
        opts = self.options(with_value)
        return bool(set(short) & opts.shorts) or bool(set(longs) & opts.longs)


def option_values(args: List[str], names: Iterable[str]) -> List[str]:
    """Values of options given as ``--name=V``, ``--name V``, ``-xV`` or ``-x V``."""
    wanted = tuple(names)
    values: List[str] = []
    for i, a in enumerate(args):
        for n in wanted:
            if a == n and i + 1 < len(args):
                values.append(args[i + 1])
            elif n.startswith("--") and a.startswith(n + "="):
                values.append(a[len(n) + 1:])
            elif not n.startswith("--") and len(n) == 2 and a.startswith(n) and len(a) > 2 and not a.startswith("--"):
                values.append(a[2:])
    return values


class Options(Record):
    __slots__ = ("shorts", "longs", "values", "operands")

    def __init__(self, shorts: Optional[Set[str]] = None, longs: Optional[Set[str]] = None,
                 values: Optional[Dict[str, List[str]]] = None, operands: Optional[List[str]] = None):
        self.shorts: Set[str] = set() if shorts is None else shorts
        self.longs: Set[str] = set() if longs is None else longs
        self.values: Dict[str, List[str]] = {} if values is None else values
        self.operands: List[str] = [] if operands is None else operands

    def value(self, *names: str) -> Optional[str]:
        for n in names:
            if n in self.values:
                return self.values[n][-1]
        return None


class Appended(Value):
    """Operands added at run time: by xargs from its input, or by find from what it finds."""

    #: The directory find walks, or what the command feeding xargs lists (None when unknown).
    root: Optional[str]
    #: Whether a predicate narrows the files (find -name, grep …).
    filtered: bool


class Redirect(Value):
    """Output sent to a file or descriptor: ``cmd >>path``."""

    #: The target, normalised (~ for the home directory, /dev/tcp/… for a socket).
    path: str
    append: bool
    #: What is written.
    stream: Stream
    #: The command whose output it is; None for a redirection with no command (``> file``).
    cmd: Optional[Cmd]


if TYPE_CHECKING:
    Checker = Callable[[Cmd], Iterable[Hit]]
    RedirectHook = Callable[[Redirect], Iterable[Hit]]
    PipelineHook = Callable[[List[Cmd]], Iterable[Hit]]
    AssignmentHook = Callable[[str, str], Iterable[Hit]]

RULES: Dict[str, Rule] = {}
_CHECKERS: Dict[str, List[Checker]] = {}
REDIRECT_HOOKS: List[RedirectHook] = []
PIPELINE_HOOKS: List[PipelineHook] = []
ASSIGNMENT_HOOKS: List[AssignmentHook] = []


def rule(id: str, level: Risk, category: str, explanation: str) -> Rule:
    """Declare a rule; ids are unique across the catalog."""
    if id in RULES:
        raise ValueError(f"duplicate safety rule id {id!r}")
    r = Rule(id, level, category, explanation)
    RULES[id] = r
    return r


def checks(*names: str) -> Callable[[Checker], Checker]:
    """Register a checker for the commands called ``names``."""

    def register(fn: Checker) -> Checker:
        for n in names:
            _CHECKERS.setdefault(n, []).append(fn)
        return fn

    return register


def on_redirect(fn: RedirectHook) -> RedirectHook:
    """Register a hook called for every redirection of output to a path."""
    REDIRECT_HOOKS.append(fn)
    return fn


def on_pipeline(fn: PipelineHook) -> PipelineHook:
    """Register a hook called with the commands of every pipeline, in order."""
    PIPELINE_HOOKS.append(fn)
    return fn


def on_assignment(fn: AssignmentHook) -> AssignmentHook:
    """Register a hook called with (name, value) of every variable assignment, exported or not."""
    ASSIGNMENT_HOOKS.append(fn)
    return fn


def checkers_for(name: str) -> List[Checker]:
    return _CHECKERS.get(name, [])


def checked_names() -> Iterable[str]:
    """Every command name some checker judges."""
    return _CHECKERS.keys()


"""The walk over a command line's parse tree: every simple command, with what flows into it.

tree-sitter-bash parses the line; the walk goes through pipelines, lists, subshells, groups,
loops, conditionals, functions, substitutions and here-docs, follows what each command writes
to the next (``Stream``), reads redirections and assignments, and hands each simple command to
the unwrapper (``invoke``). Nodes of the grammar it does not model, and code the grammar
misreads, fail closed: they are reported as code cmdai cannot check. A plain line (one command or
a pipeline of plain words, ``plain.py``) is read without the grammar into the same words.
"""
from __future__ import annotations

import re
import sys

from .. import shells
from ..lazy_regex import lazy_regex
from .plain import plain_pipeline
from .rules import PIPELINE_HOOKS, REDIRECT_HOOKS, Cmd, Hit, Redirect, Stream
from .rules import network, shell, system
from .rules.paths import normalize, secret_in
from .words import SEPARATOR, Word, WordReader, list_word

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Callable, List, Optional, Tuple

#: Deepest nesting of code in code (sh -c "eval '…'") that is followed.
MAX_DEPTH = 8
#: Values of a for loop's variable the body is judged with, one by one, and runs of loop bodies in all.
MAX_LOOP_VALUES = 16
MAX_LOOP_RUNS = 64
_PLAIN_NAME = lazy_regex(r"[A-Za-z0-9_][\w.-]*")
_PARSER: Any = None
_INFINITE = frozenset(["/dev/zero", "/dev/urandom", "/dev/random"])
#: Node types the walk understands; anything else is code it cannot check.
_KNOWN_NODES = frozenset("""
    program list pipeline command redirected_statement subshell compound_statement if_statement elif_clause
    else_clause while_statement for_statement c_style_for_statement do_group case_statement case_item
    function_definition declaration_command unset_command variable_assignment variable_assignments
    negated_command test_command command_substitution process_substitution heredoc_body heredoc_content
    heredoc_start heredoc_end heredoc_redirect herestring_redirect file_redirect file_descriptor comment word
    raw_string ansi_c_string string string_content translated_string concatenation expansion simple_expansion
    arithmetic_expansion array binary_expression unary_expression postfix_expression ternary_expression
    parenthesized_expression number variable_name special_variable_name subscript brace_expression
    extglob_pattern regex test_operator command_name ERROR""".split())
#: A brace expansion in command position: bash turns {rm,-rf,~} into the words rm -rf ~.
_BRACE_COMMAND = lazy_regex(r"(?:^|(?<=[;&|(`\n]))[ \t]*\{([^{}\s'\"$]*,[^{}\s'\"]*)\}")
_COPROC_GROUP = lazy_regex(r"\bcoproc\s+(?:[A-Za-z_][A-Za-z0-9_]*\s+)?(?=[{(])")
#: A here-doc operator and its delimiter (<<EOF, <<-'EOF', <<"EOF", <<\EOF), not a here-string.
_HEREDOC_OPERATOR = lazy_regex(r"(?<!<)<<(?!<)(-?)\s*(['\"]?)\\?([A-Za-z_0-9.@%+-]+)\2")


def parser() -> Any:
    """The tree-sitter parser, created on first use (loading it costs milliseconds)."""
    global _PARSER
    if _PARSER is None:
        try:
            binding, bash = _extension("tree_sitter"), _extension("tree_sitter_bash")
            _PARSER = binding.Parser(binding.Language(bash.language()))
        except (ImportError, AttributeError):
            # Not laid out as this version of the packages is (another install, a renamed module).
            import tree_sitter_bash
            from tree_sitter import Language, Parser

            _PARSER = Parser(Language(tree_sitter_bash.language()))
    return _PARSER


def _extension(package: str) -> Any:
    """The compiled ``_binding`` module of ``package``, loaded without the package's ``__init__``.

    The two packages import ``typing`` and ``importlib.resources`` there (for type hints and a
    query file), which takes ten times longer than loading the compiled modules. The module is
    registered under its name, so a later ``import tree_sitter`` uses it rather than loading it twice.
    """
    name = package + "._binding"
    module = sys.modules.get(name)
    if module is None:
        from importlib.machinery import ExtensionFileLoader, PathFinder

        found = PathFinder.find_spec(package)
        folders = found.submodule_search_locations if found is not None else None
        spec = PathFinder.find_spec(name, folders) if folders else None
        if spec is None or not isinstance(spec.loader, ExtensionFileLoader):
            raise ImportError(f"no compiled module {name} found", name=name)
        module = spec.loader.create_module(spec)
        spec.loader.exec_module(module)
        sys.modules[name] = module
    return module


def _text(node: Any) -> str:
    return node.text.decode("utf-8", "replace")


def _glued_descriptor(child: Any, after: Any) -> bool:
    """Whether ``child`` is the descriptor of the redirection right after it (``0<&5``).

    The grammar reads the digits of ``N<&M`` as a word of the command when no descriptor node
    is made for them.
    """
    return (after is not None and after.type == "file_redirect" and after.start_byte == child.end_byte
            and _text(child).isdigit())


class Walker:
    """The tree walk; the state it keeps and the judging it calls on are the analysis's (analyzer)."""

    env: Any
    depth: int
    tree: int

    def script(self, text: str, shell_name: str, depth: int, heredocs: bool = True) -> Stream:
        """Parse and walk a whole script (the line itself, or code found inside it)."""
        if depth > MAX_DEPTH:
            self.add(Hit(shell.TOO_DEEP))
            return Stream()
        written = shells.find(shell_name)
        if written is not None:
            text = written.to_bash(text)
        if "coproc" in text:
            # coproc [NAME] { …; } runs the group in the background; the grammar does not know the form.
            text = _COPROC_GROUP.sub(lambda m: " " * len(m.group(0)), text)
        outer = (self.depth, self.tree)
        try:
            self.depth = depth
            stages = plain_pipeline(text)
            tree = None
            if stages is None:
                tree = parser().parse(text.encode("utf-8", "surrogatepass"))
                self.tree = id(tree)
                self.trees.append(tree)  # keeps id(tree) unique while substitutions are cached under it
                if tree.root_node.has_error:
                    self.add(Hit(shell.UNPARSEABLE))
                    if heredocs and "<<" in text:
                        self.heredoc_fallback(text, depth)
            for m in _BRACE_COMMAND.finditer(text) if "{" in text else ():
                self.add(Hit(shell.OBFUSCATED_NAME, m.group(0).strip()))
                self.script(text[:m.start()] + " " + " ".join(m.group(1).split(",")) + text[m.end():],
                            "bash", depth + 1)
            if tree is None:
                return self.plain(stages)
            out = self.statement(tree.root_node, Stream())
            if "$(" in text or "`" in text or "<(" in text or ">(" in text:
                self.sweep(tree.root_node)
            return out
        finally:
            self.depth, self.tree = outer

    def heredoc_fallback(self, text: str, depth: int) -> None:
        """Here-docs cut the way bash cuts them, for lines the grammar misreads (a body line "EOF'").

        Every body is judged as code, whatever reads it: the line around them could not be read,
        so what consumes them is not known.
        """
        lines = text.split("\n")
        rest: List[str] = []
        i = 0
        while i < len(lines):
            line = lines[i]
            rest.append(line)
            i += 1
            for m in _HEREDOC_OPERATOR.finditer(line):
                tabs, delimiter = bool(m.group(1)), m.group(3)
                body: List[str] = []
                while i < len(lines) and (lines[i].lstrip("\t") if tabs else lines[i]) != delimiter:
                    body.append(lines[i])
                    i += 1
                i += 1
                self.script("\n".join(body), "bash", depth + 1)
        self.script("\n".join(rest), "bash", depth + 1, heredocs=False)

    def plain(self, stages: List[List[Word]]) -> Stream:
        """Walk a line read without the grammar (plain.py), as ``statement`` walks its tree."""
        if not stages:
            return Stream()
        if len(stages) == 1:
            return self.invoke(stages[0], Stream(), [])
        return self.pipeline(stages, Stream(), lambda words, stdin: self.invoke(words, stdin, []))

    def evaluated_variables(self, node: Any, prompt: bool = False) -> None:
        """Variables whose value the shell evaluates again (arithmetic, ${x@P}): a[$(cmd)] in it runs cmd."""
        stack = [node]
        while stack:
            n = stack.pop()
            if n.type == "variable_name":
                value = self.env.get(_text(n))
                if value is None and prompt:
                    self.add(Hit(shell.UNCHECKABLE, f"the prompt expansion of ${_text(n)}"))
                elif value is not None and ("$(" in value.text or "`" in value.text):
                    self.script(": " + value.text.replace(SEPARATOR, " "), "bash", self.depth + 1)
            stack.extend(n.named_children)

    def sweep(self, root: Any) -> None:
        """Walk every substitution the structured walk did not reach: nothing in the tree goes unjudged."""
        stack = [root]
        while stack:
            node = stack.pop()
            if node.type in ("command_substitution", "process_substitution"):
                if (node.start_byte, node.end_byte, self.tree) not in self.sub_streams:
                    self.substitution(node)
                continue
            stack.extend(node.named_children)

    def statement(self, node: Any, stdin: Stream) -> Stream:
        t = node.type
        if t == "command":
            return self.command(node, stdin, [])
        if t == "pipeline":
            return self.pipeline(self.stages(node), stdin, self.statement)
        if t == "redirected_statement":
            return self.redirected(node, stdin)
        if t == "variable_assignment":
            self.assignment(node)
            return Stream()
        if t == "function_definition":
            self.function(node)
            return Stream()
        if t == "declaration_command":
            for child in node.named_children:
                if child.type == "variable_assignment":
                    self.assignment(child)
                else:
                    self.statement(child, Stream())
            if _text(node).split()[:1] in (["export"], ["declare"]) and len(node.named_children) == 0:
                return Stream(secret="the environment", present=True)
            return Stream()
        if t == "unset_command":
            names = {_text(c) for c in node.named_children}
            if names & {"HISTFILE", "HISTSIZE", "HISTFILESIZE"}:
                self.add(Hit(system.HISTORY_CLEAR))
            return Stream()
        if t == "for_statement" and node.child_by_field_name("variable") is not None:
            return self.for_loop(node)
        if t in ("command_substitution", "process_substitution"):
            return self.substitution(node)
        if t in ("raw_string", "heredoc_content", "comment", "word", "ansi_c_string"):
            return Stream()
        if t not in _KNOWN_NODES:
            self.add(Hit(shell.UNCHECKABLE, f"a {t.replace('_', ' ')}"))
        elif t == "expansion":
            self.expansion_code(node)
        elif t == "arithmetic_expansion" or t == "compound_statement" and _text(node).startswith("(("):
            self.evaluated_variables(node)
        out = Stream()
        for child in node.named_children:
            out = self.statement(child, stdin if t in ("subshell", "compound_statement") else Stream())
        return out

    def for_loop(self, node: Any) -> Stream:
        """``for x in A B; do …; done``: the body is judged once for each value x takes. Of more than
        MAX_LOOP_VALUES, those that name more than a plain relative name come first; a value known only
        when the loop runs ($(cat list)) is judged as written."""
        name = _text(node.child_by_field_name("variable"))
        words: List[Word] = []
        for index, child in enumerate(node.children):
            if node.field_name_for_child(index) == "value":
                self.statement(child, Stream())
                words.append(self.read(child))
        values = self.split_lists(words)
        body = node.child_by_field_name("body")
        if body is None:
            return Stream()
        if not values:
            self.env[name] = Word(f"${name}", dynamic=True)
            return self.statement(body, Stream())
        # Loops inside loops share one budget of runs, so that nesting cannot make the check slow.
        allowed = max(1, min(MAX_LOOP_VALUES, MAX_LOOP_RUNS - self.loop_runs))
        if len(values) > allowed:
            values = sorted(values, key=lambda value: bool(_PLAIN_NAME.fullmatch(value.text)))[:allowed]
        self.loop_runs += len(values)
        out = Stream()
        for value in values:
            self.env[name] = value
            out = self.statement(body, Stream())
        return out

    def substitution(self, node: Any) -> Stream:
        """Walk a $(…) or <(…) once; what it outputs is remembered for the command using it."""
        key = (node.start_byte, node.end_byte, self.tree)
        if key not in self.sub_streams:
            self.sub_streams[key] = Stream()
            out = Stream()
            for child in node.named_children:
                out = self.statement(child, Stream())
            self.sub_streams[key] = out
        return self.sub_streams[key]

    stream_of = substitution

    def expansion_code(self, node: Any) -> None:
        """Substitutions in ${x:-…} words that the grammar keeps as plain text (${x:=`cmd`})."""
        if _text(node).endswith("@P}"):
            # Prompt expansion runs the substitutions in the variable's value.
            self.evaluated_variables(node, prompt=True)
        for child in node.named_children:
            if child.type in ("word", "string", "concatenation") and ("`" in _text(child) or "$(" in _text(child)):
                self.script(": " + _text(child), "bash", self.depth + 1)

    @staticmethod
    def stages(node: Any) -> List[Any]:
        out: List[Any] = []
        for child in node.named_children:
            if child.type == "pipeline":
                out.extend(Walker.stages(child))
            else:
                out.append(child)
        return out

    def pipeline(self, stages: List[Any], stdin: Stream, walk: Callable[[Any, Stream], Stream]) -> Stream:
        """Walk each stage (``walk``) with what the stage before writes, then the pipeline hooks."""
        stream = stdin
        names: List[Cmd] = []
        for stage in stages:
            out = walk(stage, stream)
            if out.source is not None:
                names.append(out.source)
            stream = stream.joined(out) if stream.present else out.connected()
        for hook in PIPELINE_HOOKS:
            for h in hook(names):
                self.add(h)
        return stream

    def redirected(self, node: Any, stdin: Stream) -> Stream:
        body = node.child_by_field_name("body")
        while body is not None and body.type == "list" and body.named_children:
            # The grammar hangs the redirections of `a && b >x` on the list; the shell gives them to b.
            *first, body = body.named_children
            for child in first:
                self.statement(child, Stream())
        redirects: List[Tuple[str, str]] = []
        feed = stdin
        continuation: List[Any] = []
        for child in node.children_by_field_name("redirect"):
            feed, redirects = self.redirect(child, feed, redirects, continuation)
        if body is None:
            out = Stream()
            self.write_hits(None, redirects, out)
        elif body.type == "command":
            out = self.command(body, feed, redirects)
        else:
            out = self.statement(body, feed)
            self.write_hits(None, redirects, out)
        for extra in continuation:
            if extra.type == "pipeline":
                out = self.pipeline(self.stages(extra), out.connected(), self.statement)
            else:
                out = self.statement(extra, Stream())
        return out

    def redirect(self, node: Any, feed: Stream, redirects: List[Tuple[str, str]],
                 continuation: List[Any]) -> Tuple[Stream, List[Tuple[str, str]]]:
        t = node.type
        if t == "heredoc_redirect":
            body = next((c for c in node.named_children if c.type == "heredoc_body"), None)
            for c in node.named_children:
                if c.type not in ("heredoc_start", "heredoc_body", "heredoc_end", "file_redirect"):
                    continuation.append(c)
                elif c.type == "file_redirect":
                    _, redirects = self.redirect(c, feed, redirects, continuation)
            if body is not None:
                self.statement(body, Stream())
                start = next((_text(c) for c in node.named_children if c.type == "heredoc_start"), "")
                if not re.search(r"['\"\\]", start):
                    # An unquoted here-doc runs its backquotes too; the grammar keeps them as text.
                    for m in re.finditer(r"`([^`]*)`", _text(body)):
                        self.script(m.group(1), "bash", self.depth + 1)
                return Stream(text=_text(body), present=True), redirects
            return Stream(text="", present=True), redirects
        if t == "herestring_redirect":
            word = next((c for c in node.named_children), None)
            if word is None:
                return feed, redirects
            self.statement(word, Stream())
            w = self.read(word)
            streams = [self.stream_of(s) for s in w.subs]
            return Stream(text=None if w.dynamic else w.text, network=any(s.network for s in streams),
                          decoded=any(s.decoded for s in streams), secret=next((s.secret for s in streams if s.secret), None),
                          present=True), redirects
        if t == "file_redirect":
            dest = node.child_by_field_name("destination")
            op = next((_text(c) for c in node.children if not c.is_named), ">")
            if op == "<" and any(c.type == "ERROR" and _text(c) == ">" for c in node.children):
                op = "<>"  # the grammar does not know N<>file
            fd = next((_text(c) for c in node.named_children if c.type == "file_descriptor"), None)
            if dest is None:
                return feed, redirects
            if dest.type == "process_substitution":
                s = self.stream_of(dest)
                return (s.connected() if op.startswith("<") else feed), redirects
            self.statement(dest, Stream())
            target = self.read(dest).text
            if op in (">&", "<&"):
                socket = self.sockets.get("$" if target.startswith("$") else target)
                if socket is not None:
                    # A copy of a descriptor that holds a network connection.
                    if op == "<&" and fd in (None, "0"):
                        return Stream(network=True, present=True), redirects
                    return feed, redirects + [(">&", socket)]
            if op in ("<", "<>"):
                path = normalize(target)
                if path.startswith(network.SOCKET_PATHS):
                    self.add(Hit(network.RAW_SOCKET, path))
                    if fd not in (None, "0"):
                        self.sockets[fd] = path
                        return feed, redirects
                    return Stream(network=True, present=True), redirects
                return Stream(network=self.downloaded(path), secret=secret_in(target),
                              endless=path in _INFINITE, present=True), redirects
            if op in (">&", "<&", ">&-") and re.fullmatch(r"\d*-?", target):
                return feed, redirects
            return feed, redirects + [(op, target)]
        return feed, redirects

    def read(self, node: Any) -> Word:
        return WordReader(self.env).read(node)

    def assignment(self, node: Any) -> None:
        name_node = node.child_by_field_name("name")
        value = node.child_by_field_name("value")
        name = _text(name_node) if name_node is not None else ""
        if name_node is not None and name_node.type == "subscript":
            self.statement(name_node, Stream())
            name = ""
        self.env[name] = self.assigned(value)
        self.env_hits(name, self.env[name].text)

    def assigned(self, value: Any) -> Word:
        """The value of an assignment; an array keeps its elements apart."""
        if value is None:
            return Word("")
        self.statement(value, Stream())
        if value.type == "array":
            return list_word([self.read(c) for c in value.named_children])
        return self.read(value)

    def function(self, node: Any) -> None:
        name_node = node.child_by_field_name("name")
        body = node.child_by_field_name("body")
        if body is None:
            return
        fname = _text(name_node) if name_node is not None else ""
        calls = 0
        stack = [body]
        while stack:
            n = stack.pop()
            if n.type == "command":
                cname = n.child_by_field_name("name")
                if cname is not None and _text(cname) == fname:
                    calls += 1
            stack.extend(n.named_children)
        if calls >= 2:
            self.add(Hit(shell.FORK_BOMB))
        self.statement(body, Stream())

    def command(self, node: Any, stdin: Stream, redirects: List[Tuple[str, str]]) -> Stream:
        words: List[Word] = []
        prefix_env: List[Tuple[str, Word]] = []
        children = node.children
        for i, child in enumerate(children):
            field = node.field_name_for_child(i)
            after = children[i + 1] if i + 1 < len(children) else node.next_sibling
            if field in ("name", "argument") and _glued_descriptor(child, after):
                continue
            if child.type == "variable_assignment":
                name_node = child.child_by_field_name("name")
                value = child.child_by_field_name("value")
                prefix_env.append((_text(name_node) if name_node is not None else "", self.assigned(value)))
            elif field == "name":
                self.statement(child, Stream())
                words.append(self.read(child.named_children[0] if child.named_child_count == 1 else child))
            elif field == "argument":
                self.statement(child, Stream())
                words.append(self.read(child))
            elif field == "redirect" or child.type in ("herestring_redirect", "file_redirect"):
                stdin, redirects = self.redirect(child, stdin, redirects, [])
            elif child.is_named:
                self.statement(child, Stream())
        for name, w in prefix_env:
            self.env_hits(name, w.text)
        if not words:
            for name, w in prefix_env:
                self.env[name] = w
            return Stream()
        return self.invoke(words, stdin, redirects)

    def write_hits(self, cmd: Optional[Cmd], redirects: List[Tuple[str, str]], out: Stream) -> None:
        for op, target in redirects:
            if op.startswith("<"):
                continue
            path = normalize(target)
            self.wrote(path, out, op in (">>", "&>>"), cmd)
            if out.network and cmd is not None and not path.startswith(network.SOCKET_PATHS):
                self.downloads.add(path)

    def wrote(self, path: str, out: Stream, append: bool, cmd: Optional[Cmd] = None) -> None:
        """Judge writing ``out`` to ``path`` and remember the content for a later source or run."""
        event = Redirect(normalize(path), append, out, cmd)
        for hook in REDIRECT_HOOKS:
            for h in hook(event):
                self.add(h)
        self.remember(path, out.text, append)

    def remember(self, path: str, text: Optional[str], append: bool) -> None:
        key = normalize(path)
        before = self.files.get(key, "") if append else ""
        self.files[key] = None if text is None or before is None else before + text

"""What Python code does to the system, read with the standard ``ast`` module.

Shell commands (``os.system``, ``subprocess.*``, ``os.popen``, ``os.exec*``, ``pty.spawn``) with a
string or list the code spells out are handed back as shell code; deletes (``shutil.rmtree``,
``os.remove``, ``pathlib`` ``unlink``/``rmdir``) and truncating writes (``open(p, "w")``,
``write_text``) are judged by their target, which may be ``~`` (``expanduser``, ``Path.home()``,
``$HOME``). Values are followed through simple assignments, string joins, ``os.path.join`` and
``/`` on paths, and loops over directory listings. What cannot be followed (``exec`` of a value
built at run time, ``getattr`` with a computed name, ``__import__`` of a variable) is reported as
code cmdai cannot check.
"""
from __future__ import annotations

import ast
import shlex

from .finding import Finding

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Dict, List, Optional, Union

    #: What an expression is known to hold: a string, a list of strings, or None when unknown.
    Value = Union[str, List[str], None]

#: Functions that run a shell command line (a string) or a program with arguments (a list).
_SHELL_CALLS = frozenset(["os.system", "os.popen", "subprocess.run", "subprocess.call", "subprocess.check_call",
                          "subprocess.check_output", "subprocess.Popen", "subprocess.getoutput",
                          "subprocess.getstatusoutput", "commands.getoutput", "commands.getstatusoutput",
                          "pty.spawn", "os.posix_spawn", "os.posix_spawnp", "asyncio.create_subprocess_shell",
                          "asyncio.create_subprocess_exec", "sh.Command", "platform.popen"])
_EXEC_PREFIXES = ("os.exec", "os.spawn")
_RECURSIVE_DELETES = frozenset(["shutil.rmtree"])
_FILE_DELETES = frozenset(["os.remove", "os.unlink", "os.rmdir", "os.removedirs"])
_PATH_DELETES = frozenset(["unlink", "rmdir"])
_CODE_RUNNERS = frozenset(["exec", "eval", "compile", "execfile", "builtins.exec", "builtins.eval", "runpy.run_path",
                           "runpy.run_module", "code.interact", "importlib.import_module", "__import__"])
_HOME_CALLS = frozenset(["pathlib.Path.home", "Path.home", "os.path.expanduser", "pathlib.Path.expanduser"])
_LISTINGS = frozenset(["os.listdir", "os.scandir", "glob.glob", "glob.iglob"])


def scan(code: str) -> List[Finding]:
    """Findings for the Python source ``code``; code that does not parse cannot be checked."""
    try:
        tree = ast.parse(code)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return [Finding("uncheckable", "Python code that does not parse")]
    reader = _Reader()
    try:
        reader.visit(tree)
    except RecursionError:
        return [Finding("uncheckable", "Python code nested too deeply")]
    return reader.found


class _Reader(ast.NodeVisitor):
    def __init__(self) -> None:
        self.found: List[Finding] = []
        #: Local name -> the dotted name it stands for (import os as o; from os import system).
        self.aliases: Dict[str, str] = {}
        #: Variables assigned a value that can be known.
        self.values: Dict[str, Value] = {}

    # -- names and values ----------------------------------------------------------------------

    def visit_Import(self, node: ast.Import) -> None:
        for a in node.names:
            if a.asname:
                self.aliases[a.asname] = a.name
            else:
                self.aliases[a.name.split(".")[0]] = a.name.split(".")[0]

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        for a in node.names:
            self.aliases[a.asname or a.name] = f"{node.module}.{a.name}" if node.module else a.name

    def visit_Assign(self, node: ast.Assign) -> None:
        self.generic_visit(node)
        value = self.value(node.value)
        dotted = self.dotted(node.value)
        for target in node.targets:
            if isinstance(target, ast.Name):
                self.values[target.id] = value
                if dotted:
                    self.aliases[target.id] = dotted

    def visit_For(self, node: ast.For) -> None:
        self.visit(node.iter)
        self.loop_variable(node.target, node.iter)
        for stmt in node.body + node.orelse:
            self.visit(stmt)

    def visit_comprehension(self, node: ast.comprehension) -> None:
        self.visit(node.iter)
        self.loop_variable(node.target, node.iter)
        for cond in node.ifs:
            self.visit(cond)

    def visit_ListComp(self, node: Union[ast.ListComp, ast.SetComp, ast.GeneratorExp]) -> None:
        for gen in node.generators:
            self.visit(gen)
        self.visit(node.elt)

    visit_SetComp = visit_GeneratorExp = visit_ListComp

    def loop_variable(self, target: ast.AST, iterable: ast.AST) -> None:
        """for p in os.listdir(d) / glob.glob(pat) / Path(d).iterdir(): p stands for every entry."""
        if not isinstance(target, ast.Name):
            return
        entries = self.listing(iterable)
        self.values[target.id] = entries

    def listing(self, node: ast.AST) -> Optional[str]:
        if not isinstance(node, ast.Call):
            return None
        name = self.dotted(node.func)
        if name in _LISTINGS and node.args:
            base = self.value(node.args[0])
            if isinstance(base, str):
                return base if name.startswith("glob") else base.rstrip("/") + "/*"
        if isinstance(node.func, ast.Attribute) and node.func.attr in ("iterdir", "glob", "rglob"):
            base = self.value(node.func.value)
            if isinstance(base, str):
                pattern = self.value(node.args[0]) if node.args else "*"
                return base.rstrip("/") + "/" + (pattern if isinstance(pattern, str) else "*")
        if name in ("os.listdir", "os.scandir") and not node.args:
            return "./*"
        return None

    def dotted(self, node: ast.AST) -> str:
        """The dotted name a call target stands for: os.system, shutil.rmtree, Path.home …"""
        if isinstance(node, ast.Name):
            return self.aliases.get(node.id, node.id)
        if isinstance(node, ast.Attribute):
            base = self.dotted(node.value)
            return f"{base}.{node.attr}" if base else ""
        if isinstance(node, ast.Call):
            func = self.dotted(node.func)
            # __import__("os").system, importlib.import_module("os").system
            if func in ("__import__", "importlib.import_module") and node.args:
                module = self.value(node.args[0])
                return module if isinstance(module, str) else ""
            if func in ("getattr", "builtins.getattr") and len(node.args) >= 2:
                attr = self.value(node.args[1])
                base = self.dotted(node.args[0])
                return f"{base}.{attr}" if isinstance(attr, str) and base else ""
            if func in ("pathlib.Path", "Path", "pathlib.PosixPath", "PosixPath"):
                return "pathlib.Path()"
        return ""

    def value(self, node: Optional[ast.AST]) -> Value:
        """The string (or list of strings) ``node`` evaluates to, when the code spells it out."""
        if node is None:
            return None
        if isinstance(node, ast.Constant):
            if isinstance(node.value, bytes):
                return node.value.decode("utf-8", "replace")
            return node.value if isinstance(node.value, str) else str(node.value) if isinstance(
                node.value, int) and not isinstance(node.value, bool) else None
        if isinstance(node, ast.Name):
            return self.values.get(node.id)
        if isinstance(node, (ast.List, ast.Tuple)):
            items = [self.value(e) for e in node.elts]
            return [i for i in items if isinstance(i, str)] if all(isinstance(i, str) for i in items) else None
        if isinstance(node, ast.JoinedStr):
            parts = [self.value(v.value if isinstance(v, ast.FormattedValue) else v) for v in node.values]
            return "".join(parts) if all(isinstance(p, str) for p in parts) else None
        if isinstance(node, ast.BinOp):
            left, right = self.value(node.left), self.value(node.right)
            if isinstance(left, str) and isinstance(right, str):
                if isinstance(node.op, ast.Add):
                    return left + right
                if isinstance(node.op, ast.Div):
                    return _join_path(left, right)
            if isinstance(node.op, ast.Mod) and isinstance(left, str):
                return left.replace("%s", right if isinstance(right, str) else "") if isinstance(
                    right, str) else None
            return None
        if isinstance(node, ast.Subscript):
            base = self.dotted(node.value)
            key = self.value(node.slice)
            if base in ("os.environ",) and key == "HOME":
                return "~"
            return None
        if isinstance(node, ast.Call):
            return self.call_value(node)
        return None

    def call_value(self, node: ast.Call) -> Value:
        func = self.dotted(node.func)
        args = [self.value(a) for a in node.args]
        first = args[0] if args else None
        if func in _HOME_CALLS:
            if func.endswith("expanduser") and isinstance(node.func, ast.Attribute) and func.startswith("pathlib"):
                base = self.value(node.func.value)
                return base if isinstance(base, str) else None
            return "~" if func.endswith("home") else first if isinstance(first, str) else None
        if func in ("os.getenv", "os.environ.get") and first == "HOME":
            return "~"
        if func in ("os.path.join", "posixpath.join") and args and all(isinstance(a, str) for a in args):
            out = ""
            for a in args:
                out = _join_path(out, a) if out else a
            return out
        if func in ("os.path.abspath", "os.path.realpath", "os.path.normpath", "str", "os.fspath") and first:
            return first
        if func in ("pathlib.Path", "Path", "pathlib.PosixPath", "PosixPath"):
            if not args:
                return "."
            if all(isinstance(a, str) for a in args):
                out = ""
                for a in args:
                    out = _join_path(out, a) if out else a
                return out
            return None
        if isinstance(node.func, ast.Attribute):
            base = self.value(node.func.value)
            if node.func.attr in ("expanduser", "resolve", "absolute") and isinstance(base, str):
                return base
            if node.func.attr == "joinpath" and isinstance(base, str) and all(isinstance(a, str) for a in args):
                out = base
                for a in args:
                    out = _join_path(out, a)
                return out
            if node.func.attr == "join" and isinstance(base, str) and isinstance(first, list):
                return base.join(first)
            if node.func.attr == "split" and isinstance(base, str) and (not args or isinstance(first, str)):
                return base.split(first) if args else base.split()
            if node.func.attr == "format" and isinstance(base, str) and all(isinstance(a, str) for a in args):
                try:
                    return base.format(*args)
                except (IndexError, KeyError, ValueError):
                    return None
        return None

    # -- what the code does ------------------------------------------------------------------------

    def visit_Call(self, node: ast.Call) -> None:
        self.generic_visit(node)
        func = self.dotted(node.func)
        args = node.args
        first = self.value(args[0]) if args else None
        shell_kw = any(k.arg == "shell" and isinstance(k.value, ast.Constant) and k.value.value for k in node.keywords)
        if func in _SHELL_CALLS or func.startswith(_EXEC_PREFIXES):
            self.shell(func, node, first, shell_kw)
        elif func in _RECURSIVE_DELETES:
            self.delete("delete", first)
        elif func in _FILE_DELETES:
            self.delete("delete-file", first)
        elif func in ("os.chmod", "os.chown", "os.lchown") and args:
            mode = self.value(args[1]) if len(args) > 1 else None
            if isinstance(first, str):
                mode_text = oct(int(mode))[2:] if isinstance(mode, str) and mode.isdigit() else "u+rw"
                verb = "chmod" if func == "os.chmod" else "chown"
                self.found.append(Finding("shell", f"{verb} {mode_text if verb == 'chmod' else 'user'} "
                                                   f"{shlex.quote(first)}"))
        elif isinstance(node.func, ast.Attribute) and node.func.attr in _PATH_DELETES and self._is_path(node.func.value):
            self.delete("delete-file", self.value(node.func.value))
        elif isinstance(node.func, ast.Attribute) and node.func.attr in ("write_text", "write_bytes") and self._is_path(
                node.func.value):
            self.write(self.value(node.func.value))
        elif func in ("open", "io.open", "builtins.open", "codecs.open") and args:
            mode = self.value(args[1]) if len(args) > 1 else next(
                (self.value(k.value) for k in node.keywords if k.arg == "mode"), "r")
            if isinstance(mode, str) and "w" in mode:
                self.write(first)
        elif func in _CODE_RUNNERS or func.endswith((".exec", ".eval")) and func.startswith("builtins"):
            self.code(func, first, args)
        elif func in ("getattr", "builtins.getattr") and len(args) >= 2 and not isinstance(self.value(args[1]), str):
            self.found.append(Finding("uncheckable", "Python getattr with a name computed at run time"))
        elif func.startswith("ctypes") or func.endswith(".system") and func.split(".")[0] not in ("os",):
            self.found.append(Finding("uncheckable", f"Python {func or 'call'} that reaches the system"))
        elif func == "" and isinstance(node.func, ast.Call):
            # getattr(os, name)(…) or __import__(x).y(…) whose target could not be named.
            inner = self.dotted(node.func.func)
            if inner in ("getattr", "__import__", "importlib.import_module", "builtins.getattr"):
                self.found.append(Finding("uncheckable", f"Python {inner} with a name computed at run time"))

    def visit_Attribute(self, node: ast.Attribute) -> None:
        self.generic_visit(node)
        if isinstance(node.value, ast.Call) and self.dotted(node.value.func) in ("__import__", "importlib.import_module"):
            if not isinstance(self.value(node.value.args[0]) if node.value.args else None, str):
                self.found.append(Finding("uncheckable", "Python __import__ of a module named at run time"))

    def _is_path(self, node: ast.AST) -> bool:
        if isinstance(node, ast.Call):
            return self.dotted(node.func) in ("pathlib.Path", "Path", "pathlib.PosixPath", "PosixPath") or (
                isinstance(node.func, ast.Attribute) and node.func.attr in ("home", "expanduser", "joinpath",
                                                                             "resolve", "absolute"))
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div):
            return True
        return isinstance(node, ast.Name) and node.id in self.values

    def shell(self, func: str, node: ast.Call, first: Value, shell_kw: bool) -> None:
        if func.startswith(_EXEC_PREFIXES):
            # os.execl(path, arg0, arg1 …), os.execv(path, [arg0 …]), os.spawnl(mode, path, arg0 …)
            rest = node.args[2:] if func.startswith("os.spawn") else node.args[1:]
            if func.endswith("e"):
                rest = rest[:-1]  # the environment
            values = [self.value(a) for a in rest]
            argv: List[str] = []
            for v in values:
                if isinstance(v, list):
                    argv.extend(v)
                elif isinstance(v, str):
                    argv.append(v)
                else:
                    argv = []
                    break
            if argv:
                self.found.append(Finding("shell", " ".join(shlex.quote(a) for a in argv)))
            else:
                self.found.append(Finding("dynamic", "python"))
            return
        if isinstance(first, str):
            self.found.append(Finding("shell", first))
        elif isinstance(first, list) and first:
            if shell_kw:
                self.found.append(Finding("shell", first[0]))
            else:
                self.found.append(Finding("shell", " ".join(shlex.quote(a) for a in first)))
        else:
            self.found.append(Finding("dynamic", "python"))

    def delete(self, kind: str, target: Value) -> None:
        if isinstance(target, str):
            self.found.append(Finding(kind, target))
        else:
            self.found.append(Finding("uncheckable", "Python deletes a path chosen at run time"))

    def write(self, target: Value) -> None:
        if isinstance(target, str):
            self.found.append(Finding("write", target))

    def code(self, func: str, first: Value, args: List[ast.expr]) -> None:
        if func in ("__import__", "importlib.import_module"):
            if not isinstance(first, str):
                self.found.append(Finding("uncheckable", f"Python {func} of a module named at run time"))
            return
        if isinstance(first, str) and func in ("exec", "eval", "compile", "builtins.exec", "builtins.eval"):
            self.found.extend(scan(first))
            return
        self.found.append(Finding("uncheckable", f"Python {func} of code built at run time"))


def _join_path(left: str, right: str) -> str:
    if right.startswith("/"):
        return right
    return left.rstrip("/") + "/" + right if left else right

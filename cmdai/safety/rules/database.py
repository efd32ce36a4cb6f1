"""Database clients: the SQL (or Redis/Mongo command) they are given is code, judged here."""
from __future__ import annotations

import re

from ...lazy_regex import lazy_regex
from ..levels import Risk
from .base import Cmd, Hit, checks, option_values, rule

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import List, Optional

DB = "databases"
H, M = Risk.HIGH, Risk.MODERATE

DROP = rule("db.drop", H, DB, "drops {target} and all the data in it")
TRUNCATE = rule("db.truncate", H, DB, "empties the table {target}")
DELETE_ALL = rule("db.delete-all", H, DB, "deletes every row of {target} (no WHERE clause)")
UPDATE_ALL = rule("db.update-all", H, DB, "changes every row of {target} (no WHERE clause)")
FLUSH = rule("db.flush", H, DB, "deletes every key in the Redis database")
MONGO_DROP = rule("db.mongo-drop", H, DB, "drops a MongoDB database or collection, or deletes all its documents")
WRITE = rule("db.write", M, DB, "changes data in the database")
UNKNOWN_SQL = rule("db.unseen-input", M, DB, "runs database statements that cannot be inspected here")
DROPDB = rule("db.dropdb", H, DB, "drops the database {target}")

#: Client -> options that carry the statements.
CLIENTS = {
    "psql": ("-c", "--command"),
    "mysql": ("-e", "--execute"),
    "mariadb": ("-e", "--execute"),
    "sqlite3": (),
    "duckdb": ("-c",),
    "sqlcmd": ("-Q", "-q"),
    "clickhouse-client": ("-q", "--query"),
    "cockroach": ("-e", "--execute"),
    "cqlsh": ("-e", "--execute"),
    "mongo": ("--eval",),
    "mongosh": ("--eval",),
    "redis-cli": (),
    "snowsql": ("-q", "--query"),
    "bq": (),
}

_STATEMENT = lazy_regex(r"[^;]+")
_DROP = lazy_regex(r"\bdrop\s+(database|schema|table|index|view|user|role|keyspace|collection|owned)\s+"
                   r"(if\s+exists\s+)?([\w.\"`]+)?", re.I)
_ALTER_DROP = lazy_regex(r"\balter\s+table\s+([\w.\"`]+).*\bdrop\b", re.I | re.S)
_TRUNCATE = lazy_regex(r"\btruncate\s+(table\s+)?([\w.\"`]+)", re.I)
_DELETE = lazy_regex(r"\bdelete\s+from\s+([\w.\"`]+)", re.I)
_UPDATE = lazy_regex(r"\bupdate\s+([\w.\"`]+)\s+set\b", re.I)
_WRITE = lazy_regex(r"\b(insert|replace|merge|alter|create|grant|revoke|copy|load)\b", re.I)
_WHERE = lazy_regex(r"\bwhere\b", re.I)
_MONGO = lazy_regex(r"\.(dropDatabase|drop)\(\s*\)|\.(deleteMany|remove)\(\s*\{\s*\}\s*\)")
_REDIS_FLUSH = lazy_regex(r"^\s*(flushall|flushdb)\b", re.I | re.M)


def sql_hits(text: str) -> List[Hit]:
    """What the statements in ``text`` do."""
    hits: List[Hit] = []
    for stmt in _STATEMENT.findall(_strip_sql_comments(text)):
        m = _DROP.search(stmt)
        if m:
            hits.append(Hit(DROP, f"{m.group(1).lower()} {(m.group(3) or '').strip()}".strip()))
            continue
        m = _ALTER_DROP.search(stmt)
        if m:
            hits.append(Hit(DROP, f"part of table {m.group(1)}"))
            continue
        m = _TRUNCATE.search(stmt)
        if m:
            hits.append(Hit(TRUNCATE, m.group(2)))
            continue
        m = _DELETE.search(stmt)
        if m:
            hits.append(Hit(WRITE) if _WHERE.search(stmt) else Hit(DELETE_ALL, m.group(1)))
            continue
        m = _UPDATE.search(stmt)
        if m:
            hits.append(Hit(WRITE) if _WHERE.search(stmt) else Hit(UPDATE_ALL, m.group(1)))
            continue
        if _MONGO.search(stmt):
            hits.append(Hit(MONGO_DROP))
        elif _REDIS_FLUSH.search(stmt):
            hits.append(Hit(FLUSH))
        elif _WRITE.search(stmt):
            hits.append(Hit(WRITE))
    return hits


def _strip_sql_comments(text: str) -> str:
    return re.sub(r"--[^\n]*|/\*.*?\*/", " ", text, flags=re.S)


def statements(cmd: Cmd) -> Optional[str]:
    """The statements a client invocation runs; None when they come from somewhere unseen."""
    opts_with_value = CLIENTS[cmd.name]
    pieces: List[str] = []
    args = cmd.args
    if {"-f", "--file", "-i", "--init"} & set(args) and cmd.name != "redis-cli":
        return None
    pieces += option_values(args, opts_with_value)
    if cmd.name == "sqlite3":
        operands = [a for a in args if not a.startswith("-")]
        pieces += operands[1:]
    if cmd.name == "redis-cli":
        words = [a for a in args if not a.startswith("-")]
        skip = {args[i + 1] for i, a in enumerate(args[:-1]) if a in ("-h", "-p", "-a", "-n", "-u", "--user", "--pass")}
        words = [w for w in words if w not in skip]
        if words:
            pieces.append(" ".join(words))
    if cmd.name == "bq" and args[:1] in (["query"], ["rm"]):
        if args[0] == "rm":
            return "drop table " + (args[-1] if len(args) > 1 else "")
        pieces += [a for a in args[1:] if not a.startswith("-")]
    if pieces:
        return ";\n".join(pieces)
    if cmd.stdin.present:
        return cmd.stdin.text
    return ""


@checks(*CLIENTS)
def check_client(cmd: Cmd) -> List[Hit]:
    text = statements(cmd)
    if text is None:
        return [Hit(UNKNOWN_SQL)]
    return sql_hits(text)


@checks("dropdb", "mysqladmin")
def check_admin(cmd: Cmd) -> List[Hit]:
    words = [a for a in cmd.args if not a.startswith("-")]
    if cmd.name == "mysqladmin":
        if "drop" not in words:
            return []
        words = words[words.index("drop") + 1:]
    return [Hit(DROPDB, words[-1] if words else None)]

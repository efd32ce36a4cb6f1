"""The rule catalog: every danger the safety engine knows, by category.

Each category module declares its rules with ``rule(id, level, category, explanation)`` and
registers checkers for the commands it judges with ``@checks("name", ...)``. To add a rule,
declare it in the module of its category and return a ``Hit`` for it from a checker.
"""
from __future__ import annotations

from . import cloud, database, disk, execution, filesystem, git, network, shell, system  # noqa: F401  (registration)
from ..levels import Risk
from .base import RULES, Appended, Cmd, Hit, Rule, Stream, checked_names, checkers_for

__all__ = ["RULES", "Appended", "Cmd", "Hit", "Rule", "Stream", "catalog_markdown", "checked_names", "checkers_for"]


def catalog_markdown() -> str:
    """The catalog as a Markdown table grouped by category (docs/safety.md embeds it)."""
    lines = ["| id | level | category | explanation |", "|---|---|---|---|"]
    ordered = sorted((r for r in RULES.values() if r.level > Risk.SAFE), key=lambda r: (r.category, -r.level, r.id))
    for r in ordered:
        text = r.explanation.replace("{target}", "…").replace("|", "\\|")
        lines.append(f"| `{r.id}` | {r.level.label} | {r.category} | {text} |")
    return "\n".join(lines) + "\n"

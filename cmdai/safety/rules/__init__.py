"""The rule catalog: every danger the safety engine knows, by category.

Each module of this package declares its rules with ``rule(id, level, category, explanation)``
and registers hooks for what it judges: ``@checks("name", ...)`` for commands, ``@on_redirect``,
``@on_pipeline`` and ``@on_assignment``. Every module here is imported with the package, so a new
rule module is one new file: there is no list to add it to.
"""
from __future__ import annotations

from ...discovery import load, module_names
from ..levels import Risk
from .base import (ASSIGNMENT_HOOKS, PIPELINE_HOOKS, REDIRECT_HOOKS, RULES, Appended, Cmd, Hit, Redirect, Rule,
                   Stream, checked_names, checkers_for)

__all__ = ["ASSIGNMENT_HOOKS", "PIPELINE_HOOKS", "REDIRECT_HOOKS", "RULES", "Appended", "Cmd", "Hit", "Redirect",
           "Rule", "Stream", "catalog_markdown", "checked_names", "checkers_for"]

for _name in module_names(__path__):
    load(f"{__name__}.{_name}")


def catalog_markdown() -> str:
    """The catalog as a Markdown table grouped by category (docs/safety.md embeds it)."""
    lines = ["| id | level | category | explanation |", "|---|---|---|---|"]
    ordered = sorted((r for r in RULES.values() if r.level > Risk.SAFE), key=lambda r: (r.category, -r.level, r.id))
    for r in ordered:
        text = r.explanation.replace("{target}", "…").replace("|", "\\|")
        lines.append(f"| `{r.id}` | {r.level.label} | {r.category} | {text} |")
    return "\n".join(lines) + "\n"

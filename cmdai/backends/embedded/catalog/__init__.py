"""The offline catalog: every intent the embedded engine knows, one module per topic.

Adding an intent means adding one ``intent(...)`` entry to the topic module it belongs to.
"""
from __future__ import annotations

from typing import List

from ..intent import Intent
from . import archives, dates, docker, files, git, network, packages, processes, ssh, system, text
from .vocab import NOT_ARGS

TOPICS = (files, text, processes, network, git, packages, system, docker, archives, ssh, dates)

INTENTS: List[Intent] = [it for topic in TOPICS for it in topic.INTENTS]

__all__ = ["INTENTS", "NOT_ARGS", "TOPICS"]

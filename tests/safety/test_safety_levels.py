"""The policy table: what each safety level does with each risk."""
from __future__ import annotations

import pytest

from cmdai.safety import SAFETY_LEVELS, Action, Risk, decide, stricter

TABLE = {
    ("strict", Risk.SAFE): Action.ALLOW,
    ("strict", Risk.MODERATE): Action.CONFIRM,
    ("strict", Risk.HIGH): Action.BLOCK,
    ("strict", Risk.CRITICAL): Action.BLOCK,
    ("moderate", Risk.SAFE): Action.ALLOW,
    ("moderate", Risk.MODERATE): Action.ALLOW,
    ("moderate", Risk.HIGH): Action.CONFIRM,
    ("moderate", Risk.CRITICAL): Action.BLOCK,
    ("permissive", Risk.SAFE): Action.ALLOW,
    ("permissive", Risk.MODERATE): Action.ALLOW,
    ("permissive", Risk.HIGH): Action.ALLOW,
    ("permissive", Risk.CRITICAL): Action.CONFIRM,
}


def test_table_covers_every_combination() -> None:
    assert set(TABLE) == {(level, risk) for level in SAFETY_LEVELS for risk in Risk}


@pytest.mark.parametrize("level,risk", sorted(TABLE, key=lambda k: (k[0], k[1])))
def test_decide(level: str, risk: Risk) -> None:
    assert decide(risk, level) is TABLE[(level, risk)]


def test_stricter_and_labels() -> None:
    assert stricter("permissive", "strict") == "strict"
    assert stricter("moderate", "permissive") == "moderate"
    assert stricter("moderate", "moderate") == "moderate"
    assert [r.label for r in Risk] == ["safe", "moderate", "high", "critical"]
    assert Risk.parse(" High ") is Risk.HIGH

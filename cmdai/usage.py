"""Tokens used per day and per deployment, counted on this machine for ``cmdai --usage``.

The counter holds dates, deployment names and numbers, never request text. It is always on,
private to the user (0600) and bounded: 30 days, a few dozen deployments a day.
"""
from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any, Dict, List, Mapping, Optional, TextIO, Tuple

from . import paths
from .disk_store import write_json
from .sanitize import one_line

DAYS_KEPT = 30
#: More deployments than this in one day are counted together as OTHER.
MAX_DEPLOYMENTS_PER_DAY = 40
OTHER = "(other deployments)"
#: A single answer reporting more than this is not believed (the numbers come from the network).
_MAX_TOKENS_PER_ANSWER = 10_000_000
_FIELDS = ("requests", "prompt_tokens", "completion_tokens")


def usage_file() -> Path:
    return Path(paths.user_data_dir(), "usage.json")


def _load(path: Path) -> Dict[str, Dict[str, Dict[str, int]]]:
    try:
        with open(path, encoding="utf-8") as handle:
            data = json.load(handle)
    except (OSError, ValueError):
        return {}
    days = data.get("days") if isinstance(data, dict) else None
    if not isinstance(days, dict):
        return {}
    clean: Dict[str, Dict[str, Dict[str, int]]] = {}
    for day, deployments in days.items():
        if isinstance(day, str) and len(day) == 10 and isinstance(deployments, dict):
            clean[day] = {str(name)[:120]: {f: int(counts.get(f, 0)) for f in _FIELDS
                                            if isinstance(counts.get(f, 0), int)}
                          for name, counts in deployments.items() if isinstance(counts, dict)}
    return clean


def _count(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= _MAX_TOKENS_PER_ANSWER else 0


def _today(now: Optional[float] = None) -> str:
    return time.strftime("%Y-%m-%d", time.localtime(now))


def _recent_days(now: Optional[float] = None) -> List[str]:
    """The last DAYS_KEPT local dates, today first."""
    moment = time.time() if now is None else now
    return [_today(moment - 86400 * back) for back in range(DAYS_KEPT)]


def record_usage(deployment: str, usage: Mapping[str, Any], now: Optional[float] = None) -> None:
    """Add one answer's prompt and completion tokens to today's count for ``deployment``."""
    path = usage_file()
    days = _load(path)
    today = _today(now)
    keep = set(_recent_days(now))
    days = {day: counts for day, counts in days.items() if day in keep}
    counts = days.setdefault(today, {})
    name = one_line(deployment, 120) or "(unnamed)"
    if name not in counts and len(counts) >= MAX_DEPLOYMENTS_PER_DAY:
        name = OTHER
    entry = counts.setdefault(name, {})
    entry["requests"] = entry.get("requests", 0) + 1
    for field in ("prompt_tokens", "completion_tokens"):
        entry[field] = entry.get(field, 0) + _count(usage.get(field))
    try:
        write_json(path, {"version": 1, "days": days})
    except OSError:
        pass  # Counting is a convenience; it never stops an answer.


def usage_rows(now: Optional[float] = None) -> List[Tuple[str, str, int, int, int]]:
    """Every (day, deployment) count of the last 30 days, newest day first."""
    days = _load(usage_file())
    rows = []
    for day in _recent_days(now):
        for name, counts in sorted(days.get(day, {}).items()):
            rows.append((day, name, counts.get("requests", 0), counts.get("prompt_tokens", 0),
                         counts.get("completion_tokens", 0)))
    return rows


def estimated_cost(prices: Mapping[str, Any], deployment: str, prompt: int, completion: int) -> Optional[float]:
    """The cost of the tokens at ``prices[deployment]`` (per million input/output tokens), or None."""
    price = prices.get(deployment)
    if not isinstance(price, Mapping):
        return None
    return (prompt * float(price.get("input", 0)) + completion * float(price.get("output", 0))) / 1_000_000


def print_usage(prices: Mapping[str, Any], stream: TextIO, as_json: bool = False) -> None:
    """The per-day and per-deployment table of ``cmdai --usage``."""
    rows = usage_rows()
    totals: Dict[str, List[int]] = {}
    for _, name, requests, prompt, completion in rows:
        total = totals.setdefault(name, [0, 0, 0])
        for index, value in enumerate((requests, prompt, completion)):
            total[index] += value

    def cost(name: str, prompt: int, completion: int) -> Optional[float]:
        return estimated_cost(prices, name, prompt, completion)

    if as_json:
        stream.write(json.dumps({
            "days": [{"date": day, "deployment": name, "requests": r, "prompt_tokens": p, "completion_tokens": c,
                      "estimated_cost": cost(name, p, c)} for day, name, r, p, c in rows],
            "deployments": [{"deployment": name, "requests": r, "prompt_tokens": p, "completion_tokens": c,
                             "estimated_cost": cost(name, p, c)} for name, (r, p, c) in sorted(totals.items())],
        }) + "\n")
        return
    if not rows:
        stream.write(f"no tokens counted in the last {DAYS_KEPT} days\n")
        return
    priced = any(cost(name, 1, 1) is not None for name in totals)
    header = f"{'date':<10}  {'deployment':<28} {'requests':>8} {'prompt':>10} {'completion':>10} {'total':>10}"
    header += f" {'est. cost':>10}" if priced else ""
    stream.write(header + "\n")

    def line(first: str, name: str, requests: int, prompt: int, completion: int) -> str:
        text = f"{first:<10}  {name[:28]:<28} {requests:>8} {prompt:>10} {completion:>10} {prompt + completion:>10}"
        if priced:
            value = cost(name, prompt, completion)
            text += f" {'' if value is None else f'{value:.4f}':>10}"
        return text + "\n"

    for day, name, requests, prompt, completion in rows:
        stream.write(line(day, name, requests, prompt, completion))
    stream.write(f"\nlast {DAYS_KEPT} days per deployment:\n")
    for name, (requests, prompt, completion) in sorted(totals.items()):
        stream.write(line("", name, requests, prompt, completion))
    if priced:
        stream.write("costs are estimates from the prices under [backend.prices] (per million tokens)\n")

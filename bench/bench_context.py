"""What context collection adds to the hotkey path, against its 15 ms budget.

    python bench/bench_context.py [--runs N]

Each case runs in a fresh interpreter (so module imports count, as they do on a key press) in an
isolated home, loads what ``cmdai --widget`` loads anyway, then times loading the context
modules, collecting every enabled source and redacting the result. Cases: the defaults (os, tools) with the tools cache warm, the same with a
cold cache (the first press after PATH changed), and every source on inside a git repository.
The median of N runs is reported.
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Dict, List

BUDGET_MS = 15.0
REPO = Path(__file__).resolve().parents[1]

# Modules the hotkey path (cmdai --widget) loads anyway are loaded before the clock starts.
PROBE = """
import time
import cmdai.cli, cmdai.widget, cmdai.orchestrator
from cmdai.config import load_config
config = load_config()
start = time.perf_counter()
from cmdai.context import collect
from cmdai.redaction import Redactor
Redactor().redact_value(collect(config))
print((time.perf_counter() - start) * 1000)
"""


def run_probe(env: Dict[str, str], cwd: Path) -> float:
    out = subprocess.run([sys.executable, "-c", PROBE], env=env, cwd=str(cwd), capture_output=True, text=True,
                         check=True)
    return float(out.stdout.strip())


def median_ms(env: Dict[str, str], cwd: Path, runs: int, cold_cache: Path = None) -> float:
    times: List[float] = []
    run_probe(env, cwd)  # writes bytecode and the tools cache
    for _ in range(runs):
        if cold_cache is not None:
            for cached in cold_cache.glob("context-*.json"):
                cached.unlink()
        times.append(run_probe(env, cwd))
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    runs = parser.parse_args().runs
    with tempfile.TemporaryDirectory() as home:
        env = {k: v for k, v in os.environ.items() if not k.startswith("CMDAI_") and k != "PYTHONDONTWRITEBYTECODE"}
        env.update(HOME=home, XDG_CONFIG_HOME=f"{home}/config", XDG_CACHE_HOME=f"{home}/cache",
                   XDG_STATE_HOME=f"{home}/state", XDG_CONFIG_DIRS=f"{home}/site",
                   PYTHONPYCACHEPREFIX=f"{home}/pycache", CMDAI_LAST_COMMAND="make test", CMDAI_LAST_STATUS="2")
        results = {
            "defaults (os, tools), cache warm": median_ms(env, REPO, runs),
            "defaults, tools cache cold": median_ms(env, REPO, runs, cold_cache=Path(home, "cache", "cmdai")),
        }
        config = Path(home, "config", "cmdai", "config.toml")
        config.parent.mkdir(parents=True)
        config.write_text("[context]\ncwd = true\ngit = true\nlast_command = true\n", encoding="utf-8")
        results["every source, in a git repository"] = median_ms(env, REPO, runs)
    print(f"median of {runs} runs each; budget {BUDGET_MS:g} ms for the defaults with a warm cache")
    for name, ms in results.items():
        print(f"{name:40} {ms:8.2f} ms")
    verdict = "within" if results["defaults (os, tools), cache warm"] <= BUDGET_MS else "OVER"
    print(f"hotkey path: {verdict} budget")


if __name__ == "__main__":
    main()

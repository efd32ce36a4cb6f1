"""Start-up cost of the hotkey path, as ratios to bare interpreter runs measured in the same run.

    python bench/bench_startup.py [--runs N]

Each command runs N times in an isolated home (no config, no cache) after one warm-up run that
writes the bytecode cache; the median wall time is reported, and each cmdai path as a ratio to `python -c "import requests"` and to `python -c pass`.
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from typing import Dict, List


def median_seconds(command: List[str], env: Dict[str, str], runs: int) -> float:
    subprocess.run(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    runs = parser.parse_args().runs
    py = sys.executable
    with tempfile.TemporaryDirectory() as home:
        # Bytecode caching on, as in any installed copy: otherwise every run recompiles cmdai.
        env = {k: v for k, v in os.environ.items()
               if not k.startswith("CMDAI_") and k != "PYTHONDONTWRITEBYTECODE"}
        env.update(HOME=home, XDG_CONFIG_HOME=f"{home}/config", XDG_CACHE_HOME=f"{home}/cache",
                   XDG_CONFIG_DIRS=f"{home}/site", PYTHONPYCACHEPREFIX=f"{home}/pycache")
        cases = {
            'python -c pass': [py, "-c", "pass"],
            'python -c "import requests"': [py, "-c", "import requests"],
            "cmdai offline answer (embedded + safety)": [py, "-m", "cmdai", "-s", "bash", "list all python files"],
            "cmdai --check (safety only)": [py, "-m", "cmdai", "--check", "ls -la | grep foo"],
            "cmdai --init zsh": [py, "-m", "cmdai", "--init", "zsh"],
        }
        results = {name: median_seconds(cmd, env, runs) for name, cmd in cases.items()}
    bare = results['python -c pass']
    requests_time = results['python -c "import requests"']
    print(f"median of {runs} runs each")
    print(f"{'command':45} {'ms':>8} {'× import requests':>18} {'× python -c pass':>17}")
    for name, seconds in results.items():
        print(f"{name:45} {seconds * 1000:8.1f} {seconds / requests_time:18.2f} {seconds / bare:17.2f}")


if __name__ == "__main__":
    main()

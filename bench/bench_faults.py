"""The worst a misbehaving server can do to one ``cmdai`` run: wall time and peak memory over every fault.

    python bench/bench_faults.py [--timeout 2] [--runs 1]

Runs the real CLI against each mode of the fault server in tests/faults/fault_server.py (silent
servers, trickled headers and bodies, endless bodies, compression bombs, cut-off and broken answers,
hostile text) and prints each run's wall time as a ratio to ``timeout_seconds`` and its peak RSS.
The promise: every run within timeout_seconds + 0.5 s and 100 MiB.
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "faults"))

from fault_server import MAX_RSS_MIB, MODES, WALL_SLACK_SECONDS, FaultServer  # noqa: E402
from harness import cmdai_command, openai_config, run_measured  # noqa: E402

#: Modes that answer well or only matter to other routes (token endpoints, model lists).
SKIPPED = {"good", "blocked", "models-hostile", "mi-redirect", "mi-trickle"}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--timeout", type=float, default=2.0, help="timeout_seconds for every run")
    parser.add_argument("--runs", type=int, default=1, help="runs per mode (the worst counts)")
    options = parser.parse_args()

    with tempfile.TemporaryDirectory() as home, FaultServer() as server:
        env = {k: v for k, v in os.environ.items()
               if not k.startswith(("CMDAI_", "COVERAGE_")) and "proxy" not in k.lower()}
        env.update(HOME=home, XDG_CONFIG_HOME=f"{home}/config", XDG_CACHE_HOME=f"{home}/cache",
                   XDG_CONFIG_DIRS=f"{home}/site", NO_COLOR="1")
        config = Path(home) / "config.toml"
        targets = [(mode, server.url(mode)) for mode in MODES if mode not in SKIPPED]
        targets.append(("tls-handshake", server.url("any", "https")))
        worst_time = worst_rss = 0.0
        print(f"{'fault':22} {'wall / timeout':>15} {'peak RSS':>10}  line")
        for mode, url in targets:
            config.write_text(openai_config(url, timeout=options.timeout))
            runs = [run_measured(cmdai_command() + ["--config", str(config), "--no-cache", "-s", "bash", "list files"],
                                 env) for _ in range(options.runs)]
            slowest = max(runs, key=lambda run: run.seconds)
            largest = max(run.max_rss_mib for run in runs)
            worst_time = max(worst_time, slowest.seconds)
            worst_rss = max(worst_rss, largest)
            line = (slowest.stderr.strip().splitlines() or ["(no message)"])[-1]
            print(f"{mode:22} {slowest.seconds / options.timeout:>14.2f}x {largest:>7.0f} MiB  {line[:70]}")
    bound = (options.timeout + WALL_SLACK_SECONDS) / options.timeout
    print(f"\nworst wall time: {worst_time:.2f} s = {worst_time / options.timeout:.2f}x timeout_seconds "
          f"(bound {bound:.2f}x); worst peak RSS: {worst_rss:.0f} MiB (bound {MAX_RSS_MIB} MiB)")
    within = worst_time <= options.timeout + WALL_SLACK_SECONDS and worst_rss <= MAX_RSS_MIB
    print("within the bounds" if within else "OUTSIDE the bounds")
    return 0 if within else 1


if __name__ == "__main__":
    sys.exit(main())

"""Start-up cost of the hotkey path, as ratios to bare interpreter runs measured in the same run.

    python bench/bench_startup.py [--runs N] [--profile]

Each command runs N times, interleaved so that all see the same machine load, in an isolated home
(no config) after one warm-up run that writes the bytecode cache and the offline catalog cache,
as an installed copy has them. Reported: the median wall time, the median CPU time (steadier on a
busy machine), and two ratios with their goals:

  * an offline answer, the whole process, over `python -c pass` (goal 3.5x);
  * the Ctrl-G path (`cmdai --widget`) answered by an Azure AI Foundry server on loopback that
    replies at once, over `python -c "import requests"` (goal 1.05x).

--profile adds where the time goes in one offline answer: the slowest imports (`-X importtime`)
and the functions with the most cumulative time (cProfile).
"""
from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import Dict, List, NamedTuple, Optional, Tuple

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_azure import Handler  # noqa: E402  (the loopback Foundry that answers at once)

OFFLINE_GOAL = 3.5
HOTKEY_GOAL = 1.05
REQUEST = "list all python files"


class Timing(NamedTuple):
    wall_ms: float
    cpu_ms: float


def cmdai_command() -> List[str]:
    script = shutil.which("cmdai")
    return [script] if script else [sys.executable, "-m", "cmdai"]


def timed(command: List[str], env: Dict[str, str], line: Optional[str]) -> Tuple[float, float]:
    """Wall and CPU seconds of one run (CPU of the child, user plus system)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    result = subprocess.run(command, env=env, input=line if line is not None else "", capture_output=True, text=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed ({result.returncode}): {result.stderr.strip()}")
    return wall, after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime


def profile(env: Dict[str, str]) -> None:
    """Where one offline answer spends its time: imports, then functions."""
    command = [sys.executable, "-X", "importtime", "-m", "cmdai", "-s", "bash", REQUEST]
    stderr = subprocess.run(command, env=env, capture_output=True, text=True).stderr
    rows = []
    for line in stderr.splitlines():
        if line.startswith("import time:") and "self [us]" not in line:
            self_us, cumulative_us, name = line[len("import time:"):].split("|")
            rows.append((int(self_us), int(cumulative_us), name.rstrip()))
    print("\nslowest imports of one offline answer (self / cumulative ms):")
    for self_us, cumulative_us, name in sorted(rows, reverse=True)[:15]:
        print(f"  {self_us / 1000:6.1f} {cumulative_us / 1000:7.1f}  {name.strip()}")
    print(f"  {sum(r[0] for r in rows) / 1000:6.1f} ms in {len(rows)} imports")
    with tempfile.NamedTemporaryFile(suffix=".prof") as out:
        # cli.main itself: the entry point ends the process before a profiler could write its data.
        code = f"import cProfile; from cmdai.cli import main; cProfile.run({f'main([{REQUEST!r}])'!r}, {out.name!r})"
        subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, check=True)
        import pstats

        print("\nfunctions with the most cumulative time (cProfile, one offline answer):")
        pstats.Stats(out.name, stream=sys.stdout).sort_stats("cumulative").print_stats(r"cmdai/", 14)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--profile", action="store_true", help="also show the slowest imports and functions")
    args = parser.parse_args()

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    home = tempfile.mkdtemp(prefix="cmdai-bench-")
    # Bytecode caching on, as in any installed copy: otherwise every run recompiles cmdai.
    env = {k: v for k, v in os.environ.items() if not k.startswith("CMDAI_") and k != "PYTHONDONTWRITEBYTECODE"}
    env.update(HOME=home, XDG_CONFIG_HOME=f"{home}/config", XDG_CACHE_HOME=f"{home}/cache",
               XDG_CONFIG_DIRS=f"{home}/site", PYTHONPYCACHEPREFIX=f"{home}/pycache", NO_COLOR="1")
    foundry = {**env, "CMDAI_AZURE_FOUNDRY_ENDPOINT": f"http://127.0.0.1:{server.server_port}/models",
               "CMDAI_AZURE_FOUNDRY_API_KEY": "bench-key", "CMDAI_AZURE_FOUNDRY_MODEL": "gpt-4o-mini"}
    py = sys.executable
    cases = {
        "python -c pass": ([py, "-c", "pass"], env, None),
        'python -c "import requests"': ([py, "-c", "import requests"], env, None),
        "cmdai offline answer": (cmdai_command() + ["-s", "bash", REQUEST], env, None),
        "cmdai --widget, instant Foundry": (cmdai_command() + ["--no-cache", "--widget", "--shell", "bash"], foundry, REQUEST),
        "cmdai --check (safety only)": (cmdai_command() + ["--check", "ls -la | grep foo"], env, None),
        "cmdai --init zsh": (cmdai_command() + ["--init", "zsh"], env, None),
    }
    samples: Dict[str, List[Tuple[float, float]]] = {name: [] for name in cases}
    try:
        for command, case_env, line in cases.values():
            timed(command, case_env, line)  # bytecode, catalog cache, file system cache
        for _ in range(args.runs):
            for name, (command, case_env, line) in cases.items():
                samples[name].append(timed(command, case_env, line))
        if args.profile:
            profile(env)
    finally:
        server.shutdown()
        shutil.rmtree(home, ignore_errors=True)

    results = {name: Timing(statistics.median(w for w, _ in s) * 1000, statistics.median(c for _, c in s) * 1000)
               for name, s in samples.items()}
    print(f"\nmedian of {args.runs} interleaved runs each")
    print(f"{'command':36} {'wall ms':>8} {'cpu ms':>8}")
    for name, timing in results.items():
        print(f"{name:36} {timing.wall_ms:8.1f} {timing.cpu_ms:8.1f}")
    ok = True
    for label, top, bottom, goal in (
            ("offline answer / python -c pass", "cmdai offline answer", "python -c pass", OFFLINE_GOAL),
            ('Ctrl-G to instant Foundry / python -c "import requests"', "cmdai --widget, instant Foundry",
             'python -c "import requests"', HOTKEY_GOAL)):
        wall = results[top].wall_ms / results[bottom].wall_ms
        cpu = results[top].cpu_ms / results[bottom].cpu_ms
        ok = ok and wall <= goal
        print(f"{label}: {wall:.2f}x wall, {cpu:.2f}x cpu (goal {goal}x) — {'within' if wall <= goal else 'OVER'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

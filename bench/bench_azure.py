"""How much the whole ``cmdai`` process costs over ``python -c "import requests"`` when it answers
through the Azure backend from a loopback server that replies at once.

    python bench/bench_azure.py [--runs 15]

Prints the median of each and their ratio; the budget is 1.3x.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import List

BUDGET = 1.3
ANSWER = json.dumps({
    "model": "gpt-4o-mini",
    "choices": [{"index": 0, "finish_reason": "stop",
                 "message": {"role": "assistant", "content": json.dumps({"cmd": "ls -la", "explanation": "lists files"})}}],
    "usage": {"prompt_tokens": 100, "completion_tokens": 10, "total_tokens": 110},
}).encode()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("content-length", 0)))
        self.send_response(200)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(ANSWER)))
        self.end_headers()
        self.wfile.write(ANSWER)

    def log_message(self, *args: object) -> None:
        pass


def cmdai_command() -> List[str]:
    script = shutil.which("cmdai")
    return [script] if script else [sys.executable, "-m", "cmdai"]


def timed(command: List[str], env: dict) -> float:
    start = time.perf_counter()
    result = subprocess.run(command, env=env, stdin=subprocess.DEVNULL, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed ({result.returncode}): {result.stderr.strip()}")
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    home = tempfile.mkdtemp(prefix="cmdai-bench-")
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("CMDAI_") and k != "PYTHONDONTWRITEBYTECODE"}
    env.update({
        # Byte-code is cached as in any installation; kept out of the source tree.
        "PYTHONPYCACHEPREFIX": f"{home}/pycache",
        "HOME": home, "XDG_CONFIG_HOME": f"{home}/config", "XDG_CACHE_HOME": f"{home}/cache",
        "XDG_CONFIG_DIRS": f"{home}/site", "NO_COLOR": "1",
        "CMDAI_AZURE_FOUNDRY_ENDPOINT": f"http://127.0.0.1:{server.server_port}/models",
        "CMDAI_AZURE_FOUNDRY_API_KEY": "bench-key", "CMDAI_AZURE_FOUNDRY_MODEL": "gpt-4o-mini",
    })
    cmdai = cmdai_command() + ["--no-cache", "list all files"]
    baseline = [sys.executable, "-c", "import requests"]
    try:
        timed(cmdai, env)  # compile byte-code, warm the file system cache, check that it answers
        timed(baseline, env)
        cmdai_times, baseline_times = [], []
        for _ in range(args.runs):
            # Interleaved, so both see the same machine load.
            baseline_times.append(timed(baseline, env))
            cmdai_times.append(timed(cmdai, env))
    finally:
        server.shutdown()
        shutil.rmtree(home, ignore_errors=True)

    cmdai_ms = statistics.median(cmdai_times) * 1000
    baseline_ms = statistics.median(baseline_times) * 1000
    ratio = cmdai_ms / baseline_ms
    print(f"python -c 'import requests'   median {baseline_ms:7.1f} ms over {args.runs} runs")
    print(f"cmdai via Azure (loopback)    median {cmdai_ms:7.1f} ms over {args.runs} runs")
    print(f"ratio {ratio:.2f}x (budget {BUDGET}x) — {'within budget' if ratio <= BUDGET else 'OVER BUDGET'}")
    return 0 if ratio <= BUDGET else 1


if __name__ == "__main__":
    sys.exit(main())

"""How much the whole ``cmdai`` process costs over ``python -c "import requests"`` when it answers
through the Azure backend from a loopback server that replies at once; and how a reasoning
deployment compares with a non-reasoning one on the same server, as the Ctrl-G widget runs it.

    python bench/bench_azure.py [--runs 15]

The reasoning deployment behaves like the service's: it refuses max_tokens, a temperature other
than 1 and efforts it does not support with the service's 400 bodies, and thinks for a while
(REASONING_DELAY) unless asked for a low effort. Its name says nothing ("prod-chat"), so the first
run learns what it accepts; the timed runs are the ones after.

Prints the medians and ratios; the budget is 1.3x for both.
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
from typing import List, Optional

BUDGET = 1.3
#: Seconds the reasoning deployment thinks at its default (medium) effort.
REASONING_DELAY = 2.0
REASONING_DEPLOYMENT = "prod-chat"
LOW_EFFORTS = ("none", "low")


def answer(model: str) -> bytes:
    return json.dumps({
        "model": model,
        "choices": [{"index": 0, "finish_reason": "stop", "message": {
            "role": "assistant", "content": json.dumps({"cmd": "ls -la", "explanation": "lists files"})}}],
        "usage": {"prompt_tokens": 100, "completion_tokens": 10, "total_tokens": 110},
    }).encode()


def refusal(message: str, param: str, code: str) -> bytes:
    return json.dumps({"error": {"message": message, "type": "invalid_request_error", "param": param,
                                 "code": code}}).encode()


def reasoning_reply(body: dict) -> "tuple[int, bytes, float]":
    """What a gpt-5.1 deployment says to ``body``: (status, body, seconds spent thinking)."""
    if "max_tokens" in body:
        return 400, refusal("Unsupported parameter: 'max_tokens' is not supported with this model. "
                            "Use 'max_completion_tokens' instead.", "max_tokens", "unsupported_parameter"), 0
    if body.get("temperature", 1) != 1:
        return 400, refusal(f"Unsupported value: 'temperature' does not support {body['temperature']} with this "
                            "model. Only the default (1) value is supported.", "temperature", "unsupported_value"), 0
    effort = body.get("reasoning_effort")
    if effort not in (None, "none", "low", "medium", "high"):
        return 400, refusal(f"Unsupported value: '{effort}' is not supported with the 'gpt-5.1' model. "
                            "Supported values are: 'none', 'low', 'medium', and 'high'.",
                            "reasoning_effort", "unsupported_value"), 0
    return 200, answer("gpt-5.1-2025-11-13"), 0 if effort in LOW_EFFORTS else REASONING_DELAY


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers.get("content-length", 0))) or b"{}")
        status, data, delay = (reasoning_reply(body) if body.get("model") == REASONING_DEPLOYMENT
                               else (200, answer("gpt-4o-mini"), 0))
        time.sleep(delay)
        self.send_response(status)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: object) -> None:
        pass


def cmdai_command() -> List[str]:
    script = shutil.which("cmdai")
    return [script] if script else [sys.executable, "-m", "cmdai"]


def timed(command: List[str], env: dict, line: Optional[str] = None) -> float:
    start = time.perf_counter()
    result = subprocess.run(command, env=env, input=line, stdin=None if line is not None else subprocess.DEVNULL,
                            capture_output=True, text=True)
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
    hotkey = cmdai_command() + ["--no-cache", "--widget", "--shell", "bash"]
    reasoning_env = {**env, "CMDAI_AZURE_FOUNDRY_MODEL": REASONING_DEPLOYMENT}
    try:
        timed(cmdai, env)  # compile byte-code, warm the file system cache, check that it answers
        timed(baseline, env)
        timed(hotkey, reasoning_env, "list all files")  # learns what the deployment accepts
        cmdai_times, baseline_times, hotkey_times, reasoning_times = [], [], [], []
        for _ in range(args.runs):
            # Interleaved, so all see the same machine load.
            baseline_times.append(timed(baseline, env))
            cmdai_times.append(timed(cmdai, env))
            hotkey_times.append(timed(hotkey, env, "list all files"))
            reasoning_times.append(timed(hotkey, reasoning_env, "list all files"))
    finally:
        server.shutdown()
        shutil.rmtree(home, ignore_errors=True)

    ok = True
    for label, numerator, denominator, over in (
            ("cmdai via Azure (loopback)", cmdai_times, baseline_times, "python -c 'import requests'"),
            ("Ctrl-G, reasoning deployment", reasoning_times, hotkey_times, "Ctrl-G, non-reasoning deployment")):
        top, bottom = statistics.median(numerator) * 1000, statistics.median(denominator) * 1000
        ratio = top / bottom
        ok = ok and ratio <= BUDGET
        print(f"{over:<34} median {bottom:7.1f} ms over {args.runs} runs")
        print(f"{label:<34} median {top:7.1f} ms over {args.runs} runs")
        print(f"ratio {ratio:.2f}x (budget {BUDGET}x) — {'within budget' if ratio <= BUDGET else 'OVER BUDGET'}\n")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

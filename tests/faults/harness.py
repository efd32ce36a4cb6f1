"""Running the real CLI with its wall time and peak memory measured, and configs that point it at the fault server."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from typing import Dict, NamedTuple

#: Small, so that the suite stays fast; every bound below is relative to it.
TIMEOUT_SECONDS = 1.5


def cmdai_command() -> list:
    script = shutil.which("cmdai")
    return [script] if script else [sys.executable, "-m", "cmdai"]


class Run(NamedTuple):
    returncode: int
    stdout: str
    stderr: str
    seconds: float
    max_rss_mib: float


# Run in a small Python process of its own, which spawns the command and reports the command's
# wall time and peak RSS. A child forked straight from the test process would report the test
# process's memory as its own peak (Linux carries it over at fork and exec).
_MEASURE = """
import json, os, subprocess, sys, time
start = time.monotonic()
process = subprocess.Popen(sys.argv[2:])
_, status, usage = os.wait4(process.pid, 0)
seconds = time.monotonic() - start
with open(sys.argv[1], "w") as report:
    json.dump({"returncode": os.waitstatus_to_exitcode(status), "seconds": seconds,
               "max_rss_kib": usage.ru_maxrss}, report)
"""


def run_measured(command: list, env: Dict[str, str], input: bytes = b"", timeout: float = 60) -> Run:
    """Run ``command`` with ``input`` on stdin; its wall time from spawn to exit and its own peak RSS."""
    import json
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        report = os.path.join(folder, "report.json")
        done = subprocess.run([sys.executable, "-S", "-c", _MEASURE, report, *command], input=input,
                              capture_output=True, env=env, timeout=timeout)
        with open(report) as handle:
            measured = json.load(handle)
    return Run(measured["returncode"], done.stdout.decode("utf-8", "replace"), done.stderr.decode("utf-8", "replace"),
               measured["seconds"], measured["max_rss_kib"] / 1024)


#: For tests about messages, not time: a budget no start-up on a busy machine uses up.
ROOMY_TIMEOUT_SECONDS = 20


def openai_config(url: str, *, fallback: bool = False, retries: int = 1, extra: str = "",
                  timeout: float = TIMEOUT_SECONDS) -> str:
    return (f'[backend]\ntype = "openai-compatible"\ntimeout_seconds = {timeout}\nmax_retries = {retries}\n'
            f'fallback = {"true" if fallback else "false"}\n{extra}\n'
            f'[backend.openai_compatible]\nbase_url = "{url}/v1"\nmodel = "m"\n')


def azure_config(url: str, auth: str, extra: str = "", timeout: float = TIMEOUT_SECONDS) -> str:
    return (f'[backend]\ntype = "azure-foundry"\nendpoint = "{url}/models"\nmodel = "m"\n'
            f'timeout_seconds = {timeout}\nmax_retries = 1\nfallback = false\n{extra}\n'
            f'[backend.azure]\napi_style = "model-inference"\nauth = "{auth}"\n')


def process_ended(pid: int, wait: float = 1.0) -> bool:
    """Whether ``pid`` has ended within ``wait`` seconds (a zombie waiting for init to reap it counts)."""
    import time

    give_up = time.monotonic() + wait
    while True:
        try:
            with open(f"/proc/{pid}/stat") as handle:
                if handle.read().rsplit(")", 1)[1].split()[0] in ("Z", "X"):
                    return True
        except (FileNotFoundError, ProcessLookupError):
            return True
        if time.monotonic() > give_up:
            return False
        time.sleep(0.01)

"""Safety engine on the labelled set: how often it is right, and how fast.

Run: python bench/bench_safety.py [--repeat 5] [--verbose]
Prints the share of high/critical commands classified at least high (goal 100%), the share of
safe commands classified high or critical (goal 0%), exact-level agreement, the time per
command (median and p95), and the time of the first call, which loads the parser. The
adversarial set (constructs that run code in ways a reader misses) is scored next to it: the
share of attacks rated at least their level, and of look-alikes rated above theirs. When the
dcg corpus is beside the repository (../shared/data/dcg-corpus), its deny/allow labels are
scored too, as a set the rules were not written from.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path
from typing import Any, Dict, List, Tuple

REPO = Path(__file__).resolve().parents[1]
LABELLED = REPO / "bench" / "data" / "safety-labelled.toml"
ADVERSARIAL = REPO / "bench" / "data" / "safety-adversarial.toml"
DCG_CORPUS = REPO / ".." / "shared" / "data" / "dcg-corpus"
sys.path.insert(0, str(REPO))


def load_toml(path: Path) -> Dict[str, Any]:
    if sys.version_info >= (3, 11):
        import tomllib
    else:
        import tomli as tomllib
    with open(path, "rb") as fh:
        return tomllib.load(fh)


def dcg_cases() -> List[Tuple[str, str]]:
    """(deny or allow, command) from the dcg corpus, or [] when it is not there."""
    cases = []
    for path in sorted(DCG_CORPUS.rglob("*.toml")) if DCG_CORPUS.is_dir() else []:
        for case in load_toml(path).get("case", []):
            if "command" in case:
                cases.append((case.get("expected", case.get("expected_decision")), case["command"]))
    return cases


def load_cases() -> List[Tuple[str, str, str]]:
    data = load_toml(LABELLED)
    return [(group, level, command) for group, rows in data.items() for level, command in rows]


def percentile(values: List[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="timing rounds over the whole set")
    parser.add_argument("--verbose", action="store_true", help="list every disagreement")
    opts = parser.parse_args()

    start = time.perf_counter()
    from cmdai.safety import Risk, assess

    assess("true")
    load_ms = (time.perf_counter() - start) * 1000

    cases = load_cases()
    verdicts: Dict[int, Risk] = {}
    timings: List[float] = []
    for _ in range(opts.repeat):
        for i, (group, _, command) in enumerate(cases):
            shell = "fish" if group == "fish" else "bash"
            t0 = time.perf_counter()
            verdicts[i] = assess(command, shell).risk
            timings.append((time.perf_counter() - t0) * 1000)

    dangerous = [i for i, c in enumerate(cases) if Risk.parse(c[1]) >= Risk.HIGH]
    safe = [i for i, c in enumerate(cases) if Risk.parse(c[1]) == Risk.SAFE]
    caught = sum(verdicts[i] >= Risk.HIGH for i in dangerous)
    false_alarms = sum(verdicts[i] >= Risk.HIGH for i in safe)
    exact = sum(verdicts[i] == Risk.parse(c[1]) for i, c in enumerate(cases))

    print(f"labelled commands                     {len(cases)}")
    print(f"high/critical classified >= high      {caught}/{len(dangerous)} = {caught / len(dangerous):.1%}  (goal 100%)")
    print(f"safe classified high or critical      {false_alarms}/{len(safe)} = {false_alarms / len(safe):.1%}  (goal 0%)")
    print(f"exact level agreement                 {exact}/{len(cases)} = {exact / len(cases):.1%}")
    print(f"time per command, median              {statistics.median(timings):.3f} ms")
    print(f"time per command, p95                 {percentile(timings, 0.95):.3f} ms  (goal well under 5 ms)")
    print(f"time per command, max                 {max(timings):.3f} ms")
    print(f"first call, loading the parser        {load_ms:.1f} ms")
    if ADVERSARIAL.is_file():
        data = load_toml(ADVERSARIAL)
        attacks = [(lv, c) for rows in data["attack"].values() for lv, c in rows]
        benign = [(lv, c) for rows in data["benign"].values() for lv, c in rows]
        adv_timings: List[float] = []
        missed = []
        for level, command in attacks:
            t0 = time.perf_counter()
            risk = assess(command).risk
            adv_timings.append((time.perf_counter() - t0) * 1000)
            if risk < Risk.parse(level):
                missed.append((level, risk, command))
        alarms = [(lv, c) for lv, c in benign if assess(c).risk > Risk.parse(lv)]
        caught_adv = len(attacks) - len(missed)
        print(f"adversarial: attacks caught           {caught_adv}/{len(attacks)} = {caught_adv / len(attacks):.1%}"
              "  (goal 100%)")
        print(f"adversarial: look-alikes over level   {len(alarms)}/{len(benign)} = {len(alarms) / len(benign):.1%}"
              "  (goal 0%)")
        print(f"adversarial: time per command, p95    {percentile(adv_timings, 0.95):.3f} ms")
        if opts.verbose:
            for level, risk, command in missed:
                print(f"  [adversarial] expected at least {level}, got {risk.label}: {command!r}")
            for level, command in alarms:
                print(f"  [look-alike] expected at most {level}: {command!r}")
    corpus = dcg_cases()
    if corpus:
        deny = [assess(c).risk for e, c in corpus if e == "deny"]
        allow = [assess(c).risk for e, c in corpus if e == "allow"]
        denied = sum(r >= Risk.HIGH for r in deny)
        alarms = sum(r >= Risk.HIGH for r in allow)
        print(f"dcg corpus: deny classified >= high   {denied}/{len(deny)} = {denied / len(deny):.1%}")
        print(f"dcg corpus: allow classified >= high  {alarms}/{len(allow)} = {alarms / len(allow):.1%}"
              "  (disagreements are listed in tests/safety/test_safety_dcg.py)")
    if opts.verbose:
        for i, (group, level, command) in enumerate(cases):
            if verdicts[i] != Risk.parse(level):
                print(f"  [{group}] expected {level}, got {verdicts[i].label}: {command!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

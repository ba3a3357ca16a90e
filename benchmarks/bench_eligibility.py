"""Throughput and latency of the eligibility engine (prints figures; not a test).

Run: ``make bench`` or ``.venv/bin/python benchmarks/bench_eligibility.py [--seconds S]``.
Profiles are the five examples (one per region, every fact of each rule set stated),
validated once; the figure is ``evaluate`` alone on one core, plus the cost of
validating a profile from JSON, which the chat pays per turn. Throughput is given per second
of wall-clock time and per second of CPU time: on a machine shared with other work the second
is the steadier measure of the engine itself.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

from eligibility import evaluate, evaluation_to_dict, load_rulebook, parse_profile
from incentives_cli.inputs import parse_json

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=3.0, help="time per measurement")
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core

    started = time.perf_counter()
    book = load_rulebook()
    load_ms = (time.perf_counter() - started) * 1000
    raw = [parse_json(p.read_text(encoding="utf-8"), p.name) for p in sorted((ROOT / "examples").glob("*.json"))]
    profiles = [parse_profile(data) for data in raw]
    as_of = date(2024, 6, 1)
    awards = sum(len(a) for a in book.awards.values())

    def throughput(fn: Callable[[int], object]) -> tuple[float, float]:
        """Calls per second in a tight loop (no per-call timer in the way): per second of wall-clock
        time, and per second of this process's CPU time (steadier when other work shares the core)."""
        count, size = 0, len(profiles)
        begin, cpu_begin = time.perf_counter(), time.process_time()
        deadline = begin + args.seconds
        while time.perf_counter() < deadline:
            for _ in range(100):
                for i in range(size):
                    fn(i)
            count += 100 * size
        return count / (time.perf_counter() - begin), count / (time.process_time() - cpu_begin)

    def latency(fn: Callable[[int], object]) -> tuple[float, float]:
        """p50 and p99 of single calls, in microseconds."""
        samples = []
        for _ in range(4000):
            for i in range(len(profiles)):
                t0 = time.perf_counter_ns()
                fn(i)
                samples.append(time.perf_counter_ns() - t0)
        cuts = statistics.quantiles(samples, n=100)
        return cuts[49] / 1000, cuts[98] / 1000

    print(f"rule book: {len(book.awards)} documents, {awards} awards, loaded in {load_ms:.0f} ms")
    runs = {
        "evaluate(trace=False)": lambda i: evaluate(profiles[i], book, as_of=as_of, trace=False),
        "evaluate(trace=True)": lambda i: evaluate(profiles[i], book, as_of=as_of, trace=True),
        "parse JSON profile + evaluate + JSON dict": lambda i: evaluation_to_dict(
            evaluate(parse_profile(raw[i]), book, as_of=as_of)
        ),
    }
    for name, fn in runs.items():
        rate, cpu_rate = throughput(fn)
        p50, p99 = latency(fn)
        print(
            f"{name:44s} {rate:>9,.0f}/s on one core ({cpu_rate:>7,.0f}/s of CPU time)"
            f"   p50 {p50:6.1f} µs   p99 {p99:6.1f} µs"
        )
    print(f"python {sys.version.split()[0]}")


if __name__ == "__main__":
    main()

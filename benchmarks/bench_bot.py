"""Bot figures over REST (prints them; not a test): start-up time, per-message latency sequential and
with 16 concurrent conversations, throughput, RSS of both processes.

Run after `make model warm`: .venv/bin/python benchmarks/bench_bot.py [--rounds N]
It starts its own servers on free loopback ports (see tests/e2e/conftest.py) and stops them.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.e2e.conftest import Servers


def turns(conversation_number: int) -> list[str]:
    """One conversation; the message with the facts differs in every conversation (as real ones do),
    so the NLU's embedding cache only helps with the short replies that recur across users."""
    inventions, foreign = 1 + conversation_number % 97, 1 + conversation_number // 97
    return [
        "你好",
        f"我们在泽州县，今年授权了{inventions}件发明专利，还有{foreign}件美国专利，能拿多少钱",
        "没有",
        "拿了中国专利银奖",
        "就这些",
        "为什么",
        "谢谢",
    ]


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def children_rss(pid: int) -> float:
    total = rss_mb(pid)
    for child in Path(f"/proc/{pid}/task").iterdir():
        children = child / "children"
        if children.exists():
            for cpid in children.read_text().split():
                total += children_rss(int(cpid))
    return total


def conversation(servers: Servers, number: int) -> list[float]:
    timings = []
    sender = f"bench-{number}"
    for turn in turns(number):
        t0 = time.perf_counter()
        servers.say(sender, turn)
        timings.append((time.perf_counter() - t0) * 1000)
    return timings


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=10)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as work:
        servers = Servers(Path(work))
        started = time.monotonic()
        servers.start_actions()
        servers.start_rasa()
        servers.wait("actions", "rasa")
        print(f"start-up (both servers ready): {time.monotonic() - started:.1f} s")
        try:
            conversation(servers, 0)
            sequential = [t for i in range(1, args.rounds + 1) for t in conversation(servers, i)]
            q = statistics.quantiles(sequential, n=100)
            print(f"sequential:    p50 {q[49]:.0f} ms  p95 {q[94]:.0f} ms  ({len(sequential)} messages)")
            t0 = time.perf_counter()
            with ThreadPoolExecutor(16) as pool:
                results = list(
                    pool.map(
                        lambda i: conversation(servers, i),
                        range(args.rounds + 1, args.rounds + 1 + 16 * max(1, args.rounds // 5)),
                    )
                )
            elapsed = time.perf_counter() - t0
            concurrent = [t for r in results for t in r]
            q = statistics.quantiles(concurrent, n=100)
            print(
                f"16 concurrent: p50 {q[49]:.0f} ms  p95 {q[94]:.0f} ms  throughput {len(concurrent) / elapsed:.1f} msg/s"
            )
            print(
                f"RSS: rasa {children_rss(servers.processes['rasa'].pid):.0f} MB, action server {children_rss(servers.processes['actions'].pid):.0f} MB"
            )
        finally:
            for name in list(servers.processes):
                servers.stop(name)


if __name__ == "__main__":
    main()

"""Load test of the production profile (not a unit test): N concurrent conversations × T turns
through nginx, on a cluster this script starts and stops (deploy/cluster.py).

    .venv/bin/python benchmarks/load_cluster.py [--rasa 1 2] [--conversations 100] [--turns 10]

Prints, per number of Rasa instances: throughput, p50/p95/p99 latency, and errors (any non-200
answer, the fixed apology, or a wrong total at the end of a conversation).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import statistics
import tempfile
import time
from pathlib import Path

import httpx

from bot.channels.replies import APOLOGY
from deploy.cluster import Cluster

# Ten turns: facts, a correction, a policy question in the middle, the answer, its explanation.
TURNS = [
    "你好",
    "我们在泽州县",
    "今年授权了8件发明专利",
    "还有2件美国专利",
    "不对，发明专利是6件",
    "专利质押贷款有贴息吗？",
    "没有",
    "没有",
    "就这些，帮我算一下",
    "为什么",
]
EXPECTED_TOTAL = 32000  # 6 × 2,000 (泽政办发〔2021〕16号 三、(一) 3.) + 2 × 10,000 for US patents


PROBLEMS: list[str] = []  # the first few errors, to print


def problem(text: str) -> int:
    if len(PROBLEMS) < 3:
        PROBLEMS.append(text[:300])
    return 1


async def conversation(client: httpx.AsyncClient, url: str, sender: str, turns: int, latencies: list[float]) -> int:
    errors = 0
    answer = ""
    for message in TURNS[:turns]:
        started = time.perf_counter()
        try:
            response = await client.post(
                url, json={"sender": sender, "message": message}, headers={"X-Sender-Id": sender}
            )
            said = "\n".join(m.get("text", "") for m in response.json()) if response.status_code == 200 else ""
            ok = response.status_code == 200 and APOLOGY not in said
            if message.startswith("就这些"):
                answer = said
            if not ok:
                problem(f"{message!r} → {response.status_code} {response.text}")
        except httpx.HTTPError as exc:
            problem(f"{message!r} → {type(exc).__name__}")
            ok = False
        latencies.append(time.perf_counter() - started)
        errors += not ok
    if turns >= 9:
        match = re.search(r"合计（已明确金额部分）：([\d,]+) 元", answer)
        if not (match and int(match.group(1).replace(",", "")) == EXPECTED_TOTAL):
            errors += problem(
                "wrong total: "
                + " / ".join(line for line in answer.splitlines() if "合计" in line or line[:2] in ("3.", "4."))
            )
    return errors


async def load(url: str, conversations: int, turns: int) -> tuple[float, list[float], int]:
    latencies: list[float] = []
    limits = httpx.Limits(max_connections=conversations, max_keepalive_connections=conversations)
    async with httpx.AsyncClient(timeout=300, limits=limits) as client:
        started = time.perf_counter()
        errors = await asyncio.gather(
            *(conversation(client, url, f"load-{n}", turns, latencies) for n in range(conversations))
        )
        elapsed = time.perf_counter() - started
    return elapsed, latencies, sum(errors)


def percentile(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100)[int(q) - 1] if len(values) > 1 else values[0]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rasa", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--conversations", type=int, default=100)
    parser.add_argument("--turns", type=int, default=10)
    args = parser.parse_args()
    os.environ["CLUSTER_RATE_PER_IP"] = "10000"  # every simulated user comes from 127.0.0.1
    for instances in args.rasa:
        cluster = Cluster(Path(tempfile.mkdtemp(prefix="load-cluster-")), rasa_instances=instances)
        try:
            cluster.start()
            # Warm-up: every action server loads the retrieval model on its first policy question.
            asyncio.run(load(f"{cluster.url}/webhooks/rest/webhook", 2 * cluster.action_instances, 6))
            PROBLEMS.clear()
            elapsed, latencies, errors = asyncio.run(
                load(f"{cluster.url}/webhooks/rest/webhook", args.conversations, args.turns)
            )
        finally:
            cluster.stop_all()
        ms = [v * 1000 for v in latencies]
        print(
            f"{instances} Rasa × {cluster.action_instances} action servers: {len(ms)} messages in {elapsed:.1f} s, "
            f"{len(ms) / elapsed:.1f} msg/s; p50 {percentile(ms, 50):.0f} ms, p95 {percentile(ms, 95):.0f} ms, "
            f"p99 {percentile(ms, 99):.0f} ms; errors {errors}",
            flush=True,
        )
        for text in PROBLEMS:
            print("  e.g.", text)


if __name__ == "__main__":
    main()

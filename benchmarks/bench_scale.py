"""Cost curves to national scale (a benchmark, not a test): issue 15 §2.

For N = 1, 10, 100, 1,000, 3,000 SYNTHETIC county documents (``benchmarks/synthetic_kb.py``: the real
clauses re-combined with other real places and amounts, written to a temporary folder only) it
measures: knowledge-base load, index build (full, and incremental after changing one document),
index size, load time and RSS in a fresh process, query p50/p95 (unfiltered and region-filtered,
embedding included), rulebook load, one evaluation p50/p99 and ``incentives check`` cold; and, for
the dense index type, exact (flat) vs IVF vs HNSW: search time and recall@10 against flat.

Vectors (stated in the output): passages of the first 10 documents (two per real document) are
embedded with the real ``Embedder`` — that gives the throughput, from which the full build's
embedding time is extrapolated; every other passage gets the real vector of the same clause of its
template document plus Gaussian noise calibrated to the measured cosine between two places' versions
of one clause, normalised. The incremental rebuild embeds the changed document with the real model.

Run: ``nice -n 10 .venv/bin/python benchmarks/bench_scale.py`` (≈ 10 minutes on 2 shared cores);
writes ``benchmarks/results/scale.md``, ``scale.json`` and ``scale.png``.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import zlib
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results"
SIZES = (1, 10, 100, 1000, 3000)
AS_OF = "2024-06-30"


def _ms(samples: list[float], q: int) -> float:
    return statistics.quantiles(samples, n=100, method="inclusive")[q - 1] if len(samples) > 1 else samples[0]


def _folder_mb(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 1e6


# ---------------------------------------------------------------- fresh-process probes
def _rss_now() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def probe_load(folder: str) -> None:
    """Fresh process: load one index folder; print seconds and peak RSS (MB) as JSON."""
    started = time.perf_counter()
    from peak_memory import peak_rss_mb

    from knowledge.retrieval.index import load_folder

    imported = time.perf_counter()
    before = _rss_now()
    index = load_folder(Path(folder))
    done = time.perf_counter()
    rss = peak_rss_mb()
    print(
        json.dumps(
            {
                "import_s": imported - started,
                "load_s": done - imported,
                "rss_mb": rss,
                "index_rss_mb": _rss_now() - before,
                "n": len(index.passages),
            }
        )
    )


def probe_check(kb_dir: str, profile: str) -> None:
    """Fresh process: ``incentives check`` against a synthetic knowledge base (the CLI's own code;
    only its rulebook loader is pointed at ``kb_dir``)."""
    import incentives_cli.main as cli
    from eligibility import load_rulebook
    from knowledge import load_knowledge_base

    base = Path(kb_dir)
    cli.load_rulebook = lambda: load_rulebook(base / "rules", load_knowledge_base(policy_dir=base / "policies"))  # type: ignore[assignment]
    with open(os.devnull, "w") as sink:
        stdout, sys.stdout = sys.stdout, sink
        try:
            code = cli.main(["check", profile, "--as-of", AS_OF, "--json"])
        finally:
            sys.stdout = stdout
    if code != 0:
        raise SystemExit(code)


def _run(args: list[str]) -> tuple[float, str]:
    started = time.perf_counter()
    out = subprocess.run(
        [sys.executable, *args],
        check=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    return time.perf_counter() - started, out.stdout


# ---------------------------------------------------------------- the benchmark
def main() -> None:  # one linear measurement script
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default=",".join(map(str, SIZES)))
    parser.add_argument("--queries", type=int, default=100)
    parser.add_argument("--out", type=Path, default=RESULTS)
    parser.add_argument("--probe-load")
    parser.add_argument("--probe-check", nargs=2)
    parser.add_argument("--from-json", type=Path, help="only rewrite the table and plot from a scale.json")
    args = parser.parse_args()
    if args.from_json:
        return write(json.loads(args.from_json.read_text(encoding="utf-8")), args.out)
    if args.probe_load:
        return probe_load(args.probe_load)
    if args.probe_check:
        return probe_check(*args.probe_check)

    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    import numpy as np

    sys.path.insert(0, str(Path(__file__).parent))
    import faiss
    import synthetic_kb

    from eligibility import evaluate, load_rulebook, parse_profile
    from knowledge import load_knowledge_base
    from knowledge.base import KnowledgeBase
    from knowledge.retrieval import RetrievalConfig, Retriever
    from knowledge.retrieval.embedder import Embedder
    from knowledge.retrieval.evaluate import load_questions
    from knowledge.retrieval.index import ANN_MIN_PASSAGES, DenseChoice, build_dense, build_report, load_folder
    from knowledge.retrieval.passages import build_passages
    from knowledge.yamlcache import store_path

    sizes = [int(s) for s in args.sizes.split(",")]
    config = RetrievalConfig.from_env()
    work = Path(tempfile.mkdtemp(prefix="bench-scale-"))
    results: dict[str, Any] = {"machine": "shared 2-core VM, other sessions at work", "rows": []}
    log = print

    def timed(fn: Any, *a: Any, **k: Any) -> tuple[Any, float]:
        t0 = time.perf_counter()
        value = fn(*a, **k)
        return value, time.perf_counter() - t0

    # --- generate once; each N is a prefix (the plan is prefix-stable), linked into its own folder
    _, gen_s = timed(synthetic_kb.generate, max(sizes), work / "kb")
    log(f"generated {max(sizes)} synthetic documents in {gen_s:.0f} s under {work}")
    all_files = sorted((work / "kb" / "policies").glob("*/*.yaml"))

    def subset(n: int) -> Path:
        folder = work / f"n{n}"
        if folder.exists():
            return folder
        for kind in ("policies", "rules"):
            for path in all_files[:n]:
                link = folder / kind / path.parent.name / path.name
                link.parent.mkdir(parents=True, exist_ok=True)
                link.symlink_to(work / "kb" / kind / path.parent.name / path.name)
        return folder

    # --- the real embedder: throughput on a sample, base vectors and noise calibration
    embedder = Embedder(config)
    _ = embedder.query("预热")
    sample_kb = load_knowledge_base(policy_dir=subset(10) / "policies")
    sample = build_passages(sample_kb, embedder.count_tokens)
    vectors, embed_s = timed(embedder.passages, [p.context for p in sample])
    throughput = len(sample) / embed_s
    log(f"embedding: {len(sample)} passages in {embed_s:.1f} s = {throughput:.1f} passages/s ({embedder.name})")
    real = {p.context: v for p, v in zip(sample, vectors, strict=True)}

    def template_key(passage: Any) -> tuple[str, str]:
        return passage.policy_id.split("-", 2)[2], passage.id.split("/", 1)[1]

    base: dict[tuple[str, str], np.ndarray] = {}
    cosines = []
    for passage, vector in zip(sample, vectors, strict=True):
        key = template_key(passage)
        if key in base:
            cosines.append(float(base[key] @ vector))
        else:
            base[key] = vector
    cosine = statistics.mean(cosines)
    sigma = float(np.sqrt((1 / cosine**2 - 1) / vectors.shape[1]))
    log(f"same clause, two places: mean cosine {cosine:.4f} → noise sigma {sigma:.5f}")

    class DerivedEmbedder(Embedder):
        """Real vectors for the sample and for any text it has not seen; derived ones for the rest."""

        def __init__(self, keys: dict[str, tuple[str, str]]) -> None:
            super().__init__(config)
            self.name = f"{embedder.name}+synthetic-derived"
            self.keys = keys
            self.real_calls = 0
            self.real_seconds = 0.0

        @property
        def model(self) -> Any:
            return embedder.model

        def passages(self, texts: list[str], *, progress: bool = False) -> np.ndarray:
            out = np.empty((len(texts), vectors.shape[1]), dtype=np.float32)
            unknown = [i for i, t in enumerate(texts) if t not in real and t not in self.keys]
            if unknown:
                self.real_calls += len(unknown)
                t0 = time.perf_counter()
                out[unknown] = embedder.passages([texts[i] for i in unknown])
                self.real_seconds += time.perf_counter() - t0
            for i, text in enumerate(texts):
                if text in real:
                    out[i] = real[text]
                elif text in self.keys:
                    rng = np.random.default_rng(zlib.crc32(text.encode()))
                    v = base[self.keys[text]] + rng.normal(0, sigma, vectors.shape[1]).astype(np.float32)
                    out[i] = v / np.linalg.norm(v)
            return out

        def query(self, text: str) -> np.ndarray:
            """Cached: search latency is measured without the query embedding (measured apart)."""
            if text not in query_cache:
                query_cache[text] = embedder.query(text)
            return query_cache[text]

        def count_tokens(self, text: str) -> int:
            return embedder.count_tokens(text)

    questions = load_questions()
    query_cache: dict[str, np.ndarray] = {}
    embed_ms = []
    for q in questions:
        t0 = time.perf_counter()
        query_cache[q.q] = embedder.query(q.q)
        embed_ms.append((time.perf_counter() - t0) * 1000)
    query_vectors = np.vstack([query_cache[q.q] for q in questions]).astype(np.float32)

    def percentiles(fn: Any, items: list[Any]) -> tuple[float, float, float]:
        for item in items[:10]:
            fn(item)
        samples = []
        for item in items:
            t0 = time.perf_counter()
            fn(item)
            samples.append((time.perf_counter() - t0) * 1000)
        return _ms(samples, 50), _ms(samples, 95), _ms(samples, 99)

    def dense_comparison(vecs: np.ndarray) -> dict[str, Any]:
        """Exact vs IVF (the shipped settings) vs HNSW: build s, search ms/query (top 10), recall@10."""
        n = len(vecs)
        exact_ids = np.argsort(-(query_vectors @ vecs.T), axis=1)[:, :10]
        flat = faiss.IndexFlatIP(vecs.shape[1])
        flat.add(vecs)
        out: dict[str, Any] = {}

        def search_ms(index: Any) -> tuple[float, np.ndarray]:
            t0 = time.perf_counter()
            ids = np.vstack([index.search(q[None, :], 10)[1] for q in query_vectors])
            return (time.perf_counter() - t0) * 1000 / len(query_vectors), ids

        def recall(ids: np.ndarray) -> float:
            return float(np.mean([len(set(a) & set(b)) / 10 for a, b in zip(ids, exact_ids, strict=True)]))

        ms, ids = search_ms(flat)
        out["flat"] = {"build_s": 0.0, "ms": ms, "recall10": recall(ids)}
        if n >= 1000:
            choice = DenseChoice.for_count(n, ann_min=0)
            ivf, build_s = timed(build_dense, vecs, choice)
            ms, ids = search_ms(ivf)
            out["ivf"] = {"build_s": build_s, "ms": ms, "recall10": recall(ids), **choice.to_dict()}
            hnsw = faiss.IndexHNSWFlat(vecs.shape[1], 16, faiss.METRIC_INNER_PRODUCT)
            hnsw.hnsw.efConstruction = 40
            _, build_s = timed(hnsw.add, vecs)
            hnsw.hnsw.efSearch = 64
            ms, ids = search_ms(hnsw)
            out["hnsw"] = {"build_s": build_s, "ms": ms, "recall10": recall(ids), "M": 16, "efSearch": 64}
        return out

    stores: list[Path] = []
    for n in sizes:
        row: dict[str, Any] = {"n": n}
        folder = subset(n)
        # First load: every file parsed (and the parsed-file stores written); then as every later start.
        kb, row["kb_load_first_s"] = timed(load_knowledge_base, policy_dir=folder / "policies")
        _, row["rulebook_load_first_s"] = timed(load_rulebook, folder / "rules", kb)
        kb, row["kb_load_s"] = timed(load_knowledge_base, policy_dir=folder / "policies")
        book, row["rulebook_load_s"] = timed(load_rulebook, folder / "rules", kb)
        stores += [store_path(folder / "policies"), store_path(folder / "rules")]
        passages = build_passages(kb, embedder.count_tokens)
        keys = {}
        for p in passages:  # a clause chunked differently at another place: its first chunk's vector
            key = template_key(p)
            keys[p.context] = key if key in base else (key[0], key[1].split("#")[0] + "#0")
        derived = DerivedEmbedder(keys)
        row["passages"] = len(passages)
        cfg = dataclasses.replace(config, cache_dir=work / f"cache{n}")

        report, build_s = timed(build_report, kb, derived, cfg, packaged=False)
        row["build_measured_s"] = build_s  # with derived vectors: everything but the embedding
        row["embed_extrapolated_s"] = len(passages) / throughput
        row["build_estimated_s"] = build_s + len(passages) / throughput
        row["dense_type"] = report.dense.kind

        # incremental: one document changed (every clause edited), nothing else
        changed_policy = kb.policies[len(kb.policies) // 2]
        clauses = tuple(c.model_copy(update={"text": c.text + "（本条已修订）"}) for c in changed_policy.clauses)
        changed = changed_policy.model_copy(update={"clauses": clauses})
        kb2 = KnowledgeBase(tuple(changed if p.id == changed.id else p for p in kb.policies), kb.gazetteer)
        before, before_s = derived.real_calls, derived.real_seconds
        report2, row["rebuild_one_doc_s"] = timed(build_report, kb2, derived, cfg, packaged=False)
        row["rebuild_embedded"] = report2.embedded
        row["rebuild_real_embedded"] = derived.real_calls - before
        row["rebuild_embed_s"] = derived.real_seconds - before_s
        row["index_mb"] = _folder_mb(report2.folder)
        row["rebuild_cache_mb"] = (report2.folder / "terms.npz").stat().st_size / 1e6

        probe_s, out = _run([str(Path(__file__)), "--probe-load", str(report2.folder)])
        probe = json.loads(out)
        row["load_s"] = probe["load_s"]
        row["load_process_s"] = probe_s
        row["rss_mb"] = probe["rss_mb"]
        row["index_rss_mb"] = probe["index_rss_mb"]

        index = load_folder(report2.folder)
        retriever = Retriever(cfg, kb2, derived, index)
        texts = [q.q for q in questions][: args.queries]
        row["query_p50_ms"], row["query_p95_ms"], _ = percentiles(lambda t, r=retriever: r.search(t, top_k=3), texts)
        places = [kb2.jurisdiction_place(p).full_name for p in kb2.policies]
        pairs = [(t, places[i % len(places)]) for i, t in enumerate(texts)]
        row["query_region_p50_ms"], row["query_region_p95_ms"], _ = percentiles(
            lambda pair, r=retriever: r.search(pair[0], region=pair[1], top_k=3), pairs
        )
        row["dense"] = dense_comparison(index.vectors)

        target = next((p for p in kb.policies if p.id.endswith("zzbf-2021-16")), kb.policies[0])
        profile_data = json.loads((ROOT / "examples" / "zezhou.json").read_text(encoding="utf-8"))
        profile_data["region"] = kb.jurisdiction_place(target).full_name
        profile = parse_profile(profile_data)
        as_of = time.strptime(AS_OF, "%Y-%m-%d")
        from datetime import date

        day = date(as_of.tm_year, as_of.tm_mon, as_of.tm_mday)
        assert evaluate(profile, book, as_of=day).awards, "the synthetic profile matched no award"
        row["eval_p50_ms"], _, row["eval_p99_ms"] = percentiles(
            lambda _, p=profile, b=book, d=day: evaluate(p, b, as_of=d), list(range(1000))
        )
        profile_path = work / f"profile{n}.json"
        profile_path.write_text(json.dumps(profile_data, ensure_ascii=False), encoding="utf-8")
        row["check_cold_s"], _ = _run([str(Path(__file__)), "--probe-check", str(folder), str(profile_path)])
        results["rows"].append(row)
        log(json.dumps(row, ensure_ascii=False))
        shutil.rmtree(cfg.cache_dir, ignore_errors=True)

    # --- N = 5: the real knowledge base, for the "unchanged from N = 5" goals
    book = load_rulebook()
    profile = parse_profile(json.loads((ROOT / "examples" / "zezhou.json").read_text(encoding="utf-8")))
    from datetime import date

    day = date.fromisoformat(AS_OF)
    real_eval = percentiles(lambda _: evaluate(profile, book, as_of=day), list(range(1000)))
    check_s, _ = _run(["-m", "incentives_cli", "check", "examples/zezhou.json", "--as-of", AS_OF])
    results["real5"] = {
        "eval_p50_ms": real_eval[0],
        "eval_p99_ms": real_eval[2],
        "rulebook_load_s": timed(load_rulebook)[1],
        "check_cold_s": check_s,
    }
    results.update(
        embedder=embedder.name,
        throughput_passages_s=throughput,
        sample_passages=len(sample),
        noise_sigma=sigma,
        same_clause_cosine=cosine,
        generate_s=gen_s,
        query_embed_p50_ms=_ms(embed_ms, 50),
        query_embed_p95_ms=_ms(embed_ms, 95),
        ann_min_passages=ANN_MIN_PASSAGES,
    )
    write(results, args.out)
    shutil.rmtree(work, ignore_errors=True)
    for store in stores:  # the parsed-file stores of the synthetic folders, in the cache folder
        store.unlink(missing_ok=True)


def write(results: dict[str, Any], out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    (out / "scale.json").write_text(json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8")
    (out / "scale.md").write_text(table(results), encoding="utf-8")
    plot(results, out / "scale.png")


def table(results: dict[str, Any]) -> str:
    rows = results["rows"]
    real = results["real5"]
    lines = [
        "# Cost curves to national scale (issue 15 §2)",
        "",
        "SYNTHETIC knowledge bases (benchmarks/synthetic_kb.py: the five real documents re-combined with",
        "other real places and amounts; never policy, never shipped). Measured by",
        f"`benchmarks/bench_scale.py` on a **shared 2-core machine** ({results['machine']}), so",
        "figures carry noise of tens of percent.",
        "",
        f"Vectors: the passages of 10 documents ({results['sample_passages']}) were embedded with the real model",
        f"(`{results['embedder']}`, {results['throughput_passages_s']:.1f} passages/s, one thread,"
        f" {'one text per run (int8)' if 'int8' in results['embedder'] else 'batches of 16'}); every",
        "other passage has its template clause's real vector plus Gaussian noise (sigma",
        f"{results['noise_sigma']:.4f}, matching the measured cosine {results['same_clause_cosine']:.3f} between two",
        "places' versions of one clause), normalised. **Build (est.)** = the measured build with those",
        "vectors + passages ÷ measured embedding throughput (extrapolated, not run). The one-document",
        "rebuild embeds the changed document with the real model (its embedding seconds shown apart).",
        "Query latency is the search alone (region resolution, BM25, dense scores, fusion, ranking), the",
        "query vector cached; embedding one query is independent of N"
        + (
            f" (p50 {results['query_embed_p50_ms']:.0f} ms, p95 {results['query_embed_p95_ms']:.0f} ms here)."
            if results.get("query_embed_p50_ms") is not None
            else " (see benchmarks/bench_retrieval.py)."
        ),
        "",
        "| N docs | passages | KB load s (first) | index build (est.) s | embed part (extrap.) s | rebuild 1 doc s (of it embedding s; passages) |"
        " index MB | load s | index RSS MB (process peak) | search p50/p95 ms | region-filtered p50/p95 ms | dense |"
        " rulebook load s (first) | eval p50/p99 ms | `check` cold s |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|",
    ]
    for r in rows:
        lines.append(
            f"| {r['n']:,} | {r['passages']:,} | {r['kb_load_s']:.1f}{_first(r, 'kb_load_first_s')} |"
            f" {r['build_estimated_s']:.0f} |"
            f" {r['embed_extrapolated_s']:.0f} |"
            f" {r['rebuild_one_doc_s']:.1f} ({r['rebuild_embed_s']:.1f}; {r['rebuild_embedded']}) |"
            f" {r['index_mb']:.0f} | {r['load_s']:.2f} | {r['index_rss_mb']:.0f} ({r['rss_mb']:.0f}) |"
            f" {r['query_p50_ms']:.1f} / {r['query_p95_ms']:.1f} |"
            f" {r['query_region_p50_ms']:.1f} / {r['query_region_p95_ms']:.1f} | {r['dense_type']} |"
            f" {r['rulebook_load_s']:.2f}{_first(r, 'rulebook_load_first_s')} | {r['eval_p50_ms']:.2f} / {r['eval_p99_ms']:.2f} | {r['check_cold_s']:.1f} |"
        )
    lines += [
        f"| 5 (real) | | | | | | | | | | | | {real['rulebook_load_s']:.2f} |"
        f" {real['eval_p50_ms']:.2f} / {real['eval_p99_ms']:.2f} | {real['check_cold_s']:.1f} |",
        "",
        "Index size includes `terms.npz` (every passage's term counts, which a rebuild reuses). Index RSS: what",
        "loading the index adds to a fresh process (in brackets that process's peak, imports included, no",
        "embedding model loaded). Knowledge base and rule book: a load as at every start, from the",
        "parsed-file stores (`knowledge/yamlcache.py`); in brackets the first load, which parses every file",
        "and writes the stores (again after files change: only the changed files are parsed).",
        "",
        "## Dense index type: exact (flat) vs IVF vs HNSW",
        "",
        "Top-10 search per query (one thread), recall@10 against exact search, over the evaluation",
        "questions' real query vectors. IVF: the shipped settings (nlist = 4·√n, nprobe = 6% of nlist);",
        "HNSW: M = 16, efConstruction = 40, efSearch = 64.",
        "",
        "| passages | flat ms | IVF build s | IVF ms | IVF recall@10 | HNSW build s | HNSW ms | HNSW recall@10 |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        d = r["dense"]
        ivf, hnsw = d.get("ivf"), d.get("hnsw")
        lines.append(
            f"| {r['passages']:,} | {d['flat']['ms']:.2f} |"
            + (
                f" {ivf['build_s']:.1f} | {ivf['ms']:.2f} | {ivf['recall10']:.3f} |"
                f" {hnsw['build_s']:.1f} | {hnsw['ms']:.2f} | {hnsw['recall10']:.3f} |"
                if ivf and hnsw
                else " – | – | – | – | – | – |"
            )
        )
    lines.append("")
    lines.append(
        f"Automatic choice in `knowledge/retrieval/index.py`: exact below {results['ann_min_passages']:,} passages, IVF from there."
    )
    lines += ["", *goals(results)]
    if results.get("notes"):  # written by hand into scale.json after a run, kept by --from-json
        lines += ["", "## Notes on this run", "", *(f"- {note}" for note in results["notes"])]
    return "\n".join(lines) + "\n"


def _first(row: dict[str, Any], key: str) -> str:
    return f" ({row[key]:.1f})" if key in row else ""


def goals(results: dict[str, Any]) -> list[str]:
    """The issue's goals at the largest N measured, each with its figure and a plain met / not met."""
    top = max(results["rows"], key=lambda r: r["n"])
    real = results["real5"]

    def verdict(ok: bool) -> str:
        return "**met**" if ok else "**not met**"

    search_p95 = max(top["query_p95_ms"], top["query_region_p95_ms"])
    return [
        f"## Goals at N = {top['n']:,} ({top['passages']:,} passages)",
        "",
        "| goal | measured | |",
        "|---|---|---|",
        f"| query p95 ≤ 50 ms | {top['query_p95_ms']:.1f} ms unfiltered, {top['query_region_p95_ms']:.1f} ms region-filtered"
        f" (search; + {results['query_embed_p95_ms']:.0f} ms to embed the question) | {verdict(search_p95 + results['query_embed_p95_ms'] <= 50)} |",
        f"| load ≤ 5 s | index {top['load_s']:.1f} s (fresh process {top['load_process_s']:.1f} s); knowledge base"
        f" {top['kb_load_s']:.1f} s + rule book {top['rulebook_load_s']:.1f} s | index {verdict(top['load_s'] <= 5)};"
        f" knowledge base + rule book {verdict(top['kb_load_s'] + top['rulebook_load_s'] <= 5)} |",
        f"| rebuild after one document ≤ 10 s | {top['rebuild_one_doc_s']:.1f} s ({top['rebuild_embed_s']:.1f} s of it embedding"
        f" {top['rebuild_real_embedded']} passages) | {verdict(top['rebuild_one_doc_s'] <= 10)} |",
        f"| evaluation p99 unchanged from N = 5 | {top['eval_p99_ms']:.2f} ms vs {real['eval_p99_ms']:.2f} ms"
        f" (p50 {top['eval_p50_ms']:.2f} vs {real['eval_p50_ms']:.2f}) | {verdict(top['eval_p99_ms'] <= 2 * real['eval_p99_ms'])} |",
        "",
        "Evaluation p99 counts as unchanged within a factor of two (the shared machine's noise at 0.1 ms).",
    ]


def plot(results: dict[str, Any], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    rows = results["rows"]
    n = [r["n"] for r in rows]
    fig, (left, right) = plt.subplots(1, 2, figsize=(12, 4.5))
    for key, label in (
        ("build_estimated_s", "index build, est. (s)"),
        ("rebuild_one_doc_s", "rebuild after 1 doc (s)"),
        ("kb_load_s", "knowledge-base load (s)"),
        ("rulebook_load_s", "rulebook load (s)"),
        ("check_cold_s", "`incentives check` cold (s)"),
        ("load_s", "index load (s)"),
    ):
        left.plot(n, [r[key] for r in rows], marker="o", label=label)
    left.set(xscale="log", yscale="log", xlabel="synthetic documents N", ylabel="seconds", title="Build and load")
    left.legend(fontsize=8)
    for key, label in (
        ("query_p95_ms", "search p95, unfiltered (ms)"),
        ("query_region_p95_ms", "search p95, region-filtered (ms)"),
        ("eval_p99_ms", "evaluation p99 (ms)"),
        ("index_mb", "index on disk (MB)"),
        ("index_rss_mb", "index RSS (MB)"),
    ):
        right.plot(n, [r[key] for r in rows], marker="o", label=label)
    right.set(xscale="log", yscale="log", xlabel="synthetic documents N", title="Per query and memory")
    right.legend(fontsize=8)
    fig.suptitle("IP incentive assistant at scale (synthetic data; shared 2-core machine)")
    fig.tight_layout()
    fig.savefig(path, dpi=110)


if __name__ == "__main__":
    main()

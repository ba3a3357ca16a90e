"""Retrieval quality on the hand-written question set: hit@1, hit@3 and MRR per mode.

Run ``python -m knowledge.retrieval.evaluate`` (prints a table; ``--json`` for figures).
"""

from __future__ import annotations

import argparse
import json
from dataclasses import dataclass
from pathlib import Path

from knowledge.retrieval.config import MODES
from knowledge.retrieval.search import Retriever
from knowledge.yamlio import load_yaml

QUESTIONS = Path(__file__).resolve().parent / "eval" / "questions.yaml"


@dataclass(frozen=True)
class Question:
    q: str
    answers: frozenset[str]
    region: str | None = None


@dataclass(frozen=True)
class Scores:
    hit1: float
    hit3: float
    mrr: float
    misses: tuple[str, ...]


def load_questions(path: Path = QUESTIONS) -> list[Question]:
    out = []
    for item in load_yaml(path):
        unknown = set(item) - {"q", "answers", "region"}
        if unknown:
            raise ValueError(f"{path.name}: {item.get('q')!r}: unknown keys {sorted(unknown)}")
        out.append(Question(item["q"], frozenset(item["answers"]), item.get("region")))
    return out


def evaluate(retriever: Retriever, questions: list[Question], mode: str, depth: int = 10) -> Scores:
    hit1 = hit3 = 0
    reciprocal = 0.0
    misses = []
    for question in questions:
        result = retriever.search(question.q, region=question.region, top_k=depth, mode=mode)
        found = [f"{h.passage.policy_id}/{h.passage.clause_id}" for h in result.hits]
        rank = next((i for i, clause in enumerate(found, 1) if clause in question.answers), None)
        if rank == 1:
            hit1 += 1
        if rank is not None and rank <= 3:
            hit3 += 1
        else:
            misses.append(f"{question.q} → {found[:3]}")
        reciprocal += 1 / rank if rank else 0.0
    n = len(questions)
    return Scores(hit1 / n, hit3 / n, reciprocal / n, tuple(misses))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--misses", action="store_true", help="list the questions missed at 3")
    args = parser.parse_args()
    retriever = Retriever()
    questions = load_questions()
    results = {mode: evaluate(retriever, questions, mode) for mode in MODES}
    if args.json:
        print(json.dumps({m: {"hit@1": s.hit1, "hit@3": s.hit3, "mrr": s.mrr} for m, s in results.items()}))
        return
    print(f"{len(questions)} questions")
    print(f"{'mode':8s} {'hit@1':>7s} {'hit@3':>7s} {'MRR':>7s}")
    for mode, s in results.items():
        print(f"{mode:8s} {s.hit1:7.1%} {s.hit3:7.1%} {s.mrr:7.3f}")
        if args.misses:
            for miss in s.misses:
                print("    miss:", miss)


if __name__ == "__main__":
    main()

"""Passages: one per clause (long clauses split at sentence ends), each ready to cite."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from knowledge.base import KnowledgeBase
from knowledge.model import Clause, Policy

MAX_TOKENS = 480  # the encoder sees 512 positions; leave room for the prompt and specials


@dataclass(frozen=True, slots=True)
class Passage:
    id: str  # <policy>/<clause>#<chunk>
    policy_id: str
    policy_title: str
    doc_number: str | None
    region: str
    clause_id: str
    path: str
    headings: tuple[str, ...]
    text: str

    @property
    def context(self) -> str:
        """What the encoders see: region and the nearest heading give a bare clause its topic."""
        heading = self.headings[-1] if self.headings else ""
        return f"{self.region} {heading} {self.text}"


_SENTENCE_END = re.compile(r"(?<=[。；！？;])")


def split_sentences(text: str) -> list[str]:
    return [part for part in _SENTENCE_END.split(text) if part]


def _chunks(text: str, count_tokens: Callable[[str], int]) -> list[str]:
    if count_tokens(text) <= MAX_TOKENS:
        return [text]
    chunks: list[str] = []
    current = ""
    for sentence in split_sentences(text):
        if current and count_tokens(current + sentence) > MAX_TOKENS:
            chunks.append(current)
            current = ""
        current += sentence
    if current:
        chunks.append(current)
    return chunks


def clause_passages(policy: Policy, clause: Clause, count_tokens: Callable[[str], int]) -> list[Passage]:
    return [
        Passage(
            f"{policy.id}/{clause.id}#{n}",
            policy.id,
            policy.title,
            policy.doc_no,
            policy.jurisdiction.name,
            clause.id,
            clause.path,
            clause.headings,
            chunk,
        )
        for n, chunk in enumerate(_chunks(clause.text, count_tokens))
    ]


def build_passages(kb: KnowledgeBase, count_tokens: Callable[[str], int]) -> list[Passage]:
    return [
        p for policy in kb.policies for clause in policy.clauses for p in clause_passages(policy, clause, count_tokens)
    ]

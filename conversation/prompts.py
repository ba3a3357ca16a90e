"""Which facts to offer next: those that could add the most money in the enterprise's region.

A fact is offered only when some award of the region's policies still waits for it (or would
grow with it) and that award names an amount: a fact that cannot change any amount is never asked.
"""

from __future__ import annotations

from dataclasses import dataclass

from eligibility import Evaluation, RuleBook
from eligibility.loader import CompiledAward
from eligibility.rates import rate_text, unit_value


@dataclass(frozen=True, slots=True)
class Prompt:
    field: str
    gain: int  # the most one unit of the fact could add, in yuan
    award: str  # the award it would unlock, for the prompt's wording
    rate: str  # the award's rule: 每件 10,000 元


_BY_BOOK: dict[int, tuple[RuleBook, dict[str, CompiledAward]]] = {}


def compiled_awards(book: RuleBook) -> dict[str, CompiledAward]:
    """Awards by global id, built once per rule book (a RuleBook holds dicts, so it is not hashable)."""
    entry = _BY_BOOK.get(id(book))
    if entry is None or entry[0] is not book:
        entry = _BY_BOOK[id(book)] = (book, {c.global_id: c for c in book.all_awards()})
    return entry[1]


def ranked_prompts(evaluation: Evaluation, book: RuleBook, skipped: frozenset[str] = frozenset()) -> list[Prompt]:
    """Missing facts ranked by the largest amount one unit of them could unlock (ties: profile order)."""
    compiled = compiled_awards(book)
    best: dict[str, Prompt] = {}
    for result in evaluation.results:
        if not result.missing or result.status not in {"needs_info", "eligible"}:
            continue
        award = compiled[result.award_id].award
        gain = unit_value(award.amount)
        if gain <= 0:
            continue
        for field in result.missing:
            if field in skipped:
                continue
            if field not in best or gain > best[field].gain:
                best[field] = Prompt(field, gain, award.name, rate_text(award.amount))
    order = {field: n for n, field in enumerate(evaluation.missing_facts)}
    return sorted(best.values(), key=lambda p: (-p.gain, order.get(p.field, 0)))

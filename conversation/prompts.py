"""Which facts to offer next: those that could add the most money in the enterprise's region.

A fact is offered only when some award of the region's policies still waits for it (or would
grow with it) and that award names an amount: a fact that cannot change any amount is never asked.
"""

from __future__ import annotations

from collections.abc import Callable
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


def ranked_prompts(
    evaluation: Evaluation,
    book: RuleBook,
    skipped: frozenset[str] = frozenset(),
    first: Callable[[CompiledAward], bool] | None = None,
) -> list[Prompt]:
    """Missing facts ranked by the largest amount one unit of them could unlock (ties: profile order).

    ``first``: awards on the conversation's topic, whose missing facts come first whatever they pay
    (泽州's pledge-loan support is a share of the city's subsidy: no amount of its own to rank by).
    """
    compiled = compiled_awards(book)
    best: dict[str, Prompt] = {}
    leading: set[str] = set()
    for result in evaluation.results:
        if not result.missing or result.status not in {"needs_info", "eligible"}:
            continue
        award = compiled[result.award_id].award
        gain = unit_value(award.amount)
        on_topic = first is not None and first(compiled[result.award_id])
        if on_topic:
            leading.update(result.missing)
        if gain <= 0 and not on_topic:
            continue
        for field in result.missing:
            if field in skipped:
                continue
            if field not in best or gain > best[field].gain:
                best[field] = Prompt(field, gain, award.name, rate_text(award.amount))
    order = {field: n for n, field in enumerate(evaluation.missing_facts)}
    return sorted(best.values(), key=lambda p: (p.field not in leading, -p.gain, order.get(p.field, 0)))

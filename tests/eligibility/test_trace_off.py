"""The bulk path (``trace=False``) and the remembered (region, date) work change nothing but the trace.

Every example profile and every table-driven case, evaluated both ways: the evaluations must be
equal field by field once the awards' ``steps`` are set aside, and the bulk path must build none.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from eligibility import Evaluation, engine, evaluate, load_rulebook, parse_profile
from eligibility.loader import RULES_DIR
from knowledge.yamlio import load_yaml

ROOT = Path(__file__).resolve().parents[2]
BOOK = load_rulebook()
DAY = date(2024, 6, 1)


def _examples() -> list[tuple[str, dict[str, Any], date]]:
    found = []
    for path in sorted((ROOT / "examples").glob("*.json")):
        profile = json.loads(path.read_text(encoding="utf-8"))
        found.append((path.stem, profile, DAY))
        # before any plan was issued, after every plan period, and for entity types the awards may exclude
        found += [(f"{path.stem} {d}", profile, d) for d in (date(2019, 1, 1), date(2030, 1, 1))]
        found += [(f"{path.stem} {t}", {**profile, "entity_type": t}, DAY) for t in ("university", "school")]
    return found


def _cases() -> list[tuple[str, dict[str, Any], date]]:
    return [
        (f"{path.name}: {case['name']}", case["profile"], case["as_of"])
        for path in sorted(RULES_DIR.glob("*/*.cases.yaml"))
        for case in load_yaml(path)
    ]


def _without_award_steps(evaluation: Evaluation) -> tuple[Any, ...]:
    fields = [getattr(evaluation, name) for name in Evaluation.__slots__ if name != "results"]
    return (*fields, tuple(result._replace(steps=()) for result in evaluation.results))


INPUTS = _examples() + _cases()


@pytest.mark.parametrize(("profile", "as_of"), [(p, d) for _, p, d in INPUTS], ids=[name for name, _, _ in INPUTS])
def test_trace_off_changes_only_the_steps(profile: dict[str, Any], as_of: date) -> None:
    parsed = parse_profile(profile)
    traced = evaluate(parsed, BOOK, as_of=as_of, trace=True)
    bulk = evaluate(parsed, BOOK, as_of=as_of, trace=False)
    assert _without_award_steps(bulk) == _without_award_steps(traced)
    assert all(result.steps == () for result in bulk.results)
    assert all(result.steps for result in traced.results)  # every award explains itself when asked


def test_remembered_settings_change_nothing() -> None:
    """A rule book that has seen every input gives what a fresh one gives, and the memo stays bounded."""
    fresh = load_rulebook()
    for _, profile, as_of in INPUTS:
        parsed = parse_profile(profile)
        assert evaluate(parsed, fresh, as_of=as_of) == evaluate(parsed, BOOK, as_of=as_of)
    assert len(BOOK.settings) <= engine._SETTINGS_MEMO_SIZE


def test_settings_memo_starts_afresh_when_full(monkeypatch: pytest.MonkeyPatch) -> None:
    book = load_rulebook(knowledge=BOOK.knowledge)
    monkeypatch.setattr(engine, "_SETTINGS_MEMO_SIZE", 2)
    for region in ("泽州县", "桓台县", "上杭县"):
        evaluate(parse_profile({"region": region}), book, as_of=DAY)
    assert list(book.settings) == [("上杭县", DAY)]

"""Collect the table-driven cases that sit next to the rules (``*.cases.yaml``).

The pattern of openfisca-core's ``YamlFile``/``YamlItem``: each case becomes a test
item, its keys go through a strict dataclass so a typo fails, and a failure reads
``<doc-id>.cases.yaml: case '<name>': …``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, fields
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from eligibility import AwardResult, RuleBook, evaluate, load_rulebook, parse_profile
from knowledge.yamlio import load_yaml

_CASE_KEYS = ("status", "amount", "amount_min", "amount_max", "missing", "lower_bound")
_GLOBAL_KEYS = ("policy_status", "total_min", "total_max", "matched", "missing_facts", "eligible_only")


@cache
def rulebook() -> RuleBook:
    return load_rulebook()


@dataclass(frozen=True)
class AwardExpectation:
    status: str = "eligible"
    amount: int | str | None = "unset"
    amount_min: int | str | None = "unset"
    amount_max: int | str | None = "unset"
    missing: tuple[str, ...] | None = None
    lower_bound: bool | None = None  # the amount is what the stated facts already earn ("至少")

    @classmethod
    def parse(cls, data: dict[str, Any], where: str) -> AwardExpectation:
        unknown = set(data) - {f.name for f in fields(cls)}
        if unknown:
            raise CaseError(f"{where}: unknown keys {sorted(unknown)}")
        if "missing" in data:
            data = {**data, "missing": tuple(data["missing"])}
        return cls(**data)


@dataclass(frozen=True)
class Case:
    name: str
    as_of: date
    profile: dict[str, Any]
    awards: dict[str, AwardExpectation] = field(default_factory=dict)
    policy_status: str | None = None
    total_min: int | None = None
    total_max: int | None = None
    eligible_only: tuple[str, ...] | None = None  # exactly these awards are eligible


class CaseError(Exception):
    pass


def parse_case(raw: dict[str, Any], file: str) -> Case:
    where = f"{file}: case {raw.get('name')!r}"
    unknown = set(raw) - {"name", "as_of", "profile", "expect"}
    if unknown:
        raise CaseError(f"{where}: unknown keys {sorted(unknown)}")
    expect = dict(raw.get("expect", {}))
    globals_ = {key: expect.pop(key) for key in _GLOBAL_KEYS if key in expect}
    if "eligible_only" in globals_:
        globals_["eligible_only"] = tuple(globals_["eligible_only"])
    awards = {award: AwardExpectation.parse(value or {}, f"{where}: {award}") for award, value in expect.items()}
    return Case(raw["name"], raw["as_of"], raw["profile"], awards, **globals_)


def check_case(case: Case, document: str) -> None:
    book = rulebook()
    evaluation = evaluate(parse_profile(case.profile), book, as_of=case.as_of)
    by_id: dict[str, AwardResult] = {r.award_id: r for r in evaluation.results}
    known = {c.award.id for c in book.awards[document]}
    for award_id, want in case.awards.items():
        if award_id not in known:
            raise CaseError(f"award {award_id!r} is not in {document}")
        got = by_id.get(f"{document}/{award_id}")
        assert got is not None, f"{award_id}: not evaluated (region not covered?)"
        assert got.status == want.status, f"{award_id}: status {got.status}, expected {want.status} ({got.steps})"
        if want.amount != "unset":
            assert (got.amount_min, got.amount_max) == (want.amount, want.amount), (
                f"{award_id}: amount {got.amount_min}–{got.amount_max} ({got.calculation}), expected {want.amount}"
            )
        if want.amount_min != "unset":
            assert got.amount_min == want.amount_min, f"{award_id}: amount_min {got.amount_min}"
        if want.amount_max != "unset":
            assert got.amount_max == want.amount_max, f"{award_id}: amount_max {got.amount_max}"
        if want.missing is not None:
            assert got.missing == want.missing, f"{award_id}: missing {got.missing}, expected {want.missing}"
        if want.lower_bound is not None:
            assert got.amount_is_lower_bound == want.lower_bound, f"{award_id}: lower bound {got.amount_is_lower_bound}"
    if case.policy_status is not None:
        statuses = {p.id: p.status for p in evaluation.policies}
        assert statuses.get(document) == case.policy_status, f"policy status {statuses}"
    if case.total_min is not None:
        assert evaluation.total_min == case.total_min, f"total_min {evaluation.total_min}"
    if case.total_max is not None:
        assert evaluation.total_max == case.total_max, f"total_max {evaluation.total_max}"
    if case.eligible_only is not None:
        eligible = sorted(r.award_id.split("/", 1)[1] for r in evaluation.awards if r.policy_id == document)
        assert eligible == sorted(case.eligible_only), f"eligible {eligible}"


class CaseItem(pytest.Item):
    def __init__(self, *, case: Case, document: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.case = case
        self.document = document

    def runtest(self) -> None:
        check_case(self.case, self.document)

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> str:
        return f"{self.path.name}: case {self.case.name!r}: {excinfo.value}"

    def reportinfo(self) -> tuple[Path, int, str]:
        return self.path, 0, f"case: {self.case.name}"


class CasesFile(pytest.File):
    def collect(self) -> Iterator[CaseItem]:
        document = self.path.name.removesuffix(".cases.yaml")
        for raw in load_yaml(self.path):
            case = parse_case(raw, self.path.name)
            yield CaseItem.from_parent(self, name=case.name, case=case, document=document)


def pytest_collect_file(parent: pytest.Collector, file_path: Path) -> CasesFile | None:
    if file_path.name.endswith(".cases.yaml"):
        return CasesFile.from_parent(parent, path=file_path)
    return None

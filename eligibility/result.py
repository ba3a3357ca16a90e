"""What an evaluation returns: frozen values that carry everything a renderer needs."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

from knowledge import Place, PolicyStatus

from eligibility.conditions import Outcome
from eligibility.profile import FACT_FIELDS

AwardStatus = Literal["eligible", "not_eligible", "needs_info", "not_in_effect"]


@dataclass(frozen=True, slots=True)
class Citation:
    policy_id: str
    policy_title: str
    doc_number: str | None
    clause_id: str
    path: str
    quote: str
    clause_text: str

    @property
    def rendered(self) -> str:
        number = f"（{self.doc_number}）" if self.doc_number else ""
        return f"依据《{self.policy_title}》{number}{self.path}"


@dataclass(frozen=True, slots=True)
class Step:
    """One line of the trace: a check, its outcome and what was observed."""

    label: str
    outcome: Outcome | Literal["info"]
    observed: str = ""


@dataclass(frozen=True, slots=True)
class AwardResult:
    award_id: str
    name: str
    policy_id: str
    status: AwardStatus
    amount_min: int | None
    amount_max: int | None
    calculation: str
    citation: Citation
    notes: tuple[str, ...]
    steps: tuple[Step, ...]
    missing: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class PolicyView:
    id: str
    title: str
    doc_number: str | None
    issuer: str
    status: PolicyStatus
    status_label: str
    issued_on: date
    period_end: date | None
    period_text: str


@dataclass(frozen=True, slots=True)
class Evaluation:
    as_of: date
    region_query: str
    place: Place | None
    candidates: tuple[Place, ...]
    policies: tuple[PolicyView, ...]
    results: tuple[AwardResult, ...]
    notes: tuple[str, ...]
    steps: tuple[Step, ...]  # region resolution and policy status, before any award

    @property
    def awards(self) -> tuple[AwardResult, ...]:
        return tuple(r for r in self.results if r.status == "eligible")

    @property
    def pending(self) -> tuple[AwardResult, ...]:
        return tuple(r for r in self.results if r.status == "needs_info")

    @property
    def total_min(self) -> int:
        return sum(r.amount_min for r in self.awards if r.amount_min is not None)

    @property
    def total_max(self) -> int:
        return sum(r.amount_max for r in self.awards if r.amount_max is not None)

    @property
    def unspecified_count(self) -> int:
        return sum(1 for r in self.awards if r.amount_min is None)

    @property
    def missing_facts(self) -> tuple[str, ...]:
        wanted = {fact for r in self.pending for fact in r.missing}
        return tuple(field for field in FACT_FIELDS if field in wanted)

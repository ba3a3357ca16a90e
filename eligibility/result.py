"""What an evaluation returns: immutable values that carry everything a renderer needs.

Steps and award results are named tuples: an evaluation builds dozens of them, and
tuples are several times cheaper to create than frozen dataclasses.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal, NamedTuple

from eligibility.conditions import Outcome
from eligibility.countries import country_name_zh
from eligibility.profile import CODE_LABELS, FACT_FIELDS, PledgeLoan
from knowledge import Place, PolicyStatus

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
    departments: tuple[str, ...] = ()  # whom to contact, lead first (the clause's, else the plan's office)
    caveat: str | None = None  # shown next to the amount in every channel
    kind_of_support: str = "payment"  # ``loan``: not a payment, listed under 其他支持

    @property
    def other_support(self) -> bool:
        """Support that is not money from the government (a bank loan): its own heading, never in totals."""
        return self.kind_of_support != "payment"

    @property
    def rendered(self) -> str:
        number = f"（{self.doc_number}）" if self.doc_number else ""
        return f"依据《{self.policy_title}》{number}{self.path}"


def describe(value: object) -> str:
    """A fact as the trace shows it (formatted only when someone reads the trace)."""
    if value is None:
        return "未提供"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, str):
        return CODE_LABELS.get(value, value)
    if isinstance(value, dict):
        return "、".join(f"{country_name_zh(k)} {v}" for k, v in value.items()) or "无"
    if isinstance(value, list | tuple):
        return "、".join(describe(item) for item in value) or "无"
    if isinstance(value, PledgeLoan):
        return f"本金 {value.principal} 元、年基准利率 {value.annual_benchmark_rate:%}、{value.months} 个月"
    return str(value)


class Step(NamedTuple):
    """One line of the trace: a check, its outcome and the fact it looked at."""

    label: str
    outcome: Outcome | Literal["info"]
    value: object = None
    text: str | None = None  # already-formatted observation (amount formulas, status labels)

    @property
    def observed(self) -> str:
        return self.text if self.text is not None else describe(self.value)


class AwardResult(NamedTuple):
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
    missing: tuple[str, ...] = ()  # facts that would decide (needs_info) or raise (a lower bound) the award
    amount_is_lower_bound: bool = False  # eligible on the stated facts; ``missing`` ones can only add to it


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
    def total_is_lower_bound(self) -> bool:
        """Some award counted in the total is a lower bound, so the total is one too."""
        return any(r.amount_is_lower_bound for r in self.awards)

    @property
    def missing_facts(self) -> tuple[str, ...]:
        wanted = {fact for r in self.results if r.status in {"needs_info", "eligible"} for fact in r.missing}
        return tuple(field for field in FACT_FIELDS if field in wanted)

"""The policy documents as data: metadata plus every clause, verbatim."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from functools import cached_property
from typing import Any, Literal, Self

from pydantic import BaseModel, ConfigDict, Field

_WHITESPACE = re.compile(r"\s+")


def squash(text: str) -> str:
    """Remove all whitespace: the seeds break lines and pages mid-sentence."""
    return _WHITESPACE.sub("", text)


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    def model_copy(self, *, update: Mapping[str, Any] | None = None, deep: bool = False) -> Self:
        """pydantic's copy without the cached properties (they live in ``__dict__`` and would describe
        the original: a clause copied with new text must not keep the old text's squashed form)."""
        copy = super().model_copy(update=update, deep=deep)
        for name in _cached_names(type(self)):
            copy.__dict__.pop(name, None)
        return copy


def _cached_names(cls: type) -> tuple[str, ...]:
    return tuple(n for klass in cls.__mro__ for n, v in vars(klass).items() if isinstance(v, cached_property))


class Jurisdiction(_Frozen):
    name: str
    level: Literal["county", "city"]
    city: str
    province: str


class Source(_Frozen):
    file: str
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")


class TaskTableRow(_Frozen):
    """The 工作进度/责任部门/参与部门 cells of a task-division table row (桓台's 附件), verbatim.

    A cell is absent where the seed's cell is empty (a row merged with the one above).
    """

    progress: str | None = None  # 工作进度
    responsible: str | None = None  # 责任部门
    participating: str | None = None  # 参与部门


class Clause(_Frozen):
    id: str = Field(pattern=r"^[a-z0-9.]+$")
    path: str
    headings: tuple[str, ...]
    text: str = Field(min_length=1)
    # Whom to contact: the departments the document makes responsible for this clause, lead first,
    # with the county or city written out (县财政局 in 泽州县's plan → 泽州县财政局). Added structure, not
    # part of the verbatim text.
    departments: tuple[str, ...] = ()
    task_table: TaskTableRow | None = None

    def contains(self, quote: str) -> bool:
        """Whether ``quote`` appears in this clause, whitespace ignored."""
        return squash(quote) in self._squashed

    @cached_property
    def _squashed(self) -> str:  # every award citing the clause checks its quote against it
        return squash(self.text)


class Coordinator(_Frozen):
    """The office the document puts in charge of the whole plan (e.g. 领导小组办公室设在县市场监督管理局)."""

    clause: str
    departments: tuple[str, ...] = Field(min_length=1)


class Policy(_Frozen):
    """One official document (OpenFisca-style parameters file, but for law text)."""

    id: str = Field(pattern=r"^[a-z0-9-]+$")
    title: str
    notice_title: str
    doc_no: str | None
    issuer: str
    jurisdiction: Jurisdiction
    issued_on: date
    period_end: date | None
    period_text: str
    status: Literal["published", "draft"]
    references: tuple[str, ...] = ()
    source: Source
    coordinator: Coordinator
    clauses: tuple[Clause, ...]

    @property
    def issue_verb(self) -> str:
        """How its date is said: a draft is 发布 for comment, never 印发."""
        return "发布（征求意见）" if self.status == "draft" else "印发"

    def clause(self, clause_id: str) -> Clause | None:
        return self._clauses_by_id.get(clause_id)

    @cached_property
    def _clauses_by_id(self) -> dict[str, Clause]:
        by_id: dict[str, Clause] = {}
        for clause in self.clauses:
            by_id.setdefault(clause.id, clause)  # the first of equal ids, as a scan finds it
        return by_id

    def contacts(self, clause: Clause) -> tuple[str, ...]:
        """Whom to contact about ``clause``: its own departments, else the plan's coordinating office."""
        return clause.departments or self.coordinator.departments

    @cached_property
    def citation_name(self) -> str:
        """How the bot names the document: 《title》（doc_no） or 《title》（issuer date）."""
        if self.doc_no:
            return f"《{self.title}》（{self.doc_no}）"
        return f"《{self.title}》（{self.issuer}，{self.issued_on:%Y年%-m月%-d日}）"


PolicyStatus = Literal["draft", "not_yet_issued", "in_force", "period_ended"]

STATUS_LABELS: dict[str, str] = {
    "draft": "征求意见稿（未正式施行）",
    "not_yet_issued": "尚未发布",
    "in_force": "执行中",
    "period_ended": "已过计划期",
}


def policy_status(policy: Policy, as_of: date) -> PolicyStatus:
    """The status of ``policy`` on ``as_of``.

    Only ``draft`` is recorded in the file; the rest derives from the dates so it
    cannot go stale. The stated horizon is inclusive: on ``period_end`` the plan
    is still in force, the day after it has ended. A draft published for comment
    is ``not_yet_issued`` before its own date, a ``draft`` from that date on.
    """
    if as_of < policy.issued_on:
        return "not_yet_issued"
    if policy.status == "draft":
        return "draft"
    if policy.period_end is not None and as_of > policy.period_end:
        return "period_ended"
    return "in_force"

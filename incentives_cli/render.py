"""Readable Chinese reports for the terminal (rich handles the width of CJK text in tables)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING

from rich.console import Console
from rich.table import Table

from eligibility import FIELD_LABELS, AwardResult, Evaluation, Hint, amount_text, total_text
from eligibility.hints import HINTS_HEADING, hint_lines
from eligibility.report import (
    ESTIMATE_NOTICE,
    OTHER_SUPPORT_HEADING,
    departments_text,
    reason_sentence,
    split_support,
    status_heading,
)
from knowledge import STATUS_LABELS, KnowledgeBase, policy_status

if TYPE_CHECKING:
    from knowledge.retrieval import SearchResult

OUTCOME_MARKS = {"pass": "✓", "fail": "✗", "unknown": "？", "info": "·"}


def _print_list(console: Console, title: str, items: Sequence[str]) -> None:
    if items:
        console.print(f"\n{title}")
        for item in items:
            console.print(f"  - {item}")


def _header(console: Console, evaluation: Evaluation) -> None:
    place = evaluation.place
    where = place.full_name if place else "未识别"
    console.print(f"地区：{where}（输入：{evaluation.region_query}）    评估日期：{evaluation.as_of:%Y-%m-%d}")
    for policy in evaluation.policies:
        number = f"（{policy.doc_number}）" if policy.doc_number else ""
        console.print(f"适用政策：《{policy.title}》{number}  [{policy.status_label}，计划期：{policy.period_text}]")


def _headings(console: Console, evaluation: Evaluation) -> None:
    """The status of an ended plan or a draft, stated before any amount."""
    for policy in evaluation.policies:
        heading = status_heading(policy, evaluation.as_of)
        if heading:
            console.print(f"【注意】{heading}")


def _amount_cell(award: AwardResult) -> str:
    caveat = award.citation.caveat
    return f"{amount_text(award)}\n（须注意：{caveat}）" if caveat else amount_text(award)


def _sources(console: Console, awards: Sequence[AwardResult], first: int = 1) -> None:
    for number, award in enumerate(awards, first):
        console.print(f"  [{number}] {award.citation.rendered}：“{award.citation.quote}”")
        if award.citation.departments:
            console.print(f"      负责部门：{departments_text(award.citation.departments)}")
        for note in award.notes:
            console.print(f"      说明：{note}")


def _hints(console: Console, hints: Sequence[Hint]) -> None:
    """The two or three largest “what would unlock more” gains, one line each (after the total)."""
    shown = hint_lines(hints)
    if shown:
        console.print(HINTS_HEADING + "：")
        for line in shown:
            console.print(f"  · {line}")


def render_check(console: Console, evaluation: Evaluation, hints: Sequence[Hint] = ()) -> None:
    _header(console, evaluation)
    awards, other = split_support(evaluation.awards)
    if evaluation.policies:
        console.print()
        _headings(console, evaluation)
        if awards:
            table = Table(title=f"可申请的奖励（{len(awards)} 项）", show_lines=True)
            for column in ("#", "奖励", "金额", "计算", "依据"):
                table.add_column(column, overflow="fold")
            for number, award in enumerate(awards, 1):
                table.add_row(str(number), award.name, _amount_cell(award), award.calculation, award.citation.path)
            console.print(table)
            line = f"合计（已明确金额部分）：{total_text(evaluation)}"
            unspecified = sum(1 for award in awards if award.amount_min is None)
            if unspecified:
                line += f"；另有 {unspecified} 项政策承诺支持但未明确金额"
            console.print(line)
            _hints(console, hints)
            console.print("\n原文依据：")
            _sources(console, awards)
        elif not other:
            console.print("按目前提供的信息，暂未发现可申请的奖励。")
        if hints and not awards:
            _hints(console, hints)
        if other:
            console.print(f"\n{OTHER_SUPPORT_HEADING}：")
            for number, item in enumerate(other, len(awards) + 1):
                caveat = f"（须注意：{item.citation.caveat}）" if item.citation.caveat else ""
                console.print(f"  [{number}] {item.name}：{item.calculation}{caveat}")
            _sources(console, other, len(awards) + 1)
        console.print(f"\n{ESTIMATE_NOTICE}")
    _print_list(
        console, "还需要了解（补充后可判断更多奖励）：", [f"{FIELD_LABELS[f]}（{f}）" for f in evaluation.missing_facts]
    )
    _print_list(console, "提示：", evaluation.notes)


VERDICTS = {"eligible": "可申请", "not_eligible": "不适用", "needs_info": "待补充信息", "not_in_effect": "政策未生效"}


def render_explain(console: Console, evaluation: Evaluation, *, show_all: bool = False) -> None:
    """The reasoning: by default only the awards that apply or wait for a fact; ``show_all`` adds the rest."""
    console.print(f"评估日期：{evaluation.as_of:%Y-%m-%d}")
    for number, step in enumerate(evaluation.steps, 1):
        console.print(f"{number}. {step.label}：{step.observed}  {OUTCOME_MARKS[step.outcome]}")
    if evaluation.policies:
        _headings(console, evaluation)
        console.print(f"合计（已明确金额部分）：{total_text(evaluation)}")
    shown = [r for r in evaluation.results if show_all or r.status in {"eligible", "needs_info"}]
    for result in shown:
        console.print(f"\n【{result.name}】{result.citation.rendered}")
        console.print(f"    原文：“{result.citation.quote}”")
        for step in result.steps:
            console.print(f"    {OUTCOME_MARKS[step.outcome]} {step.label}：{step.observed}")
        outcome = VERDICTS[result.status]
        if result.status == "needs_info":
            outcome += "：" + "、".join(FIELD_LABELS[f] for f in result.missing)
        elif result.status == "eligible":
            outcome += f" {amount_text(result)}"
            if result.citation.other_support:
                outcome += f"（{OTHER_SUPPORT_HEADING}）"
            if result.citation.caveat:
                outcome += f"（须注意：{result.citation.caveat}）"
        else:
            outcome += f"：{reason_sentence(result)}"
        console.print(f"    → {outcome}")
        if result.citation.departments:
            console.print(f"    负责部门：{departments_text(result.citation.departments)}")
        for note in result.notes:
            console.print(f"    说明：{note}")
    hidden = len(evaluation.results) - len(shown)
    if hidden:
        console.print(f"\n另有 {hidden} 项规则不适用，加 --all 查看每一项及其原因。")
    if evaluation.policies:
        console.print(f"\n{ESTIMATE_NOTICE}")
    _print_list(console, "提示：", evaluation.notes)


def render_policies(console: Console, kb: KnowledgeBase, as_of: date, award_counts: dict[str, int]) -> None:
    table = Table(title=f"已收录政策（状态按 {as_of:%Y-%m-%d} 计）", show_lines=True)
    for column in ("地区", "文件", "文号", "印发", "计划期", "状态", "条款/奖励"):
        table.add_column(column, overflow="fold")
    for policy in kb.policies:
        status = policy_status(policy, as_of)
        table.add_row(
            policy.jurisdiction.name,
            f"《{policy.title}》",
            policy.doc_no or "（无文号）",
            f"{policy.issuer} {policy.issued_on:%Y-%m-%d}",
            policy.period_text,
            STATUS_LABELS[status],
            f"{len(policy.clauses)} / {award_counts.get(policy.id, 0)}",
        )
    console.print(table)


def render_answer(console: Console, result: SearchResult) -> None:
    console.print(
        f"问题：{result.question}"
        + (f"    地区：{result.region or result.region_query}" if result.region_query else "")
    )
    for note in result.notes:
        console.print(f"提示：{note}")
    if not result.hits and not result.notes:
        console.print("没有检索到相关条款。")
    for number, hit in enumerate(result.hits, 1):
        passage = hit.passage
        number_text = f"（{passage.doc_number}）" if passage.doc_number else ""
        console.print(f"\n[{number}] 《{passage.policy_title}》{number_text} {passage.path}    相关度 {hit.score:.2f}")
        console.print(f"    {passage.text}")

"""Facts as the user reads them back: “本年度国内授权发明专利 7 件”, and the question for each fact.

Derived from the profile's own labels (eligibility.profile.FIELD_LABELS) so a new fact needs no
second copy of its wording here.
"""

from __future__ import annotations

import re
from typing import Any

from eligibility.profile import (
    BOOL_FIELDS,
    CODE_FIELDS,
    CODE_LABELS,
    COUNT_FIELDS,
    COUNTRY_FIELDS,
    FIELD_LABELS,
    YUAN_FIELDS,
)
from eligibility.result import describe

_UNIT = re.compile(r"（(件|项|个|元)）$")


def short_label(field: str) -> str:
    """本年度国内授权发明专利数量（件） → 本年度国内授权发明专利; 是否获评“中国商标金奖” → 获评“中国商标金奖”."""
    label = re.sub(r"（[^（）]*）$", "", FIELD_LABELS[field])
    label = label.removeprefix("是否")
    for suffix in ("的数量", "数量", "级别"):
        label = label.removesuffix(suffix)
    return label


def unit(field: str) -> str:
    match = _UNIT.search(FIELD_LABELS[field])
    return match.group(1) if match else ""


def fact_phrase(field: str, value: Any) -> str:
    if field == "region":
        return str(value)
    if field == "entity_type":
        return f"单位类型：{CODE_LABELS.get(value, value)}"
    if field in COUNT_FIELDS:
        return f"{short_label(field)} {value} {unit(field)}"
    if field in YUAN_FIELDS:
        return f"{short_label(field)} {value:,} 元"
    if field in COUNTRY_FIELDS:
        if not value:
            return f"{short_label(field)}：无"
        return f"{short_label(field)}：" + "、".join(f"{describe({k: v})} 件" for k, v in value.items())
    if field in BOOL_FIELDS:
        return f"{short_label(field)}：{'是' if value else '否'}"
    if field == "pledge_loans":
        loans = [
            f"本金 {loan['principal']:,} 元、年基准利率 {loan['annual_benchmark_rate']}、{loan['months']} 个月"
            for loan in value
            if isinstance(loan, dict)
        ]
        return f"{short_label(field)}：{'；'.join(loans) or '无'}"
    if field in CODE_FIELDS and not isinstance(value, list):
        return f"{short_label(field)}：{CODE_LABELS.get(value, value)}"
    return f"{short_label(field)}：{describe(value)}"


def acknowledgement(changes: dict[str, Any]) -> str:
    """“已记录：泽州县；本年度国内授权发明专利 7 件” — so a misreading is visible at once."""
    return "已记录：" + "；".join(fact_phrase(field, value) for field, value in changes.items())


def question(field: str) -> tuple[str, list[dict[str, str]]]:
    """The question for one fact and its quick-reply buttons."""
    label = FIELD_LABELS[field]
    none_button = [{"title": "没有", "payload": "没有"}]
    if field in BOOL_FIELDS:
        return f"请问贵单位{label}？", [{"title": "是", "payload": "是的"}, {"title": "否", "payload": "否"}]
    if field in CODE_FIELDS and field != "patent_awards":
        codes = sorted(CODE_FIELDS[field] - {"none"})
        buttons = [{"title": CODE_LABELS[c], "payload": CODE_LABELS[c]} for c in codes]
        return f"请问贵单位的{label}？", [*buttons, {"title": "都不是", "payload": "都不是"}]
    if field in COUNTRY_FIELDS:
        return f"请问{label}？请按国家说明，例如“美国2件、日本1件”；没有请回复“没有”。", none_button
    if field == "patent_awards":
        return f"请问{label}？例如“中国专利银奖”“省专利奖二等奖”；没有请回复“没有”。", none_button
    if field == "pledge_loans":
        return (
            "请问有没有知识产权质押贷款？有的话请告诉我本金、年基准利率和本年计息月数，例如“质押贷款500万，利率4.35%，12个月”；没有请回复“没有”。",
            none_button,
        )
    return f"请问{label}是多少？没有请回复“没有”。", none_button

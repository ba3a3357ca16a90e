"""What an award pays, stated as a rule rather than computed for a profile.

Answers "泽州县发明专利每件奖多少？" from the rule itself ("每件 2,000 元"), and tells the chat how
much a missing fact could unlock at most, so it asks about the facts worth the most money first.
Pure: amount shapes in, Chinese text or integers out.
"""

from __future__ import annotations

from eligibility.amounts import percent
from eligibility.profile import CODE_LABELS
from eligibility.rules import (
    Amount,
    Fixed,
    InterestSubsidy,
    PerItem,
    PerItemPerCountry,
    Range,
    RateCapped,
    ShareOf,
    Tiered,
    Unspecified,
)


def _yuan(value: int) -> str:
    return f"{value:,} 元"


def rate_text(amount: Amount) -> str:
    """The rule in one phrase: 每件 2,000 元 · 金奖 500,000 元、银奖 300,000 元 · 政策未规定具体金额。"""
    if isinstance(amount, Fixed):
        return f"一次性 {_yuan(amount.yuan)}"
    if isinstance(amount, PerItem):
        cap = f"，总额不超过 {_yuan(amount.cap_yuan)}" if amount.cap_yuan else ""
        return f"每{amount.unit} {_yuan(amount.yuan)}{cap}"
    if isinstance(amount, PerItemPerCountry):
        return f"每{amount.unit}每个国家（地区） {_yuan(amount.yuan)}"
    if isinstance(amount, Tiered):
        return "、".join(f"{CODE_LABELS.get(code, code)} {_yuan(yuan)}" for code, yuan in amount.tiers.items())
    if isinstance(amount, RateCapped):
        return f"按费用的 {percent(amount.rate)} 补助，最高 {_yuan(amount.cap_yuan)}"
    if isinstance(amount, InterestSubsidy):
        return f"按基准利率计算利息的 {percent(amount.rate)} 贴息，每年最高 {_yuan(amount.cap_yuan)}"
    if isinstance(amount, ShareOf):
        return f"按已获金额的 {percent(amount.rate)} 配套"
    if isinstance(amount, Range):
        return f"每{amount.unit} {amount.min_yuan:,}—{_yuan(amount.max_yuan)}（具体以评审为准）"
    assert isinstance(amount, Unspecified)
    return f"政策未规定具体金额（原文承诺：{amount.support}）"


def names_amount(amount: Amount) -> bool:
    """Whether the rule states money at all (a rate, a share, a range…): 桓台 and 柞水 promise support only."""
    return not isinstance(amount, Unspecified)


def unit_value(amount: Amount) -> int:
    """The most one unit of the fact can bring (one patent, the best tier, the cap): 0 when no amount is named."""
    if isinstance(amount, Fixed | PerItem | PerItemPerCountry):
        return amount.yuan
    if isinstance(amount, Tiered):
        return max(amount.tiers.values())
    if isinstance(amount, RateCapped | InterestSubsidy):
        return amount.cap_yuan
    if isinstance(amount, Range):
        return amount.max_yuan
    return 0  # ShareOf depends on another payment; Unspecified names no amount

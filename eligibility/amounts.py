"""Amount shapes: one pure function per wording in the clauses.

Money is integer yuan throughout. Rates are ``Decimal``; a product with a rate is
rounded half-up to whole yuan once, at the end of each award (before any cap).
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, NamedTuple

from eligibility.countries import country_name_zh
from eligibility.profile import CODE_LABELS, EnterpriseProfile, PledgeLoan
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

COUNT_LABELS: dict[str, str] = {
    "invention_patents_granted": "授权发明专利",
    "ic_layout_designs": "集成电路布图设计",
    "provincial_patent_promotion_projects": "省级专利推广实施资助项目",
    "purchased_invention_patents": "购买的发明专利",
    "gi_trademarks_new": "地理标志商标",
    "gi_products_new": "地理标志保护产品",
    "plant_variety_rights": "植物新品种权",
}


class Computed(NamedTuple):
    """``amount_min``/``amount_max`` are both ``None`` when the policy names no amount.

    ``lower_bound`` is set when some of the facts an additive amount sums over are not stated:
    the figure is what the stated facts already earn, and the unstated ones can only raise it.
    """

    amount_min: int | None
    amount_max: int | None
    formula: str
    capped: bool = False
    lower_bound: bool = False


def to_yuan(value: Decimal) -> int:
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def percent(rate: Decimal) -> str:
    return f"{(rate * 100).normalize():f}%"


def required_facts(amount: Amount) -> tuple[str, ...]:
    """Profile fields the amount reads; the engine asks for them when missing."""
    if isinstance(amount, PerItem | Range):
        return amount.counts
    if isinstance(amount, PerItemPerCountry):
        return (amount.counts,)
    if isinstance(amount, Tiered):
        return (amount.by,)
    if isinstance(amount, RateCapped | InterestSubsidy | ShareOf):
        return (amount.of,)
    return ()


def additive_facts(amount: Amount) -> tuple[str, ...]:
    """Facts an amount adds up, each of which earns money on its own (地理标志商标 + 地理标志保护产品).

    When some of them are stated and others not, the stated ones already earn a certain amount:
    the award is a lower bound rather than waiting for the rest.
    """
    if isinstance(amount, PerItem | Range) and len(amount.counts) > 1:
        return amount.counts
    return ()


def _count(profile: EnterpriseProfile, fields: tuple[str, ...], unit: str) -> tuple[int, str]:
    """The sum of the stated counts; an unstated one counts as nothing yet (the caller marks a lower bound)."""
    values = [(field, getattr(profile, field)) for field in fields]
    total = sum(value for _, value in values if value is not None)
    if len(values) == 1:
        return total, f"{total} {unit}"
    parts = " + ".join(
        f"{COUNT_LABELS.get(field, field)} {value} {unit}" if value is not None
        else f"{COUNT_LABELS.get(field, field)}（未提供）"
        for field, value in values
    )  # fmt: skip
    return total, f"{parts} = {total} {unit}"


def _cap(raw: int, cap: int | None, formula: str) -> Computed:
    if cap is not None and raw > cap:
        return Computed(cap, cap, f"{formula}，超过上限 {cap} 元，按 {cap} 元计", capped=True)
    return Computed(raw, raw, formula)


def _interest(loan: PledgeLoan, rate: Decimal) -> tuple[Decimal, str]:
    value = Decimal(loan.principal) * loan.annual_benchmark_rate * loan.months / 12 * rate
    text = f"{loan.principal} 元 × {percent(loan.annual_benchmark_rate)} × {loan.months}/12 × {percent(rate)}"
    return value, text


def _fixed(amount: Fixed, profile: EnterpriseProfile) -> Computed:
    return Computed(amount.yuan, amount.yuan, f"一次性 {amount.yuan} 元")


def _per_item(amount: PerItem, profile: EnterpriseProfile) -> Computed:
    n, counted = _count(profile, amount.counts, amount.unit)
    raw = n * amount.yuan
    return _cap(raw, amount.cap_yuan, f"{counted} × {amount.yuan} 元 = {raw} 元")


def _per_item_per_country(amount: PerItemPerCountry, profile: EnterpriseProfile) -> Computed:
    by_country: dict[str, int] = getattr(profile, amount.counts)
    n = sum(by_country.values())
    parts = " + ".join(f"{country_name_zh(code)} {count} {amount.unit}" for code, count in by_country.items())
    raw = n * amount.yuan
    counted = parts if len(by_country) == 1 else f"{parts} = {n} {amount.unit}"
    return Computed(raw, raw, f"{counted} × {amount.yuan} 元 = {raw} 元（每件每个国家计一次）")


def _tiered(amount: Tiered, profile: EnterpriseProfile) -> Computed:
    value = getattr(profile, amount.by)
    codes = value if isinstance(value, list) else [value]
    hits = [(code, amount.tiers[code]) for code in codes if code in amount.tiers]
    raw = sum(yuan for _, yuan in hits)
    if not hits:
        return Computed(0, 0, f"{'、'.join(CODE_LABELS[c] for c in codes) or '无'}：本条未规定该等级的金额")
    parts = " + ".join(f"{CODE_LABELS[code]} {yuan} 元" for code, yuan in hits)
    return Computed(raw, raw, parts if len(hits) == 1 else f"{parts} = {raw} 元")


def _rate_capped(amount: RateCapped, profile: EnterpriseProfile) -> Computed:
    cost: int = getattr(profile, amount.of)
    raw = to_yuan(cost * amount.rate)
    return _cap(raw, amount.cap_yuan, f"{cost} 元 × {percent(amount.rate)} = {raw} 元（上限 {amount.cap_yuan} 元）")


def _interest_subsidy(amount: InterestSubsidy, profile: EnterpriseProfile) -> Computed:
    loans: list[PledgeLoan] = getattr(profile, amount.of)
    terms = [_interest(loan, amount.rate) for loan in loans]
    raw = to_yuan(sum((value for value, _ in terms), Decimal(0)))
    formula = " + ".join(text for _, text in terms) or "无贷款"
    return _cap(raw, amount.cap_yuan, f"{formula} = {raw} 元（每年上限 {amount.cap_yuan} 元）")


def _share_of(amount: ShareOf, profile: EnterpriseProfile) -> Computed:
    base: int = getattr(profile, amount.of)
    raw = to_yuan(base * amount.rate)
    return Computed(raw, raw, f"{base} 元 × {percent(amount.rate)} = {raw} 元")


def _range(amount: Range, profile: EnterpriseProfile) -> Computed:
    n, counted = _count(profile, amount.counts, amount.unit)
    low, high = n * amount.min_yuan, n * amount.max_yuan
    return Computed(
        low, high, f"{counted} × （{amount.min_yuan}—{amount.max_yuan} 元）= {low}—{high} 元，具体金额以评审为准"
    )


def _unspecified(amount: Unspecified, profile: EnterpriseProfile) -> Computed:
    return Computed(None, None, f"{amount.support}（政策未明确金额）")


_BY_KIND: dict[type, Callable[[Any, EnterpriseProfile], Computed]] = {
    Fixed: _fixed,
    PerItem: _per_item,
    PerItemPerCountry: _per_item_per_country,
    Tiered: _tiered,
    RateCapped: _rate_capped,
    InterestSubsidy: _interest_subsidy,
    ShareOf: _share_of,
    Range: _range,
    Unspecified: _unspecified,
}


def compute(amount: Amount, profile: EnterpriseProfile) -> Computed:
    """The amount for ``profile``; every fact in ``required_facts(amount)`` must be stated,
    except the ``additive_facts`` (an unstated one makes the result a lower bound)."""
    computed = _BY_KIND[type(amount)](amount, profile)
    if not computed.capped and any(getattr(profile, fact) is None for fact in additive_facts(amount)):
        return computed._replace(lower_bound=True, formula=f"{computed.formula}；未提供的数量补充后可能更多")
    return computed

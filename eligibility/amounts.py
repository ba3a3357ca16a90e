"""Amount shapes: one pure function per wording in the clauses.

Money is integer yuan throughout. Rates are ``Decimal``; a product with a rate is
rounded half-up to whole yuan once, at the end of each award (before any cap).
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from typing import Any, NamedTuple

from eligibility.countries import country_name_zh
from eligibility.profile import CODE_FIELDS, CODE_LABELS, EnterpriseProfile, PledgeLoan
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


_ONE_YUAN = Decimal(1)


def to_yuan(value: Decimal) -> int:
    return int(value.quantize(_ONE_YUAN, rounding=ROUND_HALF_UP))


@lru_cache(maxsize=256)  # pure, and the rates a profile states (4.35% …) are few: formatted once each
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


# Each shape is compiled once, when the rules are loaded, into a function of the profile alone
# (``AmountRule``): the rule's numbers, labels and percent texts are read and formatted here, once,
# so that evaluating an award does only the arithmetic and the one f-string that states it.
# (Formatting the Chinese calculation text is most of an eligible award's cost; ``str.join`` is
# given lists rather than generators below because it builds a list from a generator anyway.)
AmountRule = Callable[[EnterpriseProfile], Computed]


def _counter(fields: tuple[str, ...], unit: str) -> Callable[[EnterpriseProfile], tuple[int, str]]:
    """The sum of the stated counts and how it reads; an unstated one counts as nothing yet
    (the caller marks a lower bound)."""
    if len(fields) == 1:
        (field,) = fields

        def single(profile: EnterpriseProfile) -> tuple[int, str]:
            total = getattr(profile, field) or 0
            return total, f"{total} {unit}"

        return single
    labels = tuple((field, COUNT_LABELS.get(field, field)) for field in fields)

    def several(profile: EnterpriseProfile) -> tuple[int, str]:
        values = [(label, getattr(profile, field)) for field, label in labels]
        total = sum(value for _, value in values if value is not None)
        parts = " + ".join(
            f"{label} {value} {unit}" if value is not None else f"{label}（未提供）" for label, value in values
        )
        return total, f"{parts} = {total} {unit}"

    return several


def _cap(raw: int, cap: int | None, formula: str) -> Computed:
    if cap is not None and raw > cap:
        return Computed(cap, cap, f"{formula}，超过上限 {cap} 元，按 {cap} 元计", capped=True)
    return Computed(raw, raw, formula)


def _interest(loan: PledgeLoan, rate: Decimal, rate_text: str) -> tuple[Decimal, str]:
    value = Decimal(loan.principal) * loan.annual_benchmark_rate * loan.months / 12 * rate
    text = f"{loan.principal} 元 × {percent(loan.annual_benchmark_rate)} × {loan.months}/12 × {rate_text}"
    return value, text


def _fixed(amount: Fixed) -> AmountRule:
    computed = Computed(amount.yuan, amount.yuan, f"一次性 {amount.yuan} 元")  # the same for every profile
    return lambda profile: computed


def _per_item(amount: PerItem) -> AmountRule:
    count, yuan, cap = _counter(amount.counts, amount.unit), amount.yuan, amount.cap_yuan
    times = f" × {yuan} 元 = "

    def per_item(profile: EnterpriseProfile) -> Computed:
        n, counted = count(profile)
        raw = n * yuan
        return _cap(raw, cap, f"{counted}{times}{raw} 元")

    return per_item


def _per_item_per_country(amount: PerItemPerCountry) -> AmountRule:
    field, yuan, unit = amount.counts, amount.yuan, amount.unit

    def per_item_per_country(profile: EnterpriseProfile) -> Computed:
        by_country: dict[str, int] = getattr(profile, field)
        n = sum(by_country.values())
        parts = " + ".join([f"{country_name_zh(code)} {count} {unit}" for code, count in by_country.items()])
        raw = n * yuan
        counted = parts if len(by_country) == 1 else f"{parts} = {n} {unit}"
        return Computed(raw, raw, f"{counted} × {yuan} 元 = {raw} 元（每件每个国家计一次）")

    return per_item_per_country


def _tiered(amount: Tiered) -> AmountRule:
    field, tiers = amount.by, amount.tiers
    texts = {code: f"{CODE_LABELS[code]} {yuan} 元" for code, yuan in tiers.items()}

    def for_codes(codes: list[str]) -> Computed:
        hits = [code for code in codes if code in tiers]
        if not hits:
            return Computed(0, 0, f"{'、'.join(CODE_LABELS[c] for c in codes) or '无'}：本条未规定该等级的金额")
        raw = sum(tiers[code] for code in hits)
        parts = " + ".join([texts[code] for code in hits])
        return Computed(raw, raw, parts if len(hits) == 1 else f"{parts} = {raw} 元")

    # A fact holding one code (a level) has one result per code: every one of them is computed here.
    by_code = {code: for_codes([code]) for code in CODE_FIELDS.get(field, ())}

    def tiered(profile: EnterpriseProfile) -> Computed:
        value = getattr(profile, field)
        if isinstance(value, list):
            return for_codes(value)
        return by_code.get(value) or for_codes([value])

    return tiered


def _result(exact: Decimal, rounded: int) -> str:
    """“6172.5 元，四舍五入为 6173 元” where a share is not whole yuan, so the line is a true equality."""
    if exact == rounded:
        return f"{rounded} 元"
    return f"{exact.normalize():f} 元，四舍五入为 {rounded} 元"


def _rate_capped(amount: RateCapped) -> AmountRule:
    field, rate, rate_text, cap = amount.of, amount.rate, percent(amount.rate), amount.cap_yuan

    def rate_capped(profile: EnterpriseProfile) -> Computed:
        cost: int = getattr(profile, field)
        raw = to_yuan(cost * rate)
        return _cap(raw, cap, f"{cost} 元 × {rate_text} = {_result(cost * rate, raw)}（上限 {cap} 元）")

    return rate_capped


def _interest_subsidy(amount: InterestSubsidy) -> AmountRule:
    field, rate, rate_text, cap = amount.of, amount.rate, percent(amount.rate), amount.cap_yuan

    def interest_subsidy(profile: EnterpriseProfile) -> Computed:
        loans: list[PledgeLoan] = getattr(profile, field)
        terms = [_interest(loan, rate, rate_text) for loan in loans]
        exact = sum((value for value, _ in terms), Decimal(0))
        raw = to_yuan(exact)
        formula = " + ".join([text for _, text in terms]) or "无贷款"
        return _cap(raw, cap, f"{formula} = {_result(exact, raw)}（每年上限 {cap} 元）")

    return interest_subsidy


def _share_of(amount: ShareOf) -> AmountRule:
    field, rate, rate_text = amount.of, amount.rate, percent(amount.rate)

    def share_of(profile: EnterpriseProfile) -> Computed:
        base: int = getattr(profile, field)
        raw = to_yuan(base * rate)
        return Computed(raw, raw, f"{base} 元 × {rate_text} = {_result(base * rate, raw)}")

    return share_of


def _range(amount: Range) -> AmountRule:
    count, low_each, high_each = _counter(amount.counts, amount.unit), amount.min_yuan, amount.max_yuan

    def range_(profile: EnterpriseProfile) -> Computed:
        n, counted = count(profile)
        low, high = n * low_each, n * high_each
        return Computed(low, high, f"{counted} × （{low_each}—{high_each} 元）= {low}—{high} 元，具体金额以评审为准")

    return range_


def _unspecified(amount: Unspecified) -> AmountRule:
    computed = Computed(None, None, f"{amount.support}（政策未明确金额）")  # the same for every profile
    return lambda profile: computed


_BY_KIND: dict[type, Callable[[Any], AmountRule]] = {
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


def compile_amount(amount: Amount) -> AmountRule:
    """``amount`` as a function of the profile, built once per rule (the loader calls this).

    Every fact in ``required_facts(amount)`` must be stated when it is called, except the
    ``additive_facts`` (an unstated one makes the result a lower bound).
    """
    rule = _BY_KIND[type(amount)](amount)
    additive = additive_facts(amount)
    if not additive:
        return rule

    def summed(profile: EnterpriseProfile) -> Computed:
        computed = rule(profile)
        if not computed.capped and any(getattr(profile, fact) is None for fact in additive):
            return computed._replace(lower_bound=True, formula=f"{computed.formula}；未提供的数量补充后可能更多")
        return computed

    return summed


def compute(amount: Amount, profile: EnterpriseProfile) -> Computed:
    """The amount for ``profile`` (compiles ``amount`` on the spot: for tests and one-off use)."""
    return compile_amount(amount)(profile)

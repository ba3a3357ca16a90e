"""The schema of ``eligibility/rules/<region>/<doc-id>.yaml``: awards as data.

One award = one entry with a citation (clause id + the verbatim decisive words),
the entity types it names, flat conditions, and one tagged amount shape.
Strict: unknown keys are rejected so a typo (``ammount``) fails at load time.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from eligibility.profile import EntityType

ENTITY_TYPES: tuple[str, ...] = ("enterprise", "university", "research_institute", "ip_service_agency", "school")
OPERATORS: tuple[str, ...] = ("eq", "in", "gte", "gt", "lte", "is_true", "nonempty", "any_in")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Cite(_Strict):
    clause: str
    quote: str = Field(min_length=4)


class Condition(_Strict):
    """``{fact: X, <op>: value, label: 中文说明}`` with exactly one operator."""

    fact: str
    label: str
    op: Literal["eq", "in", "gte", "gt", "lte", "is_true", "nonempty", "any_in"]
    value: Any = None

    @model_validator(mode="before")
    @classmethod
    def _one_operator(cls, data: Any) -> Any:
        if not isinstance(data, dict) or "op" in data:
            return data
        ops = [key for key in data if key in OPERATORS]
        if len(ops) != 1:
            raise ValueError(f"a condition needs exactly one operator of {list(OPERATORS)}, got {ops}")
        rest = {key: value for key, value in data.items() if key != ops[0]}
        return {**rest, "op": ops[0], "value": data[ops[0]]}


Rate = Annotated[Decimal, Field(gt=0, le=1)]
Yuan = Annotated[int, Field(strict=True, gt=0)]


class Fixed(_Strict):
    kind: Literal["fixed"]
    yuan: Yuan


class PerItem(_Strict):
    kind: Literal["per_item"]
    yuan: Yuan
    counts: tuple[str, ...] = Field(min_length=1)
    unit: str = "件"
    cap_yuan: Yuan | None = None


class PerItemPerCountry(_Strict):
    kind: Literal["per_item_per_country"]
    yuan: Yuan
    counts: str
    unit: str = "件"


class Tiered(_Strict):
    kind: Literal["tiered"]
    by: str
    tiers: dict[str, Yuan] = Field(min_length=1)


class RateCapped(_Strict):
    kind: Literal["rate_capped"]
    rate: Rate
    of: str
    cap_yuan: Yuan


class InterestSubsidy(_Strict):
    kind: Literal["interest_subsidy"]
    rate: Rate
    of: str
    cap_yuan: Yuan


class ShareOf(_Strict):
    kind: Literal["share_of"]
    rate: Rate
    of: str


class Range(_Strict):
    kind: Literal["range"]
    min_yuan: Yuan
    max_yuan: Yuan
    counts: tuple[str, ...] = Field(min_length=1)
    unit: str = "项"

    @model_validator(mode="after")
    def _ordered(self) -> Range:
        if self.min_yuan >= self.max_yuan:
            raise ValueError("min_yuan must be below max_yuan")
        return self


class Unspecified(_Strict):
    kind: Literal["unspecified"]
    support: str  # what the clause promises, in its own words (资金补助, 配套奖励 …)


Amount = Annotated[
    Fixed | PerItem | PerItemPerCountry | Tiered | RateCapped | InterestSubsidy | ShareOf | Range | Unspecified,
    Field(discriminator="kind"),
]


SupportKind = Literal["payment", "loan"]
SUPPORT_KIND_LABELS: dict[str, str] = {"payment": "资金支持", "loan": "融资支持（银行贷款，非财政资金）"}


class Award(_Strict):
    id: str = Field(pattern=r"^[a-z0-9-]+$")
    name: str
    cite: Cite
    applies_to: tuple[EntityType, ...] = Field(min_length=1)
    conditions: tuple[Condition, ...] = ()
    amount: Amount
    # A decision the user must see before counting on the money (遴选, 可参照, 新列入 …): every
    # channel shows it next to the amount, not as a footnote. One short Chinese sentence.
    caveat: str | None = Field(default=None, min_length=4, max_length=80)
    # ``loan``: the clause promises a bank loan, not a payment; listed under 其他支持, never among the awards.
    kind_of_support: SupportKind = "payment"
    # Whom to contact, when the clause's list (“按职责分工负责”, in no order of duty) would put the wrong
    # department first: chosen from the clause's own departments, lead first. Empty: the clause's list.
    departments: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()

    @model_validator(mode="before")
    @classmethod
    def _expand_all(cls, data: Any) -> Any:
        if isinstance(data, dict) and data.get("applies_to") == "all":
            return {**data, "applies_to": ENTITY_TYPES}
        return data


class RuleFile(_Strict):
    document: str
    awards: tuple[Award, ...]

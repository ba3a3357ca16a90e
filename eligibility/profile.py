"""The enterprise profile: the input contract of the engine and of ``incentives check``.

Every fact is optional except ``region``: a missing fact (absent or ``null``) means
"not stated", never zero, and makes the awards that need it ``needs_info``. For the
level fields the code ``none`` states explicitly that the unit holds no such title.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Annotated, Any, Literal, get_args

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, ValidationError, model_validator

from eligibility.countries import CountryError, country_code, madrid_code
from eligibility.errors import ProfileError, short
from knowledge.normalize import is_blank

MAX_COUNT = 100_000  # more than this of anything is not a real county enterprise
MAX_YUAN = 10_000_000_000  # 100亿元: beyond any loan or cost these policies subsidise

EntityType = Literal["enterprise", "university", "research_institute", "ip_service_agency", "school"]
PatentAward = Literal[
    "china_patent_gold", "china_patent_silver", "china_patent_excellence",
    "china_design_gold", "china_design_silver", "china_design_excellence",
    "provincial_patent_first", "provincial_patent_second", "provincial_patent_third",
    "municipal_patent_award",
]  # fmt: skip
Level = Literal["national", "provincial", "municipal", "none"]
# 知识产权示范（试点）企业: 上杭县 pays “优势（示范、试点）企业”, 桓台县 supports “试点示范”; a 试点 title is its own code.
DemonstrationLevel = Literal[
    "national", "provincial", "municipal", "pilot_national", "pilot_provincial", "pilot_municipal", "none"
]
EnterpriseSize = Literal["large", "medium", "small", "micro"]
CopyrightLevel = Literal["national", "provincial", "none"]
EducationLevel = Literal[
    "national_demonstration", "national_pilot", "provincial_demonstration", "provincial_pilot", "none"
]

Count = Annotated[int, Field(strict=True, ge=0, le=MAX_COUNT)]
Yuan = Annotated[int, Field(strict=True, ge=0, le=MAX_YUAN)]
Flag = Annotated[bool, Field(strict=True)]


def _coded_counts(code_of: Callable[[str], str], what: str) -> Callable[[dict[str, int]], dict[str, int]]:
    """{name: count} → {code: count} through ``code_of``; two spellings of one place are refused."""

    def validate(value: dict[str, int]) -> dict[str, int]:
        result: dict[str, int] = {}
        for name, count in value.items():
            try:
                code = code_of(name)
            except CountryError as exc:
                raise ValueError(str(exc)) from None
            if code in result:
                raise ValueError(f"{what}“{name}”重复出现（与另一写法指同一{what}）")
            result[code] = count
        return result

    return validate


CountryCounts = Annotated[dict[str, Count], AfterValidator(_coded_counts(country_code, "国家"))]
# Madrid designations: countries, and regions designated as one 地区 (欧盟 EM, 比荷卢 BX, OAPI OA).
MadridCounts = Annotated[dict[str, Count], AfterValidator(_coded_counts(madrid_code, "国家或地区"))]


def _rate(value: Any) -> Decimal:
    """A rate as a fraction: 0.0435, or a string with a percent sign: "4.35%"."""
    if isinstance(value, bool):
        raise ValueError('利率应为小数（如 0.0435）或百分数字符串（如 "4.35%"）')
    try:
        if isinstance(value, str):
            text = value.strip()
            rate = Decimal(text[:-1]) / 100 if text.endswith("%") else Decimal(text)
        elif isinstance(value, int | Decimal):
            rate = Decimal(value)
        elif isinstance(value, float):
            rate = Decimal(str(value))
        else:
            raise ValueError('利率应为小数（如 0.0435）或百分数字符串（如 "4.35%"）')
    except ArithmeticError:  # InvalidOperation ("abc", "sNaN"), Overflow (exponents beyond any context)
        raise ValueError('利率应为小数（如 0.0435）或百分数字符串（如 "4.35%"）') from None
    if not rate.is_finite():  # NaN, Infinity: comparing them raises InvalidOperation
        raise ValueError('利率应为有限的数（如 0.0435 或 "4.35%"），不能是 NaN 或无穷大')
    if not Decimal(0) < rate <= Decimal("0.2"):
        raise ValueError('年基准利率应大于0且不超过20%（小数写法如 0.0435，百分数写法如 "4.35%"）')
    return rate


def _not_blank(value: str) -> str:
    """A region of spaces (incl. full-width ones) is refused like an empty one."""
    if is_blank(value):
        raise ValueError("不能为空")
    return value


class PledgeLoan(BaseModel):
    """One patent or trademark pledge loan, counted within one year."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    principal: Annotated[int, Field(strict=True, gt=0, le=MAX_YUAN)]
    annual_benchmark_rate: Annotated[Decimal, BeforeValidator(_rate)]
    months: Annotated[int, Field(strict=True, ge=1, le=12)]


class EnterpriseProfile(BaseModel):
    """What the enterprise tells us. Field names are shared with the Rasa slots."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    region: Annotated[str, Field(strict=True, min_length=1, max_length=100), AfterValidator(_not_blank)]
    entity_type: EntityType = "enterprise"

    @model_validator(mode="before")
    @classmethod
    def _implied(cls, data: Any) -> Any:
        """Passing certification for the first time is holding its certificate (上杭 pays the certificate)."""
        first_time = isinstance(data, dict) and data.get("ip_management_certified_first_time") is True
        if first_time and data.get("ip_management_certified") is None:
            return {**data, "ip_management_certified": True}
        return data

    invention_patents_granted: Count | None = None
    foreign_patents: CountryCounts | None = None
    ic_layout_designs: Count | None = None
    patent_awards: Annotated[list[PatentAward], Field(max_length=MAX_COUNT)] | None = None
    provincial_patent_promotion_projects: Count | None = None
    patent_navigation_cost: Yuan | None = None
    purchased_invention_patents: Count | None = None
    madrid_registrations: MadridCounts | None = None
    madrid_new_applications: Count | None = None
    madrid_designated_countries: Count | None = None
    gi_trademarks_new: Count | None = None
    gi_products_new: Count | None = None
    china_trademark_gold_award: Flag | None = None
    plant_variety_rights: Count | None = None
    ip_management_certified_first_time: Flag | None = None
    ip_demonstration_enterprise: DemonstrationLevel | None = None
    ip_advantage_enterprise: Level | None = None
    copyright_demonstration_unit: CopyrightLevel | None = None
    copyright_demonstration_park: CopyrightLevel | None = None
    ip_education_school: EducationLevel | None = None
    pledge_loans: Annotated[list[PledgeLoan], Field(max_length=1000)] | None = None
    city_pledge_interest_subsidy: Yuan | None = None
    ip_management_certified: Flag | None = None
    enterprise_size: EnterpriseSize | None = None
    ip_trusteeship: Flag | None = None
    ip_rights_enforcement: Flag | None = None
    copyright_quality_work: Flag | None = None
    patent_industrialization_project: Flag | None = None
    patent_agency_registered_locally: Flag | None = None
    gi_industry_business: Flag | None = None


FACT_FIELDS: tuple[str, ...] = tuple(
    name for name in EnterpriseProfile.model_fields if name not in {"region", "entity_type"}
)

# Field families, so the rule loader can check that a rule reads a fact of the right shape.
COUNT_FIELDS = frozenset(
    name for name in FACT_FIELDS if EnterpriseProfile.model_fields[name].annotation == Count | None
)
COUNTRY_FIELDS = frozenset({"foreign_patents", "madrid_registrations"})
YUAN_FIELDS = frozenset({"patent_navigation_cost", "city_pledge_interest_subsidy"})
LOAN_FIELDS = frozenset({"pledge_loans"})
BOOL_FIELDS = frozenset(name for name in FACT_FIELDS if EnterpriseProfile.model_fields[name].annotation == Flag | None)
CODE_FIELDS: dict[str, frozenset[str]] = {
    "patent_awards": frozenset(get_args(PatentAward)),
    "ip_demonstration_enterprise": frozenset(get_args(DemonstrationLevel)),
    "ip_advantage_enterprise": frozenset(get_args(Level)),
    "copyright_demonstration_unit": frozenset(get_args(CopyrightLevel)),
    "copyright_demonstration_park": frozenset(get_args(CopyrightLevel)),
    "ip_education_school": frozenset(get_args(EducationLevel)),
    "enterprise_size": frozenset(get_args(EnterpriseSize)),
}

FIELD_LABELS: dict[str, str] = {
    "region": "所在地区",
    "entity_type": "单位类型",
    "invention_patents_granted": "本年度国内授权发明专利数量（件）",
    "foreign_patents": "获得境外专利权的数量（按国家）",
    "ic_layout_designs": "获得集成电路布图设计专有权数量（件）",
    "patent_awards": "获得的专利奖项（中国专利奖、中国外观设计奖、省/市专利奖）",
    "provincial_patent_promotion_projects": "获得省级专利推广实施资助项目数量（项）",
    "patent_navigation_cost": "专利导航项目实际费用（元）",
    "purchased_invention_patents": "从县域外购买并办理变更登记的有效发明专利数量（件）",
    "madrid_registrations": "通过马德里体系获得注册的国际商标（按国家/地区）",
    "madrid_new_applications": "新提出的马德里商标国际注册申请数量（件）",
    "madrid_designated_countries": "马德里申请延伸（指定）注册的国家数合计（个）",
    "gi_trademarks_new": "新核准注册的地理标志商标数量（件）",
    "gi_products_new": "新获批的地理标志保护产品数量（件）",
    "china_trademark_gold_award": "是否获评“中国商标金奖”",
    "plant_variety_rights": "获得植物新品种权数量（件）",
    "ip_management_certified_first_time": "是否初次通过知识产权管理体系认证（贯标）",
    "ip_demonstration_enterprise": "知识产权示范企业级别",
    "ip_advantage_enterprise": "知识产权优势企业级别",
    "copyright_demonstration_unit": "版权示范单位级别",
    "copyright_demonstration_park": "版权示范园区（基地）级别",
    "ip_education_school": "知识产权教育示范/试点学校级别",
    "pledge_loans": "知识产权质押贷款（本金、年基准利率、本年计息月数）",
    "city_pledge_interest_subsidy": "已获市级专利权质押贷款贴息金额（元）",
    "ip_management_certified": "是否已获得《知识产权管理体系认证证书》（通过贯标认证，不论是否初次）",
    "enterprise_size": "企业规模（大型、中型、小型、微型）",
    "ip_trusteeship": "是否以购买服务等方式开展知识产权托管（委托服务机构管理知识产权）",
    "ip_rights_enforcement": "是否正在维护自身知识产权权益（如遭遇侵权、正在维权）",
    "copyright_quality_work": "是否有符合优秀出版物、广播电视品牌栏目、影视剧本、品牌刊社、网络视听节目等扶持政策的版权精品",
    "patent_industrialization_project": "是否有正在实施或拟申报的专利转化、产业化项目",
    "patent_agency_registered_locally": "是否为在本县注册成立的专利代理（中介）服务机构（含分支机构）",
    "gi_industry_business": "是否从事地理标志产品（如柞水木耳）的生产经营或使用地理标志专用标志",
}

CODE_LABELS: dict[str, str] = {
    "enterprise": "企业", "university": "高等学校", "research_institute": "科研机构",
    "ip_service_agency": "知识产权服务机构", "school": "中小学校",
    "china_patent_gold": "中国专利金奖", "china_patent_silver": "中国专利银奖",
    "china_patent_excellence": "中国专利优秀奖", "china_design_gold": "中国外观设计金奖",
    "china_design_silver": "中国外观设计银奖", "china_design_excellence": "中国外观设计优秀奖",
    "provincial_patent_first": "省专利奖一等奖", "provincial_patent_second": "省专利奖二等奖",
    "provincial_patent_third": "省专利奖三等奖", "municipal_patent_award": "市专利奖",
    "national": "国家级", "provincial": "省级", "municipal": "市级", "none": "无",
    "national_demonstration": "国家级示范学校", "national_pilot": "国家级试点学校",
    "provincial_demonstration": "省级示范学校", "provincial_pilot": "省级试点学校",
    "pilot_national": "国家级试点企业", "pilot_provincial": "省级试点企业", "pilot_municipal": "市级试点企业",
    "large": "大型企业", "medium": "中型企业", "small": "小型企业", "micro": "微型企业",
}  # fmt: skip

_TYPE_MESSAGES = {
    "int_type": ("应为整数", "must be an integer"),
    "bool_type": ("应为 true 或 false", "must be true or false"),
    "string_type": ("应为字符串", "must be a string"),
    "dict_type": ('应为对象（如 {"美国": 2}）', 'must be an object such as {"US": 2}'),
    "list_type": ("应为数组", "must be a list"),
    "model_type": ("应为对象", "must be an object"),
    "missing": ("为必填项", "is required"),
    "extra_forbidden": ("是未知字段", "is not a known field"),
    "string_too_short": ("不能为空", "must not be empty"),
    "string_too_long": ("过长", "is too long"),
    "too_long": ("条目过多", "has too many items"),
}


def _describe(error: Mapping[str, Any]) -> tuple[str, str, str]:
    """(field path, Chinese message, English message) for one pydantic error."""
    field = short(".".join(str(part) for part in error["loc"] if not str(part).startswith("function-")), 80)
    kind = error["type"]
    ctx = error.get("ctx", {})
    if kind in _TYPE_MESSAGES:
        zh, en = _TYPE_MESSAGES[kind]
    elif kind in {"greater_than_equal", "greater_than"}:
        bound = ctx.get("ge", ctx.get("gt"))
        zh, en = (
            (f"不能小于{bound}" if kind == "greater_than_equal" else f"必须大于{bound}"),
            f"must be {'>=' if kind == 'greater_than_equal' else '>'} {bound}",
        )
    elif kind == "less_than_equal":
        zh, en = f"数值不合理（上限 {ctx['le']}）", f"is implausibly large (max {ctx['le']})"
    elif kind == "literal_error":
        zh, en = (
            f"未知代码 {short(repr(error['input']))}，可选：{ctx['expected']}",
            f"unknown code, expected {ctx['expected']}",
        )
    elif kind == "value_error":
        message = short(str(ctx.get("error", error["msg"])), 200)
        zh, en = message, "invalid value"
    else:
        zh, en = f"取值无效（{short(error['msg'], 200)}）", short(error["msg"], 200)
    return field or "profile", zh, en


def parse_profile(data: Any) -> EnterpriseProfile:
    """Validate raw JSON data into a profile.

    Raises:
        ProfileError: naming the first offending field.
    """
    if not isinstance(data, Mapping):
        raise ProfileError("profile", "档案应为 JSON 对象", "the profile must be a JSON object")
    try:
        return EnterpriseProfile.model_validate(data)
    except ValidationError as exc:
        field, zh, en = _describe(exc.errors()[0])
        raise ProfileError(field, zh, en) from None
    except RecursionError:
        raise ProfileError("profile", "档案嵌套过深", "the profile is nested too deeply") from None

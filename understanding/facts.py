"""Facts from what the enterprise types: "我们在泽州县，今年授权了12件发明专利，还有2件美国专利".

Deterministic and pure (no Rasa): DIET classifies the intent, this module reads the facts,
so every number the engine uses is one the user actually wrote. Field names are the
``EnterpriseProfile`` fields (and the Rasa slot names).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from typing import Any

from actions.numbers import first_int, is_vague, money, normalise, percent
from eligibility.countries import CountryError, country_code

N = r"(\d+)"
COUNT_PATTERNS: dict[str, tuple[str, ...]] = {
    "invention_patents_granted": (
        rf"{N}[件项个]?(?:国内)?(?:授权)?(?:的)?(?:国内)?发明专利",
        rf"发明专利[^\d，。,；;]{{0,8}}?{N}[件项个]",
        rf"授权(?:了)?{N}[件项个](?:国内)?发明",
    ),
    "ic_layout_designs": (rf"{N}[件项个]?(?:集成电路)?布图设计", rf"(?:布图设计|芯片版图)[^\d，。,]{{0,6}}?{N}"),
    "provincial_patent_promotion_projects": (
        rf"{N}[个项]?(?:省级)?专利推广实施(?:资助)?项目",
        rf"专利推广实施(?:资助)?项目[^\d，。,]{{0,6}}?{N}",
    ),
    "purchased_invention_patents": (rf"(?:购买|买|受让)(?:了)?{N}[件项个]",),
    "madrid_new_applications": (
        rf"(?:新)?申请(?:了)?{N}[件个项]马德里",
        rf"马德里[^\d，。,]{{0,8}}?申请(?:了)?{N}[件个]",
    ),
    "madrid_designated_countries": (
        rf"(?:延伸|指定)(?:注册)?(?:了)?{N}个(?:国家|国)",
        rf"{N}个(?:延伸|指定)(?:注册)?国",
    ),
    "gi_trademarks_new": (rf"{N}[件个项]地理标志(?:证明)?商标", rf"地理标志(?:证明)?商标[^\d，。,]{{0,6}}?{N}[件个]"),
    "gi_products_new": (rf"{N}[件个项]地理标志(?:保护)?产品", rf"地理标志(?:保护)?产品[^\d，。,]{{0,6}}?{N}[件个]"),
    "plant_variety_rights": (rf"{N}[件个项]?(?:植物)?新品种", rf"新品种权?[^\d，。,]{{0,6}}?{N}[件个]"),
}
LEVELS = {
    "国家级": "national",
    "国家": "national",
    "省级": "provincial",
    "省": "provincial",
    "市级": "municipal",
    "市": "municipal",
}
LEVEL_FIELDS = {
    "ip_demonstration_enterprise": "知识产权示范企业|示范企业",
    "ip_advantage_enterprise": "知识产权优势企业|优势企业|优势培育企业",
    "copyright_demonstration_unit": "版权示范单位",
    "copyright_demonstration_park": "版权示范园区|版权示范基地",
}
AWARDS = (
    (r"(?:中国)?专利金奖", "china_patent_gold"),
    (r"(?:中国)?专利银奖", "china_patent_silver"),
    (r"(?:中国)?专利优秀奖", "china_patent_excellence"),
    (r"外观设计金奖", "china_design_gold"),
    (r"外观设计银奖", "china_design_silver"),
    (r"外观设计优秀奖", "china_design_excellence"),
    (r"专利(?:奖)?(?:一|1)等奖", "provincial_patent_first"),  # numerals are digits after normalise()
    (r"专利(?:奖)?(?:二|2)等奖", "provincial_patent_second"),
    (r"专利(?:奖)?(?:三|3)等奖", "provincial_patent_third"),
    (r"市(?:级)?专利奖", "municipal_patent_award"),
)
ENTITY_TYPES = (
    (r"高校|大学|高等学校|学院", "university"),
    (r"科研院所|研究院|研究所|科研机构", "research_institute"),
    (r"代理机构|服务机构|事务所", "ip_service_agency"),
    (r"中小学|小学|中学|学校", "school"),
    (r"公司|企业|厂", "enterprise"),
)
NEGATION = re.compile(r"没有|没|未|不是|还没|尚未|无")
SKIP = re.compile(r"不清楚|不知道|不确定|不记得|跳过|忘了|说不准|不太清楚")
YES = re.compile(r"^(?:是|是的|对|对的|有|有的|通过了|拿到了|获得了|嗯|好|yes|y)[。!！.]*$", re.IGNORECASE)
NO = re.compile(r"^(?:否|不是|没有|没|无|不|还没有|还没|no|n)[。!！.]*$", re.IGNORECASE)


@dataclass
class Extraction:
    facts: dict[str, Any] = field(default_factory=dict)
    vague: bool = False  # a quantity given as 三十多, 几件, 一两件: ask for the exact number
    skipped: bool = False  # 不清楚 / 跳过


@cache
def _country_pattern() -> re.Pattern[str]:
    from eligibility.countries import _tables

    names = sorted({name for name in _tables()[0] if re.search(r"[\u4e00-\u9fff]", name)}, key=len, reverse=True)
    alternation = "|".join(re.escape(n) for n in names if n not in {"中国", "中华人民共和国"})
    return re.compile(alternation)


def _countries(text: str, keyword: str) -> dict[str, int]:
    """{ISO code: count} for "2件美国专利", "美国2件", "在美国和日本各1件" near ``keyword``."""
    found: dict[str, int] = {}
    pattern = _country_pattern()
    for clause in re.split(r"[，,。；;]", text):
        if keyword not in clause:
            continue
        names = pattern.findall(clause)
        if not names:
            continue
        each = re.search(r"各(\d+)", clause)
        for name in names:
            try:
                code = country_code(name)
            except CountryError:
                continue
            near = re.search(rf"{re.escape(name)}[^\d]{{0,4}}?(\d+)|(\d+)[件个项]?{re.escape(name)}", clause)
            count = int(each.group(1)) if each else (int(next(g for g in near.groups() if g)) if near else 1)
            found[code] = found.get(code, 0) + count
    return found


def _level(text: str, keywords: str) -> str | None:
    match = re.search(rf"(国家级|国家|省级|省|市级|市)(?:知识产权)?(?:的)?(?:{keywords})", text)
    if match:
        return LEVELS[match.group(1)]
    if re.search(rf"(?:不是|没有|没评上|未评为)[^，。]{{0,6}}(?:{keywords})", text):
        return "none"
    return None


def _yes_no(text: str, keywords: str) -> bool | None:
    for clause in re.split(r"[，,。；;]", text):
        if re.search(keywords, clause):
            return not NEGATION.search(clause)
    return None


def extract(text: str, requested: str | None = None) -> Extraction:
    """Facts stated in ``text``. ``requested`` is the slot the bot just asked about, so a bare
    answer ("12件", "是的", "国家级") fills it."""
    out = Extraction()
    if SKIP.search(text):
        out.skipped = True
    plain = normalise(text)
    for fieldname, patterns in COUNT_PATTERNS.items():
        for pattern in patterns:
            match = re.search(pattern, plain)
            if match:
                out.facts[fieldname] = int(match.group(1))
                break
    for fieldname, keyword in (("foreign_patents", "专利"), ("madrid_registrations", "马德里")):
        countries = _countries(plain, keyword)
        if countries and not (fieldname == "foreign_patents" and "马德里" in plain and "专利" not in plain):
            out.facts[fieldname] = countries
    awards = [code for pattern, code in AWARDS for _ in re.finditer(pattern, plain)]
    if awards:
        out.facts["patent_awards"] = awards
    for fieldname, keywords in LEVEL_FIELDS.items():
        level = _level(plain, keywords)
        if level is not None:
            out.facts[fieldname] = level
    school = re.search(r"(国家级|国家|省级|省)知识产权教育(示范|试点)", plain)
    if school:
        scope = "national" if school.group(1).startswith("国家") else "provincial"
        out.facts["ip_education_school"] = f"{scope}_{'demonstration' if school.group(2) == '示范' else 'pilot'}"
    gold = _yes_no(plain, "商标金奖")
    if gold is not None:
        out.facts["china_trademark_gold_award"] = gold
    certified = _yes_no(plain, "贯标|管理体系认证|管理规范认证")
    if certified is not None:
        out.facts["ip_management_certified_first_time"] = certified
    if "导航" in plain and (cost := money(plain.split("导航", 1)[1])) is not None:
        out.facts["patent_navigation_cost"] = cost
    if re.search(r"市(?:里|级)?(?:的)?贴息", plain) and (subsidy := money(plain.split("贴息", 1)[1] or plain)):
        out.facts["city_pledge_interest_subsidy"] = subsidy
    loan = _pledge_loan(plain)
    if loan:
        out.facts["pledge_loans"] = [loan]
    if re.search(r"我们是|我单位是|本单位是|我们单位是", plain):
        for pattern, code in ENTITY_TYPES:
            if re.search(pattern, plain):
                out.facts["entity_type"] = code
                break
    if requested and requested not in out.facts:
        _answer_to_question(text, plain, requested, out)
    if is_vague(text):
        out.vague = True
        out.facts = {k: v for k, v in out.facts.items() if not isinstance(v, int) or isinstance(v, bool)}
    return out


def _pledge_loan(plain: str) -> dict[str, Any] | None:
    if not re.search(r"质押", plain) or not re.search(r"贷(?:款)?", plain):
        return None
    principal = re.search(r"贷(?:款|了)?(\d+(?:\.\d+)?)(亿|万)?", plain)
    rate = percent(plain)
    months = re.search(r"(\d+)个月", plain)
    if not principal or rate is None:
        return None
    value = Decimal(principal.group(1)) * {"亿": 100_000_000, "万": 10_000}.get(principal.group(2) or "", 1)
    return {
        "principal": int(value),
        "annual_benchmark_rate": f"{(rate * 100).normalize():f}%",
        "months": int(months.group(1)) if months else 12,  # a loan without a term counts the whole year
    }


LEADING_NUMBER = re.compile(r"\s*[0-9０-９零一二两三四五六七八九十百千]")


def _answer_to_question(text: str, plain: str, requested: str, out: Extraction) -> None:
    from eligibility.profile import BOOL_FIELDS, CODE_FIELDS, COUNT_FIELDS, YUAN_FIELDS

    stripped = text.strip()
    if requested in BOOL_FIELDS:
        if YES.match(stripped):
            out.facts[requested] = True
        elif NO.match(stripped):
            out.facts[requested] = False
    elif requested in COUNT_FIELDS:
        if NO.match(stripped) or re.fullmatch(r"(?:没有|无|零|0)[件个项]?", stripped):
            out.facts[requested] = 0
        elif (number := first_int(stripped)) is not None and (not out.facts or LEADING_NUMBER.match(stripped)):
            # With other facts named in the message, only a leading number answers the question:
            # "12件，还有2件美国专利" does; "不对，发明专利是6件" is about invention patents only.
            out.facts[requested] = number
    elif requested in YUAN_FIELDS:
        if NO.match(stripped):
            out.facts[requested] = 0
        elif (amount := money(stripped)) is not None:
            out.facts[requested] = amount
    elif requested in CODE_FIELDS and requested != "patent_awards":
        if NO.match(stripped) or "都不是" in stripped:
            out.facts[requested] = "none"
        else:
            for word, code in LEVELS.items():
                if plain.startswith(word) and code in CODE_FIELDS[requested]:
                    out.facts[requested] = code
                    break
    elif requested == "patent_awards" and (NO.match(stripped) or "都没有" in stripped):
        out.facts["patent_awards"] = []
    elif requested in {"foreign_patents", "madrid_registrations"} and NO.match(stripped):
        out.facts[requested] = {}
    elif requested == "pledge_loans" and NO.match(stripped):
        out.facts["pledge_loans"] = []

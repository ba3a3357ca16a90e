"""Facts from what the enterprise types: "我们在泽州县，今年授权了12件发明专利，还有2件美国专利".

Deterministic and pure (no Rasa): the NLU classifies the intent, this module reads the facts,
so every number the engine uses is one the user actually wrote. Field names are the
``EnterpriseProfile`` fields. Hand-written: no maintained library reads these Chinese
phrasings into a typed profile; every pattern is covered by the table in tests/understanding.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from typing import Any

from eligibility.countries import CountryError, country_code, madrid_code
from understanding.colloquial import standard
from understanding.numbers import VAGUE, is_vague, money, normalise, percent

N = r"(\d+)"
COUNT_PATTERNS: dict[str, tuple[str, ...]] = {
    "invention_patents_granted": (
        rf"{N}[件项个](?:是|为)(?:国内)?发明",  # "其中1件是实用新型，另外2件是发明"
        rf"{N}[件项个]?(?:国内)?(?:授权)?(?:的)?(?:国内)?发明(?:专利)?",
        rf"发明(?:专利)?[^\d，。,；;]{{0,8}}?{N}[件项个]",
        rf"授权(?:了)?{N}[件项个](?:国内)?发明",
        # "授权的是5件" / "授权的有9件": a granted count with no other kind named in the clause
        rf"授权(?:的|了)?(?:是|有|共|一共|就这|就|只有)?{N}[件项个](?![^，。,；;]*(?:美国|日本|欧洲|国外|境外|海外|外观|实用新型|商标|版权))",
    ),
    "ic_layout_designs": (rf"{N}[件项个]?(?:集成电路)?布图设计", rf"(?:布图(?:设计)?|芯片版图)[^\d，。,]{{0,6}}?{N}"),
    "provincial_patent_promotion_projects": (
        rf"{N}[个项]?(?:省级|省里的?)?专利推广(?:实施)?(?:资助)?(?:项目)?",
        rf"专利推广(?:实施)?(?:资助)?(?:项目)?[^\d，。,]{{0,8}}?{N}",
        rf"{N}[个项](?:项目)?[^\d，。,]{{0,8}}?专利推广",
    ),
    "purchased_invention_patents": (rf"(?:购买|买|受让|购入|买入)(?:了)?[^\d，。,；;]{{0,10}}?{N}[件项个]",),
    "madrid_new_applications": (
        rf"(?:新)?申请(?:了)?{N}[件个项](?:的)?马德里",
        rf"马德里[^\d，。,]{{0,8}}?申请(?:了)?{N}[件个]",
        rf"(?:新)?申请(?:了)?马德里[^\d，。,]{{0,10}}?{N}[件个项]",
        rf"(?:新)?(?:提交|提出|递交)(?:了)?{N}[件个项][^\d，。,]{{0,8}}马德里",
        rf"马德里[^\d，。,]{{0,10}}?(?:申请|新报|报了|申报|提交)[^\d，。,]{{0,6}}?{N}(?:件|个(?!国))",
        rf"{N}[件个项](?:的)?马德里(?:商标)?(?:国际)?(?:注册)?(?:新)?申请",
        # "马德里在日本、韩国各注册1件，今年又新申请了2件": the applications of the Madrid clause before
        rf"马德里(?:(?!专利|商标金奖)[^。；;])*?[，,](?:今年)?(?:又)?新申请(?:了)?{N}[件个]",
    ),
    "madrid_designated_countries": (
        rf"(?:延伸|指定)(?:注册)?(?:了)?(?:到)?{N}个(?:国家|国)",
        rf"{N}个(?:延伸|指定)(?:注册)?国",
        rf"(?:延伸|指定)(?:注册)?(?:的)?(?:国|国家)[^\d，。,]{{0,6}}?{N}个?",
    ),
    "gi_trademarks_new": (
        rf"{N}[件个项][^\d，。,；;]{{0,6}}?(?:地理标志|地标)(?:证明|集体)?商标",
        rf"{N}(?:地理标志|地标)(?:证明|集体)?商标",
        rf"(?:地理标志|地标)(?:证明|集体)?商标[^\d，。,]{{0,8}}?{N}[件个项]",
    ),
    "gi_products_new": (
        rf"{N}[件个项][^\d，。,；;]{{0,6}}?(?:地理标志|地标)(?:保护)?产品",
        rf"(?:地理标志|地标)(?:保护)?产品[^\d，。,]{{0,8}}?{N}[件个项]",
    ),
    "plant_variety_rights": (
        rf"{N}[件个项][^\d，。,；;]{{0,8}}?新品种",
        rf"{N}[件个项]?(?:植物)?新品种",
        rf"新品种权?[^\d，。,]{{0,6}}?{N}[件个]",
    ),
}
LEVELS = {
    "国家级": "national",
    "国家": "national",
    "全国": "national",
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
    (r"外观设计[^，。,；;\d金银]{0,6}?金奖", "china_design_gold"),  # "外观设计拿的是金奖"
    (r"外观设计[^，。,；;\d金银]{0,6}?银奖", "china_design_silver"),
    (r"外观设计[^，。,；;\d金银]{0,6}?优秀奖", "china_design_excellence"),
    (r"(?:专利|省级?)(?:专利)?(?:奖)?的?(?:一|1)等奖", "provincial_patent_first"),  # digits after normalise()
    (r"(?:专利|省级?)(?:专利)?(?:奖)?的?(?:二|2)等奖", "provincial_patent_second"),
    (r"(?:专利|省级?)(?:专利)?(?:奖)?的?(?:三|3)等奖", "provincial_patent_third"),
    (r"市(?:级)?专利奖", "municipal_patent_award"),
)
ENTITY_TYPES = (
    (r"高校|大学|高等学校|学院", "university"),
    (r"科研院所|研究院|研究所|科研机构", "research_institute"),
    (r"代理机构|服务机构|事务所|代理所|中介|专利代理|商标代理|知识产权代理|代理公司", "ip_service_agency"),
    (r"中小学|小学|中学|初中|高中|学校", "school"),
    (r"公司|企业|厂", "enterprise"),
)
# Yes/no facts stated in passing ("我们在做专利转化项目", "没有托管"): the clause's negation decides.
FLAGS: tuple[tuple[str, str], ...] = (
    ("patent_industrialization_project", r"专利(?:成果)?(?:转化|产业化)|(?:转化|产业化)项目|成果转化"),
    (
        "gi_industry_business",
        r"专用标志|(?:生产|经营|销售|种植|加工|使用|做|卖)[^，。,；;]{0,6}(?:地理标志|地标|柞水木耳)|(?:地理标志|地标)(?:保护)?产品[^，。,；;\d]{0,4}(?:生产|经营|加工)|地理标志专用标志",
    ),
    ("ip_trusteeship", r"托管"),
    (
        "ip_rights_enforcement",
        r"正在维权|在维权|维权中|被侵权|遭遇侵权|遇到侵权|侵权纠纷|打官司|起诉|维护[^，。,；;]{0,8}权益|投诉|举报",
    ),
    ("copyright_quality_work", r"版权精品|精品版权|优秀出版物|品牌栏目|影视剧本|品牌刊社|网络视听节目"),
    (
        "patent_agency_registered_locally",
        r"(?:注册|成立|设立)[^，。,；;]{0,10}(?:代理|中介|事务所)|(?:代理|中介|事务所)[^，。,；;]{0,10}(?:注册|成立|设立)",
    ),
)
SIZES = {"大型": "large", "中型": "medium", "小型": "small", "微型": "micro", "小微": "small"}
NEGATION = re.compile(r"没有|没|未|不是|还没|尚未|无|不(?:做|卖|生产|经营|使用|涉及|搞)")
SKIP = re.compile(r"不清楚|不知道|不确定|不记得|跳过|忘了|说不准|不太清楚")
YES = re.compile(r"^(?:是|是的|对|对的|有|有的|通过了|拿到了|获得了|嗯|好|yes|y)[。!！.]*$", re.IGNORECASE)
NO = re.compile(r"^(?:否|不是|没有|没|无|不|还没有|还没|no|n)[。!！.]*$", re.IGNORECASE)


# Which fact a clause is about, for vague quantities ("二十来件发明专利") and questions about one topic.
TOPICS: tuple[tuple[str, str], ...] = (
    (r"布图设计|芯片版图", "ic_layout_designs"),
    (r"专利推广", "provincial_patent_promotion_projects"),
    (r"购买|受让", "purchased_invention_patents"),
    (r"马德里|国际商标|商标国际注册", "madrid_registrations"),
    (r"(?:地理标志|地标)(?:证明|集体)?商标", "gi_trademarks_new"),
    (r"(?:地理标志|地标)(?:保护)?产品|^保护产品", "gi_products_new"),
    (r"地理标志|地标", "gi_trademarks_new"),  # "地理标志那个呢？": the GI awards
    (r"新品种", "plant_variety_rights"),
    (r"推广", "provincial_patent_promotion_projects"),
    (r"质押|贴息|配套", "pledge_loans"),
    (r"贯标|管理体系认证|管理体系证书", "ip_management_certified_first_time"),
    (r"示范企业|示范、优势|示范和优势", "ip_demonstration_enterprise"),
    (r"优势企业", "ip_advantage_enterprise"),
    (r"商标金奖", "china_trademark_gold_award"),
    (r"专利奖(?!励)|专利金奖|专利银奖|专利优秀奖|外观设计[金银]?奖|[一二三123]等奖", "patent_awards"),
    (r"导航", "patent_navigation_cost"),
    (r"版权示范园区|版权示范基地", "copyright_demonstration_park"),
    (r"版权示范", "copyright_demonstration_unit"),
    (r"教育示范|试点学校|示范学校", "ip_education_school"),
    (r"托管", "ip_trusteeship"),
    (r"代理机构|中介|分支机构|分公司", "patent_agency_registered_locally"),
    (r"版权精品", "copyright_quality_work"),
    (r"境外|国外|海外|外国|美国|日本|欧洲|德国|韩国|英国|法国", "foreign_patents"),
    (r"发明专利|发明", "invention_patents_granted"),
    (r"授权", "invention_patents_granted"),
)
_QUESTION = re.compile(
    r"[？?]|(?<!在)吗|(?<![在什])么|什么(?![^，。,；;]{0,8}[也都](?:没|不))|怎么|如何|是否|能否|有没有|可不可以|能不能|多少钱|哪些"
)
_STATEMENT = re.compile(
    r"拿了|拿到|获得|获评|评上|评为|通过了|成为|列入|列为|被列|被评|被认定|认定为|已认定|入选|授予|获批|我们|我司|本公司|我单位|有\d|了\d|\d件|\d个|\d项"
    r"|通过[^，。,；;？?]{1,10}了|(?:注册|授权|核准|认证)了"  # "今年第一次通过贯标认证了，还有啥能申请的"
    r"|(?:县|区|市|镇)(?:的)?(?:企业|公司|单位|厂)[，,]"  # "沁源县企业，国家级版权示范单位，…": a self-description
)
_COUNT_LIKE = frozenset(
    {"invention_patents_granted", "ic_layout_designs", "provincial_patent_promotion_projects", "purchased_invention_patents",
     "madrid_new_applications", "madrid_designated_countries", "gi_trademarks_new", "gi_products_new",
     "plant_variety_rights", "entity_type", "pledge_loans", "patent_navigation_cost", "city_pledge_interest_subsidy"}
)  # fmt: skip
# Not this year's domestic invention grants: other kinds, stock, or abroad (counted by country instead).
_NOT_INVENTION = re.compile(
    r"实用新型|外观设计|拥有|持有|累计|有效发明专利|存量|美国|日本|德国|法国|英国|韩国|欧洲|欧盟|国外|境外|海外|(?<!另)外国"
    r"|买|购入|受让|转让"  # bought patents are 购买专利, not this year's grants
)
_NONE_OF = re.compile(r"[一1][件个项](?:都|也)(?:没|未|不)|都没(?:有|拿|授权|获)|一(?:件|个)也没")
# A grant is not an application: "申请了12件发明专利" / "还在审" states no granted patent.
_NOT_GRANTED = re.compile(r"申请|在审|受理|提交|递交|还没授权|未授权|没授权|尚未授权")
_GRANTED = re.compile(r"授权|获得|拿到|拿了|下证|获批|批了|通过")
_GRANTED_AFTER = re.compile(
    r"^[^。；;]*?[，,]\s*(?:其中|已经|已|目前|现在|截至目前)?(?:已经|已)?(?:获得)?(?:授权|下证|拿到证书|拿证|获批)(?:了|的有|的)?(\d+)[件个项]"
)
_APPLIED_COUNT = re.compile(
    r"申请(?:了)?\d+[件个项]|\d+[件个项][^，。,；;\d]{0,4}(?:申请|在审)"
)  # a count of applications
_GRANTED_COUNTS = frozenset(
    {"invention_patents_granted", "plant_variety_rights", "gi_trademarks_new", "gi_products_new"}
)
_TABLE_LINE = re.compile(r"([^，。,；;:：\d]{2,20})[:：](\d+)(?![\d.万千元%/])")
_ZERO_KEYWORDS = {
    "gi_trademarks_new": r"(?:地理标志|地标)(?:证明|集体)?商标",
    "gi_products_new": r"(?:地理标志|地标)(?:保护)?产品",
    "ic_layout_designs": r"布图设计",
    "plant_variety_rights": r"新品种",
    "provincial_patent_promotion_projects": r"专利推广(?:项目)?",
}
# A new GI title named without a number is one: "地理标志集体商标今年刚核准注册", "新获批国家地理标志保护产品".
_ONE_GI = {
    "gi_trademarks_new": re.compile(
        r"(?:地理标志|地标)(?:证明|集体)?商标[^，。,；;]{0,12}(?:核准注册|注册成功|获批|批下来)"
        r"|(?:新)?(?:注册|获批)(?:了|成功)?(?:1?个)?(?:国家)?(?:地理标志|地标)(?:证明|集体)?商标"
    ),
    "plant_variety_rights": re.compile(
        r"(?:批了|获得了?|拿到了?|授予了?|获批了?)(?:1?个)?(?:植物)?新品种权|新品种权[^，。,；;]{0,6}(?:批了|下来|获批)"
        r"|品种权证书[^，。,；;]{0,8}(?:批了|下来|获批|拿到)"
    ),
    "gi_products_new": re.compile(
        r"(?:新)?(?:获批|认定)(?:了|为)?(?:国家)?(?:地理标志|地标)(?:保护)?产品|(?:地理标志|地标)(?:保护)?产品[^，。,；;]{0,8}(?:获批|批下来)"
    ),
    # "我们有个项目拿了省级专利推广实施资助": one project
    "provincial_patent_promotion_projects": re.compile(
        r"(?:有个|有一个|有1个)项目[^，。,；;]{0,8}专利推广|(?:拿了|获得了?|拿到了?|获批了?)(?:省级?)?专利推广(?:实施)?资助"
    ),
}
# One-character country abbreviations used in lists: 美日各一件, 美、日、德各1件.
_ABBREVIATIONS = {"美": "US", "日": "JP", "德": "DE", "英": "GB", "法": "FR", "韩": "KR", "俄": "RU", "意": "IT"}
_ABBREVIATED_LIST = re.compile(r"((?:[美日德英法韩俄意][、,和与及]?){2,})各(\d+)")
# Regional trademark systems a Madrid designation can name (欧盟 counts once as one 地区).
REGIONAL_NAMES = ("欧盟", "比荷卢", "非洲知识产权组织", "非洲地区知识产权组织", "欧洲", "欧专局", "欧洲专利局")
_CLAUSES = re.compile(r"[，,。；;！!？?]")
# Plans are not facts: "准备申报市级示范企业", "打算找机构做托管", "打算去美国申请专利".
_PLANNED = re.compile(r"打算|准备|计划|想要|想找|想申请|正在申报|在申报|申报中|争取")
# Being inside a park is not being the park: "我们公司在省级版权示范园区里面".
_INSIDE = re.compile(r"(?:在|入驻|位于)[^，。,；;]{0,10}(?:园区|基地)(?:里|内|中)")
# Clauses about someone else or the whole county ("同行授权了20件", "县里地理标志商标已经有6件了"):
# their numbers are not this unit's facts; the other clauses of the message still are.
_SOMEONE_ELSE = re.compile(
    r"同行|别人家?|别的(?:公司|企业|单位)|其他(?:公司|企业|单位)|人家|隔壁|竞争对手|供应商|合作伙伴"
)
_COUNTY_STATS = re.compile(r"(?:全县|县里|全市|我县|本县)[^，。,；;给]{0,12}(?:已经|已|共|一共|总共|要从|目标)")
_OURS = re.compile(r"我们|我司|本公司|我单位|我厂")  # "县里已遴选我们做试点" is about this unit


@dataclass
class Extraction:
    facts: dict[str, Any] = field(default_factory=dict)
    vague: bool = False  # a quantity given as 三十多, 几件, 一两件: ask for the exact number
    vague_fields: list[str] = field(default_factory=list)  # the facts those vague quantities are about
    skipped: bool = False  # 不清楚 / 跳过
    problems: list[str] = field(default_factory=list)  # things named that cannot be used, said back to the user


@cache
def country_pattern() -> re.Pattern[str]:
    from eligibility.countries import _tables

    names = {name for name in _tables()[0] if re.search(r"[\u4e00-\u9fff]", name)}
    names |= set(REGIONAL_NAMES)
    alternation = "|".join(
        re.escape(n) for n in sorted(names, key=len, reverse=True) if n not in {"中国", "中华人民共和国"}
    )
    return re.compile(alternation)


def topic_of(text: str) -> str | None:
    """The fact a short text is about (first matching topic), e.g. "美国专利" → foreign_patents."""
    for pattern, fact in TOPICS:
        if re.search(pattern, text):
            return fact
    return None


def _countries(
    text: str, keyword: str, problems: list[str], code_of: Callable[[str], str] = country_code
) -> dict[str, int]:
    """{ISO code: count} for "2件美国专利", "美国2件", "在美国和日本各1件", "美日各一件" near ``keyword``."""
    found: dict[str, int] = {}
    pattern = country_pattern()
    carried = False  # "美国授权了2件专利，日本1件": a bare country-and-count clause continues the one before
    for clause in _CLAUSES.split(text):
        listed = _ABBREVIATED_LIST.search(clause)
        continues = (
            carried
            and keyword
            and re.search(r"\d", clause)
            and pattern.search(clause)
            and topic_of(clause) in {None, "foreign_patents"}
        )
        if keyword not in clause and not continues and not (listed and keyword in text and "马德里" not in text):
            carried = False
            continue
        carried = bool(keyword)
        if keyword == "专利" and (
            _PLANNED.search(clause) or (re.search(r"申请|在审|审查", clause) and not _GRANTED.search(clause))
        ):
            continue  # "打算去美国申请专利", "美国专利申请还在审查中": not a patent held abroad
        if listed:
            for char in re.sub(r"[、,和与及]", "", listed.group(1)):
                found[_ABBREVIATIONS[char]] = found.get(_ABBREVIATIONS[char], 0) + int(listed.group(2))
        names = pattern.findall(clause)
        alone = re.fullmatch(rf"\s*(?:{pattern.pattern})(?:的)?(?:发明)?专利\s*", clause) and not re.search(r"\d", text)
        if not names or alone:
            continue  # "美国专利" with no count anywhere names the topic; how many is asked
        each = re.search(r"各(\d+)", clause)
        for name in dict.fromkeys(names):  # "PCT进美国拿到了1件美国专利": one country named twice, one count
            try:
                code = code_of(name)
            except CountryError as exc:
                if len(set(names) - {name}) == 0:  # "欧专1件（在德国生效）" names the country itself
                    problems.append(str(exc))
                continue
            near = _count_near(name, clause, names)
            count = int(each.group(1)) if each else (near if near is not None else 1)
            if re.search(rf"(?:没有|没|无|未)[^，。,；;\d]{{0,3}}{re.escape(name)}", clause):
                count = 0  # "木有美国专利": none there
            found[code] = found.get(code, 0) + count
    return found


_NEAR_GAP = r"[^\d，。,；;、()（）]"


def _after(place: str) -> str:
    return rf"{place}{_NEAR_GAP}{{0,8}}?(\d+)(?!\d*个(?:国家|国))"


def _before(place: str) -> str:
    return rf"(\d+)[件个项]?(?:PCT|pct)?(?:专利)?(?:进入|在|是|于)?{place}"


def _count_near(name: str, clause: str, names: list[str]) -> int | None:
    """The count said with a country, in the clause's own order: after the names ("美国2件日本1件")
    or before them ("2件美国专利1件德国专利", "2件PCT进入美国"); "这2件以后在美国…" last."""
    place = re.escape(name)
    befores = sum(bool(re.search(_before(re.escape(n)), clause)) for n in names)
    afters = sum(bool(re.search(_after(re.escape(n)), clause)) for n in names)
    styles = (_before, _after) if befores > afters else (_after, _before)
    for pattern in (*(style(place) for style in styles), rf"(\d+)[件个项]{_NEAR_GAP}{{0,8}}?(?:在|进入|于){place}"):
        if found := re.search(pattern, clause):
            return int(found.group(1))
    return None


def _level(text: str, keywords: str) -> str | None:
    match = re.search(rf"(国家级|国家|全国|省级|省|市级|市)(?:知识产权)?(?:的)?(?:{keywords})", text)
    if match and (_PLANNED.search(_clause_at(text, match.start())) or _INSIDE.search(_clause_at(text, match.start()))):
        return None  # "准备申报市级示范企业", "我们在省级版权示范园区里": not a title this unit holds
    if match:
        return LEVELS[match.group(1)]
    after = re.search(rf"(?:{keywords})[^。；;]{{0,5}}?(?:是|为|属于)?(国家级|省级|市级)", text)
    if after:  # "优势企业是省级的" / "优势企业，市级的"
        return LEVELS[after.group(1)]
    if (
        re.search(rf"(?:不是|没有|没评上|未评为)[^，。]{{0,6}}(?:{keywords})", text)
        or re.search(rf"(?:{keywords})[^，。]{{0,4}}(?:还没|没有?|未|尚未)(?:评上|评|认定|获批|入选)", text)
        or re.search(rf"(?:{keywords})[:：](?:没有|没|无|否)", text)
    ):  # "优势企业：没有"
        return "none"
    return None


def _yes_no(text: str, keywords: str, plans_count: bool = False) -> bool | None:
    for clause in _CLAUSES.split(text):
        asked = re.search(r"有没有|是不是", clause) or (re.search(r"[吗么]$", clause) and not _STATEMENT.search(clause))
        if re.search(keywords, clause) and not asked:  # "有没有投诉热线" asks; "贯标证书拿到了也有钱吗" states
            return None if _PLANNED.search(clause) and not plans_count else not NEGATION.search(clause)
    return None


def _times(after: str, before: str = "") -> int:
    """ "二等奖两项" / "拿了两个中国专利优秀奖": how many of the award just named (1 unless a count is next to it)."""
    match = re.match(r"(?:各|共)?(\d+)[项个次]", after) or re.search(
        r"(\d+)[项个次](?:的)?[^\d，。,；;件]{0,8}$", before
    )
    return int(match.group(1)) if match and 0 < int(match.group(1)) <= 20 else 1


def _drop_clauses(text: str, pattern: re.Pattern[str], keep: re.Pattern[str] | None = None) -> str:
    """``text`` without the clauses ``pattern`` finds, unless ``keep`` finds them too (delimiters kept)."""
    pieces = re.split(r"([，,。；;！!？?()（）])", text)
    return "".join(p for p in pieces if not pattern.search(p) or (keep is not None and keep.search(p)))


def _clause_at(text: str, position: int) -> str:
    starts = [m.end() for m in _CLAUSES.finditer(text, 0, position)]
    start = starts[-1] if starts else 0
    end = _CLAUSES.search(text, position)
    return text[start : end.start() if end else len(text)]


def _item_at(text: str, position: int) -> str:
    """The list item (between 、 and the clause's ends) around ``position``."""
    start = max(text.rfind(mark, 0, position) for mark in "、，,。；;") + 1
    ends = [i for i in (text.find(mark, position) for mark in "、，,。；;") if i >= 0]
    return text[start : min(ends) if ends else len(text)]


def _counts(plain: str, out: Extraction) -> None:
    for fieldname, patterns in COUNT_PATTERNS.items():
        for pattern in patterns:
            match = re.search(pattern, plain)
            if not match:
                continue
            clause = _clause_at(plain, match.start())
            before, after = plain[max(0, match.start(1) - 3) : match.start(1)], plain[match.end(1) : match.end(1) + 3]
            if re.search(r"(?:超过|多于|满|达到|不少于)$", before) or re.match(r"[件项个]?(?:以上|以下)", after):
                break  # "超过10件有额外奖励吗": a threshold asked about, not the enterprise's count
            if re.match(r"(?:元|万|块|%|年|月|号)", after):
                continue  # "每件资助1000元", "2023年": money and dates are not counts
            if before.endswith("第"):
                continue  # "成立以来的第3件发明专利": an ordinal, not a count
            # "外观设计专利8件、实用新型15件、发明专利2件": in a list, only the item's own words count
            scope = _item_at(plain, match.start(1)) if "、" in clause else clause
            if fieldname == "invention_patents_granted" and (
                _NOT_INVENTION.search(scope) or country_pattern().search(scope)
            ):
                # 实用新型/外观设计, holdings (拥有量), or patents abroad: not this year's domestic grants;
                # another pattern may still find them ("累计有效发明专利30件，今年新授权的是4件")
                continue
            if _NONE_OF.search(clause):
                out.facts[fieldname] = 0  # "一件发明专利都没拿到"
                break
            if (
                fieldname in _GRANTED_COUNTS
                and _NOT_GRANTED.search(clause)
                and not _GRANTED.search(_NOT_GRANTED.sub("", clause))
            ):
                # "发明专利受理了3件，授权了2件": the grants said next, of the same kind
                sentence_end = re.search(r"[。；;！!？?]", plain[match.end() :])
                rest = plain[match.end() : match.end() + sentence_end.start() if sentence_end else len(plain)]
                if granted := _GRANTED_AFTER.search(rest):
                    out.facts[fieldname] = int(granted.group(1))
                    break
                if fieldname == "invention_patents_granted":
                    out.problems.append("申请中的专利不计，政策按已授权的发明专利资助；授权了几件？")
                break  # applications, not grants: the policies pay for granted rights only
            count = int(match.group(1))
            if fieldname == "invention_patents_granted":
                # "5月8日授权了1件发明专利，3月份还下来2件": more of the same kind, said next
                count += sum(int(more) for more in _MORE_OF_THEM.findall(plain[match.end() :]))
            out.facts[fieldname] = count
            break
    if parts := per_filing_countries(plain):
        out.facts["madrid_designated_countries"] = sum(parts)
    if (some := _SOME_ARE_NOT_INVENTIONS.search(plain)) and not _STATED_INVENTIONS.search(plain):
        # "那5件里面有1件其实是实用新型" / "授权了3件专利，其中1件是实用新型": the rest are inventions
        out.facts["invention_patents_granted"] = max(int(some.group(1)) - int(some.group(2)), 0)


_MORE_OF_THEM = re.compile(
    r"^[^。；;]*?[，,][^，,。；;]{0,8}?还(?:下来|授权|拿到|获批|批)了?(\d+)[件个项]"
    r"(?![^，。,；;]*(?:美国|日本|欧洲|国外|境外|外观|实用新型|商标|布图|品种))"
)
_SOME_ARE_NOT_INVENTIONS = re.compile(
    r"(\d+)[件个项](?:专利)?[^，。,；;\d]{0,4}?[，,]?(?:其中|里面|里头|当中|中间|里)(?:有)?(\d+)[件个项](?:其实|实际上)?(?:是|为|属于)(?:实用新型|外观设计)"
)
_STATED_INVENTIONS = re.compile(r"\d+[件项个](?:是|为)(?:国内)?发明")


def _vague_fields(text: str) -> list[str]:
    """The facts a vague quantity is about: "二十来件发明专利" → invention_patents_granted."""
    fields: list[str] = []
    for clause in _CLAUSES.split(unicodedata.normalize("NFKC", text)):
        if VAGUE.search(clause) and (fact := topic_of(clause)) and fact not in fields:
            fields.append("madrid_new_applications" if fact == "madrid_registrations" else fact)
    return fields


# "1、发明专利5件 2、美国专利1件": list items and spaces between words separate clauses, as commas do.
_ITEM = re.compile(r"(?:(?<=^)|(?<=[\s件个项万元%。，,；;:：]))\d{1,2}[、．)）](?!\d)")
_GAP = re.compile(r"(?<=[\u4e00-\u9fff\d%])\s+(?=[\u4e00-\u9fff])(?![零一二两三四五六七八九十百千万件个项元])")


# Counts said against last year: "比去年多了2件，去年是8件" is 10 this year; "去年3件，今年翻了1番" is 6.
_MORE_THAN_LAST = re.compile(r"比去年(多|少)(?:了)?(\d+)[件个项][，,]?去年(?:是|有)?(\d+)[件个项]")
_DOUBLED = re.compile(r"去年(?:是|有)?(\d+)[件个项][，,]?今年翻了(?:1)?番")
_LAST_YEAR = re.compile(r"[，,]?比去年[多少](?:了)?\d+[件个项]|[，,]?去年(?:是|有)?\d+[件个项]")


def _this_year(plain: str) -> str:
    plain = _MORE_THAN_LAST.sub(
        lambda m: f"{int(m.group(3)) + (1 if m.group(1) == '多' else -1) * int(m.group(2))}件", plain
    )
    plain = _DOUBLED.sub(lambda m: f"{2 * int(m.group(1))}件", plain)
    return _earlier_years_dropped(_LAST_YEAR.sub("", plain))  # last year's counts are not this year's facts


_EARLIER_YEAR = re.compile(r"^(?:我们|公司)?(?:去年|前年|大前年|上年度?|上一年|往年)")
_THIS_YEAR = re.compile(r"^(?:我们|公司)?(?:今年|本年度?|这一年)")


def _earlier_years_dropped(plain: str) -> str:
    """“去年授权发明专利9件，今年4件” → “今年授权发明专利4件”: with this year said too, a clause about an
    earlier year is dropped, and a bare count for this year takes that clause's words."""
    clauses = re.split(r"(?<=[，,。；;：:])", plain)
    if not any(_THIS_YEAR.search(c) for c in clauses) or not any(_EARLIER_YEAR.search(c) for c in clauses):
        return plain
    kept: list[str] = []
    words = ""  # the last earlier-year clause, without its year
    for clause in clauses:
        if (earlier := _EARLIER_YEAR.search(clause)) and re.search(r"\d+[件个项]", clause):
            words = clause[earlier.end() :]  # a count of an earlier year ("去年评上了省示范企业" still holds)
            continue
        this = _THIS_YEAR.search(clause)
        if this and words and topic_of(clause) is None and (count := re.search(r"\d+", clause)):
            clause = clause[: this.end()] + re.sub(r"\d+", count.group(), words, count=1)
        if not re.match(r"^(?:\d+[件个项])?[，,。；;：:]?$", clause):  # "11件，" between two dropped years
            kept.append(clause)
        words = words if not this else ""
    return "".join(kept)


# Speech typed without punctuation ("…发明专利12件然后日本那边也授权了1件…"): a new clause at each
# connective, as if said with a pause.
_CONNECTIVE = re.compile(
    r"(?<=[\u4e00-\u9fff\d])(?=然后|另外|再就是|接着|此外|还有就是)|(?<=\d[件个项])(?=我们|咱们|我司)"
    r"|(?<=专利)(?=还有)|(?<=[件个项])(?=还有)"  # "…7件发明专利还有2件美国专利…"
)


def _as_clauses(text: str) -> str:
    text = standard(text)
    return _CONNECTIVE.sub("，", _GAP.sub("，", _ITEM.sub("；", text)))


def extract(text: str, requested: str | None = None, *, hypothetical: bool = False) -> Extraction:
    """Facts stated in ``text``. ``requested`` is the fact the bot just asked about (or the one a
    correction such as "不对，是8件" refers to), so a bare answer ("12件", "是的", "国家级") fills it."""
    out = Extraction()
    if SKIP.search(text):
        out.skipped = True
    plain = _drop_clauses(_this_year(normalise(_as_clauses(text))), _SOMEONE_ELSE)
    plain = _drop_clauses(plain, _COUNTY_STATS, keep=_OURS)
    _counts(plain, out)
    for label, number in _TABLE_LINE.findall(plain):
        # A pasted table: "本年度发明专利授权：12", "集成电路布图设计：2"
        fieldname = topic_of(label)
        if fieldname in COUNT_PATTERNS and fieldname not in out.facts and not _NOT_GRANTED.search(label):
            out.facts[fieldname] = int(number)
    for fieldname, keyword in _ZERO_KEYWORDS.items():
        if fieldname not in out.facts and re.search(
            rf"(?:{keyword})[^，。,；;\d]{{0,4}}(?:没有|没|无)(?![^，。,；;]*\d)", plain
        ):
            out.facts[fieldname] = 0  # "地理标志保护产品没有"
    if re.search(r"(?:国外|境外|海外|外国)(?:的)?专利[^，。,；;\d]{0,3}(?:没有|没|无)", plain):
        out.facts.setdefault("foreign_patents", {})  # "国外的专利木有"
    for fieldname, one in _ONE_GI.items():
        if fieldname not in out.facts and (found := one.search(plain)):
            clause = _clause_at(plain, found.start())
            if not (NEGATION.search(clause) or _QUESTION.search(clause) or _PLANNED.search(clause)):
                out.facts[fieldname] = 1
    if "invention_patents_granted" not in out.facts and re.search(
        r"专利[^，。,]{0,4}申请(?:了)?\d+件|申请(?:了)?\d+件[^，。,]{0,4}专利", plain
    ):
        out.problems.append("申请中的专利不计，政策按已授权的发明专利资助；授权了几件？")
    for fieldname, keyword in (("foreign_patents", "专利"), ("madrid_registrations", "马德里")):
        code_of = madrid_code if fieldname == "madrid_registrations" else country_code
        countries = _countries(plain, keyword, out.problems if keyword in plain else [], code_of)
        if countries and not (fieldname == "foreign_patents" and "马德里" in plain and "专利" not in plain):
            out.facts[fieldname] = countries
    awards = [
        code
        for pattern, code in AWARDS
        for match in re.finditer(pattern, plain)
        for _ in range(_times(plain[match.end() :], plain[: match.start()]))
    ]
    if any(code.startswith("provincial_") for code in awards) or ("省" in plain and "专利奖" in plain):
        # "省专利奖一等奖一项，三等奖一项": once the provincial award is named, a bare 三等奖 is one too.
        levels = ("provincial_patent_first", "provincial_patent_second", "provincial_patent_third")
        bare = [
            levels[int(m.group(1)) - 1]
            for m in re.finditer(r"(?<!市专利奖)(?<!市级专利奖)([123])等奖", plain)
            for _ in range(_times(plain[m.end() :], plain[: m.start()]))
        ]
        awards = [code for code in awards if not code.startswith("provincial_")] + bare
    if awards:
        out.facts["patent_awards"] = awards
    elif re.search(r"(?:没有|没|未)(?:获得|拿|获|得)过?(?:任何|什么)?(?:的)?专利奖", plain):
        out.facts["patent_awards"] = []  # "我们没有获得过任何专利奖"
    for fieldname, keywords in LEVEL_FIELDS.items():
        level = _level(plain, keywords)
        if level is not None:
            out.facts[fieldname] = level
    pilot = re.search(r"(国家级|国家|省级|省|市级|市)(?:知识产权)?(?:的)?试点企业", plain)
    if pilot and "ip_demonstration_enterprise" not in out.facts:
        out.facts["ip_demonstration_enterprise"] = f"pilot_{LEVELS[pilot.group(1)]}"
    both = re.search(r"(示范|优势)(?:企业)?(?:和|与|、|及)(示范|优势)(?:企业)?[^。；;]{0,8}?(国家级|省级|市级)", plain)
    if both:  # "示范和优势两个都是国家级的"
        for word in both.group(1, 2):
            out.facts["ip_demonstration_enterprise" if word == "示范" else "ip_advantage_enterprise"] = LEVELS[
                both.group(3)
            ]
    school = re.search(r"(国家级|国家|全国|省级|省)(?:中小学)?知识产权教育(示范|试点)", plain)
    if (
        school
        and re.search(r"小学|中学|学校", plain)
        and not (_QUESTION.search(plain) and not _STATEMENT.search(plain))
    ):
        out.facts.setdefault("entity_type", "school")  # only schools can be 知识产权教育示范/试点学校
    if school:
        scope = "provincial" if school.group(1).startswith("省") else "national"
        out.facts["ip_education_school"] = f"{scope}_{'demonstration' if school.group(2) == '示范' else 'pilot'}"
    gold = _yes_no(plain, "商标金奖")
    if gold is not None:
        out.facts["china_trademark_gold_award"] = gold
    certified = _yes_no(
        plain, r"贯标|管理体系认证|管理规范》?(?:的)?认证|管理体系证书|管理规范国家标准|国家标准认证|29490"
    )
    if certified is not None:
        out.facts["ip_management_certified"] = certified
        # 初次 only when said (初次/首次/第一次/今年/刚/新): the certificate alone does not say it.
        if not certified or re.search(r"再次|复审|续证|换证|第二次|重新认证|再认证", plain):
            out.facts["ip_management_certified_first_time"] = False
        elif re.search(r"初次|首次|第[一1]次|头[一1]次|今年|刚|新通过|新获", plain):
            out.facts["ip_management_certified_first_time"] = True
    for fieldname, keywords in FLAGS:
        # a project about to be declared (拟申报) is what the 专利转化 support is for; other plans are not facts
        flag = _yes_no(plain, keywords, plans_count=fieldname == "patent_industrialization_project")
        if flag is not None:
            out.facts[fieldname] = flag
    if re.search(r"代理|中介|事务所|服务机构", plain) and re.search(
        r"(?:在|于)(?:本县|县内|当地|本地|[\u4e00-\u9fff]{1,6}县)[^，。,；;]{0,4}(?:注册|成立|设立)", plain
    ):
        out.facts["patent_agency_registered_locally"] = True  # "今年在上杭县注册成立了分公司"
    if re.search(r"代理|中介|事务所|服务机构", plain) and (
        where := re.search(
            r"注册(?:地)?(?:就)?(?:在|是|于)(本县|县内|县里|我县|当地|本地|这里|外省|外地|外县|市里|省里|省外|县外|其他)",
            plain,
        )
    ):  # "注册地就在本县" / "注册在外省": where the agency is registered decides
        out.facts["patent_agency_registered_locally"] = where.group(1) in {
            "本县",
            "县内",
            "县里",
            "我县",
            "当地",
            "本地",
            "这里",
        }
    size = re.search(r"(大型|中型|小型|微型|小微)(?:国有|国企|民营|私营|科技型?)?(?:企业|公司|企)", plain)
    if size := size or re.search(r"规模[:：是为]?(大型|中型|小型|微型|小微)", plain):  # "企业规模：中型"
        out.facts["enterprise_size"] = SIZES[size.group(1)]
    # The navigation cost: the first amount after 导航, when the words before it say spent, not paid.
    navigation = re.search(
        r"导航(?P<words>[^\d。；;]{0,14}?)(?P<amount>\d+(?:\.\d+)?(?:万\d(?![\d千百万])|万|千|百)?)(?:元)?", plain
    )
    words = navigation.group("words") if navigation else ""
    spent = re.search(r"花了|花费|费|投入|成本|支出|用了|付了|总共|合计|其实是|实际是|应该是", words)
    granted = re.search(r"资助|补贴|补助|最高|给了|奖励", words)  # what it pays, not what it cost
    if navigation and spent and not granted and (cost := money(navigation.group("amount"))) is not None:
        out.facts["patent_navigation_cost"] = cost
    clauses = [re.sub(r"\d+(?:\.\d+)?%", "", c) for c in _CLAUSES.split(plain)]  # 50% is a rate, not money
    for n, clause in enumerate(clauses):
        if "贴息" in clause and re.search(r"市(?:里|级|上)?", clause):
            # "市级贴息到账了，36000元": the amount may stand in the next clause
            if subsidy := money(clause) or (money(clauses[n + 1]) if n + 1 < len(clauses) else None):
                out.facts["city_pledge_interest_subsidy"] = subsidy
            break
    loans = _pledge_loans(plain, asked=requested == "pledge_loans")
    if loans:
        out.facts["pledge_loans"] = loans
    # "我是代理机构的，帮客户问": the asker's own kind is not the enterprise's.
    for_someone = re.search(r"(?:帮|替|代)(?:客户|企业|别人|朋友|亲戚|他们|群众|辖区)", plain)
    if not for_someone and re.search(
        r"(?:我们|我单位|本单位|我们单位|我司|本公司|我校|本校)(?:是|系|为|属于)|我是|不是(?:1家)?(?:企业|公司)|我们(?=(?:这个|这家|的)?(?:代理所|事务所|机构|学校|大学|高校|研究所|研究院))|[一1]家(?=[^，。]{0,8}(?:机构|高校|大学|研究所|研究院|学校|事务所))|[一1]所|某(?:小学|中学|学校|高校|大学)|我校|本校|的(?:知识产权)?服务机构",
        plain,
    ):
        kinds = re.sub(r"(?:示范|优势|试点|培育)企业", "", plain)  # a title names no kind of unit
        # "我们不是企业，是县里的一个农业科研院所": the kind after the denial
        kinds = re.split(r"不是(?:1家)?(?:企业|公司)[，,]?", kinds)[-1]
        for pattern, code in ENTITY_TYPES:
            if re.search(pattern, kinds):
                out.facts["entity_type"] = code
                break
    if requested and requested not in out.facts:
        _answer_to_question(text, plain, requested, out)
    if not hypothetical and _QUESTION.search(plain) and not _STATEMENT.search(plain):
        # "中国商标金奖有什么奖励？" names a topic; it does not say the enterprise won it.
        out.facts = {k: v for k, v in out.facts.items() if k in _COUNT_LIKE}
    out.problems = list(dict.fromkeys(out.problems))  # one sentence per problem
    if is_vague(text):
        out.vague = True
        out.vague_fields = _vague_fields(_as_clauses(text)) or ([requested] if requested else [])
        # Only the facts the vague quantities are about wait for an exact number; the rest stands.
        out.facts = {
            k: v for k, v in out.facts.items()
            if k not in out.vague_fields and not (k == "madrid_designated_countries" and "madrid_new_applications" in out.vague_fields)
        }  # fmt: skip
    return out


def _pledge_loans(plain: str, asked: bool) -> list[dict[str, Any]]:
    """One loan per "一笔…" part ("一笔200万贷了12个月，一笔100万贷了6个月，利率都是4.35%"), else one."""
    if not asked and (not re.search(r"质押", plain) or not re.search(r"贷|融资|笔|\d+(?:\.\d+)?[万亿]", plain)):
        return []
    at = re.search(r"质押|贷款|贷了|融资", plain)
    loan_text = plain[at.start() :] if at else plain
    parts = [p for p in re.split(r"(?:另|第[\d二三四五]|[\d])笔|[;；]", loan_text) if re.search(r"\d", p)]
    rate = loan_rate(plain)
    if len(parts) > 1 and rate is not None:
        # A principal in 万/亿, or written out in full ("二百万" reads as 2000000)
        loans = [_pledge_loan(part, rate) for part in parts if re.search(r"\d+(?:\.\d+)?[万亿]|\d{5,}", part)]
        if loans and all(loans):
            # "今年分别计息12个月和6个月": the terms in the order of the loans
            terms = re.search(r"分别[^，。,；;\d]{0,6}((?:\d+个月[和、及与,，]?){2,})", loan_text)
            months = [int(m) for m in re.findall(r"(\d+)个月", terms.group(1))] if terms else []
            if len(months) == len(loans):
                loans = [{**loan, "months": m} for loan, m in zip(loans, months, strict=True) if loan]
            return [loan for loan in loans if loan]
    single = _pledge_loan(loan_text, rate)
    return [single] if single else []


# Countries per Madrid filing: "一件延伸了7个国家，一件延伸了2个国家" (the fact is their sum), and a
# correction of one of them: "第二件是延伸了3个国家".
_PER_FILING = re.compile(r"(?:另)?(?:1|一)件[^，。,；;\d]{0,4}?(?:延伸|指定)(?:注册)?(?:了)?(?:到)?(\d+)个(?:国家|国)")
_NTH_FILING = re.compile(r"第(\d+)件[^，。,；;\d]{0,4}?(?:延伸|指定)(?:注册)?(?:了)?(?:到)?(\d+)个(?:国家|国)")


def per_filing_countries(text: str) -> list[int]:
    """The countries of each Madrid filing listed one by one (empty unless two or more are listed)."""
    found = [int(n) for n in _PER_FILING.findall(normalise(text))]
    return found if len(found) >= 2 else []


def nth_filing_countries(text: str) -> tuple[int, int] | None:
    """(filing index from 0, countries) for "第二件是延伸了3个国家"."""
    match = _NTH_FILING.search(normalise(text))
    return (int(match.group(1)) - 1, int(match.group(2))) if match and int(match.group(1)) >= 1 else None


def loan_terms(text: str, rate: Decimal | None = None) -> dict[str, Any] | None:
    """One loan from ``text`` (principal, rate, months), with ``rate`` when the text gives none ("利率一样")."""
    plain = normalise(text)
    return _pledge_loan(plain, loan_rate(plain) or rate)


# The benchmark rate first ("执行利率5.2%，同期基准利率4.35%": the subsidy is on the benchmark), then any
# rate word; the % may be left out ("年化3.85"). Other percentages (补50%, 贴30%) are not the loan's rate.
_BENCHMARK_RATE = re.compile(r"基准(?:利率)?[^，。,；;%\d]{0,6}(\d+(?:\.\d+)?)%?(?![\d万亿元件个])")
_ANY_RATE = re.compile(r"(?:利率|年化|年息|利息率)[^，。,；;%\d]{0,6}(\d+(?:\.\d+)?)%?(?![\d万亿元件个])")


def loan_rate(plain: str) -> Decimal | None:
    """The loan's annual rate in ``plain`` (numbers normalised): 4.35% → Decimal('0.0435')."""
    for pattern in (_BENCHMARK_RATE, _ANY_RATE):
        if (match := pattern.search(plain)) and 0 < Decimal(match.group(1)) <= 20:
            return Decimal(match.group(1)) / 100
    found = percent(plain)
    return found if found is not None and found <= Decimal("0.2") else None


# Money that answers no cost question: "注册资本500万".
_OTHER_MONEY = re.compile(r"注册资本|营收|营业额|销售额|产值|利润|收入|资产")
_LOAN_PRINCIPAL = re.compile(r"\d+(?:\.\d+)?[万亿]")
_LOAN_MONTHS = re.compile(r"(\d+)\s*个月")  # after standard(): "半年" → 6个月, "一整年" → 12个月
_LOAN_WHOLE_YEAR = re.compile(r"全年|整年|一年|1年")
_RATE_WORDS = re.compile(r"利率|年化|基准|%")


def loan_pieces(text: str) -> dict[str, Any]:
    """The terms of one loan a message names, each on its own — principal (≥ 1万), annual rate, months —
    for a loan told in pieces ("贷了300万" / "基准利率4.35" / "今年一整年都在贷款期") or corrected
    ("不对，本金是150万" / "月数也错了，只计息8个月")."""
    said = standard(text)
    plain = normalise(said)
    pieces: dict[str, Any] = {}
    if _OTHER_MONEY.search(plain):
        return pieces  # "我们公司注册资本500万": not a loan's principal
    if (wan := _LOAN_PRINCIPAL.search(plain)) and (principal := money(wan.group())) and principal >= 10_000:
        pieces["principal"] = principal
    rate = loan_rate(plain)
    if rate is not None and ("principal" not in pieces or _RATE_WORDS.search(plain)):
        pieces["annual_benchmark_rate"] = f"{(rate * 100).normalize():f}%"
    if months := _LOAN_MONTHS.search(plain):
        pieces["months"] = int(months.group(1))
    elif _LOAN_WHOLE_YEAR.search(said):
        pieces["months"] = 12
    return pieces


def _pledge_loan(plain: str, rate: Decimal | None) -> dict[str, Any] | None:
    principal = re.search(r"(\d+(?:\.\d+)?)(亿|万)", plain) or re.search(
        r"本金[:：]?(\d+)()|(\d{5,})()(?![\d.%])", plain
    )
    months = re.search(r"(\d+)个月", plain)
    if not principal or rate is None:
        return None
    number = next(group for group in principal.groups()[::2] if group)
    unit = next((group for group in principal.groups()[1::2] if group), "")
    value = Decimal(number) * {"亿": 100_000_000, "万": 10_000}.get(unit, 1)
    return {
        "principal": int(value),
        "annual_benchmark_rate": f"{(rate * 100).normalize():f}%",
        "months": int(months.group(1)) if months else 12,  # a loan without a term counts the whole year
    }


LEADING_NUMBER = re.compile(r"\s*[0-9０-９零一二两三四五六七八九十百千]")


# A short answer to the question just asked: "拿过", "是，在本县注册的", "还没评上", "没买过".
_ANSWER_NO = re.compile(
    r"(?:否|不是|不(?!对|好意思|可能|行|知道|清楚|确定|过)|没有|没|无|未|还没|尚未|no\b|n$)", re.IGNORECASE
)
_ANSWER_YES = re.compile(r"(?:是|对|有|嗯|好|拿|获|评上|通过|得过|yes\b|y$|ok\b)", re.IGNORECASE)
# Words before a level that answers the question asked: "是省级", "要是它评的是国家级的呢".
_LEADING_WORDS = re.compile(
    r"^(?:要是|如果|假如|假设)?(?:它|我们|企业|公司|这家)?(?:评的|评上的|拿的|被评为|评为|评上)?(?:是|就是|属于|我们是)?"
)


def _answer_to_question(text: str, plain: str, requested: str, out: Extraction) -> None:
    from eligibility.profile import BOOL_FIELDS, CODE_FIELDS, COUNT_FIELDS, YUAN_FIELDS

    stripped = text.strip()
    if SKIP.search(stripped):
        return  # "不清楚，得问下专利专员": no answer yet
    short = len(stripped) <= 15  # "不可能吧，北京这么大没有政策？…" is not an answer "no"
    no = bool(NO.match(stripped) or (short and _ANSWER_NO.match(stripped)) or re.match(r"都(?:不是|没有)", stripped))
    # "保护产品没有" / "我们没有发明专利": the fact named, with no
    none_said = re.search(r"(?:没有|没|无|不是)(?:[。!！,，\s]|$)", stripped) or re.match(
        r"(?:我们|我司|公司)?还?(?:没有|没|无)", stripped
    )  # "园区没有 我们就是个单位"
    no = no or (short and (requested in COUNT_FIELDS or requested in CODE_FIELDS) and bool(none_said))
    yes = not no and bool(YES.match(stripped) or _ANSWER_YES.match(stripped))
    if requested == "ip_management_certified_first_time" and (yes or no):
        out.facts[requested] = yes
        if yes or re.search(r"不是第[一1]次|之前|以前|早就|已经通过", plain):
            out.facts["ip_management_certified"] = True  # "不是第一次，之前就通过了": certified, not the first time
    elif requested in BOOL_FIELDS:
        if yes or no:
            out.facts[requested] = yes
    elif requested in _GRANTED_COUNTS and _APPLIED_COUNT.search(plain) and not _GRANTED.search(plain):
        return  # "如果再新申请一件呢？": an application answers no question about grants
    elif requested in COUNT_FIELDS and _NONE_OF.search(plain):
        out.facts[requested] = 0  # "没有，一件都没授权"
    elif requested == "madrid_new_applications" and (
        applied := re.search(r"(?:新)?(?:申请|提交|提出)(?:了)?(\d+)[件个项]", plain)
    ):
        out.facts[requested] = int(applied.group(1))  # "查了一下，新申请2件" answers "how many new applications"
    elif requested in COUNT_FIELDS:
        number = re.search(r"\d+", plain)
        if number and (len(number.group()) > 6 or re.match(r"[年月日号等级]", plain[number.end() :])):
            return  # "2023年", a phone number, "二等奖": not a count
        if number and country_pattern().search(plain) and not LEADING_NUMBER.match(stripped):
            return  # "PCT这2件以后要是在美国授权了": a count of patents abroad, not of the fact asked
        if number:
            if not out.facts or LEADING_NUMBER.match(stripped):
                # With other facts named in the message, only a leading number answers the question:
                # "12件，还有2件美国专利" does; "不对，发明专利是6件" is about invention patents only.
                out.facts[requested] = int(number.group())
        elif no or re.fullmatch(r"(?:零|0)[件个项]?", stripped):
            out.facts[requested] = 0
    elif requested in YUAN_FIELDS:
        if no:
            out.facts[requested] = 0
        elif not _OTHER_MONEY.search(plain) and (amount := money(stripped)) is not None:
            out.facts[requested] = amount
    elif requested == "ip_education_school":
        if school := re.search(r"(国家|全国|省)级?(?:的)?(示范|试点)", plain):
            scope = "provincial" if school.group(1) == "省" else "national"
            out.facts[requested] = f"{scope}_{'demonstration' if school.group(2) == '示范' else 'pilot'}"
        elif no:
            out.facts[requested] = "none"
    elif requested == "enterprise_size":
        if size := re.search("|".join(SIZES), plain):
            out.facts[requested] = SIZES[size.group()]
        elif size := re.match(r"(大|中|小|微)(?:的|型)?$", stripped):
            out.facts[requested] = {"大": "large", "中": "medium", "小": "small", "微": "micro"}[size.group(1)]
    elif requested in CODE_FIELDS and requested != "patent_awards":
        if no or "都不是" in stripped:
            if "none" in CODE_FIELDS[requested]:
                out.facts[requested] = "none"
        elif level := re.search(r"(国家级|国家|全国|省级|省|市级|市)(?:的)?(试点)?", _LEADING_WORDS.sub("", plain)):
            code = LEVELS[level.group(1)]
            code = f"pilot_{code}" if level.group(2) and f"pilot_{code}" in CODE_FIELDS[requested] else code
            if code in CODE_FIELDS[requested] and level.start() <= 2:
                out.facts[requested] = code
    elif requested == "patent_awards" and (no or "都没有" in stripped):
        out.facts["patent_awards"] = []
    elif requested == "patent_awards" and (
        medal := re.fullmatch(r"(?:是|拿的|得的)?(金|银|优秀)奖?[。!！]*", stripped)
    ):
        # "优秀奖" answering "中国专利金奖、银奖还是优秀奖？" (外观设计 when the message says so)
        kind = "china_design" if "外观" in plain else "china_patent"
        grade = {"金": "gold", "银": "silver", "优秀": "excellence"}[medal.group(1)]
        out.facts["patent_awards"] = [f"{kind}_{grade}"]
    elif requested == "patent_awards" and (level := re.search(r"([123])等(?:奖)?", plain)):
        # "说错了，是一等奖": only the provincial awards have 一/二/三等奖
        out.facts["patent_awards"] = [
            ("provincial_patent_first", "provincial_patent_second", "provincial_patent_third")[int(level.group(1)) - 1]
        ]
    elif requested in {"foreign_patents", "madrid_registrations"}:
        if no:
            out.facts[requested] = {}
        elif countries := _countries(  # "美国2件" answers the question asked
            plain, "", out.problems, madrid_code if requested == "madrid_registrations" else country_code
        ):
            out.facts[requested] = countries
    elif requested == "pledge_loans" and no:
        out.facts["pledge_loans"] = []

"""What a message asks the bot to do, beyond the facts it states: deterministic cues.

The NLU's intent says what kind of message it is; these cues catch the requests that decide
how to answer (a what-if, a correction, a question about a plan's status or its source) and
that must not depend on a classifier's guess. Hand-written: short closed lists of Chinese cues.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from knowledge.normalize import normalize
from understanding.colloquial import standard
from understanding.numbers import normalise

WHAT_IF = re.compile(
    r"如果|假如|假设|要是|万一|若是|倘若|再多|再加(?!上)|换成.*呢|那.*呢[？?]?$|(?<![一二三123])等(?!奖)[^，,。；;]{0,10}(?:都)?(?:授权|下来|批下来|拿到|评上)(?:了|以后|之后|后)?|能多多少|多拿多少|(?<!多)多多少(?!少)"
    r"|到时候|估计能|预计能|能多拿|多拿多少|^在.{1,10}呢[？?]?$|那样(?:的话)?(?:能|可以|会)"
    r"|比如(?:一家|有家)"
)
# "如果按这个稿子，我们…能给多少": a condition on which document applies, not a what-if about the facts.
ON_THE_DOCUMENT = re.compile(
    r"(?:如果|假如|要是|若)(?:就|都)?按(?:照)?(?:这个|该|这份|那个|这一?版)?(?:稿子|文件|政策|方案|征求意见稿|草案|草稿|规定)(?:来?算|的话|执行)?"
)
INCREMENT = re.compile(r"再多|再加|又(?:授权|拿|获得|多)|再(?:授权|获得|拿到?|有)")
ADDITION = re.compile(r"还有|另外|另有|也|又有|刚想起|忘了说|补充|漏了|少算|忘了|再加上|加上")
CORRECTION = re.compile(
    r"不对|错了|说错|搞错|写错|更正|纠正|改一下|应该是|其实是|实际上是|实际是|准确(?:地)?(?:说|是)|确切(?:地)?(?:说|是)|不是[\d一二两三四五六七八九十]|改成|改为"
    r"|还是[\d一二两三四五六七八九十]|看成|看错|弄错|记错|还是.{0,8}(?:县|区|市)"
    r"|不好意思|刚查了|查了一下|核实了?一下|重新数|数错|算错|多算|记混|搞混|弄混|写的是|按这个(?:数)?算|以.{0,8}为准"
    r"|(?:少|多)(?:说|打|写|算)了|说(?:少|多)了|打错"
)
RETRACT = re.compile(r"不算|去掉|删掉|删除|不要算|别算|撤回|没有了吧|没下来|没批|没授权|没拿到")
STATUS = re.compile(
    r"还能申请|还可以申请|能不能申请|还有效|有效期|过期|失效|到期|截止|还在执行|现在还|还执行|废止|什么时候申报|申报时间|正式(?:印发|出台)|征求意见"
    r"|生效|有效吗|作数|算数|作不作数|执行到|到哪年|到哪一年|到什么时候|哪年结束|期限|实施期|计划期"
)
SOURCE = re.compile(
    r"哪个文件|什么文件|哪份文件|哪个政策|依据|出处|哪一条|哪条|原文|原话|文号|根据什么|怎么规定|怎么写的"
)
# Comments on a draft ("这个稿子还能提意见吗"): the notice's deadline and address, not the plan's status.
FEEDBACK = re.compile(
    r"提意见|提出意见|反馈意见|意见反馈|提建议|意见(?:怎么|如何|往哪|向哪|发到|寄到|截止)|征求意见(?:到|截止)"
)
EXPLAIN = re.compile(r"为什么|为啥|怎么算|如何计算|怎么来的|计算过程|凭什么")
REPORT = re.compile(
    r"测算报告|(?:出|生成|下载|导出|打印)[^，。？?]{0,6}(?:报告|PDF)|报告[^，。？?]{0,6}(?:下载|打印)|PDF",
    re.IGNORECASE,
)
# Someone else's case ("有人指定了美国、日本…一共能拿多少"), worked out and not recorded; never when the
# message speaks of the enterprise itself ("我们公司有人专门管专利").
SOMEONE = re.compile(r"有人(?!说)")
COMPARE = re.compile(r"各地|各个地方|各个地区|各县|哪里(?:奖|给)得?多|分别(?:奖|给)|都奖多少|都给多少")
STACK = re.compile(r"叠加|同时享受|同时拿|重复享受|兼得|一起拿|都能拿")
COVERAGE = re.compile(r"收录了?(?:哪些|什么)|(?:哪些|什么)(?:地区|地方|县|区县)|支持哪些|覆盖(?:哪些|了)")
DONE = re.compile(
    r"^(?:那)?(?:总共|一共|合计|总计|加起来)(?:呢|是多少|多少)?[？?。!！]*$|就这些|就这么多|没有了|没别的|不用问了|别问了|直接算|帮我算|算一下|出结果"
    r"|按现在实际|按实际|实际(?:的)?(?:是|能拿|能得)?多少|你再看看|再核对一下|再查查"
)
WALKTHROUGH = re.compile(r"逐项|一项一项|挨个|逐一|一个一个|逐条|帮我核对|全面核对|一项项")
NEW_COMPANY = re.compile(
    r"问(?:一?下)?我们[^，。]{0,6}自己|另一家|另外一家|还有一家|另一个(?:公司|企业|客户|单位)|第[二三四五六2-6]家|又一家|下一家|子公司|分公司|母公司|集团|关联公司|换一家|另一个单位|另外一个单位|兄弟公司"
)
SAME_COMPANY = re.compile(r"^更正地区|同一家|就是这家|是更正|改地区|决定落户|落户|选定|定在|按.{1,6}算")
MORE = re.compile(r"^(?:更多相关条款|还有吗|更多|继续|其他条款|还有别的条款吗)[。.!！?？]*$")
# "分别是多少？" after an answer: each award's amount again, not a clause that says 分别给予.
ITEMISED = r"^(?:那)?(?:分别|各自|各项|每项|每一项|明细)(?:是|都是|各是|有)?多少|^各(?:是|给|奖)?多少[？?]?$|列(?:一下|个)?明细"
MONEY_QUESTION = re.compile(
    r"能拿|可以拿|能领|能得|能贴|(?<!补)贴多少|能申请|可以申请|能享受|可以享受|多少钱|多少奖励|奖多少|补多少|给多少|拿多少|哪些奖励|什么奖励"
    r"|哪些补贴|什么补贴|有奖励吗|有补贴吗|有没有奖励|有没有补贴|怎么奖|如何奖励|奖励标准|补助标准|有钱吗|有钱拿|算一下|算算|帮我算"
    r"|一共多少|总共多少|合计多少|加起来多少|(?:一共|总共|合计)[^，。？?\d]{1,4}多少|一共能|总共能|按原来的?算|按之前的?算|就这些|就这么多|没有了|没别的了"
    r"|给我个数|给个数|按.{0,6}算|算个数|算出来|多少来着|钱有多少|有多少钱|说个数|到底多少|总数|总额|报一下|确认一下|给不给|给钱|有没有钱"
    rf"|{ITEMISED}"
)
# The money questions that are about the asker even without 我们 ("总共能拿多少？", "给个数"),
# kept beside MONEY_QUESTION: "专利保险有补贴吗？" asks about the policy, these ask for the answer.
WHAT_I_GET = re.compile(
    r"能拿|可以拿|能领|能得|能贴|(?<!补)贴多少|有钱拿|能申请|可以申请|多少钱|拿多少|一共|总共|合计|加起来|按.{0,6}算|给我个数|给个数|总数|报一下|说个数"
    rf"|{ITEMISED}"
)
RATE_QUESTION = re.compile(
    r"每件|一件|每个|每项|奖励标准|补助标准|资助标准|多少钱|什么政策|额外|追加|配套|封顶|上限"
    r"|怎么(?:奖|补|资助|支持|扶持|算|给)|(?:奖|补|资助|奖励|补助|补贴)多少"
    r"|有(?:什么|哪些)?(?:奖励|补贴|补助|资助|支持|扶持|配套|贴息)(?:吗|么|没有)?"
    r"|有没有(?:奖励|补贴|补助|资助|支持|配套|贴息)|没有(?:现金|资金)?(?:补贴|补助|奖励)|超过\d+件|说法|前提|条件|标准是多少|什么标准|标准多少|每件给|给一次|一次性给"
)
ALL_AWARDS = re.compile(
    r"有(?:哪些|什么)[^，。？?]{0,8}(?:奖励|补贴|政策|支持|扶持|资助)|(?:奖励|政策)(?:有|包括)哪些|具体金额"
    r"|有没有(?:具体)?金额|有金额吗|奖励清单|都有啥|有啥(?:奖励|政策|补贴)|有具体金额|有没有标准|奖补标准|什么标准"
    r"|具体的?[^，。？?]{0,4}金额"
)
FIRST_PERSON = re.compile(
    r"我们|我司|本公司|我公司|我单位|本单位|我厂|咱们|我家|我这边|本企业|我企|他们|这家|那家|我校|本校"
    r"|(?:公司|企业|单位|工厂)(?:位于|在|地处|注册在|注册地)|注册地|地处|坐标|我在"
    r"|(?:的|县|区|市)(?:一家|一所)?(?:企业|公司|单位|厂|学校|小学|中学|机构)|一[家所][^，。？?]{0,8}(?:企业|公司|单位|厂|学校|机构)"
)
DEPARTMENT = re.compile(
    r"找[^，。？?]{0,10}(?:局|部门)还是|还是找|哪个部门|什么部门|哪个单位|找谁|联系谁|问谁|谁说了算|谁定|谁决定|谁来定|去哪里|在哪办|到哪办|负责部门|哪个局|什么局|联系方式|找哪|谁管|谁负责|谁审核|审核部门|归谁管|哪里办|去哪办|去哪申请|向谁申请"
)
AFFIRM = re.compile(r"^(?:嗯+|哦+)?(?:是|是的|对|对的|对啊|嗯|嗯嗯|好的|没错|正确|是滴|对头)(?:[。!！.～~，,]|$)")
QUESTION = re.compile(r"[？?]|(?<!在)吗|(?<!在)么|呢|多少|哪(?!怕)|什么|怎么|如何|是否|能否|有没有|可不可以|能不能")


# How and when the money comes, what to hand in, tax: nothing the collected documents say.
PROCESS = re.compile(
    r"到账|打到|打款|发钱|拨付|兑现|多久(?:能)?(?:到|发|拿|批|下来)|几个?工作日|什么时候(?:发钱|发放|到账|给钱|拿到|打款)|按季度|一次性打"
    r"|(?:交|提交|准备|需要|要)(?:哪些|什么)(?:材料|资料)|申报材料|申请材料|(?:哪些|什么)(?:材料|资料)|流程|手续"
    r"|截止(?:到|日期|时间)?(?:是)?(?:几月|哪天|什么时候)|几月几号|扣税|交税|缴税|个税|要不要(?:交|缴)税"
)
# "以后能拿到哪些补贴" from someone with nothing yet: the region's list, not a total of 0
WHICH_AWARDS = re.compile(r"(?:哪些|什么)(?:奖励|补贴|补助|政策|支持|资助)")
AMOUNT_ASKED = re.compile(r"多少|总共|一共|合计|总数|加起来")  # a figure asked for, beside another question
# The phrases below steer a single decision each in ``conversation.respond`` (named there where used).
PLAN_LEAD = re.compile(  # who leads the whole plan, not one award's department
    r"(?:整个|整体|总体)(?:方案|政策|文件)?[^，。？?]{0,6}牵头|(?:方案|政策|文件)[^，。？?]{0,4}(?:谁|哪个[局部门单位]+)牵头|领导小组"
)
SUBJECT = re.compile(r"专利|商标|保险|版权|地理标志|地标|贯标|质押|贷款|导航|品种|布图|托管|维权|人才|培训|基金")
PENDING = re.compile(r"在审|审查中|还在审查|没批下来|还没批|还没授权|未授权|没下来|没下证|未下证|没注册下来|还没注册")
NOT_INVENTION_KIND = re.compile(r"外观设计|实用新型")
UNPAID_TITLE = re.compile(r"驰名商标|著名商标|知名商标|软件著作权|软著|著作权登记|作品登记")  # nothing pays these
ELLIPTICAL = re.compile(r"[^，,。我]{1,12}呢[？?]?")  # "国家级示范呢": the rest is the previous question's
LOAN_WORDS = re.compile(r"贷|本金|利率|利息")
HERE = re.compile(r"我们县|本县|县里|我县|我们这个县|我们市|本市|市里|我市|我们这边|我们这儿|我们当地|这个县|该县")
COMPARED_ELSEWHERE = re.compile(r"怎么(?:没有|才|只|不)|人家|那边|隔壁|比.{0,8}(?:少|多|低|高)|一分(?:都|也)没")
# A figure asked for where the document sets none ("那你大概估个数呢，几千还是几万"): never an estimate.
ESTIMATE = re.compile(r"估个数|估一下|估个|大概(?:能给|给多少|多少)|几千还是几万|大概数|毛估")
# A figure heard from someone else ("我朋友公司说给了5万"): weighed against the document, not taken.
HEARSAY = re.compile(r"(?:朋友|同事|同行|别人|别家|人家|隔壁|听说)[^，。？?]{0,10}(?:说|讲|拿了|给了|领了|拿到|能拿)")
# Several units' counts put together ("两家加起来13件，能不能按超过10件算"): each unit counts on its own.
UNITS_COMBINED = re.compile(
    r"(?:两|几|2|3|三|多)家(?:公司|企业|单位|子公司)?[^，。？?]{0,4}(?:加起来|合起来|合并|一起算|合在一起|加在一起)"
)
# A loan said not to be an IP pledge ("是的，不过是房产抵押的"): not subsidised.
NOT_PLEDGE = re.compile(r"抵押|担保贷|信用贷|普通(?:银行)?贷款|不是质押|没有质押")
# A short statement that asks about a topic's rule rather than stating a fact ("地理标志商标奖励").
RULE_WORDS = re.compile(r"奖励|奖补|政策|补助|补贴|资助|支持|扶持|标准|条件|规定|怎么|如何")
# The enterprise says it holds something ("我们是知识产权示范企业 刚评上的", "今年还拿了山西省专利奖",
# "有一笔专利权质押贷款"): a fact it holds, whatever else the message asks.
CLAIMS_FACT = re.compile(
    r"(?:我们|我司|本公司|我单位|我校)[^，。？?]{0,6}(?:是|拿了|获得了?|评上了?|被列入|列入了?|新列入了?|列为|有|做了|注册了|申请了|新申请了)"
    r"|(?:单位|企业|学校)(?:被列入|被列为|被评为|评上了|获得了|拿了)"  # not "示范企业有什么奖励"
    r"|(?:今年|刚)[^，。？?]{0,4}(?:还)?(?:有|拿了|获得了?|评上了?|被列入|新列入了?|列入了?|被列为|列为|做了)"
)
# 泽州's matching of the city's interest subsidy ("市里贴息是2.4万"): not a loan's terms.
CITY_SUBSIDY = re.compile(r"市里|市级|市贴息|市财政|配套")
EXPLICIT_IF = re.compile(r"如果|假如|假设|要是|万一|若是|倘若")
# Where the enterprise is, when a message names two places: its subsidiary's place when the question is
# about the subsidiary ("集团总部在太原，在泽州县有一家子公司…子公司能拿多少？"), else the place it says it is
# in, first ("阳城县的企业，跟泽州县挨着…").
BRANCH_PLACE = re.compile(
    r"在([^，,。？?\s]{2,10}?)(?:有|设有|设了|成立了?|注册了?)(?:一家|1家|个)?[^，,。]{0,6}(?:子公司|分公司)"
)
ABOUT_BRANCH = re.compile(r"(?:子公司|分公司)[^，,。]{0,6}(?:能拿|能得|能申请|可以拿|拿多少|多少)")
OWN_PLACE = re.compile(r"^\s*(?:我们是|我们在|我们)?([^，,。？?！!：:\s]{2,12}?)的?(?:企业|公司|单位|厂)[，,]")
# Whom a question asks about when it names a kind of unit ("贯标补助高校能不能申请？"): answered from the rule.
APPLICANT_NAMED = re.compile(r"高校|大学|高等学校|科研院所|研究院|研究所|学校|合作社|个人|事业单位|代理机构|服务机构")
OTHER_APPLICANT = re.compile(
    r"(合作社|个人|个体户?|事业单位|协会|学会|医院|研究院|研究所|社会组织|民办非企业|村集体|家庭农场)"
    r"[^。？?]{0,10}(?:也|还)?(?:能|可以|可不可以|能不能)(?:报|申报|申请|享受|拿|领)"
)
# Read on the numbers-normalised text ("再新申请一件" → 1):
ONE_MORE_FILING = re.compile(r"(?:还有|另有|另外|又有?|再有)(?:一|1)件")
MORE_APPLICATIONS = re.compile(r"再(?:新)?(?:申请|提交|报)(?:了)?(\d+)件")
IN_ALL = re.compile(r"(?:一共|总共|合计|共)(\d+)")  # "再拿到2个，一共3个": the total, not the increase


@dataclass(frozen=True, slots=True)
class Cues:
    what_if: bool
    increment: bool
    correction: bool
    retract: bool
    status: bool
    source: bool
    explain: bool
    walkthrough: bool
    new_company: bool
    same_company: bool
    more: bool
    money_question: bool
    what_i_get: bool
    rate_question: bool
    all_awards: bool
    first_person: bool
    question: bool
    addition: bool
    department: bool
    affirm: bool
    coverage: bool
    stack: bool
    done: bool
    report: bool
    compare: bool
    feedback: bool
    process: bool
    amount_asked: bool
    which_awards: bool
    plan_lead: bool
    names_subject: bool
    pending: bool
    elliptical: bool
    loan_words: bool
    here: bool
    compared_elsewhere: bool
    one_more_filing: bool
    not_invention_kind: str | None  # 外观设计 / 实用新型
    unpaid_title: str | None  # 驰名商标 …
    other_applicant: str | None  # 合作社 …
    applicant_named: bool
    estimate: bool
    hearsay: bool
    units_combined: bool
    city_subsidy: bool
    claims_fact: bool
    not_pledge: bool
    rule_words: bool
    more_applications: int | None  # "再申请2件" → 2
    in_all: int | None  # "一共3个" → 3


def _found(pattern: re.Pattern[str], text: str, group: int = 0) -> str | None:
    match = pattern.search(text)
    return match.group(group) if match else None


def read_cues(text: str) -> Cues:
    plain = normalize(standard(text))
    raw = text.strip()
    counted = normalise(text)
    more, in_all = _found(MORE_APPLICATIONS, counted, 1), _found(IN_ALL, counted, 1)
    # "我还有另一家公司在长治市上党区…那边呢": another company's facts, not a what-if (unless said as one)
    another = bool(NEW_COMPANY.search(plain)) and not EXPLICIT_IF.search(plain)
    return Cues(
        what_if=not another
        and (
            bool(WHAT_IF.search(ON_THE_DOCUMENT.sub("", plain)))
            or bool(SOMEONE.search(plain) and not FIRST_PERSON.search(plain))
        ),
        increment=bool(INCREMENT.search(plain)),
        correction=bool(CORRECTION.search(plain)),
        retract=bool(RETRACT.search(plain)),
        status=bool(STATUS.search(plain)),
        source=bool(SOURCE.search(plain)),
        explain=bool(EXPLAIN.search(plain)),
        walkthrough=bool(WALKTHROUGH.search(plain)) and not SOURCE.search(plain),  # "逐项列出依据" asks the source
        new_company=bool(NEW_COMPANY.search(plain)),
        same_company=bool(SAME_COMPANY.search(plain)),
        more=bool(MORE.search(plain)),
        money_question=bool(MONEY_QUESTION.search(plain)),
        what_i_get=bool(WHAT_I_GET.search(plain)),
        rate_question=bool(RATE_QUESTION.search(plain)),
        all_awards=bool(ALL_AWARDS.search(plain)),
        first_person=bool(FIRST_PERSON.search(plain)),
        question=bool(QUESTION.search(plain)),
        addition=bool(ADDITION.search(plain)),
        department=bool(DEPARTMENT.search(plain)),
        affirm=bool(AFFIRM.match(plain.strip())),
        coverage=bool(COVERAGE.search(plain)),
        stack=bool(STACK.search(plain)),
        done=bool(DONE.search(plain)),
        report=bool(REPORT.search(plain)),
        compare=bool(COMPARE.search(plain)),
        feedback=bool(FEEDBACK.search(plain)),
        process=bool(PROCESS.search(plain)),
        amount_asked=bool(AMOUNT_ASKED.search(plain)),
        which_awards=bool(WHICH_AWARDS.search(plain)),
        plan_lead=bool(PLAN_LEAD.search(raw)),
        names_subject=bool(SUBJECT.search(raw)),
        pending=bool(PENDING.search(raw)),
        elliptical=bool(ELLIPTICAL.fullmatch(raw)),
        loan_words=bool(LOAN_WORDS.search(raw)),
        here=bool(HERE.search(raw)),
        compared_elsewhere=bool(COMPARED_ELSEWHERE.search(raw)),
        one_more_filing=bool(ONE_MORE_FILING.search(counted)),
        not_invention_kind=_found(NOT_INVENTION_KIND, raw),
        unpaid_title=_found(UNPAID_TITLE, raw),
        other_applicant=_found(OTHER_APPLICANT, raw, 1),
        applicant_named=bool(APPLICANT_NAMED.search(plain)),
        estimate=bool(ESTIMATE.search(plain)),
        hearsay=bool(HEARSAY.search(plain) and re.search(r"\d", counted)),  # a figure heard
        units_combined=bool(UNITS_COMBINED.search(plain)),
        city_subsidy=bool(CITY_SUBSIDY.search(plain)),
        claims_fact=bool(CLAIMS_FACT.search(plain)),
        not_pledge=bool(NOT_PLEDGE.search(plain)),
        rule_words=bool(RULE_WORDS.search(plain)),
        more_applications=int(more) if more else None,
        in_all=int(in_all) if in_all else None,
    )

"""What a message asks the bot to do, beyond the facts it states: deterministic cues.

The NLU's intent says what kind of message it is; these cues catch the requests that decide
how to answer (a what-if, a correction, a question about a plan's status or its source) and
that must not depend on a classifier's guess. Hand-written: short closed lists of Chinese cues.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from understanding.numbers import normalise

WHAT_IF = re.compile(r"如果|假如|假设|要是|万一|若是|倘若|再多|再加|多一件|多1件|多2件|换成|改成.*呢|那.*呢[？?]?$")
INCREMENT = re.compile(r"再多|再加|多(?=\d+[件个项])|又(?:授权|拿|获得|多)")
CORRECTION = re.compile(r"不对|错了|说错|搞错|写错|更正|纠正|改一下|应该是|其实是|实际上是|准确(?:地)?说|不是\d")
RETRACT = re.compile(r"不算|去掉|删掉|删除|不要算|别算|撤回|没有了吧")
STATUS = re.compile(
    r"还能申请|还可以申请|能不能申请|还有效|有效期|过期|失效|到期|截止|还在执行|现在还|还执行|废止|什么时候申报|申报时间|正式(?:印发|出台)|征求意见"
)
SOURCE = re.compile(r"哪个文件|什么文件|哪份文件|哪个政策|依据|出处|哪一条|哪条|原文|文号|根据什么|怎么规定")
EXPLAIN = re.compile(r"为什么|为啥|怎么算|如何计算|怎么来的|计算过程|凭什么")
WALKTHROUGH = re.compile(r"逐项|一项一项|挨个|逐一|一个一个|逐条|帮我核对|全面核对|一项项")
NEW_COMPANY = re.compile(
    r"另一家|另外一家|还有一家|子公司|分公司|母公司|集团|关联公司|换一家|另一个单位|另外一个单位|兄弟公司"
)
SAME_COMPANY = re.compile(r"^更正地区|同一家|就是这家|是更正|改地区")
MORE = re.compile(r"^(?:更多相关条款|还有吗|更多|继续|其他条款|还有别的条款吗)[。.!！?？]*$")
MONEY_QUESTION = re.compile(
    r"能拿|可以拿|能领|能得|能申请|可以申请|能享受|可以享受|多少钱|多少奖励|奖多少|补多少|给多少|拿多少|哪些奖励|什么奖励|哪些补贴|什么补贴|有奖励吗|有补贴吗|有没有奖励|有没有补贴|怎么奖|如何奖励|奖励标准|补助标准|有钱吗|算一下|算算|帮我算"
)
RATE_QUESTION = re.compile(
    r"每件|一件|每个|每项|怎么奖|奖励标准|补助标准|奖多少|给多少|补多少|怎么补|有什么奖励|什么政策|有奖励吗|有补贴吗|有没有奖励|有没有补贴|多少钱"
)
ALL_AWARDS = re.compile(
    r"(?:都|一共|总共)?有(?:哪些|什么)(?:奖励|补贴|政策|支持|扶持)|奖励(?:有|包括)哪些|具体金额|有没有(?:具体)?金额|有金额吗|奖励清单"
)
FIRST_PERSON = re.compile(r"我们|我司|本公司|我公司|我单位|本单位|我厂|咱们|我家|我这边")
QUESTION = re.compile(r"[？?]|吗|呢|多少|哪些|什么|怎么|如何|是否|能否|有没有|可不可以|能不能")


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
    rate_question: bool
    all_awards: bool
    first_person: bool
    question: bool


def read_cues(text: str) -> Cues:
    plain = normalise(text)
    return Cues(
        what_if=bool(WHAT_IF.search(plain)),
        increment=bool(INCREMENT.search(plain)),
        correction=bool(CORRECTION.search(plain)),
        retract=bool(RETRACT.search(plain)),
        status=bool(STATUS.search(plain)),
        source=bool(SOURCE.search(plain)),
        explain=bool(EXPLAIN.search(plain)),
        walkthrough=bool(WALKTHROUGH.search(plain)),
        new_company=bool(NEW_COMPANY.search(plain)),
        same_company=bool(SAME_COMPANY.search(plain)),
        more=bool(MORE.search(plain)),
        money_question=bool(MONEY_QUESTION.search(plain)),
        rate_question=bool(RATE_QUESTION.search(plain)),
        all_awards=bool(ALL_AWARDS.search(plain)),
        first_person=bool(FIRST_PERSON.search(plain)),
        question=bool(QUESTION.search(plain)),
    )

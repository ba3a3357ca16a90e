"""Chinese and Arabic numbers in free text: 十二件, 两件, 一百零五件, 1.5万, 12万元, 4.35%.

cn2an converts Chinese numerals inside text but leaves 两 alone and cannot read 1.5万;
the rest is handled here. Vague quantities (三十多, 几件, 十来个) are reported, not guessed.
"""

from __future__ import annotations

import contextlib
import re
import unicodedata
import warnings
from decimal import Decimal, InvalidOperation

import cn2an

from knowledge.normalize import normalize

_LIA = re.compile(r"俩")
_LIANG = re.compile(r"两(?=[百千万亿件项个家次笔份所位名]|$)|(?<=[一二三四五六七八九十百千])两")
VAGUE = re.compile(
    r"(\d+|[一二三四五六七八九十百千两几]+)\s*(多|来|余|几)|几\s*[件项个家]|若干|好几"
    r"|一两|两三|三两|三四|四五|五六|六七|七八|八九|一二十|二三十|三五|三五十"
    r"|(?:\d+|[一二三四五六七八九十百千两]+)\s*[件项个]?\s*(?:左右|上下)|(?:大概|大约|约)\s*(?:\d+|[一二三四五六七八九十百千两]+)"
)
# Words whose 一 is not a number ("一共12个" must not become "1共12个"); hidden from cn2an in private-use characters.
_WORDS = ("一共", "一起", "一下", "一些", "一直", "一样", "一定", "一般", "一致", "统一", "唯一", "之一", "一并", "一旦", "一项项",
          "一个一个", "一项一项", "逐一", "万一", "一再", "一边", "一同", "一带")  # fmt: skip
_HIDE = {word: chr(0xE000 + n) for n, word in enumerate(_WORDS)}
_SHOW = {mark: word for word, mark in _HIDE.items()}
_PROTECTED = re.compile("|".join(sorted(_WORDS, key=len, reverse=True)))
_HIDDEN = re.compile("[" + "".join(_SHOW) + "]")
_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")
_LATIN_UNITS = re.compile(r"(?<=\d)个?[wWkK](?![a-zA-Z])")  # 3w, 300个w
_HUNDRED_WAN = re.compile(r"(\d+)百万")
_UNITS = {"万": 10_000, "千": 1_000, "百": 100, "亿": 100_000_000}


def normalise(text: str) -> str:
    """Full-width to half-width, traditional to simplified, Chinese numerals to digits (两件 → 2件), spaces removed."""
    text = normalize(text)  # the normalisation shared with the gazetteer: NFKC, traditional → simplified
    text = _THOUSANDS.sub("", text)  # 36,000 元 → 36000 元
    text = _LATIN_UNITS.sub(lambda m: "万" if m.group()[-1].lower() == "w" else "千", text)  # 3w = 3万, 5k = 5千
    text = _HUNDRED_WAN.sub(lambda m: f"{int(m.group(1)) * 100}万", text)  # 5百万 = 500万
    text = _PROTECTED.sub(lambda m: _HIDE[m.group()], text)  # words cn2an would wrongly turn into digits
    text = _LIA.sub("2个", text)
    text = _LIANG.sub("二", text)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # cn2an warns on fragments it leaves as they are
        with contextlib.suppress(ValueError, KeyError):
            text = cn2an.transform(text, "cn2an")
    text = _HIDDEN.sub(lambda m: _SHOW[m.group()], text)
    return re.sub(r"\s+", "", text)


def is_vague(text: str) -> bool:
    """三十多件, 几件, 十来个: a quantity the user did not state exactly."""
    return bool(VAGUE.search(unicodedata.normalize("NFKC", text)))


_MONEY = re.compile(r"(\d+(?:\.\d+)?)(亿|万|千|百)?(?:元|块)?")


_WAN_AND = re.compile(r"(\d+)万(\d)(?![\d千百万元块.])")


def money(text: str) -> int | None:
    """Yuan from 12万元, 1.5万, 24000元, 3千, 两万四 (2万4 = 24,000); None when no amount is present."""
    plain = normalise(text)
    if wan := _WAN_AND.search(plain):
        return int(wan.group(1)) * 10_000 + int(wan.group(2)) * 1_000
    match = _MONEY.search(plain)
    if not match:
        return None
    try:
        value = Decimal(match.group(1)) * _UNITS.get(match.group(2) or "", 1)
    except InvalidOperation:
        return None
    return int(value.to_integral_value())


def first_int(text: str) -> int | None:
    match = re.search(r"\d+", normalise(text))
    return int(match.group()) if match else None


_PERCENT = re.compile(r"(\d+(?:\.\d+)?)%")


def percent(text: str) -> Decimal | None:
    """4.35% → Decimal('0.0435')."""
    match = _PERCENT.search(normalise(text).replace("百分之", ""))
    if match:
        return Decimal(match.group(1)) / 100
    match = re.search(r"百分之(\d+(?:\.\d+)?)", normalise(text))
    return Decimal(match.group(1)) / 100 if match else None

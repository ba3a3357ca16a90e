"""Everyday spellings of the key words, made standard before facts and cues are read.

Phone typos and speech-input homophones of the domain words (专力 → 专利, 授全 → 授权, 发民 → 发明), dialect words users type (俺 → 我,
木有 → 没有, 咋 → 怎么, 啥 → 什么) and English shorthands (GI → 地理标志). Hand-kept: a spelling
corrector would need a model of these few domain words and their homophones, and gets 泽州/泽洲
wrong in reverse; no maintained library maps northern colloquial words to standard ones.
"""

from __future__ import annotations

import re

_WORDS = {
    "专力": "专利",
    "专例": "专利",
    "授全": "授权",
    "地里标志": "地理标志",
    "法明": "发明",
    "发民": "发明",  # speech input's homophones (发民专利, 马得里, 品种全)
    "马得里": "马德里",
    "品种全": "品种权",
    "商票": "商标",
    "木有": "没有",
    "俺们": "我们",
    "俺": "我",
    "咱们": "我们",
    "咱": "我们",
    "咋": "怎么",
    "啥": "什么",
    "哪儿": "哪里",
    "半年": "6个月",
    "美专": "美国专利",
    "日专": "日本专利",
    "欧专": "欧洲专利",
    "韩专": "韩国专利",
    "德专": "德国专利",
    "IC布图设计": "集成电路布图设计",
    "IC布图": "集成电路布图设计",
    "一整年": "12个月",
    "全年": "12个月",
}
_FOLDED = {word.lower(): standard for word, standard in _WORDS.items()}
# English words in a Chinese message, replaced with the spaces around them (so "1 patent" reads "1专利").
_ENGLISH = {
    "geographical indication trademark": "地理标志商标",
    "geographical indications": "地理标志",
    "geographical indication": "地理标志",
    "invention patents": "发明专利",
    "invention patent": "发明专利",
    "patents": "专利",
    "patent": "专利",
    "trademarks": "商标",
    "trademark": "商标",
    "who should we contact": "找谁",
    "who do we contact": "找谁",
    "which department": "哪个部门",
    "how much": "多少钱",
}
_ENGLISH_PATTERN = re.compile(
    r"\s*(?:" + "|".join(re.escape(w) for w in sorted(_ENGLISH, key=len, reverse=True)) + r"|(?-i:\bUSA?\b))\s*",
    re.IGNORECASE,
)
_PATTERN = re.compile(
    "|".join(re.escape(w) for w in sorted(_WORDS, key=len, reverse=True)) + r"|(?<![A-Za-z])GI(?![A-Za-z])",
    re.IGNORECASE,
)


def standard(text: str) -> str:
    """``text`` with the colloquial spellings above replaced by the standard words."""
    text = _ENGLISH_PATTERN.sub(_english, text)
    return _PATTERN.sub(lambda m: _FOLDED.get(m.group().lower(), "地理标志"), text)  # GI: 地理标志


def _english(match: re.Match[str]) -> str:
    word = match.group().strip().lower()
    return "美国" if word in {"us", "usa"} else _ENGLISH[word]

"""Everyday spellings of the key words, made standard before facts and cues are read.

Phone typos of the domain words (专力 → 专利, 授全 → 授权), dialect words users type (俺 → 我,
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
    "一整年": "12个月",
    "全年": "12个月",
}
_PATTERN = re.compile(
    "|".join(re.escape(w) for w in sorted(_WORDS, key=len, reverse=True)) + r"|(?<![A-Za-z])GI(?![A-Za-z])",
    re.IGNORECASE,
)


def standard(text: str) -> str:
    """``text`` with the colloquial spellings above replaced by the standard words."""
    return _PATTERN.sub(lambda m: _WORDS.get(m.group(), "地理标志"), text)

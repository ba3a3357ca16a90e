"""Text helpers of the user simulator: numerals, money, and the noise a real chat carries."""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Mapping

_DIGITS = "零一二三四五六七八九"
_FULL_WIDTH = {
    ord(c): ord(c) + 0xFEE0 for c in "0123456789%.,:;()!?ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz/"
}
_FULL_WIDTH[ord(" ")] = 0x3000
_HALF_WIDTH = {v: k for k, v in _FULL_WIDTH.items()}


def chinese_number(n: int) -> str:
    """0 → 零, 2 → 两, 12 → 十二, 20 → 二十, 105 → 一百零五, 25000 → 两万五千 (the way people write counts)."""
    if n < 0 or n >= 100_000_000:
        raise ValueError(n)
    if n == 0:
        return "零"
    if n == 2:
        return "两"
    if n >= 10_000:
        high = _below_10000(n // 10_000)
        text = (high.removeprefix("一") if 10 <= n // 10_000 < 20 else high) + "万" + _pad(n % 10_000)
    else:
        text = _below_10000(n).removeprefix("一") if 10 <= n < 20 else _below_10000(n)  # 十二, not 一十二
    if text[:2] in ("二百", "二千", "二万"):
        text = "两" + text[1:]  # 两百, 两万五千
    return text.rstrip("零")


def _pad(n: int) -> str:
    if n == 0:
        return ""
    text = _below_10000(n)
    return ("零" + text) if n < 1000 else text


def _below_10000(n: int) -> str:
    parts: list[str] = []
    zero = False
    for value, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        digit = n // value % 10
        if digit:
            if zero and parts:
                parts.append("零")
            parts.append(_DIGITS[digit] + unit)
            zero = False
        elif parts:
            zero = True
    return "".join(parts)


def render_count(n: int, style: str) -> str:
    """A count as a user types it: ``arabic`` 12, ``chinese`` 十二."""
    return chinese_number(n) if style == "chinese" else str(n)


def render_yuan(amount: int, rng: random.Random, style: str) -> str:
    """Money as users write it: 8万元, 80000元, 80,000元, 八万元, 2.5万."""
    if style == "chinese":
        return chinese_number(amount) + rng.choice(["元", "块钱", "元"])
    choices = [f"{amount}元", f"{amount:,}元"]
    if amount % 1000 == 0 and amount >= 10_000:
        wan = f"{amount / 10_000:g}"
        choices += [f"{wan}万元", f"{wan}万", f"{wan}万元"]
    return rng.choice(choices)


def full_width(text: str) -> str:
    return text.translate(_FULL_WIDTH)


def half_width(text: str) -> str:
    return text.translate(_HALF_WIDTH)


def add_typo(text: str, typos: Mapping[str, list[str]], rng: random.Random) -> str:
    """Replace one filler word by an IME homophone; the text unchanged when no word of the table occurs."""
    present = [word for word in typos if word in text]
    if not present:
        return text
    word = rng.choice(present)
    return text.replace(word, rng.choice(typos[word]), 1)


def traditional_converter(simplified: str, traditional: str) -> Callable[[str], str]:
    """opencc or zhconv when installed, else the simulator's own character table."""
    try:
        import opencc  # type: ignore[import-not-found,unused-ignore]

        converter = opencc.OpenCC("s2t")
        return lambda text: str(converter.convert(text))
    except ImportError:
        pass
    try:
        import zhconv  # type: ignore[import-not-found,unused-ignore]

        return lambda text: str(zhconv.convert(text, "zh-hant"))
    except ImportError:
        pass
    if len(simplified) != len(traditional):
        raise ValueError("the traditional-character table is misaligned")
    table = str.maketrans(simplified, traditional)
    return lambda text: text.translate(table)


_NUMBER = r"(\d+(?:\.\d+)?)\s*(万)?"
# a total: the keyword, then one amount (24000 元) or a range (150000—300000 元, 5—10万元)
_AMOUNT = re.compile(
    r"(?:合计|总计|共计|一共|总共|合共|总额|至少)[^\d\n]{0,24}?"
    + _NUMBER
    + r"\s*(?:元\s*)?(?:(?:—|–|-|~|～|至|到)+\s*"
    + _NUMBER
    + r"\s*)?元"
)


def normalise_reply(text: str) -> str:
    """Half-width digits, no thousands separators (24,000 / 24，000 → 24000)."""
    text = half_width(text)
    return re.sub(r"(?<=\d)[,，](?=\d{3})", "", text)


def stated_totals(text: str) -> list[int]:
    """Every total the reply states: the amount after 合计/总计/至少 … (万元 converted to yuan); the
    lower end of a range (合计：150,000—300,000 元 → 150000; 5—10万元 → 50000)."""
    totals = []
    for match in _AMOUNT.finditer(normalise_reply(text)):
        number, wan, _, upper_wan = match.groups()
        value = float(number) * (10_000 if wan or (upper_wan and not wan) else 1)
        totals.append(round(value))
    return totals


def stated_amounts(text: str) -> list[int]:
    """Every amount of yuan anywhere in the reply (a lenient diagnostic, not the success criterion)."""
    pattern = re.compile(r"(\d+(?:\.\d+)?)\s*(万)?\s*元")
    return [round(float(m.group(1)) * (10_000 if m.group(2) else 1)) for m in pattern.finditer(normalise_reply(text))]

"""The one text normalisation shared by the gazetteer and the chat.

Steps: Unicode NFKC (full-width letters, digits and punctuation → half-width: ``（`` → ``(``,
``１２`` → ``12``), traditional → simplified characters with OpenCC's ``t2s`` dictionary
(澤州縣 → 泽州县, 發明專利 → 发明专利, 臺灣 → 台湾), then whitespace: every run of whitespace
(including the ideographic space U+3000 and NBSP) becomes one ASCII space, and the ends are
stripped, so a whitespace-only text normalises to ``""`` exactly like an empty one.

Converter chosen by measurement (this 2-core machine, 50 traditional place names and chat
phrases incl. 澤州縣, 桓臺縣, 臺灣/台灣, 發明專利, 瀋陽, 乾縣, 於都縣, 頭髮, 乾隆; a 31-character
message): all three candidates converted all 50 correctly;
    opencc 1.4.2 (official binding, C++)      2–4 µs a message, 19–37 ms to import and load
    opencc-python-reimplemented 0.1.7         97–106 µs a message, 20–26 ms
    zhconv 1.4.3                               12–13 µs a message, 168–177 ms (last release 2021)
OpenCC's own package is the maintained one and the fastest; note that it and
opencc-python-reimplemented both install a module named ``opencc`` (never install both).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import opencc

_SPACE = re.compile(r"\s+")
_CONVERTER = opencc.OpenCC("t2s")


def _nfkc_char(ch: str) -> str:
    """NFKC of one character when it stays one character (else the character itself)."""
    folded = unicodedata.normalize("NFKC", ch)
    return folded if len(folded) == 1 else ch


@lru_cache(maxsize=4096)
def to_simplified(text: str) -> str:
    """Traditional → simplified (OpenCC t2s); simplified text is returned unchanged."""
    return str(_CONVERTER.convert(text))


def normalize(text: str) -> str:
    """NFKC, traditional → simplified, whitespace runs → one space, stripped. ``"  "`` → ``""``."""
    folded = unicodedata.normalize("NFKC", text)
    return _SPACE.sub(" ", to_simplified(folded)).strip()


def normalize_aligned(text: str) -> str:
    """The same folding, but character for character: ``result[i]`` comes from ``text[i]``.

    For finding places inside a text and reporting their spans in the text as given, so
    nothing is collapsed or stripped (whitespace is kept as is), NFKC is applied per
    character where it yields one character (``（`` → ``(``, ``１`` → ``1``; ``㍿`` stays),
    and t2s is applied to the whole text when it keeps the length (t2s maps characters one
    to one in practice) or else per character.
    """
    folded = "".join(_nfkc_char(ch) for ch in text)
    simplified = to_simplified(folded)
    if len(simplified) != len(folded):  # pragma: no cover - t2s never changed a length in our tests
        simplified = "".join(c if len(c := to_simplified(ch)) == 1 else ch for ch in folded)
    return simplified


def is_blank(text: str | None) -> bool:
    """Whether ``text`` says nothing: None, empty, or only whitespace (incl. U+3000)."""
    return text is None or normalize(text) == ""

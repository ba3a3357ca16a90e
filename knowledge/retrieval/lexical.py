"""The lexical side: jieba tokens with an IP-terms dictionary, colloquial synonyms, BM25 (bm25s)."""

from __future__ import annotations

import logging
import re
from functools import cache
from pathlib import Path

import jieba

from knowledge.yamlio import load_yaml

LEXICON_DIR = Path(__file__).resolve().parents[1] / "lexicon"
USER_DICT = LEXICON_DIR / "ip_terms.txt"
SYNONYMS = LEXICON_DIR / "synonyms.yaml"

_WORD = re.compile(r"[\w]", re.UNICODE)
# Function words and question words that carry no topic (的, 吗, 什么 …).
STOPWORDS = frozenset(
    """
    的 了 和 与 及 等 是 在 对 为 有 吗 呢 吧 啊 么 什么 怎么 怎样 如何 哪些 哪个 多少 能 可以 我
    我们 你 你们 公司 企业 请问 一下 这个 那个 给 就 都 也 还 要 会 被 把 并 或 或者 以及 其他 其 该 之 中 上 下 一 个
    """.split()  # noqa: SIM905 - a word list reads better as text
)


@cache
def tokenizer() -> jieba.Tokenizer:
    jieba.setLogLevel(logging.WARNING)
    tok = jieba.Tokenizer()
    with USER_DICT.open("rb") as handle:  # jieba leaves a path it opened itself unclosed
        tok.load_userdict(handle)
    return tok


@cache
def synonyms() -> dict[str, tuple[str, ...]]:
    return {str(key): tuple(str(v) for v in values) for key, values in load_yaml(SYNONYMS).items()}


def tokens(text: str) -> list[str]:
    """Search-engine-mode jieba tokens (long terms and their parts), without stopwords/punctuation."""
    return [t for t in tokenizer().cut_for_search(text) if _WORD.search(t) and t not in STOPWORDS]


def expand(question: str) -> str:
    """Append the policies' own terms for colloquial words found in ``question``."""
    extra = [term for key, terms in synonyms().items() if key in question for term in terms]
    return question + (" " + " ".join(extra) if extra else "")

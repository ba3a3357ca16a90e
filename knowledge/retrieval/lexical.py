"""The lexical side: jieba tokens with an IP-terms dictionary, colloquial synonyms (BM25 itself: bm25.py)."""

from __future__ import annotations

import logging
import marshal
import os
import re
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Any

import jieba

from knowledge.cache import cache_dir_from_env
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


TABLE_VERSION = 1  # of the by-character table below


class _FreqTable:
    """jieba's prefix dictionary (word and prefix → frequency, and the total) split by first character.

    jieba itself loads its whole dictionary into one dict at start-up (a 9 MB marshal cache of
    ≈ 500,000 entries: 0.6 s on this machine, more than the rest of a question). Every lookup jieba
    makes while cutting a text is for a piece of that text, so only the entries that start with one
    of its characters are ever read: this table stores each first character's entries apart, with
    an index of offsets, and ``_LazyTokenizer`` loads them as texts need them. The entries are
    those of jieba's own ``gen_pfdict`` (same words, prefixes and total), built once from jieba's
    dictionary file into the cache folder and keyed by that file's size and time.
    """

    def __init__(self, path: Path) -> None:
        self._path = path
        with path.open("rb") as handle:
            header = marshal.load(handle)
            self._base = handle.tell()
        self.total: int = header["total"]
        self._offsets: dict[str, tuple[int, int]] = header["offsets"]

    def bucket(self, char: str) -> dict[str, int]:
        where = self._offsets.get(char)
        if where is None:
            return {}
        with self._path.open("rb") as handle:  # opened per character: no file held open by a cached object
            handle.seek(self._base + where[0])
            bucket: dict[str, int] = marshal.loads(handle.read(where[1]))
        return bucket

    @staticmethod
    def write(dictionary: Path, path: Path) -> None:
        with dictionary.open("rb") as handle:
            freq, total = jieba.Tokenizer.gen_pfdict(handle)
        buckets: dict[str, dict[str, int]] = {}
        for word, count in freq.items():
            buckets.setdefault(word[0], {})[word] = count
        blobs = {char: marshal.dumps(bucket) for char, bucket in buckets.items()}
        offsets, at = {}, 0
        for char, blob in blobs.items():
            offsets[char] = (at, len(blob))
            at += len(blob)
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(f"{path.name}.{os.getpid()}.partial")
        with partial.open("wb") as out:
            marshal.dump({"total": total, "offsets": offsets}, out)
            for blob in blobs.values():
                out.write(blob)
        partial.replace(path)  # atomic: a reader sees the whole table or none


def _table_path(dictionary: Path) -> Path:
    stat = dictionary.stat()
    name = f"jieba-{jieba.__version__}-{stat.st_size}-{int(stat.st_mtime)}-v{TABLE_VERSION}.bin"
    return cache_dir_from_env() / "lexicon" / name


class _LazyTokenizer(jieba.Tokenizer):  # type: ignore[misc]
    """``jieba.Tokenizer`` whose ``FREQ`` holds only the first characters seen so far (see ``_FreqTable``).

    Before jieba looks anything up for a text (``cut``, ``tokenize``, ``get_DAG``) or adds a word,
    the table's entries for the text's characters are put into ``FREQ``; jieba's own code then runs
    unchanged on a plain dict, so the tokens are jieba's (tested against a plainly loaded jieba on
    every passage and question).
    """

    def __init__(self, table: _FreqTable) -> None:
        super().__init__()
        self._table = table
        self._loaded: set[str] = set()
        self.FREQ: dict[str, int] = {}
        self.total = table.total
        self.initialized = True

    def _need(self, text: Any) -> None:
        chars = set(text if isinstance(text, str) else jieba.strdecode(text))
        for char in chars - self._loaded:
            for word, count in self._table.bucket(char).items():
                self.FREQ.setdefault(word, count)  # never over a word added since (none can be: see add_word)
            self._loaded.add(char)

    def get_DAG(self, sentence: str) -> dict[int, list[int]]:
        self._need(sentence)
        dag: dict[int, list[int]] = super().get_DAG(sentence)
        return dag

    def cut(self, sentence: Any, *args: Any, **kwargs: Any) -> Iterable[str]:
        self._need(sentence)
        words: Iterable[str] = super().cut(sentence, *args, **kwargs)
        return words

    def tokenize(self, unicode_sentence: Any, *args: Any, **kwargs: Any) -> Iterable[Any]:
        self._need(unicode_sentence)
        found: Iterable[Any] = super().tokenize(unicode_sentence, *args, **kwargs)
        return found

    def add_word(self, word: Any, freq: Any = None, tag: Any = None) -> None:
        self._need(word)  # its characters' entries first, so that jieba's update is the last word
        super().add_word(word, freq, tag)

    def suggest_freq(self, segment: Any, tune: bool = False) -> int:
        self._need(segment if isinstance(segment, str) else "".join(segment))
        freq: int = super().suggest_freq(segment, tune)
        return freq


def plain_tokenizer() -> jieba.Tokenizer:
    """jieba as it loads itself (its whole dictionary at once), with the IP-terms dictionary."""
    jieba.setLogLevel(logging.WARNING)
    tok = jieba.Tokenizer()
    with USER_DICT.open("rb") as handle:  # jieba leaves a path it opened itself unclosed
        tok.load_userdict(handle)
    return tok


@cache
def tokenizer() -> jieba.Tokenizer:
    """jieba with the IP-terms dictionary; its main dictionary read by first character as needed."""
    jieba.setLogLevel(logging.WARNING)
    dictionary = Path(jieba.__file__).with_name(jieba.DEFAULT_DICT_NAME)
    try:
        path = _table_path(dictionary)
        if not path.exists():
            _FreqTable.write(dictionary, path)
        tok: jieba.Tokenizer = _LazyTokenizer(_FreqTable(path))
    except (OSError, ValueError, EOFError, KeyError, TypeError):  # no writable cache, or a damaged table
        return plain_tokenizer()
    with USER_DICT.open("rb") as handle:
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

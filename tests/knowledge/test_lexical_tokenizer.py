"""jieba with its dictionary read by first character gives exactly the tokens of jieba loaded whole."""

from __future__ import annotations

from pathlib import Path

import pytest

from knowledge import load_knowledge_base
from knowledge.retrieval import lexical
from knowledge.retrieval.evaluate import load_questions

ODD_TEXTS = [
    "",
    "2021年PCT专利申请100件，奖励5000元/件；ABC公司、R&D投入3.5%。",
    "知识产权质押融资贴息 \r\n 地理标志商标  集成电路布图设计",
    "木有发明专利咋办？俺们是研究所",
    "𠮷野家 emoji 😀 全角ＡＢＣ１２３",
]


@pytest.fixture(scope="module")
def texts() -> list[str]:
    kb = load_knowledge_base()
    clauses = [clause.text for policy in kb.policies for clause in policy.clauses]
    titles = [policy.title for policy in kb.policies]
    return [*ODD_TEXTS, *(q.q for q in load_questions()), *titles, *clauses]


def test_same_tokens_as_plain_jieba(texts: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INCENTIVES_CACHE_DIR", str(tmp_path))  # the table built from nothing
    lexical.tokenizer.cache_clear()
    try:
        lazy = lexical.tokenizer()
        assert isinstance(lazy, lexical._LazyTokenizer)
        assert list(tmp_path.glob("lexicon/jieba-*.bin"))
        plain = lexical.plain_tokenizer()
        assert lazy.total == plain.total
        for text in texts:
            assert list(lazy.cut_for_search(text)) == list(plain.cut_for_search(text)), text
            assert list(lazy.cut(text)) == list(plain.cut(text)), text
        # Every entry it has loaded is jieba's (user words included).
        assert all(plain.FREQ.get(word) == count for word, count in lazy.FREQ.items())
    finally:
        lexical.tokenizer.cache_clear()


def test_unwritable_cache_falls_back_to_plain_jieba(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("INCENTIVES_CACHE_DIR", str(blocker))
    lexical.tokenizer.cache_clear()
    try:
        tok = lexical.tokenizer()
        assert not isinstance(tok, lexical._LazyTokenizer)
        assert lexical.tokens("专利质押贷款有贴息吗？") == ["专利", "质押", "贷款", "质押贷款", "贴息"]
    finally:
        lexical.tokenizer.cache_clear()

"""The dialogue's own memory between turns, kept in one Rasa slot as a plain dict."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from typing import Any


@dataclass
class DialogueState:
    asked: str | None = None  # the fact the bot just asked about: a bare "12件" or "没有" answers it
    last_fact: str | None = None  # the fact the user stated last: "不对，是8件" corrects it
    pending: dict[str, Any] | None = None  # a question awaiting yes/no: a suggested region, same or other company
    walkthrough: bool = False  # "逐项帮我核对": ask every missing fact in turn
    skipped: list[str] = field(default_factory=list)  # facts the user does not know: never asked again
    answered: bool = False  # an answer with amounts was given for this enterprise
    faq_question: str | None = None  # the last policy question, for "更多相关条款"
    last_region: str | None = None  # the place a rule or status question was last about ("是哪个文件？")
    last_topic: str | None = None  # the fact a question was last about ("那奖补标准是多少？")
    asked_country: str | None = None  # the country a vague count was about ("美国专利一两件" → a bare "2件" is US)
    asked_as: str | None = None  # how a bare answer to the question asked reads: "{}试点学校" ("省级的")
    last_ask: str | None = None  # what the last reply was ("department", "whatif"): "X呢？" asks the same of X
    filing_countries: list[int] = field(default_factory=list)  # countries per Madrid filing, when listed one by one
    loan_draft: dict[str, Any] | None = None  # a pledge loan's terms told one message at a time, until complete

    def to_slot(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_slot(cls, value: Any) -> DialogueState:
        """Tolerant of a missing or stale slot: unknown keys and wrong types fall back to defaults."""
        if not isinstance(value, dict):
            return cls()
        defaults = cls()
        kept: dict[str, Any] = {}
        for f in fields(cls):
            item = value.get(f.name)
            default = getattr(defaults, f.name)
            if item is None or isinstance(item, type(default)) or (default is None and isinstance(item, str | dict)):
                kept[f.name] = item if item is not None else default
        return cls(**kept)

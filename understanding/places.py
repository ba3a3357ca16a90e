"""The place a chat message names, if any, and what it means for the knowledge base.

Award and title names carry place names that are not where the enterprise is (山西省专利奖,
中国专利金奖, 国家知识产权示范企业, 福建省知识产权优势企业): they are masked before the gazetteer
looks, so “我们在泽州县，拿了山西省专利奖二等奖” stays in 泽州县.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Literal

from knowledge import KnowledgeBase, Place
from knowledge.normalize import normalize_aligned

_TITLE_TAIL = (
    r"(?:知识产权)?(?:专利|外观设计|商标|版权|科技|知识产权)?[\u4e00-\u9fff]{0,8}?"
    r"(?:奖|优势企业|示范企业|试点企业|示范单位|示范园区|示范基地|试点学校|示范学校|示范县|强县|贯标)"
)
_MASK = "＊"
_CLAUSE = re.compile(r"[，,。；;！!？?、\s]")


@cache
def _title_pattern(provinces: tuple[str, ...]) -> re.Pattern[str]:
    names = sorted(provinces, key=len, reverse=True)
    prefix = "|".join(re.escape(n) for n in ("中国", "国家级", "国家", *names))
    return re.compile(rf"(?:{prefix})(?:级|的)?{_TITLE_TAIL}")


def mask_titles(text: str, provinces: tuple[str, ...], cities: tuple[str, ...] = ()) -> str:
    """``text`` with award/title names that start with a province (or 中国/国家) blanked out, same length;
    also a city's own award (龙岩市专利奖) for the ``cities`` given."""
    masked = _title_pattern(provinces).sub(lambda m: _MASK * len(m.group()), text)
    if cities:
        city_awards = re.compile(rf"(?:{'|'.join(re.escape(c) for c in cities)})(?:级|的)?专利奖")
        masked = city_awards.sub(lambda m: _MASK * len(m.group()), masked)
    return masked


Kind = Literal["covered", "uncovered", "ambiguous", "suggestion"]


@dataclass(frozen=True, slots=True)
class RegionRead:
    kind: Kind
    place: Place | None  # the covered or uncovered place; the suggested one for ``suggestion``
    notes: tuple[str, ...] = ()
    candidates: tuple[Place, ...] = ()


def _provinces(kb: KnowledgeBase) -> tuple[str, ...]:
    names = {p.jurisdiction.province for p in kb.policies}
    names |= {n.removesuffix("省") for n in names}
    return tuple(sorted(names))


@cache
def _romanised(kb: KnowledgeBase) -> tuple[re.Pattern[str], dict[str, str]]:
    """The policies' own places written in pinyin ("zezhou", "Shanghang county") → their Chinese names.

    Only the places a policy is about (a handful), so "zezhou" cannot be mistaken for another unit.
    """
    from itertools import product

    from pypinyin import Style, pinyin  # imported on first use, as for the near-miss suggestions

    names: dict[str, str] = {}
    for policy in kb.policies:
        place = kb.jurisdiction_place(policy)
        stem = place.name[:-1] if len(place.name) > 2 else place.name
        # every reading of a character that has several (长 is chang in 长治, zhang elsewhere)
        for spelling in product(*pinyin(stem, style=Style.NORMAL, heteronym=True)):
            names.setdefault("".join(spelling).lower(), place.name)
    words = "|".join(sorted(names, key=len, reverse=True))
    return re.compile(rf"(?<![A-Za-z])({words})(?:\s*(?:county|city|xian|shi))?(?![A-Za-z])", re.IGNORECASE), names


# "能按泽州那个文件拿吗" / "能享受桓台的政策吗": a place named as the owner of a policy, not as where the
# enterprise is.
_POLICY_OF = re.compile(r"(?:县|市|区)?(?:那个|那边的?|这个|的)?[^，,。？?！!]{0,8}?(?:政策|文件|方案|规定)")


def _mask_policy_references(text: str, kb: KnowledgeBase) -> str:
    """``text`` with places named only as a policy's owner blanked, when another place names the enterprise's."""
    mentions = kb.gazetteer.mentions(text)
    owners = [m for m in mentions if _POLICY_OF.match(text, m.end)]
    if not owners or len(owners) == len(mentions):
        return text  # "泽州的政策有哪些": the only place named is the one asked about
    for mention in owners:
        text = text[: mention.start] + _MASK * (mention.end - mention.start) + text[mention.end :]
    return text


def read_region(text: str, kb: KnowledgeBase) -> RegionRead | None:
    """The place ``text`` names (None when it names none), after masking award names."""
    if re.search(r"[A-Za-z]{4}", text):
        pattern, names = _romanised(kb)
        text = pattern.sub(lambda m: names[m.group(1).lower()], text)
    cities = tuple(sorted({p.jurisdiction.city for p in kb.policies}))
    masked = _mask_policy_references(mask_titles(normalize_aligned(text), _provinces(kb), cities), kb)
    location = kb.locate(masked)
    if location.kind in {"unknown", "empty"}:
        # A near-miss inside a longer message (“长冶市，我们是…”): try each clause on its own.
        pieces = [piece for clause in _CLAUSE.split(masked) for piece in (clause.strip(), clause.split("的")[0])]
        for piece in pieces:  # “长冶市的企业”: the words before 的 on their own
            part = kb.locate(piece.strip().removesuffix("的"))
            if part.kind == "suggestion":
                location = part
                break
    if location.kind == "covered":
        return RegionRead("covered", location.place)
    if location.kind == "suggestion":
        return RegionRead("suggestion", location.suggestion, location.notes)
    if location.kind == "uncovered":
        return RegionRead("uncovered", location.place, location.notes)
    if location.kind == "ambiguous":
        return RegionRead("ambiguous", None, location.notes, location.candidates)
    return None  # unknown or empty: the message names no place

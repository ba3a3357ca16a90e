"""Find and resolve the places a user names (泽州, 晋城市泽州县, 泽州县（晋城市）, 北京市朝阳区 …).

Pure: the tables come in as data (the generated national table ``divisions.tsv`` and the
hand-kept ``regions.yaml``), nothing here reads files. Coverage (which places have policies)
is not known here: it follows from the policies' jurisdictions in ``KnowledgeBase``.

How a text is read:

1. It is normalised character for character (``knowledge.normalize``: full-width → half-width,
   traditional → simplified), so spans refer to the text as given.
2. An Aho-Corasick automaton (pyahocorasick) finds every name and short form in it, overlaps
   included. Chosen by measurement over the ~9,000 names: see ``bench`` figures in the README.
3. Bare county short forms of the national table (海淀 for 海淀区, 合作 for 合作市) and generic
   names (城区, 郊区, 矿区 …) count only when the text names an enclosing place too
   (北京海淀, 长治市城区) or is nothing but that name: otherwise every 合作 or 城区 in a chat
   message would be a place. Short forms listed in ``regions.yaml`` (the covered regions' own:
   泽州, 晋城, 高平 …) and the short forms of provinces and prefectures count anywhere.
4. Adjacent names from the outside in (山西省晋城市泽州县, 北京 朝阳) join into one mention; then
   mentions are taken longest first, without overlaps.
5. ``resolve`` combines all mentions: the most specific place that every mention agrees with
   wins, whatever the order and the separators (泽州县（晋城市）, 晋城市辖泽州县, 沁源县,山西省).
   Mentions that disagree (泽州县 + 龙岩市) or one name with several places (朝阳区, 城区) give
   ``candidates`` and no place: never a silent pick.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import ahocorasick

from knowledge.normalize import normalize, normalize_aligned

_MIN_SHORT = 2  # a one-character short form (沁 for 沁县) would match inside any word
_MEMO_SIZE = 10_000  # resolutions are pure; remember the common spellings
_SUFFIXES = ("县", "区", "市", "旗")

# How a form may be used: anywhere; only with an enclosing place named (or alone); or, for the
# two-character names of the national table (范县, 和县, 单县), not glued to the preceding word
# (示范县, 省市和县) unless that word is a place (濮阳范县) or an enclosing place is named.
_Use = Literal["free", "context", "edge"]


@dataclass(frozen=True, slots=True)
class Place:
    """A province, a prefecture (city) or a county-level unit (county, district, county-level city).

    Municipalities (北京市) and county-level units directly under a province (仙桃市) have no city.
    """

    province: str
    city: str | None = None
    county: str | None = None
    typed_former: str | None = None  # the old name the user used, e.g. 长治县 for 上党区

    @property
    def level(self) -> Literal["province", "city", "county"]:
        if self.county:
            return "county"
        return "city" if self.city else "province"

    @property
    def name(self) -> str:
        return self.county or self.city or self.province

    @property
    def full_name(self) -> str:
        return "".join(part for part in (self.province, self.city, self.county) if part)

    @property
    def key(self) -> tuple[str, str | None, str | None]:
        """The unit itself, whatever name was typed for it."""
        return (self.province, self.city, self.county)

    def within(self, other: Place) -> bool:
        """Whether this place lies inside ``other`` (or is it)."""
        return all(
            mine == theirs or theirs is None
            for mine, theirs in ((self.province, other.province), (self.city, other.city), (self.county, other.county))
        )

    def strictly_within(self, other: Place) -> bool:
        return self.key != other.key and self.within(other)

    def comparable(self, other: Place) -> bool:
        """One contains the other (they can be named together: 泽州县 and 山西省)."""
        return self.within(other) or other.within(self)


@dataclass(frozen=True, slots=True)
class Mention:
    """A place named in a text: ``text[start:end] == typed``.

    ``candidates`` has several places when the name alone does not decide (朝阳区: 北京 or 长春);
    then ``place`` is None.
    """

    start: int
    end: int
    typed: str
    candidates: tuple[Place, ...]

    @property
    def place(self) -> Place | None:
        return self.candidates[0] if len(self.candidates) == 1 else None

    @property
    def level(self) -> Literal["province", "city", "county"]:
        return max((c.level for c in self.candidates), key=("province", "city", "county").index)


@dataclass(frozen=True, slots=True)
class Resolution:
    query: str
    place: Place | None
    candidates: tuple[Place, ...] = ()  # set when the query is ambiguous or its mentions disagree
    mentions: tuple[Mention, ...] = ()
    conflict: bool = False  # the mentions name places that cannot all hold (泽州县 + 龙岩市)

    @property
    def ambiguous(self) -> bool:
        return len(self.candidates) > 1


@dataclass(frozen=True, slots=True)
class _Hit:
    start: int
    end: int
    places: tuple[Place, ...]
    use: _Use


def _dedupe(places: Iterable[Place]) -> tuple[Place, ...]:
    seen: dict[tuple[str, str | None, str | None], Place] = {}
    for place in places:
        seen.setdefault(place.key, place)
    return tuple(sorted(seen.values(), key=lambda p: p.full_name))


def _outermost(places: Sequence[Place]) -> tuple[Place, ...]:
    """Of one name's readings that nest (吉林: 吉林省 ⊃ 吉林市), keep the outer: it claims less."""
    return _dedupe(p for p in places if not any(p.strictly_within(q) for q in places))


class Gazetteer:
    """Every administrative unit of China with the ways users write it."""

    def __init__(self, data: Mapping[str, Any], divisions: Iterable[Mapping[str, str]] = ()) -> None:
        """``data``: the hand-kept ``regions.yaml``; ``divisions``: rows of the generated
        ``divisions.tsv`` (province, city, county, aliases, current)."""
        self._forms: dict[str, dict[Place, _Use]] = {}
        self.places: list[Place] = []
        self._generic = frozenset(data.get("needs_city", ()))
        not_alone = frozenset(data.get("not_alone", ()))
        known: set[Place] = set()

        def add(form: str, place: Place, use: _Use) -> None:
            if form in self._generic or (form in not_alone and use == "free"):
                use = "context"
            uses = self._forms.setdefault(form, {})
            if uses.get(place) != "free":  # a free use wins over a contextual one
                uses[place] = use

        def unit(place: Place) -> None:
            if place not in known:
                known.add(place)
                self.places.append(place)

        for row in divisions:
            p, c, q = row["province"], row["city"] or None, row["county"] or None
            current = row.get("current") or None
            if current:  # a former name: 梅列区 → 三元区
                add(q or "", Place(p, c, current, q), "free")
                continue
            place = Place(p, c, q)
            unit(place)
            add(place.name, place, "edge" if place.level == "county" and len(place.name) == 2 else "free")
            for alias in filter(None, (row.get("aliases") or "").split("|")):
                if len(alias) >= _MIN_SHORT:
                    add(alias, place, "context" if place.level == "county" else "free")

        # Hand-kept facts: short forms users write alone (泽州, 晋城) and former names (长治县 → 上党区).
        for province in data.get("provinces", ()):
            p_name = province["name"]
            prov = Place(p_name)
            unit(prov)
            for form in (p_name, province.get("short")):
                if form:
                    add(form, prov, "free")
            for city in province.get("cities", ()):
                city_place = Place(p_name, city["name"])
                unit(city_place)
                for form in (city["name"], city.get("short")):
                    if form:
                        add(form, city_place, "free")
                for county in city.get("counties", ()):
                    place = Place(p_name, city["name"], county)
                    unit(place)
                    add(county, place, "free")
                    short = _short(county)
                    if short:
                        add(short, place, "free")
                for former, today in (city.get("former") or {}).items():
                    add(former, Place(p_name, city["name"], today, former), "free")

        self._automaton = ahocorasick.Automaton()
        for form in self._forms:
            self._automaton.add_word(form, form)
        self._automaton.make_automaton()
        self._memo: dict[str, Resolution] = {}

    # -- finding names in a text -------------------------------------------------------------

    def _hits(self, folded: str) -> list[_Hit]:
        whole = "".join(folded.split())
        raw: list[tuple[int, int, str]] = [
            (end + 1 - len(form), end + 1, form) for end, form in self._automaton.iter(folded)
        ]
        free_places = [(s, e, p) for s, e, form in raw for p, use in self._forms[form].items() if use == "free"]
        ends = {e for _, e, _ in raw}
        hits: list[_Hit] = []
        for start, end, form in raw:
            uses = self._forms[form]
            at_edge = start == 0 or start in ends or not _is_han(folded[start - 1])
            free = tuple(p for p, use in uses.items() if use == "free" or (use == "edge" and at_edge))
            context = tuple(p for p, use in uses.items() if use == "context" or (use == "edge" and not at_edge))
            if form == whole:  # the text is nothing but this name: every reading counts
                hits.append(_Hit(start, end, _dedupe((*free, *context)), "free"))
                continue
            if free:
                hits.append(_Hit(start, end, _dedupe(free), "free"))
            enclosed = tuple(
                p
                for p in context
                if any(p.strictly_within(q) for s, e, q in free_places if not (s <= start and end <= e))
            )
            if enclosed:
                hits.append(_Hit(start, end, _dedupe(enclosed), "context"))
        return hits

    def mentions(self, text: str) -> list[Mention]:
        """The places named in ``text``, in order: non-overlapping, longest first, with spans in
        ``text`` as given (traditional and full-width characters included)."""
        folded = normalize_aligned(text)
        # Whitespace never separates the characters of a name (泽 州 县): read without it, report
        # spans in the text as given.
        where = [i for i, ch in enumerate(folded) if not ch.isspace()]
        compact = "".join(folded[i] for i in where)
        hits = self._hits(compact)
        chains = self._chains(compact, hits)
        chosen: list[tuple[int, int, tuple[Place, ...]]] = []
        taken = [False] * len(compact)
        # Longest first; among equal spans the one with fewer readings (the more decided) first.
        for start, end, places in sorted(chains, key=lambda c: (c[0] - c[1], len(c[2]), c[0])):
            if not any(taken[start:end]):
                chosen.append((start, end, places))
                for i in range(start, end):
                    taken[i] = True
        chosen.sort()
        kept = self._drop_embedded(compact, chosen)
        return [Mention(where[s], where[e - 1] + 1, text[where[s] : where[e - 1] + 1], places) for s, e, places in kept]

    def _chains(self, compact: str, hits: list[_Hit]) -> list[tuple[int, int, tuple[Place, ...]]]:
        """Every hit, and every run of adjacent hits from the outside in (山西省|晋城市|泽州县)."""
        starting: dict[int, list[_Hit]] = {}
        for hit in hits:
            starting.setdefault(hit.start, []).append(hit)
        chains: list[tuple[int, int, tuple[Place, ...]]] = []

        def extend(start: int, end: int, places: tuple[Place, ...]) -> None:
            chains.append((start, end, places))
            for hit in starting.get(end, ()):
                inner = _dedupe(p for p in hit.places if any(p.strictly_within(q) for q in places))
                if inner:
                    extend(start, hit.end, inner)

        for hit in hits:
            extend(hit.start, hit.end, _outermost(hit.places))
        return chains

    @staticmethod
    def _drop_embedded(
        compact: str, chosen: list[tuple[int, int, tuple[Place, ...]]]
    ) -> list[tuple[int, int, tuple[Place, ...]]]:
        """A province or prefecture name glued to a following word (山西省专利奖, 长治市知识产权局)
        is not a statement of where one is when the text names a more specific place."""
        order = ("province", "city", "county")

        def depth(places: tuple[Place, ...]) -> int:
            return max(order.index(p.level) for p in places)

        deepest = max((depth(places) for _, _, places in chosen), default=0)
        starts = {start for start, _, _ in chosen}
        kept = []
        for start, end, places in chosen:
            glued = end < len(compact) and _is_han(compact[end]) and end not in starts
            if glued and depth(places) < min(deepest, order.index("county")):
                continue
            kept.append((start, end, places))
        return kept

    # -- resolving a region -------------------------------------------------------------------

    def resolve(self, query: str) -> Resolution:
        """The one place ``query`` names, the most specific that all its mentions agree with."""
        cached = self._memo.get(query)
        if cached is None:
            cached = self._resolve(query)
            if len(self._memo) < _MEMO_SIZE:
                self._memo[query] = cached
        return cached

    def _resolve(self, query: str) -> Resolution:
        if not normalize(query):
            return Resolution(query, None)
        found = tuple(self.mentions(query))
        if not found:
            return Resolution(query, None)
        viable: list[tuple[int, Place]] = []
        for i, mention in enumerate(found):
            for place in mention.candidates:
                if all(any(place.comparable(o) for o in other.candidates) for j, other in enumerate(found) if j != i):
                    viable.append((i, place))
        if not viable:  # the mentions disagree: say so, never pick
            return Resolution(query, None, _dedupe(p for m in found for p in m.candidates), found, conflict=True)
        best = _dedupe(
            place for i, place in viable if not any(j != i and other.strictly_within(place) for j, other in viable)
        )
        if len(best) == 1:
            # keep the reading the user typed (长治县 → 上党区 remembers 长治县)
            typed = next((p for _, p in viable if p.key == best[0].key and p.typed_former), best[0])
            return Resolution(query, typed, (), found)
        return Resolution(query, None, best, found)

    # -- the table ----------------------------------------------------------------------------

    def counties(self) -> Iterable[Place]:
        return (place for place in self.places if place.level == "county")

    def inside(self, place: Place) -> Iterable[Place]:
        """Every unit inside ``place`` (its cities and counties), ``place`` excluded."""
        return (p for p in self.places if p.strictly_within(place))

    def knows(self, form: str) -> bool:
        """Whether ``form`` is a name or short form of some unit (江州 for 崇左's 江州区)."""
        return form in self._forms

    def forms_of(self, place: Place) -> tuple[str, ...]:
        """The names by which ``place`` itself is known (泽州县, 泽州), former names excluded."""
        return tuple(sorted(f for f, uses in self._forms.items() for p in uses if p == place))


def _is_han(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"


def _short(name: str) -> str | None:
    if name.endswith(_SUFFIXES) and len(name) - 1 >= _MIN_SHORT:
        return name[:-1]
    return None

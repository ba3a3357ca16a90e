"""Resolve what a user types (泽州, 晋城市泽州县, 长治县, 山西省长治市潞州区…) to a place.

Pure: the table comes in as data (``regions.yaml``), nothing here reads files.
A typed name maps to exactly one place or is reported as ambiguous (e.g. 城区
exists in 晋城市 and is the former name of part of 长治市's 潞州区).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

_SUFFIXES = ("县", "区", "市")
_MIN_SUBSTRING = 2
_MEMO_SIZE = 10_000  # resolutions are pure; remember the common spellings


@dataclass(frozen=True, slots=True)
class Place:
    """A province, a city or a county-level unit (county, district, county-level city)."""

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

    def within(self, other: Place) -> bool:
        """Whether this place lies inside ``other`` (or is it)."""
        return all(
            mine == theirs or theirs is None
            for mine, theirs in ((self.province, other.province), (self.city, other.city), (self.county, other.county))
        )


@dataclass(frozen=True, slots=True)
class Resolution:
    query: str
    place: Place | None
    candidates: tuple[Place, ...] = ()  # set when the query is ambiguous

    @property
    def ambiguous(self) -> bool:
        return len(self.candidates) > 1


def _short(name: str) -> str | None:
    if name.endswith(_SUFFIXES) and len(name) - 1 >= _MIN_SUBSTRING:
        return name[:-1]
    return None


def _forms(name: str, short: str | None) -> set[str]:
    return {name, short} if short else {name}


class Gazetteer:
    """Alias table over the administrative divisions."""

    def __init__(self, data: Mapping[str, Any]) -> None:
        aliases: dict[str, set[Place]] = {}
        needs_city = set(data.get("needs_city", ()))
        self.places: list[Place] = []

        def add(alias: str, place: Place) -> None:
            aliases.setdefault(alias, set()).add(place)

        for province in data["provinces"]:
            p_name = province["name"]
            p_forms = _forms(p_name, province.get("short"))
            prov = Place(p_name)
            self.places.append(prov)
            for alias in p_forms:
                add(alias, prov)
            for city in province["cities"]:
                c_name = city["name"]
                city_place = Place(p_name, c_name)
                self.places.append(city_place)
                y_forms = _forms(c_name, city.get("short"))
                for p in p_forms | {""}:
                    for y in y_forms:
                        add(p + y, city_place)
                units = [(county, county, _short(county)) for county in city["counties"]]
                units += [(former, today, None) for former, today in city.get("former", {}).items()]
                for typed, today, short in units:
                    place = Place(p_name, c_name, today, typed if typed != today else None)
                    if typed == today:
                        self.places.append(place)
                    for p in p_forms | {""}:
                        for y in y_forms | ({""} if typed not in needs_city else set()):
                            for c in _forms(typed, short):
                                add(p + y + c, place)
        self._aliases = {alias: tuple(sorted(places, key=lambda pl: pl.full_name)) for alias, places in aliases.items()}
        self._by_length = sorted(self._aliases, key=len, reverse=True)
        self._memo: dict[str, Resolution] = {}

    def resolve(self, query: str) -> Resolution:
        """Resolve ``query``: an exact alias first, else the longest alias it contains."""
        cached = self._memo.get(query)
        if cached is None:
            cached = self._resolve(query)
            if len(self._memo) < _MEMO_SIZE:
                self._memo[query] = cached
        return cached

    def _resolve(self, query: str) -> Resolution:
        text = "".join(query.split())
        found = self._aliases.get(text)
        if found is None:
            for alias in self._by_length:
                if len(alias) >= _MIN_SUBSTRING and alias in text:
                    found = self._aliases[alias]
                    break
        if not found:
            return Resolution(query, None)
        if len(found) > 1:
            return Resolution(query, None, found)
        return Resolution(query, found[0])

    def counties(self) -> Iterable[Place]:
        return (place for place in self.places if place.level == "county")

"""Country and region names for foreign patents and Madrid designations.

pycountry carries ISO 3166 with Chinese translations; we only add the colloquial
Chinese names people type that differ from those translations.
"""

from __future__ import annotations

import gettext
from functools import cache

import pycountry

_COLLOQUIAL = {
    "韩国": "KR",
    "南韩": "KR",
    "台湾": "TW",
    "中国台湾": "TW",
    "中国香港": "HK",
    "中国澳门": "MO",
    "越南": "VN",
    "伊朗": "IR",
    "老挝": "LA",
    "朝鲜": "KP",
    "俄国": "RU",
    "德意志": "DE",
}
# Display names where the ISO translation reads oddly in a reply (大韩民国, 中国台湾省).
_DISPLAY = {"KR": "韩国", "TW": "中国台湾", "KP": "朝鲜", "VN": "越南", "LA": "老挝", "IR": "伊朗"}
# Regional systems are not countries: an EP patent counts once per country where it is validated.
_REGIONAL = {"EP", "EU", "欧洲", "欧盟", "欧洲专利", "欧专局", "PCT", "WO"}
DOMESTIC = "CN"

# Madrid designations that are one 地区 each, not a list of countries: the WIPO (ST.3) codes of the
# contracting parties that are regions. ARIPO is not a Madrid contracting party (its members that are
# join individually), so it cannot be designated through the Madrid system.
MADRID_REGIONS: dict[str, str] = {"EM": "欧盟", "BX": "比荷卢", "OA": "非洲知识产权组织（OAPI）"}
_MADRID_REGION_NAMES = {
    "EM": "EM", "EU": "EM", "EUIPO": "EM", "欧盟": "EM", "欧洲联盟": "EM", "欧盟商标": "EM",
    "BX": "BX", "BENELUX": "BX", "比荷卢": "BX", "比荷卢经济联盟": "BX", "比荷卢联盟": "BX",
    "OA": "OA", "OAPI": "OA", "非洲知识产权组织": "OA", "非洲知识产权组织（OAPI）": "OA",
}  # fmt: skip
_NOT_MADRID = {"ARIPO", "AP", "非洲地区知识产权组织"}
_BENELUX = {"BE", "NL", "LU"}


@cache
def _tables() -> tuple[dict[str, str], dict[str, str]]:
    translation = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["zh_CN"], fallback=True)
    by_name: dict[str, str] = {}
    chinese: dict[str, str] = {}
    for country in pycountry.countries:
        zh = translation.gettext(country.name)
        chinese[country.alpha_2] = zh
        for name in {country.alpha_2, country.alpha_3, country.name, getattr(country, "common_name", ""), zh}:
            if name:
                by_name[name.casefold()] = country.alpha_2
    by_name.update(_COLLOQUIAL)
    chinese.update(_DISPLAY)
    return by_name, chinese


class CountryError(ValueError):
    """Raised with a Chinese message when a country name cannot be used."""


def country_code(name: str) -> str:
    """ISO 3166-1 alpha-2 code for a code, English name or Chinese name.

    Raises:
        CountryError: unknown, regional (EP/PCT) or domestic (中国).
    """
    key = name.strip()
    if key.upper() in _REGIONAL or key in _REGIONAL:
        raise CountryError(
            f"“{key}”不是单个国家：请告诉我具体是在哪些国家授权/注册的（例如“德国1件、法国1件”），每个国家分别计算"
        )
    code = _tables()[0].get(key.casefold())
    if code is None:
        raise CountryError(f"无法识别的国家或地区“{key}”，请填写中文国名或ISO代码（如 美国 或 US）")
    if code == DOMESTIC:
        raise CountryError("中国大陆不是境外国家，请只填写境外国家或地区")
    return code


def country_name_zh(code: str) -> str:
    """The Chinese name of a country code, or of a Madrid region (EM → 欧盟)."""
    return MADRID_REGIONS.get(code) or _tables()[1].get(code, code)


def madrid_code(name: str) -> str:
    """A Madrid designation: a country's ISO code, or EM / BX / OA for the regions designated as one 地区.

    Raises:
        CountryError: unknown, domestic, ARIPO (not in the Madrid system), or a Benelux country alone.
    """
    key = name.strip()
    region = _MADRID_REGION_NAMES.get(key.upper()) or _MADRID_REGION_NAMES.get(key)
    if region:
        return region
    if key.upper() in _NOT_MADRID or key in _NOT_MADRID:
        raise CountryError(f"“{key}”不是马德里体系的缔约方，不能通过马德里体系指定；请按实际注册的国家或地区填写")
    if key.upper() in {"EP", "欧洲", "欧洲专利", "欧专局", "PCT", "WO"} or key in _REGIONAL:
        raise CountryError(f"“{key}”不是马德里体系的指定地区；欧盟商标请填写“欧盟”，其余按国家分别填写")
    code = country_code(key)
    if code in _BENELUX:
        raise CountryError("马德里体系中比利时、荷兰、卢森堡只能作为一个地区指定，请填写“比荷卢”")
    return code

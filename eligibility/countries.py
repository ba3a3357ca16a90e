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
        raise CountryError(f"“{key}”不是单个国家，请按实际获得授权/注册的国家分别填写")
    code = _tables()[0].get(key.casefold())
    if code is None:
        raise CountryError(f"无法识别的国家或地区“{key}”，请填写中文国名或ISO代码（如 美国 或 US）")
    if code == DOMESTIC:
        raise CountryError("中国大陆不是境外国家，请只填写境外国家或地区")
    return code


def country_name_zh(code: str) -> str:
    return _tables()[1].get(code, code)

"""Shared fixtures of the 测算报告 tests: the rule book, the example profiles and a long one (20 awards)."""

from __future__ import annotations

import io
import json
import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from eligibility import RuleBook, load_rulebook

ROOT = Path(__file__).resolve().parents[2]
AS_OF = date(2025, 6, 30)
# 泽州县 with nearly every fact: 20 awards, several pages.
LONG_PROFILE: dict[str, Any] = {
    "region": "山西省晋城市泽州县", "invention_patents_granted": 12,
    "foreign_patents": {"美国": 2, "日本": 1, "德国": 1},
    "patent_awards": ["china_patent_silver", "china_design_excellence", "provincial_patent_second"],
    "ic_layout_designs": 3, "madrid_registrations": {"US": 1, "DE": 1, "EU": 1}, "gi_trademarks_new": 1,
    "gi_products_new": 1, "china_trademark_gold_award": True, "plant_variety_rights": 2,
    "ip_management_certified_first_time": True, "ip_demonstration_enterprise": "national",
    "ip_advantage_enterprise": "provincial", "provincial_patent_promotion_projects": 1,
    "city_pledge_interest_subsidy": 24000, "copyright_demonstration_park": "national",
    "copyright_demonstration_unit": "provincial", "ip_trusteeship": True, "enterprise_size": "small",
}  # fmt: skip


def example(name: str) -> dict[str, Any]:
    return json.loads((ROOT / "examples" / f"{name}.json").read_text("utf-8"))  # type: ignore[no-any-return]


PROFILES = {name: example(name) for name in ("zezhou", "huantai", "shanghang", "changzhi", "zhashui")}
PROFILES["long"] = LONG_PROFILE


@pytest.fixture(scope="session")
def book() -> RuleBook:
    return load_rulebook()


def squash(text: str) -> str:
    """Text without any whitespace: pypdf breaks lines where the PDF wraps them."""
    return re.sub(r"\s+", "", text)


def pages_text(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]

from __future__ import annotations

import pytest

from knowledge import load_knowledge_base

KB = load_knowledge_base()


@pytest.mark.parametrize(
    ("query", "full_name"),
    [
        ("泽州", "山西省晋城市泽州县"),
        ("山西泽州", "山西省晋城市泽州县"),
        ("高平", "山西省晋城市高平市"),
        ("长治", "山西省长治市"),
        ("长治县", "山西省长治市上党区"),
        ("潞城市", "山西省长治市潞城区"),
        ("长治市城区", "山西省长治市潞州区"),
        ("晋城城区", "山西省晋城市城区"),
        ("我们公司在桓台县", "山东省淄博市桓台县"),
        ("淄博", "山东省淄博市"),
        ("上杭", "福建省龙岩市上杭县"),
        ("柞水县", "陕西省商洛市柞水县"),
        ("山西省", "山西省"),
    ],
)
def test_resolve(query: str, full_name: str) -> None:
    place = KB.gazetteer.resolve(query).place
    assert place is not None and place.full_name == full_name


@pytest.mark.parametrize("query", ["城区", "郊区", "", "ab"])
def test_unresolved(query: str) -> None:
    assert KB.gazetteer.resolve(query).place is None


def test_former_name_is_remembered() -> None:
    place = KB.gazetteer.resolve("长治县").place
    assert place is not None and place.typed_former == "长治县"


@pytest.mark.parametrize(
    ("query", "policy"),
    [
        ("高平市", None),
        ("泽州", "zzbf-2021-16"),
        ("沁源县", "changzhi-2023-draft"),
        ("张店区", None),
        ("桓台", "hzz-2022-73"),
    ],
)
def test_coverage(query: str, policy: str | None) -> None:
    place = KB.gazetteer.resolve(query).place
    assert place is not None
    covering = [p.id for p in KB.policies_covering(place)]
    assert covering == ([policy] if policy else [])

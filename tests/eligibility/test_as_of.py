"""The pinned evaluation date shared by the action server and the website."""

from __future__ import annotations

from datetime import date

import pytest

from eligibility import AsOfError, pinned_as_of


def test_nothing_pinned() -> None:
    assert pinned_as_of({}) is None
    assert pinned_as_of({"INCENTIVES_AS_OF": "  "}) is None


def test_pinned_date() -> None:
    assert pinned_as_of({"INCENTIVES_AS_OF": "2024-06-01"}) == date(2024, 6, 1)


@pytest.mark.parametrize("text", ["2024-6-1x", "2024-02-30", "明天"])
def test_bad_pin_names_the_variable_and_the_value(text: str) -> None:
    with pytest.raises(AsOfError) as caught:
        pinned_as_of({"INCENTIVES_AS_OF": text})
    assert "INCENTIVES_AS_OF" in caught.value.zh and repr(text) in caught.value.en

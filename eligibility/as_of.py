"""The date policies are judged on: today, unless ``INCENTIVES_AS_OF`` pins another one.

Pinning serves demos and tests; the action server and the website read the same variable, so a
conversation and the policy list on the page always agree on which plans are in force.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from eligibility.errors import EligibilityError

AS_OF_VARIABLE = "INCENTIVES_AS_OF"


class AsOfError(EligibilityError):
    """``INCENTIVES_AS_OF`` is set but is not a YYYY-MM-DD date."""

    def __init__(self, text: str) -> None:
        self.zh = f"环境变量 {AS_OF_VARIABLE} 无效：{text!r}，应为 YYYY-MM-DD 日期"
        self.en = f"{AS_OF_VARIABLE}: invalid date {text!r}, expected YYYY-MM-DD"
        super().__init__(f"{self.zh} / {self.en}")


def pinned_as_of(environ: Mapping[str, str]) -> date | None:
    """The pinned date in ``environ``, or None when nothing is pinned."""
    text = environ.get(AS_OF_VARIABLE, "").strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise AsOfError(text) from None

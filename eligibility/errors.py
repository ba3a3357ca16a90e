"""Errors raised by the eligibility package.

    EligibilityError
    ├── RuleDataError      a rule file is malformed (names file, award id, key)
    │   └── CitationError  a rule cites a clause that is not there or misquotes it
    └── ProfileError       the enterprise profile is invalid (names the field)

A missing fact is not an error: it is a result (``needs_info``) that tells the
conversation which question to ask next.
"""

from __future__ import annotations


def short(text: str, limit: int = 40) -> str:
    """``text`` cut to ``limit`` characters, so an error message never echoes a huge value back."""
    return text if len(text) <= limit else f"{text[:limit]}…（共{len(text)}个字符）"


class EligibilityError(Exception):
    """Base of every error this package raises."""


class RuleDataError(EligibilityError):
    """A rule file is malformed."""


class CitationError(RuleDataError):
    """A rule's citation does not match the policy text."""


class ProfileError(EligibilityError):
    """The profile is invalid. ``field`` is the dotted path of the offending field."""

    def __init__(self, field: str, message_zh: str, message_en: str) -> None:
        self.field = field
        self.message_zh = message_zh
        self.message_en = message_en
        super().__init__(f"{field}: {message_zh} / {message_en}")

"""A pure, deterministic rules engine: profile in, awards with amounts, citations and trace out."""

from __future__ import annotations

from eligibility.as_of import AS_OF_VARIABLE, AsOfError, pinned_as_of
from eligibility.engine import evaluate
from eligibility.errors import CitationError, EligibilityError, ProfileError, RuleDataError
from eligibility.hints import Hint, hints_for, hints_to_dict, top_hints
from eligibility.loader import RuleBook, load_rulebook
from eligibility.profile import CODE_LABELS, FIELD_LABELS, EnterpriseProfile, parse_profile
from eligibility.report import amount_text, evaluation_to_dict, policies_to_dict, total_text, yuan_range
from eligibility.result import AwardResult, Citation, Evaluation, PolicyView, Step

__all__ = [
    "AS_OF_VARIABLE",
    "CODE_LABELS",
    "FIELD_LABELS",
    "AsOfError",
    "AwardResult",
    "Citation",
    "CitationError",
    "EligibilityError",
    "EnterpriseProfile",
    "Evaluation",
    "Hint",
    "PolicyView",
    "ProfileError",
    "RuleBook",
    "RuleDataError",
    "Step",
    "amount_text",
    "evaluate",
    "evaluation_to_dict",
    "hints_for",
    "hints_to_dict",
    "load_rulebook",
    "parse_profile",
    "pinned_as_of",
    "policies_to_dict",
    "top_hints",
    "total_text",
    "yuan_range",
]

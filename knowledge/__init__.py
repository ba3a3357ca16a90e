"""The policies as data: documents, clauses, and where they apply."""

from __future__ import annotations

from knowledge.base import KnowledgeBase, KnowledgeDataError, Location, load_knowledge_base, load_policies
from knowledge.gazetteer import Gazetteer, Mention, Place, Resolution
from knowledge.model import STATUS_LABELS, Clause, Policy, PolicyStatus, policy_status, squash
from knowledge.normalize import normalize

__all__ = [
    "STATUS_LABELS",
    "Clause",
    "Gazetteer",
    "KnowledgeBase",
    "KnowledgeDataError",
    "Location",
    "Mention",
    "Place",
    "Policy",
    "PolicyStatus",
    "Resolution",
    "load_knowledge_base",
    "load_policies",
    "normalize",
    "policy_status",
    "squash",
]

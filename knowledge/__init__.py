"""The policies as data: documents, clauses, and where they apply."""

from __future__ import annotations

from knowledge.base import KnowledgeBase, KnowledgeDataError, load_knowledge_base, load_policies
from knowledge.gazetteer import Gazetteer, Place, Resolution
from knowledge.model import STATUS_LABELS, Clause, Policy, PolicyStatus, policy_status, squash

__all__ = [
    "STATUS_LABELS",
    "Clause",
    "Gazetteer",
    "KnowledgeBase",
    "KnowledgeDataError",
    "Place",
    "Policy",
    "PolicyStatus",
    "Resolution",
    "load_knowledge_base",
    "load_policies",
    "policy_status",
    "squash",
]

"""The knowledge base: every policy document plus the gazetteer, loaded once."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from knowledge.gazetteer import Gazetteer, Place
from knowledge.model import Policy
from knowledge.yamlio import load_yaml

PACKAGE_DIR = Path(__file__).resolve().parent
POLICY_DIR = PACKAGE_DIR / "policies"
REGIONS_FILE = PACKAGE_DIR / "regions.yaml"


class KnowledgeDataError(ValueError):
    """A policy file or the region table is malformed; the message names the file."""


@dataclass(frozen=True)
class KnowledgeBase:
    policies: tuple[Policy, ...]
    gazetteer: Gazetteer
    _covering: dict[Place, tuple[Policy, ...]] = field(default_factory=dict, repr=False, compare=False)

    def policy(self, policy_id: str) -> Policy:
        for policy in self.policies:
            if policy.id == policy_id:
                return policy
        raise KeyError(policy_id)

    def jurisdiction_place(self, policy: Policy) -> Place:
        j = policy.jurisdiction
        return Place(j.province, j.city, j.name if j.level == "county" else None)

    def policies_covering(self, place: Place) -> tuple[Policy, ...]:
        """Policies that apply in ``place``: a city policy covers its counties, a county policy only itself."""
        found = self._covering.get(place)
        if found is None:
            found = tuple(p for p in self.policies if place.within(self.jurisdiction_place(p)))
            self._covering[place] = found  # memo of a pure function of immutable data
        return found

    def policies_inside(self, place: Place) -> tuple[Policy, ...]:
        """Policies of places inside ``place`` (for 晋城市 → 泽州县's plan), for notes only."""
        return tuple(p for p in self.policies if self.jurisdiction_place(p).within(place))

    def coverage_notes(self, place: Place | None, query: str, candidates: tuple[Place, ...] = ()) -> list[str]:
        """Why nothing applies: unknown, ambiguous or uncovered place (never another region's rules)."""
        covered = "、".join(self.covered_names())
        if len(candidates) > 1:
            names = "、".join(c.full_name for c in candidates)
            return [f"“{query}”对应多个地区（{names}），请写明所在的市和县（区）。"]
        if place is None:
            return [f"未能识别地区“{query}”，该地区的知识产权政策暂未收录。目前已收录：{covered}。"]
        notes = [f"{place.full_name}的知识产权政策暂未收录，不会套用其他地区的政策。目前已收录：{covered}。"]
        inside = self.policies_inside(place)
        if inside:
            names = "、".join(p.jurisdiction.name for p in inside)
            notes.append(f"{place.name}范围内已收录{names}的政策，请告诉我具体所在的县（市、区）。")
        elif place.level == "county":
            for policy in self.policies:
                j = policy.jurisdiction
                if j.city == place.city and j.level == "county":
                    notes.append(f"{place.name}与{j.name}同属{place.city}，但{policy.citation_name}只适用于{j.name}。")
        return notes

    def covered_names(self) -> tuple[str, ...]:
        return tuple(
            p.jurisdiction.name + ("（含所辖区县）" if p.jurisdiction.level == "city" else "") for p in self.policies
        )


def load_policies(directory: Path = POLICY_DIR) -> tuple[Policy, ...]:
    """Load every ``<region>/<doc-id>.yaml`` under ``directory``, sorted by id."""
    policies = []
    for path in sorted(directory.glob("*/*.yaml")):
        try:
            policy = Policy.model_validate(load_yaml(path))
        except (ValidationError, ValueError) as exc:
            raise KnowledgeDataError(f"{path.name}: {exc}") from exc
        if path.stem != policy.id:
            raise KnowledgeDataError(f"{path.name}: id {policy.id!r} does not match the file name")
        ids = [clause.id for clause in policy.clauses]
        duplicates = sorted({i for i in ids if ids.count(i) > 1})
        if duplicates:
            raise KnowledgeDataError(f"{path.name}: duplicate clause ids {duplicates}")
        policies.append(policy)
    if not policies:
        raise KnowledgeDataError(f"no policy files under {directory}")
    return tuple(sorted(policies, key=lambda p: p.issued_on))


def load_knowledge_base(policy_dir: Path = POLICY_DIR, regions_file: Path = REGIONS_FILE) -> KnowledgeBase:
    return KnowledgeBase(load_policies(policy_dir), Gazetteer(load_yaml(regions_file)))

"""The fast YAML path (libyaml + a direct node walk) loads exactly what PyYAML's pure-Python safe loader does."""

from __future__ import annotations

from pathlib import Path

import pytest

from knowledge.yamlio import USES_LIBYAML, DuplicateKeyError, load_yaml

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = sorted(
    [*ROOT.glob("knowledge/**/*.yaml"), *ROOT.glob("eligibility/rules/**/*.yaml"), *ROOT.glob("bot/**/*.yml")]
)


def test_libyaml_is_used() -> None:
    assert USES_LIBYAML  # the installed PyYAML wheel ships libyaml; without it loading 3,000 documents takes minutes


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: str(p.relative_to(ROOT)))
def test_same_data_as_the_pure_python_loader(path: Path) -> None:
    fast, pure = load_yaml(path), load_yaml(path, pure=True)
    assert fast == pure
    assert repr(fast) == repr(pure)  # same types too (1 vs 1.0 vs True, date vs str)


EDGE_CASES = """\
plain: 泽州县
quoted: "2021-04-01"
date: 2021-04-01
int: 5000
float: 0.5
exp: 1e3
bools: [yes, no, true, False, on, off]
nulls: [~, null, '']
empty:
text: text
octal: 0o17
sexagesimal: 1:30
anchor: &a {x: [1, 2]}
alias: *a
"""


def test_edge_cases(tmp_path: Path) -> None:
    path = tmp_path / "edge.yaml"
    path.write_text(EDGE_CASES, encoding="utf-8")
    assert repr(load_yaml(path)) == repr(load_yaml(path, pure=True))


@pytest.mark.parametrize("pure", [False, True])
def test_duplicate_keys_refused(tmp_path: Path, pure: bool) -> None:
    path = tmp_path / "dup.yaml"
    path.write_text("awards:\n  - id: a\n    amount: 1\n    amount: 2\n", encoding="utf-8")
    with pytest.raises(DuplicateKeyError, match="duplicate key 'amount' at line 4"):
        load_yaml(path, pure=pure)

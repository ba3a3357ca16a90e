"""Hypothesis fuzz of the profile parser through the command line (issue 12 §6): random JSON,
random unicode, huge and nested values. Every input gives exit 0, or exit 2 with one line on
standard error that names the file or the field — never a traceback, never anything else."""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from eligibility import load_rulebook
from eligibility.profile import FACT_FIELDS
from incentives_cli.main import main

FIELDS = ["region", "entity_type", *FACT_FIELDS]
SCALARS = (
    st.none() | st.booleans() | st.integers() | st.integers(min_value=10**300, max_value=10**1000)
    | st.floats(allow_nan=False) | st.text(max_size=30) | st.sampled_from(["泽州", "上杭县", "NaN%", "4.35%", "US", "美国"])
)  # fmt: skip
VALUES = st.recursive(
    SCALARS, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)  # fmt: skip
PROFILES = st.dictionaries(st.sampled_from(FIELDS) | st.text(max_size=12), VALUES, max_size=6)
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
FIELD_OR_FILE = re.compile(r"^错误：(字段 \S+|文件 \S+|\S*p\.json|档案|标准输入).*/ Error: .+$")
book = cache(load_rulebook)  # the rules are read once: the fuzz is about the input, not the YAML


def check(tmp_path: Path, capsys: pytest.CaptureFixture[str], raw: bytes) -> None:
    path = tmp_path / "p.json"
    path.write_bytes(raw)
    with mock.patch("incentives_cli.main.load_rulebook", book):
        code = main(["check", str(path), "--json", "--as-of", "2024-06-01"])
    captured = capsys.readouterr()
    assert code in (0, 2), captured.err
    if code == 0:
        assert json.loads(captured.out)["region"]
    else:
        assert captured.out == "" and captured.err.count("\n") == 1 and len(captured.err) < 700, captured.err
        assert FIELD_OR_FILE.match(captured.err.strip()), captured.err


@SETTINGS
@given(profile=PROFILES)
def test_random_profiles(tmp_path: Path, capsys: pytest.CaptureFixture[str], profile: dict[str, Any]) -> None:
    check(tmp_path, capsys, json.dumps(profile, ensure_ascii=False).encode())


@SETTINGS
@given(
    region=st.sampled_from(["泽州", "上杭县", "长治市潞州区"]),
    facts=st.dictionaries(st.sampled_from(FACT_FIELDS), VALUES),
)
def test_known_fields_with_random_values(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], region: str, facts: dict[str, Any]
) -> None:
    check(tmp_path, capsys, json.dumps({"region": region, **facts}, ensure_ascii=False).encode())


@SETTINGS
@given(raw=st.binary(max_size=200) | st.text(max_size=200).map(lambda t: t.encode("utf-8", "surrogatepass")))
def test_random_bytes(tmp_path: Path, capsys: pytest.CaptureFixture[str], raw: bytes) -> None:
    check(tmp_path, capsys, raw)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(depth=st.integers(min_value=1, max_value=100_000), opener=st.sampled_from(["[", '{"a":', '{"region": [']))
def test_deeply_nested(tmp_path: Path, capsys: pytest.CaptureFixture[str], depth: int, opener: str) -> None:
    closer = {"[": "]", '{"a":': "}", '{"region": [': "]}"}[opener]
    check(tmp_path, capsys, (opener * depth + "1" + closer * depth).encode())


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(digits=st.integers(min_value=1, max_value=20_000), field=st.sampled_from(FIELDS))
def test_huge_numbers(tmp_path: Path, capsys: pytest.CaptureFixture[str], digits: int, field: str) -> None:
    check(tmp_path, capsys, f'{{"region": "泽州", "{field}": {"9" * digits}}}'.encode())

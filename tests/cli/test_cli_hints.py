"""``incentives check`` shows the top “what would unlock more” hints after the total; ``--json`` has ``hints``."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from eligibility import hints_for, load_rulebook, parse_profile
from incentives_cli.main import main

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((ROOT / "examples").glob("*.json"))
KEYS = {"fact", "from", "to", "gain_min", "gain_max", "award_id", "citation"}


def run(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    code = main(list(args))
    out, err = capsys.readouterr()
    assert code == 0 and err == ""
    return out


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_json_hints_match_the_engine(capsys: pytest.CaptureFixture[str], example: Path) -> None:
    out = run(capsys, "check", str(example), "--as-of", "2024-06-01", "--json")
    data = json.loads(out)
    profile = parse_profile(json.loads(example.read_text(encoding="utf-8")))
    want = hints_for(profile, load_rulebook(), as_of=date(2024, 6, 1))
    assert [h["fact"] for h in data["hints"]] == [h.fact for h in want]
    for got, hint in zip(data["hints"], want, strict=True):
        assert set(got) >= KEYS
        assert (got["gain_min"], got["gain_max"], got["award_id"]) == (hint.gain_min, hint.gain_max, hint.award_id)
        assert got["gain_max"] > 0 and got["citation"].startswith("依据《")


def test_readable_check_shows_top_three_after_the_total(capsys: pytest.CaptureFixture[str]) -> None:
    out = run(capsys, "check", str(ROOT / "examples/zezhou.json"), "--as-of", "2024-06-01")
    total = out.index("合计（已明确金额部分）：503,000 元")
    heading = out.index("还可以多得")
    assert total < heading < out.index("原文依据：")
    lines = [line for line in out[heading:].splitlines()[1:] if line.startswith("  · ")]
    assert len(lines) == 3
    assert lines[0].startswith("  · 被认定为国家知识产权优势企业，可多得 20,000 元（知识产权优势企业奖励，依据《")


def test_draft_hint_says_so(capsys: pytest.CaptureFixture[str]) -> None:
    out = run(capsys, "check", str(ROOT / "examples/changzhi.json"), "--as-of", "2024-06-01")
    line = next(line for line in out.splitlines() if "可多得 50,000—100,000 元" in line)
    assert line.startswith("  · 【征求意见稿】")  # the status before the amount, as for every figure


def test_hint_without_any_award_yet(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "p.json"
    path.write_text(json.dumps({"region": "泽州县", "ic_layout_designs": 0}), encoding="utf-8")
    out = run(capsys, "check", str(path), "--as-of", "2024-06-01")
    assert "暂未发现可申请的奖励" in out and "再获得 1 件集成电路布图设计专有权（共 1 件），可得 1,000 元" in out


@pytest.mark.parametrize("region", ["桓台县", "高平市"])
def test_no_hints_without_stated_amounts(capsys: pytest.CaptureFixture[str], tmp_path: Path, region: str) -> None:
    path = tmp_path / "p.json"
    path.write_text(json.dumps({"region": region, "invention_patents_granted": 5}, ensure_ascii=False), "utf-8")
    out = run(capsys, "check", str(path), "--as-of", "2024-06-01", "--json")
    assert json.loads(out)["hints"] == []
    text = run(capsys, "check", str(path), "--as-of", "2024-06-01")
    assert "还可以多得" not in text


def test_explain_is_unchanged(capsys: pytest.CaptureFixture[str]) -> None:
    out = run(capsys, "explain", str(ROOT / "examples/zezhou.json"), "--as-of", "2024-06-01")
    assert "还可以多得" not in out

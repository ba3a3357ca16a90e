"""The ``incentives`` command: JSON contract, exit codes, and clear errors without tracebacks."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from incentives_cli.main import main

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((ROOT / "examples").glob("*.json"))


def run_cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def write(tmp_path: Path, data: Any, name: str = "p.json") -> str:
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return str(path)


def test_examples_cover_all_five_regions() -> None:
    regions = {json.loads(p.read_text(encoding="utf-8"))["region"] for p in EXAMPLES}
    assert len(regions) == 5


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_check_json_on_each_example(capsys: pytest.CaptureFixture[str], example: Path) -> None:
    code, out, err = run_cli(capsys, "check", str(example), "--as-of", "2024-06-01", "--json")
    assert code == 0 and err == ""
    data = json.loads(out)
    assert data["region"]["matched"]
    assert data["awards"], "each example enterprise qualifies for something"
    for award in data["awards"]:
        assert award["quote"] and award["clause"] and award["policy_title"]
        if award["amount_min"] is not None:
            assert isinstance(award["amount_min"], int) and isinstance(award["amount_max"], int)
    assert data["total_min"] == sum(a["amount_min"] for a in data["awards"] if a["amount_min"] is not None)


def test_check_zezhou_numbers(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run_cli(capsys, "check", str(ROOT / "examples/zezhou.json"), "--as-of", "2024-06-01", "--json")
    data = json.loads(out)
    by_title = {a["title"]: a for a in data["awards"]}
    assert by_title["国内授权发明专利资助"]["calculation"] == "12 件 × 2000 元 = 24000 元"
    assert by_title["国内授权发明专利资助"]["doc_number"] == "泽政办发〔2021〕16号"
    assert by_title["国内授权发明专利资助"]["clause"] == "三、(一) 3."
    assert data["total_min"] == data["total_max"] == 503000
    assert data["policies"][0]["status"] == "in_force"


def test_check_readable_report(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(capsys, "check", str(ROOT / "examples/changzhi.json"), "--as-of", "2024-06-01")
    assert code == 0
    assert "50,000—100,000 元" in out  # a range, never a point
    assert "征求意见稿" in out
    assert "原文未规定具体金额" in out
    assert "合计" in out


def test_period_ended_status_by_default_date(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = write(tmp_path, {"region": "上杭县", "gi_trademarks_new": 1})
    _, out, _ = run_cli(capsys, "check", path, "--json", "--as-of", "2026-11-22")
    data = json.loads(out)
    assert data["policies"][0]["status"] == "period_ended"
    assert data["total_min"] == 150000


def test_unknown_region(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, _ = run_cli(
        capsys, "check", write(tmp_path, {"region": "火星县", "invention_patents_granted": 2}), "--json"
    )
    data = json.loads(out)
    assert code == 0
    assert data["region"]["matched"] is None and data["awards"] == [] and data["total_min"] == 0
    assert "暂未收录" in data["notes"][0]


def test_gaoping(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    _, out, _ = run_cli(
        capsys, "check", write(tmp_path, {"region": "高平市", "invention_patents_granted": 12}), "--json"
    )
    data = json.loads(out)
    assert data["region"]["resolved"] == "山西省晋城市高平市"
    assert data["region"]["matched"] is None and data["awards"] == []


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        ({"region": "泽州", "invention_patents_granted": -3}, "invention_patents_granted"),
        ({"region": "泽州", "invention_patents_granted": 2.5}, "invention_patents_granted"),
        ({"region": "泽州", "foreign_patents": {"火星": 1}}, "foreign_patents"),
        ({"region": "泽州", "unknown_key": 1}, "unknown_key"),
        ({"invention_patents_granted": 1}, "region"),
        ('{"region": "泽州", "region": "上杭"}', "region"),
        ('{"region": "泽州",', "JSON"),
        ("[1, 2]", "profile"),
        ("", "JSON"),
    ],
)
def test_invalid_profile_exit_2(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, content: Any, fragment: str
) -> None:
    code, out, err = run_cli(capsys, "check", write(tmp_path, content), "--json")
    assert code == 2
    assert out == ""
    assert fragment in err and "Error:" in err and "错误" in err
    assert "Traceback" not in err and err.count("\n") == 1


def test_missing_file(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run_cli(capsys, "check", "/nonexistent/p.json")
    assert code == 2 and "找不到文件" in err


def test_directory_and_binary(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert run_cli(capsys, "check", str(tmp_path))[0] == 2
    binary = tmp_path / "b.json"
    binary.write_bytes(b"\xff\xfe\x00")
    code, _, err = run_cli(capsys, "check", str(binary))
    assert code == 2 and "UTF-8" in err


def test_bad_date(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run_cli(capsys, "check", str(EXAMPLES[0]), "--as-of", "2024-13-01")
    assert code == 2 and "--as-of" in err


def test_serve_names_a_bad_pinned_date(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INCENTIVES_AS_OF", "2024-13-01")
    code, out, err = run_cli(capsys, "serve", "--port", "8999")
    assert code == 2 and out == ""
    assert "INCENTIVES_AS_OF" in err and "'2024-13-01'" in err and "Traceback" not in err


def test_explain_trace(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(capsys, "explain", str(ROOT / "examples/zezhou.json"), "--as-of", "2024-06-01")
    assert code == 0
    assert "识别地区" in out and "山西省晋城市泽州县" in out
    assert "【年度授权发明专利超过10件的追加奖励】" in out
    assert "✓ 年度授权发明专利超过10件：12" in out
    assert "→ 可申请 24,000 元" in out
    assert "待补充信息" in out


def test_policies(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(capsys, "policies", "--json", "--as-of", "2026-11-22")
    data = json.loads(out)
    statuses = {p["region"]: p["status"] for p in data["policies"]}
    assert statuses == {
        "泽州县": "period_ended",
        "桓台县": "period_ended",
        "上杭县": "period_ended",
        "长治市": "draft",
        "柞水县": "in_force",
    }
    code, out, _ = run_cli(capsys, "policies", "--as-of", "2026-11-22")
    assert code == 0 and "执行中" in out and "征求意见稿" in out


def test_stdin_and_console_script(tmp_path: Path) -> None:
    exe = Path(sys.executable).with_name("incentives")
    assert exe.exists(), "the console script is installed"
    done = subprocess.run(
        [str(exe), "check", "-", "--json", "--as-of", "2024-06-01"],
        input='{"region": "泽州", "invention_patents_granted": 3}',
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["total_min"] == 6000
    bad = subprocess.run([str(exe), "check", "-"], input="{oops", capture_output=True, text=True, check=False)
    assert bad.returncode == 2 and "Traceback" not in bad.stderr

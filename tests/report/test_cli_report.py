"""``incentives report PROFILE.json -o report.pdf [--as-of DATE]``: the PDF, or one line and exit 2."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from incentives_cli.main import main
from tests.report.conftest import ROOT, pages_text, squash


def test_writes_the_pdf(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "报告.pdf"
    assert main(["report", str(ROOT / "examples/zezhou.json"), "-o", str(out), "--as-of", "2025-06-30"]) == 0
    text = squash("".join(pages_text(out.read_bytes())))
    assert "测算日期：2025-06-30" in text and squash("503,000 元") in text
    assert "已生成测算报告" in capsys.readouterr().err
    assert [p.name for p in tmp_path.iterdir()] == ["报告.pdf"]  # no temporary file left


def test_as_of_changes_the_status(tmp_path: Path) -> None:
    out = tmp_path / "r.pdf"
    assert main(["report", str(ROOT / "examples/zezhou.json"), "-o", str(out), "--as-of", "2026-01-01"]) == 0
    assert "已过计划期" in "".join(pages_text(out.read_bytes()))


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["report", "examples/zezhou.json"], "-o/--output"),
        (["report", "missing.json", "-o", "{out}"], "找不到文件"),
        (["report", "examples/zezhou.json", "-o", "{out}", "--as-of", "2025-02-30"], "--as-of 日期无效"),
        (["report", "examples", "-o", "{out}"], "是目录"),
        (
            ["report", "examples/zezhou.json", "-o", "/nonexistent-dir/r.pdf"],
            "无法写入 /nonexistent-dir/r.pdf：目录不存在",
        ),
        (["report", "examples/zezhou.json", "-o", "{tmp}"], "这是一个目录"),
        (["report", "examples/zezhou.json", "-o", "examples/zezhou.json/r.pdf"], "路径中有一部分不是目录"),
    ],
)
def test_bad_inputs_are_one_line_and_exit_2(
    args: list[str], words: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)
    args = [a.format(out=tmp_path / "r.pdf", tmp=tmp_path) for a in args]
    assert main(args) == 2
    err = capsys.readouterr().err
    assert words in err and err.count("\n") == 1 and "Traceback" not in err
    assert not (tmp_path / "r.pdf").exists()


def test_a_bad_profile_field_is_named(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    profile = tmp_path / "p.json"
    profile.write_text('{"region": "泽州县", "invention_patents_granted": "十二"}', "utf-8")
    assert main(["report", str(profile), "-o", str(tmp_path / "r.pdf")]) == 2
    assert "字段 invention_patents_granted：应为整数" in capsys.readouterr().err


def test_an_unwritable_place(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # /sys refuses new files even to root (CI runs as root, where a chmod-ed directory is writable)
    assert main(["report", str(ROOT / "examples/zezhou.json"), "-o", "/sys/r.pdf"]) == 2
    assert "无法写入 /sys/r.pdf：没有写入权限" in capsys.readouterr().err


def test_the_installed_command_to_stdout() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "incentives_cli", "report", "-", "-o", "-", "--as-of", "2025-06-30"],
        input=b'{"region": "\xe6\xb3\xbd\xe5\xb7\x9e\xe5\x8e\xbf", "invention_patents_granted": 3}',
        capture_output=True, cwd=ROOT, timeout=120, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr.decode()
    assert result.stdout.startswith(b"%PDF-") and b"6,000" not in result.stderr
    assert squash("6,000 元") in squash("".join(pages_text(result.stdout)))

"""The command line on hostile input (issue 11's 15 tracebacks, issue 12 §6): exit 2, one line on
standard error naming the file or field, a short echo of the value, never a traceback."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from incentives_cli.main import main


def run_cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def refused(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    code, out, err = run_cli(capsys, *args)
    assert code == 2, err
    assert out == "" and err.count("\n") == 1 and "Traceback" not in err
    assert err.startswith("错误：") and "Error:" in err and len(err) < 700
    return err


def profile_file(tmp_path: Path, text: str, name: str = "p.json") -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_symlink_loop(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    (tmp_path / "a").symlink_to(tmp_path / "b")
    (tmp_path / "b").symlink_to(tmp_path / "a")
    assert "符号链接成环" in refused(capsys, "check", str(tmp_path / "a"))


def test_over_long_name_and_path_through_a_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    err = refused(capsys, "check", str(tmp_path / ("长" * 300)))
    assert "文件名过长" in err and "长" * 81 not in err  # the name is echoed, cut short
    plain = profile_file(tmp_path, "{}")
    assert "不是目录" in refused(capsys, "check", f"{plain}/profile.json")


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom", "/proc/self/mem"])
def test_devices_are_not_read(capsys: pytest.CaptureFixture[str], device: str) -> None:
    err = refused(capsys, "check", device)
    assert device in err


def test_fifo_is_refused_without_waiting(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    assert "不是普通文件" in refused(capsys, "check", str(fifo))


def test_a_file_over_one_megabyte(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    big = profile_file(tmp_path, json.dumps({"region": "泽州", "patent_awards": ["x" * 2_000_000]}))
    assert "超过 1024 KB" in refused(capsys, "check", big)


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("[" * 100_000 + "]" * 100_000, "嵌套过深"),
        ("[" * 3000 + "]" * 3000, "嵌套过深"),
        ('{"region": "泽州", "invention_patents_granted": ' + "9" * 5001 + "}", "位数过多"),
        ('{"region": "泽州", "invention_patents_granted": ' + "9" * 4000 + "}", "invention_patents_granted"),
        ('{"region": "泽州", "foreign_patents": {"US": 1, "US": 2}}', "foreign_patents.US 重复出现"),
        (
            '{"region": "泽州", "pledge_loans": [{"principal": 1, "annual_benchmark_rate": 1, "months": 1,'
            ' "months": 2}]}',
            "pledge_loans.0.months 重复出现",
        ),
    ],
)
def test_hostile_json(capsys: pytest.CaptureFixture[str], tmp_path: Path, text: str, fragment: str) -> None:
    assert fragment in refused(capsys, "check", profile_file(tmp_path, text))


@pytest.mark.parametrize("rate", ["NaN%", "NaN", "sNaN", "Infinity", "-inf%", "1e999999999999", "4.35%%"])
def test_rates_that_are_not_numbers(capsys: pytest.CaptureFixture[str], tmp_path: Path, rate: Any) -> None:
    profile = {"region": "上杭", "pledge_loans": [{"principal": 1000000, "annual_benchmark_rate": rate, "months": 6}]}
    err = refused(capsys, "check", profile_file(tmp_path, json.dumps(profile)))
    assert "pledge_loans.0.annual_benchmark_rate" in err


def test_huge_values_are_echoed_as_a_short_prefix(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    profile = {"region": "泽州", "patent_awards": ["x" * 500_000]}
    err = refused(capsys, "check", profile_file(tmp_path, json.dumps(profile)))
    assert "patent_awards.0" in err and "x" * 100 not in err and "500002个字符" in err
    unknown = {"region": "泽州", "k" * 100_000: 1}
    assert "k" * 100 not in refused(capsys, "check", profile_file(tmp_path, json.dumps(unknown)))


def test_invalid_utf8_and_bad_arguments(capsys: pytest.CaptureFixture[str]) -> None:
    assert "UTF-8" in refused(capsys, "ask", os.fsdecode(b"\xff\xfe\xe4\xb8"))
    assert "UTF-8" in refused(capsys, "ask", "专利", "--region", os.fsdecode(b"\xed\xa0\x80"))
    assert main(["ask", "专利", "--top-k", "²"]) == 2  # an argument error: one line, like every refusal
    err = capsys.readouterr().err
    assert "应为 1–20 的整数" in err and err.count("\n") == 1


def test_missing_log_config(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert "找不到文件" in refused(capsys, "serve", "--log-config", str(tmp_path / "missing.yml"))


@pytest.mark.parametrize("mode", ["hybrid", "rrf", "bm25", "dense"])
def test_a_question_without_searchable_words_is_answered(tmp_path: Path, mode: str) -> None:
    """Emoji or punctuation only: no BM25 token at all (bm25s raised IndexError); the dense side ranks."""
    from knowledge.retrieval import RetrievalConfig, Retriever
    from tests.knowledge.test_retrieval_plumbing import KB, FakeEmbedder

    config = RetrievalConfig(cache_dir=tmp_path)
    retriever = Retriever(config, KB, FakeEmbedder(config))
    for question in ("🏭💰", "？？！！", "的了吗"):
        assert len(retriever.search(question, top_k=3, mode=mode).hits) == 3

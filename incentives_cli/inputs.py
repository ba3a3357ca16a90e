"""Reading user input at the edge: profile files, dates. Every failure becomes a ``UsageError``."""

from __future__ import annotations

import json
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from eligibility import EnterpriseProfile, ProfileError, parse_profile


class UsageError(Exception):
    """A bad input: ``zh`` and ``en`` name the field or file and say why."""

    def __init__(self, zh: str, en: str) -> None:
        super().__init__(f"{zh} / {en}")
        self.zh = zh
        self.en = en


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise UsageError(f"字段 {key} 重复出现", f"field {key} appears twice")
        result[key] = value
    return result


def parse_json(text: str, source: str) -> Any:
    """JSON with decimals kept exact (no float for money or rates) and duplicate keys refused."""
    try:
        return json.loads(text, parse_float=Decimal, object_pairs_hook=_no_duplicates)
    except json.JSONDecodeError as exc:
        raise UsageError(
            f"{source} 不是有效的 JSON（第{exc.lineno}行第{exc.colno}列：{exc.msg}）",
            f"{source} is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})",
        ) from None


def read_text(path: str) -> tuple[str, str]:
    """(text, display name) of ``path``; ``-`` reads standard input."""
    if path == "-":
        return sys.stdin.read(), "标准输入"
    file = Path(path)
    try:
        return file.read_text(encoding="utf-8"), file.name
    except FileNotFoundError:
        raise UsageError(f"找不到文件 {path}", f"file not found: {path}") from None
    except IsADirectoryError:
        raise UsageError(f"{path} 是目录，不是文件", f"{path} is a directory") from None
    except PermissionError:
        raise UsageError(f"无权读取文件 {path}", f"permission denied: {path}") from None
    except UnicodeDecodeError:
        raise UsageError(f"文件 {path} 不是 UTF-8 文本", f"{path} is not UTF-8 text") from None


def load_profile(path: str) -> EnterpriseProfile:
    text, name = read_text(path)
    try:
        return parse_profile(parse_json(text, name))
    except ProfileError as exc:
        raise UsageError(f"字段 {exc.field}：{exc.message_zh}", f"field {exc.field}: {exc.message_en}") from None


def parse_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise UsageError(
            f"--as-of 日期无效：{text!r}，应为 YYYY-MM-DD", f"--as-of: invalid date {text!r}, expected YYYY-MM-DD"
        ) from None

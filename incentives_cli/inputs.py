"""Reading user input at the edge: profile files, dates, arguments. Every failure becomes a ``UsageError``.

Files are opened without following them blindly: only a regular file (or standard input) is
read, and never more than a cap (1 MB for a profile), so ``/dev/zero``, ``/proc/self/mem``, a FIFO
or a symlink loop ends in one line naming the file. JSON is parsed only when its nesting is
shallow, numbers are bounded by Python's own digit limit, and a duplicate key is reported with
its path (``foreign_patents.US``).
"""

from __future__ import annotations

import errno
import json
import os
import stat
import sys
from datetime import date
from decimal import Decimal
from typing import Any

from eligibility import EnterpriseProfile, ProfileError, parse_profile
from eligibility.errors import short
from web.limits import json_depth

MAX_PROFILE_BYTES = 1024 * 1024
MAX_CONFIG_BYTES = 1024 * 1024
MAX_PROFILE_DEPTH = 20  # a profile is three levels deep (profile → pledge_loans → loan)


class UsageError(Exception):
    """A bad input: ``zh`` and ``en`` name the field or file and say why."""

    def __init__(self, zh: str, en: str) -> None:
        super().__init__(f"{zh} / {en}")
        self.zh = zh
        self.en = en


class _Object(dict[str, Any]):
    """A JSON object that remembers the first key it saw twice (reported with its path afterwards)."""

    duplicate: str | None = None


def _pairs(pairs: list[tuple[str, Any]]) -> _Object:
    result = _Object()
    for key, value in pairs:
        if key in result and result.duplicate is None:
            result.duplicate = key
        result[key] = value
    return result


def _first_duplicate(data: Any) -> str | None:
    """The dotted path of the first duplicated key, searched breadth-first without recursion."""
    queue: list[tuple[str, Any]] = [("", data)]
    while queue:
        path, value = queue.pop(0)
        if isinstance(value, _Object) and value.duplicate is not None:
            return f"{path}.{value.duplicate}" if path else value.duplicate
        if isinstance(value, dict):
            queue.extend((f"{path}.{k}" if path else str(k), v) for k, v in value.items())
        elif isinstance(value, list):
            queue.extend((f"{path}.{i}" if path else str(i), v) for i, v in enumerate(value))
    return None


def parse_json(text: str, source: str) -> Any:
    """JSON with decimals kept exact (no float for money or rates) and duplicate keys refused."""
    if json_depth(text) > MAX_PROFILE_DEPTH:
        raise UsageError(
            f"{source} 嵌套过深（超过{MAX_PROFILE_DEPTH}层）",
            f"{source} is nested too deeply (over {MAX_PROFILE_DEPTH})",
        )
    try:
        data = json.loads(text, parse_float=Decimal, object_pairs_hook=_pairs)
    except json.JSONDecodeError as exc:
        raise UsageError(
            f"{source} 不是有效的 JSON（第{exc.lineno}行第{exc.colno}列：{exc.msg}）",
            f"{source} is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})",
        ) from None
    except ValueError:  # an integer beyond Python's digit limit (4,300 digits)
        raise UsageError(f"{source} 含有位数过多的数字", f"{source} contains a number with too many digits") from None
    except RecursionError:
        raise UsageError(f"{source} 嵌套过深", f"{source} is nested too deeply") from None
    duplicate = _first_duplicate(data)
    if duplicate is not None:
        path = short(duplicate, 80)
        raise UsageError(f"字段 {path} 重复出现", f"field {path} appears twice")
    return data


def _decode(raw: bytes, name: str) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        raise UsageError(f"文件 {name} 不是 UTF-8 文本", f"{name} is not UTF-8 text") from None


def read_text(path: str, limit: int = MAX_PROFILE_BYTES) -> tuple[str, str]:
    """(text, display name) of ``path``, a regular file of at most ``limit`` bytes; ``-`` reads standard input."""
    if path == "-":
        raw = sys.stdin.buffer.read(limit + 1)
        if len(raw) > limit:
            raise UsageError(f"标准输入超过 {limit // 1024} KB", f"standard input is over {limit // 1024} KB")
        return _decode(raw, "标准输入"), "标准输入"
    name = short(path, 80)
    if "\0" in path:  # os.open raises ValueError for it; no file can be named so
        raise UsageError(f"文件名 {name!r} 含有空字符（NUL）", f"file name {name!r} contains a NUL character")
    try:
        # O_NONBLOCK: opening a FIFO must not wait for a writer; it is refused just below.
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise _open_error(exc, name) from None
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode):
        os.close(fd)
        if stat.S_ISDIR(info.st_mode):
            raise UsageError(f"{name} 是目录，不是文件", f"{name} is a directory")
        raise UsageError(f"{name} 不是普通文件（设备、管道等不予读取）", f"{name} is not a regular file")
    with os.fdopen(fd, "rb") as handle:
        if info.st_size > limit:
            raise UsageError(f"文件 {name} 超过 {limit // 1024} KB", f"{name} is over {limit // 1024} KB")
        try:
            raw = handle.read(limit + 1)  # /proc files report size 0: the cap holds anyway
        except OSError as exc:
            raise _open_error(exc, name) from None
    if len(raw) > limit:
        raise UsageError(f"文件 {name} 超过 {limit // 1024} KB", f"{name} is over {limit // 1024} KB")
    return _decode(raw, name), os.path.basename(path) or name


def _open_error(exc: OSError, name: str) -> UsageError:
    reasons = {
        errno.ENOENT: ("找不到文件", "file not found"),
        errno.EACCES: ("无权读取文件", "permission denied"),
        errno.EPERM: ("无权读取文件", "permission denied"),
        errno.ELOOP: ("路径中的符号链接成环", "too many levels of symbolic links"),
        errno.ENAMETOOLONG: ("文件名过长", "file name too long"),
        errno.ENOTDIR: ("路径中有一部分不是目录", "a part of the path is not a directory"),
        errno.EISDIR: ("是目录，不是文件", "is a directory"),
    }
    zh, en = reasons.get(exc.errno or 0, (f"无法读取文件（{exc.strerror}）", f"cannot read file ({exc.strerror})"))
    return UsageError(f"{zh}：{name}", f"{en}: {name}")


def check_argument(text: str, zh_name: str, en_name: str) -> None:
    """A command-line argument must be valid text (argv that was not UTF-8 arrives with surrogates)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise UsageError(
            f"{zh_name}含有无效字符（不是有效的 UTF-8 文本）", f"{en_name} is not valid UTF-8 text"
        ) from None


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
            f"--as-of 日期无效：{short(repr(text))}，应为 YYYY-MM-DD",
            f"--as-of: invalid date {short(repr(text))}, expected YYYY-MM-DD",
        ) from None

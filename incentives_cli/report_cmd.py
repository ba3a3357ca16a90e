"""``incentives report PROFILE.json -o report.pdf [--as-of DATE]``: the printable 测算报告 as a PDF."""

from __future__ import annotations

import argparse
import errno
import os
import sys
from datetime import date

from eligibility import RuleBook
from eligibility.errors import short
from incentives_cli.inputs import UsageError, check_argument, load_profile


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    report = commands.add_parser("report", help="生成测算报告（PDF，A4，可打印）")
    report.add_argument("profile", help="企业档案 JSON 文件（- 表示标准输入）")
    report.add_argument("-o", "--output", required=True, metavar="REPORT.pdf", help="输出的 PDF 文件（- 表示标准输出）")
    report.add_argument("--as-of", metavar="YYYY-MM-DD", help="按该日期判断政策状态（默认今天）")


def _write(path: str, pdf: bytes) -> None:
    """Writes the whole file or nothing: a temporary file beside it, renamed into place."""
    if path == "-":
        sys.stdout.buffer.write(pdf)
        sys.stdout.buffer.flush()
        return
    check_argument(path, "-o", "-o")
    name = short(path, 80)
    if os.path.isdir(path):
        raise UsageError(f"无法写入 {name}：这是一个目录", f"cannot write {name}: it is a directory")
    temporary = f"{path}.{os.getpid()}.tmp"
    try:
        with open(temporary, "xb") as handle:
            handle.write(pdf)
        os.replace(temporary, path)
    except OSError as exc:
        if os.path.exists(temporary):
            os.unlink(temporary)
        reasons = {
            errno.ENOENT: ("目录不存在", "no such directory"),
            errno.EACCES: ("没有写入权限", "permission denied"),
            errno.EPERM: ("没有写入权限", "permission denied"),
            errno.EROFS: ("文件系统只读", "read-only file system"),
            errno.ENOSPC: ("磁盘空间不足", "no space left on device"),
            errno.ENOTDIR: ("路径中有一部分不是目录", "a part of the path is not a directory"),
            errno.ENAMETOOLONG: ("文件名过长", "file name too long"),
            errno.EISDIR: ("这是一个目录", "it is a directory"),
        }
        zh, en = reasons.get(exc.errno or 0, (f"写入失败（{exc.strerror}）", f"write failed ({exc.strerror})"))
        raise UsageError(f"无法写入 {name}：{zh}", f"cannot write {name}: {en}") from None


def run_report(args: argparse.Namespace, book: RuleBook, as_of: date) -> int:
    from estimate_report import FontMissing, make_report  # ReportLab loads only for this command

    profile = load_profile(args.profile)
    try:
        pdf = make_report(profile, book, as_of=as_of)
    except FontMissing as exc:
        raise UsageError(str(exc), "no Chinese font to embed: install fonts-wqy-microhei") from None
    _write(args.output, pdf)
    if args.output != "-":
        print(f"已生成测算报告：{args.output}（{len(pdf) // 1024} KB）", file=sys.stderr)
    return 0

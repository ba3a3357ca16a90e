"""Entry point of the ``incentives`` command."""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from collections.abc import Sequence
from datetime import date
from typing import Any, NoReturn

from rich.console import Console

from eligibility import (
    AsOfError,
    EligibilityError,
    evaluate,
    evaluation_to_dict,
    hints_for,
    hints_to_dict,
    load_rulebook,
    pinned_as_of,
    policies_to_dict,
)
from incentives_cli.inputs import MAX_CONFIG_BYTES, UsageError, check_argument, load_profile, parse_date, read_text
from incentives_cli.render import render_check, render_explain, render_policies
from incentives_cli.report_cmd import add_parser as add_report_parser
from incentives_cli.report_cmd import run_report
from knowledge import KnowledgeDataError

EXIT_USAGE = 2
EXIT_DATA = 3


class ModelUnavailable(UsageError):
    """The embedding model or the index cannot be loaded (exit code 3)."""


class _Parser(argparse.ArgumentParser):
    """argparse, with its usage errors as one line (like every other refusal), not usage + message."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"命令参数有误：{message}（incentives -h 查看用法）", f"bad arguments: {message}")


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="incentives", description="知识产权惠企政策助手：查询可申请的知识产权奖励及其政策依据。")
    commands = parser.add_subparsers(dest="command", required=True)

    def with_date(sub: argparse.ArgumentParser) -> None:
        sub.add_argument("--as-of", metavar="YYYY-MM-DD", help="按该日期判断政策状态（默认今天）")

    check = commands.add_parser("check", help="根据企业档案计算可申请的奖励")
    check.add_argument("profile", help="企业档案 JSON 文件（- 表示标准输入）")
    with_date(check)
    check.add_argument("--json", action="store_true", help="输出一个 JSON 对象")
    check.add_argument("--trace", action="store_true", help="JSON 中附带逐项判断过程")

    explain = commands.add_parser("explain", help="逐步说明判断过程")
    explain.add_argument("profile", help="企业档案 JSON 文件（- 表示标准输入）")
    with_date(explain)
    explain.add_argument("--all", action="store_true", help="列出全部规则，并说明不适用的原因")

    ask = commands.add_parser("ask", help="检索政策原文：回答政策问题并给出条款出处")
    ask.add_argument("question", help="问题，例如 “专利质押贷款有贴息吗？”")
    ask.add_argument("--region", help="只检索适用于该地区的政策")
    ask.add_argument("--top-k", type=_top_k, default=3, metavar="K", help="返回条款数（1–20，默认 3）")
    ask.add_argument("--mode", choices=["hybrid", "rrf", "dense", "bm25"], help=argparse.SUPPRESS)
    ask.add_argument("--json", action="store_true", help="输出一个 JSON 对象")

    policies = commands.add_parser("policies", help="列出已收录的政策文件及其状态")
    with_date(policies)
    policies.add_argument("--json", action="store_true", help="输出一个 JSON 对象")

    add_report_parser(commands)

    serve = commands.add_parser("serve", help="启动网站：企业对话页（/）与工作人员政策查询页（/staff）")
    serve.add_argument("--host", default="127.0.0.1", help="监听地址（默认 127.0.0.1）")
    serve.add_argument("--port", type=_port, default=8000, help="端口（默认 8000）")
    serve.add_argument(
        "--rasa-url", default="http://127.0.0.1:5005", help="Rasa 服务地址（默认 http://127.0.0.1:5005）"
    )
    serve.add_argument("--log-config", help="日志配置文件（YAML，例如 deploy/logging.yml）")
    return parser


def _port(text: str) -> int:
    if not re.fullmatch(r"[0-9]{1,5}", text) or not 1 <= int(text) <= 65535:
        raise argparse.ArgumentTypeError(f"应为 1–65535 的端口号 / must be a port from 1 to 65535, got {text[:20]!r}")
    return int(text)


def _serve(args: argparse.Namespace) -> int:
    import uvicorn

    from web.app import create_app
    from web.hardening import HeaderTimeoutH11

    try:
        as_of = pinned_as_of(os.environ)  # the same pinned date as the action server's
    except AsOfError as exc:
        raise UsageError(exc.zh, exc.en) from None
    if args.log_config:
        read_text(args.log_config, limit=MAX_CONFIG_BYTES)  # missing, unreadable, not a file: one clear line
    uvicorn.run(
        create_app(args.rasa_url, as_of=as_of), host=args.host, port=args.port, log_level="info",
        http=HeaderTimeoutH11, timeout_keep_alive=5, server_header=False,
        **({"log_config": args.log_config} if args.log_config else {}),
    )  # fmt: skip
    return 0


def _top_k(text: str) -> int:
    if not re.fullmatch(r"[0-9]{1,2}", text) or not 1 <= int(text) <= 20:
        raise argparse.ArgumentTypeError(f"应为 1–20 的整数 / must be an integer from 1 to 20, got {text[:20]!r}")
    return int(text)


def _ask(args: argparse.Namespace) -> int:
    # Imported here: torch and the model load only when someone asks a question.
    from incentives_cli.render import render_answer
    from knowledge.retrieval import QuestionError, RetrievalConfig, Retriever, search_to_dict

    try:
        config = RetrievalConfig.from_env()
    except ValueError as exc:
        raise UsageError(f"检索设置有误：{exc}", f"retrieval settings: {exc}") from None
    check_argument(args.question, "问题", "the question")
    if args.region is not None:
        check_argument(args.region, "--region", "--region")
    try:
        result = Retriever(config).search(args.question, region=args.region, top_k=args.top_k, mode=args.mode)
    except QuestionError as exc:
        raise UsageError(exc.zh, exc.en) from None
    except OSError as exc:  # a configured model folder or the cache that cannot be read or written
        raise ModelUnavailable(
            f"检索模型或索引不可用（{exc}）", f"the retrieval model or index is unavailable: {exc}"
        ) from None
    if args.json:
        _print_json(search_to_dict(result))
    else:
        render_answer(_console(), result)
    return 0


def _print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def _console() -> Console:
    return Console(width=None if sys.stdout.isatty() else 120, highlight=False, soft_wrap=True)


def run(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "ask":
        return _ask(args)
    if args.command == "serve":
        return _serve(args)
    as_of = parse_date(args.as_of) if args.as_of else date.today()  # the one clock read
    book = load_rulebook()
    if args.command == "policies":
        counts = {policy_id: len(awards) for policy_id, awards in book.awards.items()}
        if args.json:
            _print_json(policies_to_dict(book, as_of))
        else:
            render_policies(_console(), book.knowledge, as_of, counts)
        return 0
    if args.command == "report":
        return run_report(args, book, as_of)
    profile = load_profile(args.profile)
    evaluation = evaluate(profile, book, as_of=as_of)
    if args.command == "explain":
        render_explain(_console(), evaluation, show_all=args.all)
        return 0
    hints = hints_for(profile, book, as_of=as_of, evaluation=evaluation)
    if args.json:
        _print_json({**evaluation_to_dict(evaluation, trace=args.trace), "hints": hints_to_dict(hints)})
    else:
        render_check(_console(), evaluation, hints)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    try:
        return run(argv)
    except UsageError as exc:
        print(_one_line(f"错误：{exc.zh} / Error: {exc.en}"), file=sys.stderr)
        return EXIT_DATA if isinstance(exc, ModelUnavailable) else EXIT_USAGE
    except (EligibilityError, KnowledgeDataError) as exc:
        print(f"错误：政策数据有误（{exc}）/ Error: policy data is invalid: {exc}", file=sys.stderr)
        return EXIT_DATA


def _one_line(message: str, limit: int = 600) -> str:
    """One line of bounded length, whatever a message echoes back."""
    flat = " ".join(message.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


if __name__ == "__main__":
    sys.exit(main())

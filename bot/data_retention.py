"""Delete conversation data: one sender's (an enterprise asks to be forgotten), or every conversation
idle for longer than the retention period. Runs in the Rasa environment, against whatever SQL
tracker store ``endpoints.yml`` names (SQLite by default, PostgreSQL in the production profile).

    python -m bot.data_retention forget <sender id> [--endpoints deploy/endpoints.yml]
    python -m bot.data_retention purge [--older-than-days 180 | --idle-before UNIX_TIME]

``make forget SENDER=…`` and ``make purge`` run these with the single-machine endpoints. A
conversation id carries its channel: ``wechat:<OpenID>``, ``rest:<sender>``, ``web:<cookie id>``
(conversations stored before the prefixes were introduced keep their bare id).
A whole conversation is deleted or kept, never cut in the middle: a conversation is purged
when its latest event is older than the period (``RETENTION_DAYS``, default 180 days).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Sequence

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore
from rasa.utils.endpoints import read_endpoint_config

DEFAULT_RETENTION_DAYS = 180


def _engine(endpoints: str) -> sa.engine.Engine:
    config = read_endpoint_config(endpoints, "tracker_store")
    if config is None or "dialect" not in config.kwargs:
        raise SystemExit(f"{endpoints}: no SQL tracker_store configured")
    kwargs = config.kwargs
    url = SQLTrackerStore.get_db_url(
        kwargs["dialect"], config.url, kwargs.get("port"), kwargs.get("db", "rasa.db"),
        kwargs.get("username"), kwargs.get("password"),
    )  # fmt: skip
    return sa.create_engine(url)


def forget(engine: sa.engine.Engine, sender: str) -> int:
    with engine.begin() as connection:
        result = connection.execute(sa.text("DELETE FROM events WHERE sender_id = :sender"), {"sender": sender})
    return int(result.rowcount)


def purge(engine: sa.engine.Engine, cutoff: float) -> tuple[int, int]:
    """Delete every conversation whose latest event is older than ``cutoff`` (Unix time)."""
    idle = sa.text("SELECT sender_id FROM events GROUP BY sender_id HAVING MAX(timestamp) < :cutoff")
    with engine.begin() as connection:
        senders = [row[0] for row in connection.execute(idle, {"cutoff": cutoff})]
        deleted = 0
        for sender in senders:
            deleted += int(
                connection.execute(sa.text("DELETE FROM events WHERE sender_id = :s"), {"s": sender}).rowcount
            )
    return len(senders), deleted


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.data_retention", description="删除对话数据")
    parser.add_argument("--endpoints", default="endpoints.yml", help="Rasa endpoints file naming the tracker store")
    commands = parser.add_subparsers(dest="command", required=True)
    forget_cmd = commands.add_parser("forget", help="删除一个会话（sender id）的全部数据")
    forget_cmd.add_argument("sender")
    purge_cmd = commands.add_parser("purge", help="删除超过保留期未活动的会话")
    when = purge_cmd.add_mutually_exclusive_group()
    when.add_argument(
        "--older-than-days", type=float, default=float(os.environ.get("RETENTION_DAYS", DEFAULT_RETENTION_DAYS))
    )
    when.add_argument("--idle-before", type=float, metavar="UNIX_TIME", help="删除最后活动早于该时间的会话")
    args = parser.parse_args(argv)
    if args.command == "purge" and args.older_than_days <= 0:
        parser.error("--older-than-days 应为正数 / must be positive")
    engine = _engine(args.endpoints)
    try:
        if args.command == "forget":
            count = forget(engine, args.sender)
            print(f"已删除会话 {args.sender!r} 的 {count} 条记录 / deleted {count} events of {args.sender!r}")
        else:
            cutoff = args.idle_before or time.time() - args.older_than_days * 86400
            senders, events = purge(engine, cutoff)
            print(
                f"已删除 {senders} 个自 {time.strftime('%Y-%m-%d %H:%M:%S', time.localtime(cutoff))} 起未活动的会话（{events} 条记录）"
            )
    except sa.exc.OperationalError as exc:
        print(f"错误：无法访问对话数据库 / cannot reach the tracker store: {exc.orig}", file=sys.stderr)
        return 3
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""The conversation-suite harness itself: the loader, the matcher, the engine oracle, the report."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from tests.conversations.harness import (
    Conversation,
    SuiteError,
    Turn,
    check_turn,
    engine_total,
    has_phrase,
    load_file,
    load_suite,
    opens_with_recorded,
    report,
    rest_reply,
    run_conversation,
    summary,
)

AS_OF = date(2024, 6, 1)
GOOD_TURN = '      - user: "泽州县，发明专利7件"\n        profile: {region: 泽州县, invention_patents_granted: 7}\n        expect_total: true\n'


def write(tmp_path: Path, body: str, name: str = "suite.yaml") -> Path:
    path = tmp_path / name
    path.write_text(body, encoding="utf-8")
    return path


def conversation(turns: str, extra: str = "", ident: str = "c-1") -> str:
    return f"as_of: 2024-06-01\nconversations:\n  - id: {ident}\n    note: n\n{extra}    turns:\n{turns}"


def test_the_suite_loads_and_is_big_enough() -> None:
    conversations = load_suite()
    assert len(conversations) >= 200
    assert len({c.id for c in conversations}) == len(conversations)
    assert sum("wechat" in c.channels for c in conversations) == 10
    assert all(1 <= len(c.turns) <= 8 for c in conversations)
    files = {c.file for c in conversations}
    assert {"zezhou.yaml", "changzhi.yaml", "shanghang.yaml", "huantai_zhashui.yaml"} <= files


def test_a_good_file_loads(tmp_path: Path) -> None:
    [loaded] = load_file(write(tmp_path, conversation(GOOD_TURN, "    channels: [wechat]\n")))
    assert loaded.id == "c-1" and loaded.as_of == AS_OF and loaded.channels == {"rest", "wechat"}
    assert loaded.turns[0].profile == {"region": "泽州县", "invention_patents_granted": 7}


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (conversation(GOOD_TURN.replace("expect_total", "expect_totl")), "unknown keys ['expect_totl']"),
        (conversation(GOOD_TURN, ident="Bad Id"), "`id` must be lowercase ASCII"),
        (conversation(GOOD_TURN, ident="泽州"), "`id` must be lowercase ASCII"),
        (conversation('      - user: ""\n'), "`user` must be a non-empty string"),
        (conversation('      - user: "你好"\n        expect_total: true\n'), "needs a `profile` with a region"),
        (
            conversation(
                '      - user: "桓台县，发明专利3件"\n        profile: {region: 桓台县, invention_patents_granted: 3}\n        expect_total: true\n'
            ),
            "the engine's total for this profile is 0",
        ),
        (
            conversation('      - user: "x"\n        profile: {region: 泽州县, invention_patents_granted: -1}\n'),
            "not a valid profile",
        ),
        (conversation('      - user: "x"\n        contains: "2000"\n'), "`contains` must be a list"),
        (conversation(GOOD_TURN, "    channels: [fax]\n"), "unknown channels"),
        (conversation(GOOD_TURN * 9), "1 to 8 turns"),
        (conversation(GOOD_TURN).replace("    note: n\n", ""), "`note` must say"),
        ("as_of: 2024-06-01\nconversations: []\n", "non-empty list"),
        ("as_of: someday\nconversations: []\n", "`as_of` must be a date"),
        (conversation(GOOD_TURN) + "    turns: []\n", "duplicate key"),
    ],
)
def test_the_loader_rejects_malformed_entries_naming_file_and_id(tmp_path: Path, body: str, message: str) -> None:
    with pytest.raises(SuiteError) as error:
        load_file(write(tmp_path, body, "broken.yaml"))
    assert "broken.yaml" in str(error.value) and message in str(error.value)


def test_the_turn_is_named_in_the_error(tmp_path: Path) -> None:
    body = conversation(GOOD_TURN + '      - user: "x"\n        recorded: maybe\n', ident="zz-07")
    with pytest.raises(SuiteError, match=r"broken\.yaml: conversation 'zz-07': turn 2: "):
        load_file(write(tmp_path, body, "broken.yaml"))


def test_ids_are_unique_across_files(tmp_path: Path) -> None:
    write(tmp_path, conversation(GOOD_TURN), "a.yaml")
    write(tmp_path, conversation(GOOD_TURN), "b.yaml")
    with pytest.raises(SuiteError, match=r"b\.yaml: conversation 'c-1': id already used in a\.yaml"):
        load_suite(tmp_path)


def test_the_matcher_ignores_separators_and_needs_whole_numbers() -> None:
    assert has_phrase("合计：24,000 元", "24000")
    assert has_phrase("合计：24000元", "24,000")
    assert has_phrase("合计：2 4 0 0 0 元", "24000")
    assert has_phrase("依据 泽政办发〔2021〕16号 三、(一) 3.", "三、(一)3.")
    assert not has_phrase("合计：124,000 元", "24000")
    assert not has_phrase("合计：24,0001 元", "24000")
    assert has_phrase("至少60,000元", "60000")
    assert not has_phrase("没有金额", "2000")


def test_the_engine_oracle_gives_known_figures() -> None:
    assert (
        engine_total({"region": "泽州县", "invention_patents_granted": 7, "foreign_patents": {"US": 1}}, AS_OF) == 24000
    )
    readme = {
        "region": "泽州县",
        "invention_patents_granted": 12,
        "foreign_patents": {"US": 2},
        "patent_awards": ["china_patent_silver"],
    }
    assert engine_total(readme, AS_OF) == 368000
    assert engine_total({"region": "泽州县", "invention_patents_granted": 60}, AS_OF) == 220000  # bonus capped
    assert engine_total({"region": "长治市", "gi_trademarks_new": 2}, AS_OF) == 60000  # a lower bound
    assert engine_total({"region": "上杭县", "patent_navigation_cost": 200000}, AS_OF) == 50000
    assert engine_total({"region": "桓台县", "invention_patents_granted": 10}, AS_OF) == 0
    assert engine_total({"region": "高平市", "invention_patents_granted": 20}, AS_OF) == 0


def test_check_turn_reports_each_failure() -> None:
    turn = Turn(
        user="x",
        profile={"region": "泽州县", "invention_patents_granted": 7},
        expect_total=True,
        contains=("泽政办发〔2021〕16号",),
        contains_any=("执行中", "2025"),
        not_contains=("暂未收录",),
    )
    good = "已记录：泽州县；本年度授权发明专利 7 件\n合计：14,000 元（泽政办发〔2021〕16号，执行中）"
    assert check_turn(turn, good, AS_OF, recorded=True).failures == ()
    assert check_turn(turn, good, AS_OF, recorded=True).total_ok is True
    bad = check_turn(turn, "合计：140,000 元，暂未收录", AS_OF, recorded=True)
    assert bad.total_ok is False
    assert len(bad.failures) == 5  # total, contains, contains_any, not_contains, 已记录
    assert check_turn(Turn(user="x"), "", AS_OF).failures == ("no reply",)


def test_what_if_turns_need_the_counterfactual_and_no_recording() -> None:
    turn = Turn(user="如果只有10件呢？", whatif_profile={"region": "泽州县", "invention_patents_granted": 10})
    assert check_turn(turn, "如果只有10件：20,000 元，比现在少 28,000 元", AS_OF).failures == ()
    failures = check_turn(turn, "已记录：本年度授权发明专利 10 件\n合计 20,000 元", AS_OF).failures
    assert any("must not record" in f for f in failures)


def test_recorded_is_expected_only_when_the_profile_changes(tmp_path: Path) -> None:
    body = conversation(GOOD_TURN + GOOD_TURN + '      - user: "你好"\n')
    [loaded] = load_file(write(tmp_path, body))
    assert [loaded.expects_recorded(i) for i in range(3)] == [True, False, False]
    assert opens_with_recorded("\n已记录：泽州县\n…") and not opens_with_recorded("合计…\n已记录：泽州县")


def test_run_and_report() -> None:
    zezhou = {"region": "泽州县", "invention_patents_granted": 7}
    conv = Conversation(
        "demo", "note", "demo.yaml", AS_OF,
        (Turn("你好"), Turn("泽州县 7件", profile=zezhou, expect_total=True), Turn("哪个文件？", contains=("16号",))),
    )  # fmt: skip
    replies = iter(["您好", "已记录：泽州县；发明 7 件\n合计 14,000 元", "抱歉，我没太理解，请换个说法"])
    result = run_conversation(conv, lambda _: next(replies))
    assert not result.passed and result.first_figure() is True and result.turns_to_first_figure() == 2
    text = report([result])
    assert "conversations passed: 0/1" in text and "turns passed:         2/3" in text
    assert "first-figure rate:    1/1" in text and "fallback replies:     1/3" in text
    assert "demo.yaml :: demo" in text and "turn 3: user: 哪个文件？" in text and "没太理解" in text
    assert summary([result])["fallbacks"] == 1

    def dead(_: str) -> str:
        raise ConnectionError("refused")

    failed = run_conversation(conv, dead)
    assert failed.error == "turn 1: ConnectionError: refused" and not failed.passed
    assert "error: turn 1: ConnectionError" in report([failed])


def test_rest_reply_joins_texts_and_button_titles() -> None:
    messages: list[dict[str, Any]] = [
        {"text": "合计 14,000 元"},
        {
            "text": "是同一家企业吗？",
            "buttons": [{"title": "同一家", "payload": "/a"}, {"title": "另一家", "payload": "/b"}],
        },
    ]
    assert rest_reply(messages) == "合计 14,000 元\n是同一家企业吗？\n同一家 | 另一家"

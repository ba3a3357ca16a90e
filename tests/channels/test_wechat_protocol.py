"""The WeChat protocol module: signatures, safe-mode crypto, hostile XML, CDATA, message splitting."""

from __future__ import annotations

import hashlib

import pytest

from bot.channels.wechat_protocol import (
    TEXT_LIMIT_BYTES,
    Crypto,
    ProtocolError,
    cdata,
    parse_xml,
    signature,
    signature_ok,
    split_text,
    text_reply,
)

# The known-answer vector of WeChat's own sample code (WXBizMsgCryptTest): key, appid, the
# 16 "random" bytes, the message and the ciphertext it must give.
SAMPLE_KEY = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"
SAMPLE_APPID = "wxb11529c136998cb6"
SAMPLE_CIPHERTEXT = "jn1L23DB+6ELqJ+6bruv21Y6MD7KeIfP82D6gU39rmkgczbWwt5+3bnyg5K55bgVtVzd832WzZGMhkP72vVOfg=="


def test_safe_mode_matches_wechats_sample_vector() -> None:
    crypto = Crypto(SAMPLE_KEY, SAMPLE_APPID)
    assert crypto.encrypt("我是中文abcd123", b"aaaabbbbccccdddd") == SAMPLE_CIPHERTEXT
    assert crypto.decrypt(SAMPLE_CIPHERTEXT) == "我是中文abcd123"


def test_encrypt_decrypt_round_trip_with_random_prefix() -> None:
    crypto = Crypto(SAMPLE_KEY, SAMPLE_APPID)
    message = "<xml><Content><![CDATA[泽州县 12件发明专利]]></Content></xml>" * 20
    first, second = crypto.encrypt(message), crypto.encrypt(message)
    assert first != second  # a fresh random prefix each time
    assert crypto.decrypt(first) == crypto.decrypt(second) == message


def test_decrypt_rejects_another_appid_and_tampering() -> None:
    encrypted = Crypto(SAMPLE_KEY, "wx_other_account").encrypt("你好")
    with pytest.raises(ProtocolError, match="AppID"):
        Crypto(SAMPLE_KEY, SAMPLE_APPID).decrypt(encrypted)
    with pytest.raises(ProtocolError, match="base64"):
        Crypto(SAMPLE_KEY, SAMPLE_APPID).decrypt("not base64 !!")
    with pytest.raises(ProtocolError, match="AES blocks"):
        Crypto(SAMPLE_KEY, SAMPLE_APPID).decrypt("YWJj")
    other_key = "B" * 43
    with pytest.raises(ProtocolError):
        Crypto(other_key, SAMPLE_APPID).decrypt(SAMPLE_CIPHERTEXT)


@pytest.mark.parametrize(
    ("key", "appid", "reason"),
    [("short", "wx1", "43-character"), ("!" * 43, "wx1", "base64"), (SAMPLE_KEY, "", "WECHAT_APPID")],
)
def test_bad_configuration_is_named(key: str, appid: str, reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        Crypto(key, appid)


def test_signature_is_sha1_of_sorted_parts_and_compared_strictly() -> None:
    expected = hashlib.sha1(b"".join(sorted([b"tok", b"1700000000", b"abc"]))).hexdigest()
    assert signature("tok", "1700000000", "abc") == expected
    assert signature_ok(expected, "tok", "1700000000", "abc")
    assert signature_ok(expected.upper(), "tok", "1700000000", "abc")
    assert not signature_ok(expected[:-1] + "0", "tok", "1700000000", "abc")
    assert not signature_ok(expected, "other-token", "1700000000", "abc")
    assert not signature_ok(None, "tok", "1700000000", "abc")
    assert not signature_ok(expected, "tok", None, "abc")  # type: ignore[arg-type]


def test_parse_xml_reads_a_text_message() -> None:
    body = (
        "<xml><ToUserName><![CDATA[gh_account]]></ToUserName><FromUserName><![CDATA[openid-1]]></FromUserName>"
        "<CreateTime>1700000000</CreateTime><MsgType><![CDATA[text]]></MsgType>"
        "<Content><![CDATA[我们在泽州县]]></Content><MsgId>1234567890123456</MsgId></xml>"
    ).encode()
    assert parse_xml(body) == {
        "ToUserName": "gh_account", "FromUserName": "openid-1", "CreateTime": "1700000000",
        "MsgType": "text", "Content": "我们在泽州县", "MsgId": "1234567890123456",
    }  # fmt: skip


@pytest.mark.parametrize(
    "body",
    [
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]>'
        b"<xml><Content>&lol2;</Content></xml>",
        b'<?xml version="1.0"?><!DOCTYPE xml [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><xml><Content>&xxe;</Content></xml>',
        b"<xml><Content>unclosed</xml>",
        b"not xml at all",
        b"",
        b"<message><Content>x</Content></message>",
    ],
    ids=["entity-expansion", "external-entity", "malformed", "text", "empty", "wrong-root"],
)
def test_hostile_or_malformed_xml_is_refused(body: bytes) -> None:
    with pytest.raises(ProtocolError):
        parse_xml(body)


def test_reply_text_survives_cdata_terminators_and_control_characters() -> None:
    hostile = "金额 ]]> <b>&amp; ]]]]> 结束\x00\x07"
    xml = text_reply("openid-1", "gh_account", hostile, 1700000000)
    parsed = parse_xml(xml)
    assert parsed["Content"] == "金额 ]]> <b>&amp; ]]]]> 结束"
    assert parsed["ToUserName"] == "openid-1" and parsed["FromUserName"] == "gh_account"
    assert parsed["MsgType"] == "text" and parsed["CreateTime"] == "1700000000"
    assert cdata("a]]>b").count("<![CDATA[") == 2


def test_encrypted_reply_carries_a_valid_signature() -> None:
    crypto = Crypto(SAMPLE_KEY, SAMPLE_APPID)
    envelope = parse_xml(crypto.encrypted_reply("tok", text_reply("u", "a", "你好", 1), "1700000000", "n1"))
    assert signature_ok(envelope["MsgSignature"], "tok", "1700000000", "n1", envelope["Encrypt"])
    assert parse_xml(crypto.decrypt(envelope["Encrypt"]))["Content"] == "你好"


def award_block(n: int) -> str:
    return (
        f"{n}. 发明专利授权奖励：{n * 1000:,} 元\n"
        f"   计算：{n} 件 × 2,000 元\n"
        "   泽政办发〔2021〕16号 三、(三) 11.：“对新授权的发明专利，每件奖励2000元”" + "，并给予支持" * 8
    )


def test_split_keeps_each_award_with_its_citation() -> None:
    blocks = [award_block(n) for n in range(1, 30)]
    text = "适用政策：《泽州县全面推进知识产权强县建设行动方案》\n" + "\n".join(blocks)
    chunks = split_text(text)
    assert len(chunks) > 1
    assert all(len(c.encode()) <= TEXT_LIMIT_BYTES for c in chunks)
    for block in blocks:
        assert sum(block in chunk for chunk in chunks) == 1, "an award block was cut between messages"
    assert "\n".join(chunks) == text


def test_split_cuts_an_oversized_paragraph_at_sentence_ends() -> None:
    sentence = "对获得中国专利金奖的企业给予一次性奖励。"
    text = sentence * 200  # one line of about 12,000 bytes
    chunks = split_text(text)
    assert all(len(c.encode()) <= TEXT_LIMIT_BYTES for c in chunks)
    assert all(c.endswith("。") for c in chunks)
    assert "".join(chunks) == text


def test_split_leaves_short_text_alone() -> None:
    assert split_text("你好！\n请问您的企业在哪个县区？") == ["你好！\n请问您的企业在哪个县区？"]

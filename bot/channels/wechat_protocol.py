"""The WeChat Official Account (公众号) message protocol, without Rasa: signatures, XML, safe-mode crypto.

Written by hand on ``cryptography`` and ``defusedxml`` because the maintained alternative,
wechatpy, has had no release since 2021 and compares signatures with ``!=`` (a timing leak).
The protocol, as WeChat documents it ("接入指南", "消息加解密说明", "被动回复用户消息"):

- Server verification and every POST carry ``signature = sha1(''.join(sorted([token, timestamp, nonce])))``.
- Safe mode (安全模式, ``encrypt_type=aes``) wraps the message XML in ``<Encrypt>``: base64 of
  AES-256-CBC(key = base64decode(EncodingAESKey + "="), iv = key[:16]) over
  ``random(16) + len(msg) as 4 bytes big-endian + msg + appid``, PKCS#7-padded to 32-byte blocks;
  ``msg_signature = sha1(''.join(sorted([token, timestamp, nonce, encrypt])))``. Replies are
  encrypted the same way and sent as ``<xml><Encrypt/><MsgSignature/><TimeStamp/><Nonce/></xml>``.
- A passive text reply is ``<xml><ToUserName/><FromUserName/><CreateTime/><MsgType>text</MsgType><Content/></xml>``
  with the user and the account swapped; its content is limited to 2,048 bytes.

Runs on Python 3.10 (the Rasa venv) and 3.11 (the tests).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
import re
import struct
from xml.etree.ElementTree import ParseError

from cryptography.hazmat.primitives import padding
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

TEXT_LIMIT_BYTES = 2048
BLOCK_BITS = 256  # WeChat pads to 32-byte blocks, not AES's 16
# Characters XML 1.0 forbids (C0 controls other than tab, newline, carriage return).
_INVALID_XML_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_DECLARED_ENCODING = re.compile(rb"\s*<\?xml[^>]*?encoding\s*=\s*[\"']([^\"']*)[\"']")
OPENID = re.compile(r"[A-Za-z0-9_-]{1,64}")  # real OpenIDs are 28 such characters


class ProtocolError(ValueError):
    """A request that does not follow the protocol: malformed XML, bad ciphertext, wrong appid."""


def signature(token: str, *parts: str) -> str:
    return hashlib.sha1("".join(sorted((token, *parts))).encode()).hexdigest()


def signature_ok(given: str | None, token: str, *parts: str) -> bool:
    """Constant-time comparison of the signature WeChat sent with the one we compute."""
    if not given or any(p is None for p in parts):
        return False
    return hmac.compare_digest(given.lower().encode(), signature(token, *parts).encode())


def parse_xml(body: bytes | str) -> dict[str, str]:
    """The flat ``<xml>`` message as a dict of element name → text. No DTDs, entities or external refs."""
    declared = _DECLARED_ENCODING.match(body if isinstance(body, bytes) else body.encode("utf-8", "replace"))
    if declared and declared.group(1).lower().replace(b"_", b"-") not in (b"utf-8", b"utf8"):
        raise ProtocolError(
            f"XML declares encoding {declared.group(1)[:20].decode('ascii', 'replace')!r}; only UTF-8 is accepted"
        )
    try:
        root = fromstring(body, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except (ParseError, DefusedXmlException, ValueError, LookupError) as exc:  # ValueError: e.g. multi-byte encodings
        raise ProtocolError(f"malformed XML: {str(exc)[:200]}") from None
    if root.tag != "xml":
        raise ProtocolError(f"root element is <{root.tag}>, expected <xml>")
    return {child.tag: (child.text or "").strip() for child in root}


def cdata(text: str) -> str:
    """``text`` as CDATA that stays one section whatever it contains (``]]>`` is split across two)."""
    clean = _INVALID_XML_CHARS.sub("", text)
    return "<![CDATA[" + clean.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def text_reply(to_user: str, from_user: str, content: str, create_time: int) -> str:
    return (
        f"<xml><ToUserName>{cdata(to_user)}</ToUserName><FromUserName>{cdata(from_user)}</FromUserName>"
        f"<CreateTime>{int(create_time)}</CreateTime><MsgType><![CDATA[text]]></MsgType>"
        f"<Content>{cdata(content)}</Content></xml>"
    )


class Crypto:
    """Safe-mode encryption for one account (EncodingAESKey + AppID)."""

    def __init__(self, aes_key: str, appid: str) -> None:
        if len(aes_key) != 43:
            raise ValueError(f"WECHAT_AES_KEY must be the 43-character EncodingAESKey, got {len(aes_key)} characters")
        try:
            self.key = base64.b64decode(aes_key + "=", validate=True)
        except binascii.Error:
            raise ValueError("WECHAT_AES_KEY is not valid base64") from None
        if not appid:
            raise ValueError("WECHAT_APPID is required for safe mode")
        self.appid = appid.encode()

    def _cipher(self) -> Cipher[modes.CBC]:
        return Cipher(algorithms.AES(self.key), modes.CBC(self.key[:16]))

    def encrypt(self, text: str, nonce16: bytes | None = None) -> str:
        message = text.encode()
        plain = (nonce16 or os.urandom(16)) + struct.pack(">I", len(message)) + message + self.appid
        padder = padding.PKCS7(BLOCK_BITS).padder()
        padded = padder.update(plain) + padder.finalize()
        encryptor = self._cipher().encryptor()
        return base64.b64encode(encryptor.update(padded) + encryptor.finalize()).decode()

    def decrypt(self, encrypted: str) -> str:
        try:
            data = base64.b64decode(encrypted, validate=True)
        except (binascii.Error, ValueError):  # ValueError: characters outside ASCII (found by the fuzz tests)
            raise ProtocolError("Encrypt is not valid base64") from None
        if not data or len(data) % 16:
            raise ProtocolError("Encrypt is not a whole number of AES blocks")
        decryptor = self._cipher().decryptor()
        padded = decryptor.update(data) + decryptor.finalize()
        unpadder = padding.PKCS7(BLOCK_BITS).unpadder()
        try:
            plain = unpadder.update(padded) + unpadder.finalize()
        except ValueError:
            raise ProtocolError("Encrypt does not decrypt with this EncodingAESKey (bad padding)") from None
        if len(plain) < 20:
            raise ProtocolError("decrypted message is too short")
        (length,) = struct.unpack(">I", plain[16:20])
        message, appid = plain[20 : 20 + length], plain[20 + length :]
        if len(message) != length or not hmac.compare_digest(appid, self.appid):
            raise ProtocolError("decrypted message belongs to another AppID")
        try:
            return message.decode()
        except UnicodeDecodeError:
            raise ProtocolError("decrypted message is not UTF-8") from None

    def encrypted_reply(self, token: str, xml: str, timestamp: str, nonce: str) -> str:
        encrypted = self.encrypt(xml)
        return (
            f"<xml><Encrypt>{cdata(encrypted)}</Encrypt>"
            f"<MsgSignature>{cdata(signature(token, timestamp, nonce, encrypted))}</MsgSignature>"
            f"<TimeStamp>{cdata(timestamp)}</TimeStamp><Nonce>{cdata(nonce)}</Nonce></xml>"
        )


def _utf8_len(text: str) -> int:
    return len(text.encode())


def _pieces(block: str, limit: int) -> list[str]:
    """A block too long for one message: by lines, then by sentences, then by characters."""
    if _utf8_len(block) <= limit:
        return [block]
    for pattern in (r"(?<=\n)", r"(?<=[。；！？])"):
        parts = [p for p in re.split(pattern, block) if p]
        if len(parts) > 1:
            return [piece for part in parts for piece in _pieces(part, limit)]
    out, current = [], ""
    for char in block:
        if _utf8_len(current + char) > limit:
            out.append(current)
            current = ""
        current += char
    return [*out, current] if current else out


def split_text(text: str, limit: int = TEXT_LIMIT_BYTES) -> list[str]:
    """Messages of at most ``limit`` UTF-8 bytes, cut only between blocks where possible.

    A block is a line that does not start with a space plus the indented lines under it, so an
    award, its calculation and its citation (``1. …`` / ``   计算：…`` / ``   依据…``) travel together.
    """
    blocks: list[str] = []
    for line in text.strip().split("\n"):
        if blocks and line.startswith((" ", "\u3000")):
            blocks[-1] += "\n" + line
        else:
            blocks.append(line)
    chunks: list[str] = []
    current = ""
    for block in blocks:
        # Pieces of one block keep their own line ends; blocks are joined with a line end.
        for n, piece in enumerate(_pieces(block, limit)):
            candidate = current + ("\n" if current and n == 0 and not current.endswith("\n") else "") + piece
            if _utf8_len(candidate.rstrip("\n")) <= limit:
                current = candidate
            else:
                if current.strip("\n"):
                    chunks.append(current.strip("\n"))
                current = piece
    if current.strip("\n"):
        chunks.append(current.strip("\n"))
    return chunks

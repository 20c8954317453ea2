"""Text decoding: declared charset, meta, detection, Windows-1258 and the legacy TCVN3/VNI fonts."""

from __future__ import annotations

import unicodedata

import pytest

from pressdesk.ingest.decoding import (
    TCVN3_TO_UNICODE,
    VNI_TO_UNICODE,
    decode_bytes,
    fix_legacy,
    tcvn3_to_unicode,
    unicode_to_cp1258,
    unicode_to_tcvn3,
    unicode_to_vni,
    vni_to_unicode,
)
from pressdesk.nlp.text import normalize_text

SENTENCES = [
    "Thanh Hóa đẩy mạnh tuyên truyền kỷ niệm 79 năm Cách mạng tháng Tám và Quốc khánh 2/9.",
    "Người dân huyện Quảng Xương phấn khởi đón nhận chủ trương sáp nhập xã, thị trấn.",
    "Ủy ban nhân dân tỉnh chỉ đạo khắc phục hậu quả bão số 3, bảo đảm an toàn cho nhân dân vùng ven biển.",
    "Đoàn công tác thăm hỏi, tặng quà gia đình chính sách ở xã Ngọc Lặc; mưa lũ gây sạt lở đường.",
]
ALL_VIETNAMESE_LOWER = "aàáảãạăằắẳẵặâầấẩẫậeèéẻẽẹêềếểễệiìíỉĩịoòóỏõọôồốổỗộơờớởỡợuùúủũụưừứửữựyỳýỷỹỵđ"


def test_tcvn3_table_covers_every_vietnamese_letter() -> None:
    values = set(TCVN3_TO_UNICODE.values())
    for ch in ALL_VIETNAMESE_LOWER:
        assert ch in values or ch.isascii(), ch
    assert (
        TCVN3_TO_UNICODE["\xb8"] == "á"
        and TCVN3_TO_UNICODE["\xae"] == "đ"
        and TCVN3_TO_UNICODE["\xad"] == "ư"
    )


def test_vni_table_covers_every_vietnamese_letter_in_both_cases() -> None:
    for ch in ALL_VIETNAMESE_LOWER + ALL_VIETNAMESE_LOWER.upper():
        encoded = unicode_to_vni(ch)
        assert all(ord(c) <= 0xFF for c in encoded), ch  # every letter is typeable in the 8-bit font
        assert vni_to_unicode(encoded) == ch, ch
    assert VNI_TO_UNICODE["aø"] == "à" and VNI_TO_UNICODE["oá"] == "ố" and VNI_TO_UNICODE["ñ"] == "đ"
    assert VNI_TO_UNICODE["ô"] == "ơ" and VNI_TO_UNICODE["öø"] == "ừ" and VNI_TO_UNICODE["AÉ"] == "Ắ"


@pytest.mark.parametrize("sentence", SENTENCES)
def test_windows_1258_round_trips_with_tone_marks_composed(sentence: str) -> None:
    data = unicode_to_cp1258(sentence)
    assert (
        "\u0301".encode("cp1258") in data
        or "\u0300".encode("cp1258") in data
        or "\u0323".encode("cp1258") in data
    )
    declared, encoding = decode_bytes(data, "windows-1258")
    assert declared == normalize_text(sentence) and encoding == "cp1258"
    assert unicodedata.is_normalized("NFC", declared)
    detected, encoding = decode_bytes(data)  # undeclared: recognised as Vietnamese cp1258
    assert detected == normalize_text(sentence) and encoding == "cp1258"


@pytest.mark.parametrize("sentence", SENTENCES)
def test_tcvn3_page_is_recognised_and_converted(sentence: str) -> None:
    # TCVN3 cannot tell upper-case toned letters from lower-case ones (separate fonts): compare lower-case.
    page = f"<html><head><title>x</title></head><body><p>{unicode_to_tcvn3(sentence)}</p></body></html>"
    assert tcvn3_to_unicode(unicode_to_tcvn3(sentence.lower())) == sentence.lower()
    for declared in ("iso-8859-1", None):
        text, encoding = decode_bytes(page.encode("latin-1"), declared)
        assert encoding == "tcvn3"
        assert normalize_text(sentence).lower() in text.lower()


@pytest.mark.parametrize("sentence", SENTENCES)
def test_vni_page_is_recognised_and_converted(sentence: str) -> None:
    assert vni_to_unicode(unicode_to_vni(sentence)) == unicodedata.normalize("NFC", sentence)
    page = f"<html><body><p>{unicode_to_vni(sentence)}</p></body></html>"
    for declared in ("windows-1252", None):
        text, encoding = decode_bytes(page.encode("cp1252"), declared)
        assert encoding == "vni"
        assert normalize_text(sentence) in text


def test_utf8_with_meta_and_header_charsets() -> None:
    sentence = SENTENCES[0]
    assert decode_bytes(sentence.encode("utf-8"), "utf-8")[0] == normalize_text(sentence)
    meta = b'<html><head><meta charset="windows-1258"></head><body>' + unicode_to_cp1258(sentence)
    assert normalize_text(sentence) in decode_bytes(meta)[0]
    assert decode_bytes("\ufeff".encode() + sentence.encode())[0] == normalize_text(sentence)


def test_header_charset_that_lies_falls_back_to_utf8() -> None:
    sentence = SENTENCES[1]
    assert decode_bytes(sentence.encode("utf-8"), "ascii")[0] == normalize_text(sentence)


def test_tone_placement_is_normalised() -> None:
    assert decode_bytes("hoà thuỷ".encode())[0] == "hòa thủy"


def test_western_latin1_text_is_not_mistaken_for_a_legacy_font() -> None:
    text = "Café crème brûlée à Paris, où ça coûte très cher."
    assert fix_legacy(text) == (text, None)
    assert decode_bytes(text.encode("latin-1"), "iso-8859-1")[0] == text


@pytest.mark.parametrize("charset", ["base64", "rot13", "hex", "zlib", "uu", "undefined", "punycode", "idna"])
def test_declared_codec_that_is_not_a_text_encoding_is_ignored(charset: str) -> None:
    # Found by tests/fuzz: `<meta charset="base64">` raised LookupError (and "undefined"/"idna" a bare
    # UnicodeError) out of decode_bytes instead of falling back to detection.
    sentence = SENTENCES[0]
    page = f'<html><head><meta charset="{charset}"></head><body>{sentence}</body></html>'.encode()
    assert normalize_text(sentence) in decode_bytes(page)[0]
    assert decode_bytes(sentence.encode(), charset)[0] == normalize_text(sentence)


def test_declared_charset_with_a_nul_character_is_ignored() -> None:
    # Found by tests/fuzz: codecs.lookup raises ValueError ("embedded null character") for such a name.
    sentence = SENTENCES[0]
    assert decode_bytes(sentence.encode(), "utf-8\x00")[0] == normalize_text(sentence)

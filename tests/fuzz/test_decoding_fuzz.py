"""Properties of the decoders: any bytes give NFC text with one tone placement, or a decode_error."""

from __future__ import annotations

import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from pressdesk.ingest.decoding import (
    decode_bytes,
    fix_legacy,
    unicode_to_cp1258,
    unicode_to_tcvn3,
    unicode_to_vni,
)
from pressdesk.ingest.errors import FetchError
from pressdesk.nlp.text import normalize_text
from tests.fuzz.profile import FUZZ
from tests.fuzz.strategies import VIETNAMESE, VIETNAMESE_SENTENCE

# What servers and pages declare: real charsets, aliases, nonsense, and codecs that are not text encodings.
DECLARED = st.one_of(
    st.none(),
    st.sampled_from(
        [
            "utf-8",
            "UTF8",
            "windows-1258",
            "cp1258",
            "x-viet-vps",
            "vn3",
            "tcvn",
            "iso-8859-1",
            "windows-1252",
            "ascii",
            "utf-16",
            "shift_jis",
            "base64",
            "rot13",
            "hex",
            "zlib",
            "bz2",
            "uu",
            "quopri",
            "idna",
            "punycode",
            "undefined",
            "unicode_escape",
            "no-such-charset",
            "utf-8\x00",
            "",
        ]
    ),
    st.text(max_size=12),
)


def _meta(charset: str | None) -> bytes:
    return f'<meta charset="{charset}">'.encode("utf-8", "replace") if charset else b""


def _assert_clean(text: str) -> None:
    assert isinstance(text, str)
    assert unicodedata.is_normalized("NFC", text)
    assert normalize_text(text) == text  # one tone-mark placement already


@FUZZ
@given(st.binary(max_size=400), DECLARED, DECLARED)
def test_any_bytes_decode_to_clean_text_or_a_decode_error(
    content: bytes, header: str | None, meta: str | None
) -> None:
    for document in (content, _meta(meta) + content):
        try:
            text, encoding = decode_bytes(document, header)
        except FetchError as exc:
            assert exc.reason == "decode_error" and exc.message
            continue
        _assert_clean(text)
        assert isinstance(encoding, str) and encoding


@FUZZ
@given(VIETNAMESE, DECLARED)
def test_utf8_vietnamese_comes_back_normalised(sentence: str, header: str | None) -> None:
    data = sentence.encode("utf-8")
    if header in (None, "utf-8", "UTF8"):
        assert decode_bytes(data, header)[0] == normalize_text(sentence)
    else:
        try:
            _assert_clean(decode_bytes(data, header)[0])
        except FetchError as exc:
            assert exc.reason == "decode_error"


@FUZZ
@given(VIETNAMESE_SENTENCE)
def test_windows_1258_round_trips_declared_and_detected(sentence: str) -> None:
    data = unicode_to_cp1258(sentence)
    assert decode_bytes(data, "windows-1258") == (normalize_text(sentence), "cp1258")
    assert decode_bytes(b"<html><head>" + _meta("windows-1258") + b"</head>" + data)[0].endswith(
        normalize_text(sentence)
    )
    assert decode_bytes(data)[0] == normalize_text(sentence)


@settings(FUZZ, max_examples=60)
@given(VIETNAMESE_SENTENCE)
def test_legacy_font_pages_are_recognised(sentence: str) -> None:
    tcvn3 = f"<html><body><p>{unicode_to_tcvn3(sentence)}</p></body></html>".encode("latin-1")
    text, encoding = decode_bytes(tcvn3)
    assert encoding == "tcvn3" and normalize_text(sentence).lower() in text.lower()
    vni = f"<html><body><p>{unicode_to_vni(sentence)}</p></body></html>".encode("cp1252")
    text, encoding = decode_bytes(vni)
    assert encoding == "vni" and normalize_text(sentence) in text


@FUZZ
@given(st.text(max_size=200))
def test_normalize_text_is_nfc_and_idempotent(text: str) -> None:
    once = normalize_text(text)
    _assert_clean(once)


@FUZZ
@given(st.text(max_size=200), VIETNAMESE_SENTENCE)
def test_fix_legacy_never_raises_and_leaves_unicode_vietnamese_alone(text: str, sentence: str) -> None:
    fixed, legacy = fix_legacy(text)
    assert legacy in (None, "tcvn3", "vni")
    if legacy is None:
        assert fixed == text
    vietnamese = normalize_text(sentence)
    assert fix_legacy(vietnamese) == (vietnamese, None)

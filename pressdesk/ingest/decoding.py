"""Bytes → Vietnamese Unicode text that survives the Vietnamese web.

Order: the charset the HTTP header declares, then the one the page's <meta> declares, then detection
(charset-normalizer). Windows-1258 decodes to base letters plus combining tone marks, which NFC composes.
Pages still typed in the legacy font encodings TCVN3 (ABC, fonts `.VnTime`) or VNI (fonts `VNI-Times`)
arrive as Latin-1/cp1252 look-alike characters (`B¶o Th¾ng`, `Xin chaøo`); they are recognised by how
many of their characters form Vietnamese syllables once mapped, and converted with the tables below.
Everything ends in pressdesk.nlp.text.normalize_text (NFC + one tone placement).
"""

from __future__ import annotations

import codecs
import re
import unicodedata

from charset_normalizer import from_bytes

from pressdesk.ingest.errors import FetchError
from pressdesk.nlp.text import normalize_text

# --- TCVN3 (ABC, TCVN 5712:1993 VN3) ----------------------------------------------------------------
# One byte per letter. VN3 has the lower-case toned letters and the upper-case base letters Ă Â Ê Ô Ơ Ư Đ;
# upper-case toned letters are drawn by the separate ".VnTimeH" fonts from the lower-case codes, so the
# text itself cannot tell them apart: they decode to lower case.
_TCVN3_BASES = {0xA1: "Ă", 0xA2: "Â", 0xA3: "Ê", 0xA4: "Ô", 0xA5: "Ơ", 0xA6: "Ư", 0xA7: "Đ"}
_TCVN3_BASES |= {0xA8: "ă", 0xA9: "â", 0xAA: "ê", 0xAB: "ô", 0xAC: "ơ", 0xAD: "ư", 0xAE: "đ"}
# Each vowel's five toned forms in the order grave, hook, tilde, acute, dot below, with their codes.
_TCVN3_TONED_CODES = {
    "a": (0xB5, 0xB6, 0xB7, 0xB8, 0xB9),
    "ă": (0xBB, 0xBC, 0xBD, 0xBE, 0xC6),
    "â": (0xC7, 0xC8, 0xC9, 0xCA, 0xCB),
    "e": (0xCC, 0xCE, 0xCF, 0xD0, 0xD1),
    "ê": (0xD2, 0xD3, 0xD4, 0xD5, 0xD6),
    "i": (0xD7, 0xD8, 0xDC, 0xDD, 0xDE),
    "o": (0xDF, 0xE1, 0xE2, 0xE3, 0xE4),
    "ô": (0xE5, 0xE6, 0xE7, 0xE8, 0xE9),
    "ơ": (0xEA, 0xEB, 0xEC, 0xED, 0xEE),
    "u": (0xEF, 0xF1, 0xF2, 0xF3, 0xF4),
    "ư": (0xF5, 0xF6, 0xF7, 0xF8, 0xF9),
    "y": (0xFA, 0xFB, 0xFC, 0xFD, 0xFE),
}
# Combining marks in the same order: grave, hook above, tilde, acute, dot below.
_TONE_MARKS = ("\u0300", "\u0309", "\u0303", "\u0301", "\u0323")


def _tone(base: str, index: int) -> str:
    return unicodedata.normalize("NFC", base + _TONE_MARKS[index])


TCVN3_TO_UNICODE: dict[str, str] = {chr(code): letter for code, letter in _TCVN3_BASES.items()}
for _base, _codes in _TCVN3_TONED_CODES.items():
    for _index, _code in enumerate(_codes):
        TCVN3_TO_UNICODE[chr(_code)] = _tone(_base, _index)
UNICODE_TO_TCVN3: dict[str, str] = {v: k for k, v in TCVN3_TO_UNICODE.items()}

# --- VNI (VNI-Windows fonts) -------------------------------------------------------------------------
# A vowel is its ASCII base letter followed by one mark character; a few letters are one character.
# Marks, lower-case font (upper-case letters use the upper-case mark characters):
#   tone on a plain vowel:   grave ø, hook û, tilde õ, acute ù, dot ï
#   circumflex (â ê ô):      â alone, with tone: grave à, hook å, tilde ã, acute á, dot ä
#   breve (ă):               ê alone, with tone: grave è, hook ú, tilde ü, acute é, dot ë
# One-character letters: ơ ô, ư ö, đ ñ; i with tones ì æ ó í ò; ỵ î.
_VNI_TONE = {"lower": "øûõùï", "upper": "ØÛÕÙÏ"}
_VNI_CIRC = {"lower": ("â", "àåãáä"), "upper": ("Â", "ÀÅÃÁÄ")}
_VNI_BREVE = {"lower": ("ê", "èúüéë"), "upper": ("Ê", "ÈÚÜÉË")}


def _build_vni() -> dict[str, str]:
    table: dict[str, str] = {}
    for case in ("lower", "upper"):
        up = case == "upper"

        def c(letter: str, up: bool = up) -> str:
            return letter.upper() if up else letter

        tone = _VNI_TONE[case]
        circ, circ_tones = _VNI_CIRC[case]
        breve, breve_tones = _VNI_BREVE[case]
        # plain vowels a e o u y and the one-character ơ ư take the plain tone marks
        for base, vni_base in (
            ("a", "a"),
            ("e", "e"),
            ("o", "o"),
            ("u", "u"),
            ("y", "y"),
            ("ơ", "ô"),
            ("ư", "ö"),
        ):
            letter, code = c(base), c(vni_base)
            table[code if base in "ơư" else letter] = letter if base not in "ơư" else c(base)
            for i, mark in enumerate(tone):
                table[code + mark] = _tone(letter, i)
        for base in ("a", "e", "o"):  # â ê ô
            letter = c({"a": "â", "e": "ê", "o": "ô"}[base])
            table[c(base) + circ] = letter
            for i, mark in enumerate(circ_tones):
                table[c(base) + mark] = _tone(letter, i)
        table[c("a") + breve] = c("ă")
        for i, mark in enumerate(breve_tones):
            table[c("a") + mark] = _tone(c("ă"), i)
        for i, mark in enumerate(("ì", "æ", "ó", "í", "ò")):
            table[c(mark)] = _tone(c("i"), i)
        table[c("ñ")] = c("đ")
        table[c("î")] = c("ỵ")
    # identity entries (plain letters) are not needed for decoding
    return {k: v for k, v in table.items() if k != v}


VNI_TO_UNICODE: dict[str, str] = _build_vni()
UNICODE_TO_VNI: dict[str, str] = {v: k for k, v in VNI_TO_UNICODE.items()}

_VNI_PATTERN = re.compile("|".join(re.escape(k) for k in sorted(VNI_TO_UNICODE, key=len, reverse=True)))
_UNI_TO_VNI_PATTERN = re.compile("|".join(re.escape(k) for k in UNICODE_TO_VNI))


def tcvn3_to_unicode(text: str) -> str:
    return "".join(TCVN3_TO_UNICODE.get(ch, ch) for ch in text)


def unicode_to_tcvn3(text: str) -> str:
    """For tests and fixtures: upper-case toned letters fall back to their lower-case codes."""
    text = unicodedata.normalize("NFC", text)
    out = []
    for ch in text:
        if ch in UNICODE_TO_TCVN3:
            out.append(UNICODE_TO_TCVN3[ch])
        elif ch.lower() in UNICODE_TO_TCVN3 and ch.lower() != ch:
            out.append(UNICODE_TO_TCVN3[ch.lower()])
        else:
            out.append(ch)
    return "".join(out)


def unicode_to_cp1258(text: str) -> bytes:
    """For tests and fixtures: Windows-1258 keeps base letters (â, ơ, …) and writes tones as combining marks."""
    out = bytearray()
    for ch in unicodedata.normalize("NFC", text):
        try:
            out += ch.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        decomposed = unicodedata.normalize("NFD", ch)
        base = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in _TONE_MARKS))
        tones = "".join(c for c in decomposed if c in _TONE_MARKS)
        out += (base + tones).encode("cp1258")
    return bytes(out)


def vni_to_unicode(text: str) -> str:
    return _VNI_PATTERN.sub(lambda m: VNI_TO_UNICODE[m.group(0)], text)


def unicode_to_vni(text: str) -> str:
    return _UNI_TO_VNI_PATTERN.sub(lambda m: UNICODE_TO_VNI[m.group(0)], unicodedata.normalize("NFC", text))


# --- recognising a legacy encoding ---------------------------------------------------------------
_VIET_LETTERS = frozenset(
    "àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ"
    "ÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬÈÉẺẼẸÊỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢÙÚỦŨỤƯỪỨỬỮỰỲÝỶỸỴĐ"
)
# Letters that exist in Latin-1 but only in Vietnamese when together with the above (à á â ã è é ê ì í ò
# ó ô õ ù ú ý) are ambiguous; ă đ ơ ư and the dot/hook letters never occur in Latin-1 text.
_ONLY_VIET = frozenset(ch for ch in _VIET_LETTERS if ord(ch) > 0xFF)


_TONE_SET = frozenset(_TONE_MARKS)
_NUCLEI = [
    "a",
    "ă",
    "â",
    "e",
    "ê",
    "i",
    "o",
    "ô",
    "ơ",
    "u",
    "ư",
    "y",
    "ai",
    "ao",
    "au",
    "ay",
    "âu",
    "ây",
    "eo",
    "êu",
    "ia",
    "iê",
    "iu",
    "oa",
    "oă",
    "oe",
    "oi",
    "ôi",
    "ơi",
    "oo",
    "ua",
    "uâ",
    "uê",
    "ui",
    "uô",
    "uơ",
    "ưa",
    "ưi",
    "ưu",
    "ươ",
    "uy",
    "yê",
    "iêu",
    "oai",
    "oao",
    "oay",
    "oeo",
    "uây",
    "uôi",
    "ươi",
    "ươu",
    "uya",
    "uyê",
    "uyu",
    "yêu",
]
_SYLLABLE = re.compile(
    "^(ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|b|c|d|đ|g|h|k|l|m|n|p|r|s|t|v|x)?("
    + "|".join(sorted(_NUCLEI, key=len, reverse=True))
    + ")(ch|ng|nh|c|m|n|p|t)?$"
)
_WORD = re.compile(r"[^\W\d_]+")


def _is_syllable(word: str) -> bool:
    decomposed = unicodedata.normalize("NFD", word.lower())
    tones = sum(1 for ch in decomposed if ch in _TONE_SET)
    if tones > 1:
        return False
    bare = unicodedata.normalize("NFC", "".join(ch for ch in decomposed if ch not in _TONE_SET))
    return _SYLLABLE.match(bare) is not None


def _viet_score(text: str) -> float:
    """Share of words with non-ASCII letters that are well-formed Vietnamese syllables."""
    words = [w for w in _WORD.findall(text) if not w.isascii()]
    if not words:
        return 0.0
    return sum(_is_syllable(w) for w in words) / len(words)


_LATIN_HIGH = re.compile("[\u00a0-\u00ff]")
_ONLY_VIET_RE = re.compile("[" + "".join(sorted(_ONLY_VIET)) + "]")


def fix_legacy(text: str) -> tuple[str, str | None]:
    """If `text` reads as TCVN3 or VNI shown in Latin-1, convert it; returns (text, encoding or None)."""
    sample = text[:50000]
    latin = len(_LATIN_HIGH.findall(sample))
    # Real Unicode Vietnamese (ơ, ư, đ, ạ … outnumber Latin-1 look-alikes): nothing to fix. Cheap, C-speed.
    if latin < 3 or len(_ONLY_VIET_RE.findall(sample)) > latin:
        return text, None
    before = _viet_score(sample)
    best_name, best_score = None, before
    for name, convert in (("tcvn3", tcvn3_to_unicode), ("vni", vni_to_unicode)):
        score = _viet_score(convert(sample))
        if score > best_score + 0.2:
            best_name, best_score = name, score
    if best_name is None:
        return text, None
    return (tcvn3_to_unicode(text) if best_name == "tcvn3" else vni_to_unicode(text)), best_name


# --- the decoding pipeline -------------------------------------------------------------------------
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_ALIASES = {"windows-1258": "cp1258", "x-viet-vps": "cp1258", "vn3": "latin-1", "tcvn": "latin-1"}


def _lookup(name: str | None) -> str | None:
    if not name:
        return None
    name = _ALIASES.get(name.strip().lower(), name.strip().lower())
    try:
        encoding = codecs.lookup(name).name
        # Python also registers bytes-to-bytes codecs (base64, zlib, rot13, …) and ones that refuse
        # everything (undefined): a page declaring one of them has declared nothing usable.
        b"a".decode(encoding)
    except (LookupError, UnicodeError, ValueError):  # ValueError: a NUL inside the name
        return None
    return encoding


def sniff_meta_charset(content: bytes) -> str | None:
    match = _META_CHARSET.search(content[:4096])
    return match.group(1).decode("ascii", "replace") if match else None


def decode_bytes(content: bytes, declared: str | None = None) -> tuple[str, str]:
    """Decode page or feed bytes; returns (normalised text, encoding used). Raises decode_error."""
    if content.startswith(codecs.BOM_UTF8):
        return _finish(content[3:].decode("utf-8", "replace"), "utf-8")
    encoding = _lookup(declared) or _lookup(sniff_meta_charset(content))
    text: str | None = None
    if encoding:
        try:
            text = content.decode(encoding)
        except UnicodeError:  # the declaration lies (idna and punycode raise the base class)
            text = None  # fall through to detection
    if text is None:
        try:
            text = content.decode("utf-8")
            encoding = "utf-8"
        except UnicodeDecodeError:
            text, encoding = _guess_single_byte(content)
    assert encoding is not None
    return _finish(text, encoding)


def _guess_single_byte(content: bytes) -> tuple[str, str]:
    """Undeclared, not UTF-8: Vietnamese single-byte candidates first, then general detection."""
    candidates: list[tuple[float, str, str]] = []
    cp1258 = unicodedata.normalize("NFC", content.decode("cp1258", "replace"))
    candidates.append((_viet_score(cp1258), cp1258, "cp1258"))
    try:
        latin = content.decode("cp1252")
    except UnicodeDecodeError:
        latin = content.decode("latin-1")
    fixed, legacy = fix_legacy(latin)
    if legacy:
        candidates.append((_viet_score(fixed), fixed, legacy))
    score, text, encoding = max(candidates, key=lambda item: item[0])
    if score >= 0.3 and text.count("\ufffd") <= len(text) // 200:
        return text, encoding
    best = from_bytes(content[:65536]).best()
    if best is None or not best.encoding:
        raise FetchError("decode_error", "no character encoding fits")
    text = content.decode(best.encoding, "replace")
    if text.count("\ufffd") > max(10, len(text) // 100):
        raise FetchError("decode_error", f"too many undecodable bytes as {best.encoding}")
    return text, best.encoding


def _finish(text: str, encoding: str) -> tuple[str, str]:
    if encoding in ("latin-1", "iso8859-1", "cp1252", "windows-1252", "utf-8", "ascii"):
        text, legacy = fix_legacy(text)
        if legacy:
            encoding = legacy
    return normalize_text(text), encoding

"""Vietnamese text normalisation shared by ingestion, analysis and search.

Everything is NFC with one tone-mark placement (the classic one: `hòa`, `thủy`, `Thanh Hóa`), so
`hoà`/`hòa` and `thuỷ`/`thủy` are the same word.
"""

from __future__ import annotations

import re
import unicodedata

_TONED = {
    "a": "àáảãạ",
    "e": "èéẻẽẹ",
    "y": "ỳýỷỹỵ",
    "A": "ÀÁẢÃẠ",
    "E": "ÈÉẺẼẸ",
    "Y": "ỲÝỶỸỴ",
}
_BASE = {"a": "o", "e": "o", "y": "u", "A": "O", "E": "O", "Y": "U"}
_TONED_O = {"o": "òóỏõọ", "O": "ÒÓỎÕỌ", "u": "ùúủũụ", "U": "ÙÚỦŨỤ"}

# "oà", "oè", "uỳ" at the end of a syllable → "òa", "òe", "ùy" (no consonant may follow).
_MAP: dict[str, str] = {}
for second, toned in _TONED.items():
    first = _BASE[second]
    for first_case in (first.lower(), first.upper()):
        for tone_index, toned_char in enumerate(toned):
            _MAP[first_case + toned_char] = _TONED_O[first_case][tone_index] + second
_PATTERN = re.compile("(" + "|".join(map(re.escape, _MAP)) + r")(?![^\W\d_])")
# "qu" + tone on y ("quý") must stay: there the "u" belongs to the consonant.
_QU = re.compile(r"(?i)q$")


def _swap(match: re.Match[str]) -> str:
    start = match.start()
    if start > 0 and _QU.search(match.string[start - 1 : start]):
        return match.group(0)
    return _MAP[match.group(0)]


def normalize_text(text: str) -> str:
    """NFC plus consistent tone-mark placement; whitespace runs inside lines collapsed."""
    if not text:
        return ""
    text = unicodedata.normalize("NFC", text)
    return _PATTERN.sub(_swap, text)


def fold_diacritics(text: str) -> str:
    """Lower-case ASCII folding for matching text typed without diacritics: 'Thanh Hóa' → 'thanh hoa'."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn").lower()


def strip_diacritics(text: str) -> str:
    """Remove tone and vowel marks but keep letter case and length: 'Thanh Hóa' → 'Thanh Hoa'.

    Each precomposed character maps to exactly one character, so offsets found in the stripped text
    are valid in the original text.
    """
    return text.translate(_STRIP_TABLE)


def diacritics_ratio(text: str) -> float:
    """Share of letters that carry a Vietnamese mark; near 0 for text typed without diacritics."""
    letters = 0
    marked = 0
    for ch in text:
        if ch.isalpha():
            letters += 1
            if ch in _STRIP_TABLE_KEYS:
                marked += 1
    return marked / letters if letters else 0.0


def _build_strip_table() -> dict[int, str]:
    table: dict[int, str] = {}
    for code in range(0xC0, 0x1EFA):
        ch = chr(code)
        if not ch.isalpha():
            continue
        if ch in "đĐ":
            table[code] = "d" if ch == "đ" else "D"
            continue
        base = "".join(c for c in unicodedata.normalize("NFD", ch) if unicodedata.category(c) != "Mn")
        if len(base) == 1 and base != ch and base.isascii():
            table[code] = base
    return table


_STRIP_TABLE = _build_strip_table()
_STRIP_TABLE_KEYS = frozenset(chr(c) for c in _STRIP_TABLE)

"""Places of Thanh Hóa found in an article, with the role each mention plays.

The names come from pressdesk/nlp/data/gazetteer.json (built once by `build_gazetteer`). One
Aho-Corasick automaton runs over the case-folded text; a second one, over diacritics-stripped names,
serves text typed without diacritics (used only when the text has almost no marks, because without
marks "Thanh Hoa" is also "Thanh Hòa", a person, or "Thạnh Hóa", a district of Long An).

Every mention gets a *role*:
  place    – the province or one of its places, counts fully;
  weak     – a name shared with other provinces (or a bare commune name): counts only when the
             article also has a `place` mention (supporting context);
  origin   – "quê Thanh Hóa", "(SN 1990, trú tại …)": a person's home, not the story's place;
  plate    – a vehicle's registration ("biển số Thanh Hóa");
  list     – one item of a list of provinces ("từ Thanh Hóa đến Phú Yên");
  deputy   – a National Assembly deputy's constituency ("ĐB Bùi Sỹ Lợi (Thanh Hóa)");
  club     – the football club (FLC Thanh Hóa, CLB Thanh Hóa, or a bare name in a match report);
  person   – a person's name ("chị Thanh Hóa", "ông Nguyễn Thanh Hoa");
  street   – a street named after the province in another city ("đường Thanh Hóa, Đà Nẵng");
  foreign  – another unit with the same name ("xã Thanh Hóa, huyện Tuyên Hóa").
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import ahocorasick

from pressdesk.nlp.text import diacritics_ratio, normalize_text, strip_diacritics

DATA_PATH = Path(__file__).resolve().parent / "data" / "gazetteer.json"
PROVINCE_KEY = "thanh hóa"
COUNTED_ROLES = frozenset({"place", "weak"})
# Below this share of marked letters the text is treated as typed without diacritics.
UNACCENTED_RATIO = 0.03

_TITLES = {
    "anh", "chị", "ông", "bà", "em", "cô", "chú", "bác", "cháu", "cụ", "bé", "thầy", "cậu", "nàng",
    "chàng", "nsnd", "nsưt", "ca sĩ", "nghệ sĩ", "ntk", "mc", "bạn", "họa sĩ", "nhà văn", "nhà thơ",
    "thiếu tá", "trung tá", "đại tá", "thượng tá", "đại úy", "nhạc sĩ", "diễn viên", "người mẫu",
    "hoa hậu", "á hậu", "bệnh nhân", "nạn nhân", "đối tượng", "bị cáo", "cầu thủ", "thủ môn",
}  # fmt: skip
_SURNAMES = {
    "nguyễn", "trần", "lê", "phạm", "hoàng", "huỳnh", "phan", "vũ", "võ", "đặng", "bùi", "đỗ", "hồ",
    "ngô", "dương", "lý", "đinh", "trịnh", "đào", "lương", "lâm", "tạ", "cao", "vương", "tô", "trương",
    "chu", "quách", "lưu", "đoàn", "thái", "kiều", "tăng", "văn", "thị", "hữu", "đình", "bành", "la",
    "mạc", "triệu", "từ", "âu", "khúc", "thân", "ninh", "phùng", "diệp", "doãn", "giang", "hà",
}  # fmt: skip
_STREET_WORDS = {"đường", "phố", "ngõ", "hẻm", "ngách", "kiệt"}
_CLUB_WORDS = {"flc", "clb", "đội", "á", "fc"}
_DISTRICT_PREFIX = re.compile(r"(?:huyện|thị xã|thành phố|tp\.?|h\.|tx\.?)\s*$")
_COMMUNE_PREFIX = re.compile(r"(?:xã|phường|thị trấn|p\.|tt\.?|x\.)\s*$")
_CITY_PREFIX = re.compile(r"(?:thành phố|tp\.?)\s*$")
_PROVINCE_PREFIX = re.compile(r"tỉnh\s*$")
_ORIGIN = re.compile(
    r"(?:\bquê\b|\bquê quán\b|\bgốc\b|\btrú\b|\bngụ\b|\bsinh ra\b|\bsn\s*\d{4}|\bsinh năm\b)"
)
_ORIGIN_PERSON = re.compile(r"\bngười\s*$")
_PLATE = re.compile(r"(?:biển số|biển kiểm soát|\bbks\b|mang biển|biển xanh)[^.;\n]{0,20}$")
_DEPUTY = re.compile(r"(?:\bđb\b|đại biểu|\bđbqh\b)[^.;\n]{0,45}\(\s*$")
_SPORTS = re.compile(
    r"v[.\- ]?league|\bhlv\b|\bclb\b|cầu thủ|bàn thắng|trận đấu|tiền đạo|thủ môn|hậu vệ|tiền vệ|"
    r"bóng đá|\bcúp\b|vòng \d+|\bflc\b|sân vận động|\bsvđ\b|ghi bàn"
)
_SEPARATORS = r"(?:,|và|đến|tới|-|–|—|/)"


@dataclass(frozen=True)
class Entry:
    code: str
    name: str
    level: str
    ambiguous: bool
    type: str = ""


@dataclass
class PlaceMention:
    code: str
    name: str
    level: str
    field: str  # title | lead | body
    start: int
    end: int
    role: str
    surface: str

    @property
    def counted(self) -> bool:
        return self.role in COUNTED_ROLES


def _fold(text: str) -> str:
    return strip_diacritics(text).lower()


def _lower(text: str) -> str:
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered
    # A few characters (İ) grow when lower-cased; keep offsets aligned.
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)


def _capitalised(surface: str) -> bool:
    return all(word[:1].isupper() for word in surface.split())


def _is_word_char(ch: str) -> bool:
    return ch.isalnum()


class Gazetteer:
    """Load once (see `get_gazetteer`); `find` is thread-safe and allocation-light."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data
        self.province = Entry(data["province"]["code"], data["province"]["name"], "province", False)
        self.entries: list[Entry] = []
        self.counts = data["counts"]
        # key (lower-case) -> list of (entry index, is_alias)
        accented: dict[str, list[tuple[int, bool]]] = {}
        for raw in data["entries"]:
            idx = len(self.entries)
            self.entries.append(
                Entry(raw["code"], raw["name"], raw["level"], bool(raw.get("ambiguous")), raw.get("type", ""))
            )
            if raw["level"] in ("landmark", "body"):
                for alias in raw["aliases"]:
                    accented.setdefault(_lower(alias), []).append((idx, True))
            else:
                accented.setdefault(_lower(raw["name"]), []).append((idx, False))
        self.district_by_name: dict[str, Entry] = {
            e.name: e for e in self.entries if e.level == "district" and e.code.startswith("dist:3")
        }
        self.city = next(e for e in self.entries if e.code == "dist:380")
        self._auto = self._automaton(accented, fold=False)
        self._auto_folded = self._automaton(accented, fold=True)
        others = sorted(set(data["other_provinces"]) | set(data["regions"]), key=len, reverse=True)
        self._list_before = re.compile(
            "(?:"
            + "|".join(re.escape(_lower(o)) for o in others)
            + r")\s*(?:\([^)]{0,30}\)\s*)?"
            + _SEPARATORS
            + r"\s*$"
        )
        self._list_after = re.compile(
            r"^\s*(?:\([^)]{0,30}\)\s*)?"
            + _SEPARATORS
            + r"\s*(?:"
            + "|".join(re.escape(_lower(o)) for o in others)
            + ")"
        )
        self._others = re.compile(r"\b(?:" + "|".join(re.escape(_lower(o)) for o in others) + r")\b")
        self._others_f = re.compile(_fold(self._others.pattern))
        self._list_before_f = re.compile(_fold(self._list_before.pattern))
        self._list_after_f = re.compile(_fold(self._list_after.pattern))
        self._patterns_f = {
            name: re.compile(_fold(p.pattern))
            for name, p in {
                "district": _DISTRICT_PREFIX,
                "commune": _COMMUNE_PREFIX,
                "city": _CITY_PREFIX,
                "province": _PROVINCE_PREFIX,
                "origin": _ORIGIN,
                "origin_person": _ORIGIN_PERSON,
                "plate": _PLATE,
                "deputy": _DEPUTY,
            }.items()
        }
        self._titles_f = {_fold(t) for t in _TITLES}
        self._surnames_f = {_fold(s) for s in _SURNAMES}
        self._street_f = {_fold(s) for s in _STREET_WORDS}

    def _automaton(self, keys: dict[str, list[tuple[int, bool]]], *, fold: bool) -> Any:
        auto = ahocorasick.Automaton()
        merged: dict[str, list[tuple[int, bool]]] = {}
        for key, values in keys.items():
            merged.setdefault(_fold(key) if fold else key, []).extend(values)
        merged.setdefault(_fold(PROVINCE_KEY) if fold else PROVINCE_KEY, [])
        for key, values in merged.items():
            auto.add_word(key, (len(key), key, tuple(values)))
        auto.make_automaton()
        return auto

    # -- public API -----------------------------------------------------------------------------
    def find(
        self,
        title: str,
        lead: str = "",
        body: str = "",
        *,
        published_year: int | None = None,
        normalized: bool = False,
    ) -> list[PlaceMention]:
        if not normalized:
            title, lead, body = normalize_text(title), normalize_text(lead), normalize_text(body)
        text = f"{title}\n{lead}\n{body}"
        lead_start = len(title) + 1
        body_start = lead_start + len(lead) + 1
        folded = diacritics_ratio(text[:3000]) < UNACCENTED_RATIO
        search = _fold(text) if folded else _lower(text)
        auto = self._auto_folded if folded else self._auto
        sports = len(_SPORTS.findall(_lower(text[:1500] if not folded else text[:1500]))) >= 3 and not folded
        if folded:
            sports = len(re.findall(_fold(_SPORTS.pattern), search[:1500])) >= 3

        raw: list[tuple[int, int, str, tuple[tuple[int, bool], ...]]] = []
        for end, (length, key, values) in auto.iter(search):
            start = end - length + 1
            if start > 0 and _is_word_char(search[start - 1]):
                continue
            if end + 1 < len(search) and _is_word_char(search[end + 1]):
                continue
            if not any(alias for _, alias in values) and not _capitalised(text[start : end + 1]):
                continue  # place names are written capitalised; "thiết kế", "phát thanh hóa" are words
            raw.append((start, end + 1, key, values))
        raw.sort(key=lambda m: (m[0], -(m[1] - m[0])))
        kept: list[tuple[int, int, str, tuple[tuple[int, bool], ...]]] = []
        last_end = -1
        for match in raw:
            if match[0] >= last_end:
                kept.append(match)
                last_end = match[1]

        mentions: list[PlaceMention] = []
        for start, end, key, values in kept:
            field = "title" if start < lead_start else ("lead" if start < body_start else "body")
            mention = self._classify(text, search, start, end, key, values, folded, sports, published_year)
            if mention is None:
                continue
            mention.field = field
            mentions.append(mention)
        # Shared names need supporting context: an unambiguous place of the province elsewhere.
        if not any(m.role == "place" for m in mentions):
            for m in mentions:
                if m.role == "weak":
                    m.role = "unsupported"
        return mentions

    # -- classification ------------------------------------------------------------------------
    def _classify(
        self,
        text: str,
        search: str,
        start: int,
        end: int,
        key: str,
        values: tuple[tuple[int, bool], ...],
        folded: bool,
        sports: bool,
        published_year: int | None,
    ) -> PlaceMention | None:
        before = search[max(0, start - 90) : start]
        after = search[end : end + 60]
        pat = self._patterns_f if folded else None

        def has(name: str, compiled: re.Pattern[str], window: str) -> bool:
            return bool((pat[name] if pat else compiled).search(window))

        prev_tokens = re.findall(r"[\w.]+", before[-40:])
        prev = prev_tokens[-1] if prev_tokens else ""
        prev2 = " ".join(prev_tokens[-2:]) if len(prev_tokens) >= 2 else prev
        orig_prev = re.findall(r"[\w.]+", text[max(0, start - 40) : start])
        orig_prev_token = orig_prev[-1] if orig_prev else ""
        adjacent = start > 0 and text[start - 1] == " " and (start < 2 or _is_word_char(text[start - 2]))
        titles = self._titles_f if folded else _TITLES
        surnames = self._surnames_f if folded else _SURNAMES
        streets = self._street_f if folded else _STREET_WORDS
        surface = text[start:end]

        # A person's name ("chị Thanh Hòa", "Nguyễn Thanh Hoa") is never a place.
        if adjacent and (prev in titles or prev2 in titles):
            return self._mention(self.province, start, end, "person", surface)
        if adjacent and prev in surnames and orig_prev_token[:1].isupper():
            return self._mention(self.province, start, end, "person", surface)

        is_province_key = key == (_fold(PROVINCE_KEY) if folded else PROVINCE_KEY)
        if is_province_key:
            city = has("city", _CITY_PREFIX, before)
            if adjacent and prev in streets and not city:
                return self._mention(self.province, start, end, "street", surface)
            # "xã Thanh Hóa" is a commune of Quảng Bình; "Đại học Thanh Hoa" is Tsinghua (Beijing).
            if adjacent and prev in ("xã", "xa", "học", "hoc"):
                return self._mention(self.province, start, end, "foreign", surface)
            if adjacent and (prev in _CLUB_WORDS or re.fullmatch(r"u\d{2}", prev)):
                return self._mention(self.province, start, end, "club", surface)
            entry = self.province
            explicit = False
            if city:
                entry, explicit = self.city, True
            elif has("province", _PROVINCE_PREFIX, before):
                explicit = True
            if sports and not explicit:
                return self._mention(self.province, start, end, "club", surface)
            role = self._context_role(before, after, folded)
            return self._mention(entry, start, end, role, surface)

        picked, strength = self._pick(values, before, folded, published_year)
        if picked is None:
            return None
        role = self._context_role(before, after, folded, lists=picked.level == "district")
        if role == "place" and picked.level.startswith("commune") and self._elsewhere(after, folded):
            role = "foreign"
        elif role == "place" and strength == "weak":
            role = "weak"
        return self._mention(picked, start, end, role, surface)

    def _elsewhere(self, after: str, folded: bool) -> bool:
        """'xã Quảng Phú, huyện Quảng Điền, Thừa Thiên Huế': the next province named is another one."""
        clause = re.split(r"[.;!?\n(]", after)[0][:60]
        others = self._others_f if folded else self._others
        found = others.search(clause)
        province = _fold(PROVINCE_KEY) if folded else PROVINCE_KEY
        return found is not None and province not in clause[: found.start()]

    def _pick(
        self,
        values: tuple[tuple[int, bool], ...],
        before: str,
        folded: bool,
        published_year: int | None,
    ) -> tuple[Entry | None, str]:
        pat = self._patterns_f if folded else None
        district_prefix = bool((pat["district"] if pat else _DISTRICT_PREFIX).search(before))
        commune_prefix = bool((pat["commune"] if pat else _COMMUNE_PREFIX).search(before))
        candidates = [(self.entries[i], alias) for i, alias in values]
        aliases = [e for e, alias in candidates if alias]
        if aliases:
            return aliases[0], "strong"
        districts = [e for e, _ in candidates if e.level == "district"]
        communes_new = [e for e, _ in candidates if e.level == "commune"]
        communes_old = [e for e, _ in candidates if e.level == "commune_legacy"]
        prefer_new = published_year is not None and published_year >= 2026
        communes = (communes_new or communes_old) if prefer_new else (communes_old or communes_new)
        if commune_prefix and communes:
            entry = communes[0]
            return entry, "weak" if entry.ambiguous else "strong"
        if districts and not commune_prefix:
            entry = districts[0]
            if district_prefix:
                return entry, "strong"
            return entry, "weak" if entry.ambiguous else "strong"
        if communes and not district_prefix:
            entry = communes[0]
            if entry.ambiguous:
                return None, ""
            return entry, "weak"
        return None, ""

    def _context_role(self, before: str, after: str, folded: bool, *, lists: bool = True) -> str:
        clause = re.split(r"[.;!?\n]", before)[-1][-80:]
        pat = self._patterns_f if folded else None
        if (pat["plate"] if pat else _PLATE).search(clause):
            return "plate"
        if (pat["deputy"] if pat else _DEPUTY).search(clause):
            return "deputy"
        if (pat["origin"] if pat else _ORIGIN).search(clause) or (
            pat["origin_person"] if pat else _ORIGIN_PERSON
        ).search(clause):
            return "origin"
        if not lists:
            return "place"
        list_before = self._list_before_f if folded else self._list_before
        list_after = self._list_after_f if folded else self._list_after
        if list_before.search(before[-60:]) or list_after.search(after):
            return "list"
        return "place"

    @staticmethod
    def _mention(entry: Entry, start: int, end: int, role: str, surface: str) -> PlaceMention:
        return PlaceMention(entry.code, entry.name, entry.level, "body", start, end, role, surface)


@lru_cache(maxsize=1)
def get_gazetteer() -> Gazetteer:
    return Gazetteer(json.loads(DATA_PATH.read_text(encoding="utf-8")))


def summarise(mentions: Iterable[PlaceMention]) -> list[dict[str, Any]]:
    """Counted places, most mentioned first: [{"code","name","level","count"}]."""
    by_code: dict[str, dict[str, Any]] = {}
    for m in mentions:
        if not m.counted:
            continue
        item = by_code.setdefault(m.code, {"code": m.code, "name": m.name, "level": m.level, "count": 0})
        item["count"] += 1
    return sorted(by_code.values(), key=lambda p: (-p["count"], p["code"]))

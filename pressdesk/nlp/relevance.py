"""Is the article about the province? A score from the place mentions and a four-way decision.

score = Σ over counted mentions of  role weight × level weight × position weight
        + a bonus per distinct place beyond the first (cap 3)
relevance = 1 − exp(−score / SCALE) in [0, 1).

Decision (thresholds tuned on the dev split only, see benchmarks/analysis_eval.py):
  subject      – the title names the province or a place of it and score ≥ SUBJECT_MIN;
  substantial  – score ≥ SUBSTANTIAL_MIN when the title or lead has a counted mention, else
                 score ≥ BODY_ONLY_MIN;
  passing      – at least one mention, counted or not;
  none         – no mention at all.
about_province = subject or substantial.

With a trained model (models["about"], see `train`), about_province is instead a logistic regression
on `about_features`: the same mention score and decision, the counted mentions by position, the
mentions that do not count (home towns, lists, clubs...), and the other provinces the article
names (a story set in Thanh Hóa rarely names many others; a list or a round-up does). The decision
label then follows it: subject/substantial when about the province, else passing/none. An article
with no counted mention is never about the province.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import ahocorasick

from pressdesk.nlp.gazetteer import PlaceMention
from pressdesk.nlp.text import normalize_text

ROLE_WEIGHT = {"place": 1.0, "weak": 0.6}
LEVEL_WEIGHT = {
    "province": 1.0,
    "district": 1.0,
    "commune_legacy": 0.9,
    "commune": 0.9,
    "landmark": 1.0,
    "body": 1.3,
}
POSITION_WEIGHT = {"title": 3.0, "lead": 2.0, "body": 1.0}
# A story set in the province usually says so early in the body too.
EARLY_BODY_CHARS = 600
EARLY_BODY_WEIGHT = 1.4
DISTINCT_BONUS = 0.5
SCALE = 4.0
SUBJECT_MIN = 3.5
SUBSTANTIAL_MIN = 3.5
# Mentions only deep in the body are mostly people's home towns, lists, asides: ask for more.
BODY_ONLY_MIN = 6.0


@dataclass(frozen=True)
class Relevance:
    score: float
    relevance: float
    decision: str

    @property
    def about_province(self) -> bool:
        return self.decision in ("subject", "substantial")


def assess(mentions: Sequence[PlaceMention], body_offset: int | None = None) -> Relevance:
    score = 0.0
    distinct: set[str] = set()
    for m in mentions:
        if not m.counted:
            continue
        weight = ROLE_WEIGHT[m.role] * LEVEL_WEIGHT.get(m.level, 1.0) * POSITION_WEIGHT[m.field]
        if m.field == "body" and body_offset is not None and m.start - body_offset < EARLY_BODY_CHARS:
            weight *= EARLY_BODY_WEIGHT
        score += weight
        distinct.add(m.code)
    score += DISTINCT_BONUS * min(3, max(0, len(distinct) - 1))
    relevance = round(1.0 - math.exp(-score / SCALE), 4)
    title_hit = any(m.counted and m.field == "title" for m in mentions)
    early_hit = any(m.counted and m.field in ("title", "lead") for m in mentions)
    if title_hit and score >= SUBJECT_MIN:
        decision = "subject"
    elif score >= (SUBSTANTIAL_MIN if early_hit else BODY_ONLY_MIN):
        decision = "substantial"
    elif mentions:
        decision = "passing"
    else:
        decision = "none"
    return Relevance(round(score, 3), relevance, decision)


UNCOUNTED_ROLES = ("origin", "plate", "list", "deputy", "club", "person", "street", "foreign", "unsupported")
# Other names of Hồ Chí Minh City ("Hồ Chí Minh" alone is mostly the president).
CITY_NAMES = ("TP.HCM", "TP HCM", "TPHCM", "TP. HCM", "TP.Hồ Chí Minh", "TP Hồ Chí Minh", "Sài Gòn")
FEATURE_NAMES = (
    "log score",
    "subject",
    "substantial",
    "title",
    "lead",
    "early body",
    "late body",
    "distinct places",
    *UNCOUNTED_ROLES,
    "other provinces: title",
    "other provinces: lead",
    "other provinces: early body",
    "other provinces: late body",
    "share of province mentions",
    "share of province mentions, early",
    "log body length",
)


@lru_cache(maxsize=1)
def _other_provinces() -> ahocorasick.Automaton:
    """The other 62 provinces (2017 names, from vietnamadminunits), matched case-sensitively."""
    from vietnamadminunits.database import query

    names = {
        normalize_text(r["provinceShort"])
        for r in query("select distinct provinceShort from admin_units_legacy")
    }
    names -= {"Thanh Hóa", "Hồ Chí Minh"}
    auto = ahocorasick.Automaton()
    for name in names | set(CITY_NAMES):
        auto.add_word(name, len(name))
    auto.make_automaton()
    return auto


def count_other_provinces(text: str) -> int:
    count = 0
    for end, length in _other_provinces().iter(text):
        start = end - length + 1
        if start > 0 and text[start - 1].isalnum():
            continue
        if end + 1 < len(text) and text[end + 1].isalnum():
            continue
        # "Điện Biên Phủ", "Hà Nội FC": a longer proper name, not the province.
        if text[end + 1 : end + 2] == " " and text[end + 2 : end + 3].isupper():
            continue
        count += 1
    return count


def about_features(
    mentions: Sequence[PlaceMention], rel: Relevance, title: str, lead: str, body: str
) -> list[float]:
    body_offset = len(title) + len(lead) + 2
    where = {"title": 0, "lead": 0, "early": 0, "late": 0}
    for m in mentions:
        if m.counted:
            if m.field == "body":
                where["early" if m.start - body_offset < EARLY_BODY_CHARS else "late"] += 1
            else:
                where[m.field] += 1
    distinct = len({m.code for m in mentions if m.counted})
    roles = [sum(1 for m in mentions if m.role == role) for role in UNCOUNTED_ROLES]
    others = [
        count_other_provinces(title),
        count_other_provinces(lead),
        count_other_provinces(body[:EARLY_BODY_CHARS]),
        count_other_provinces(body[EARLY_BODY_CHARS:]),
    ]
    ours = sum(where.values())
    ours_early = where["title"] + where["lead"] + where["early"]
    others_early = sum(others[:3])
    return [
        math.log1p(rel.score),
        float(rel.decision == "subject"),
        float(rel.decision == "substantial"),
        *(math.log1p(v) for v in where.values()),
        math.log1p(distinct),
        *(math.log1p(v) for v in roles),
        *(math.log1p(v) for v in others),
        ours / (ours + sum(others)) if ours + sum(others) else 0.0,
        ours_early / (ours_early + others_early) if ours_early + others_early else 0.0,
        math.log1p(len(body) / 1000),
    ]


def learned(rel: Relevance, mentions: Sequence[PlaceMention], probability: float) -> Relevance:
    """The rule decision replaced by the trained model's (probability that the article is about
    the province); the score and relevance stay those of the place mentions."""
    counted = any(m.counted for m in mentions)
    if counted and probability >= 0.5:
        title_hit = any(m.counted and m.field == "title" for m in mentions)
        decision = "subject" if title_hit else "substantial"
    else:
        decision = "passing" if mentions else "none"
    return Relevance(rel.score, rel.relevance, decision)


def predict_about(model: Any, rows: list[list[float]]) -> list[float]:
    if not rows:
        return []
    classes = list(model.classes_)
    proba = model.predict_proba(rows)
    return [float(p) for p in proba[:, classes.index(True)]]

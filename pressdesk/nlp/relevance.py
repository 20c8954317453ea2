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
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from pressdesk.nlp.gazetteer import PlaceMention

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

"""Scores of the Analyser on the labelled set (used by benchmarks/analysis_eval.py and the CI gate)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from pressdesk.nlp.analyser import Analyser, Result
from pressdesk.nlp.corpus import load_labels, texts_for

AREAS = [1, 2, 3, 4, 5]


@dataclass
class PRF:
    tp: int
    fp: int
    fn: int

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def support(self) -> int:
        return self.tp + self.fn

    def line(self, name: str) -> str:
        return (
            f"{name:<28} P={self.precision:.3f} R={self.recall:.3f} F1={self.f1:.3f} (support {self.support})"
        )


def prf(gold: Sequence[bool], pred: Sequence[bool]) -> PRF:
    tp = sum(1 for g, p in zip(gold, pred, strict=True) if g and p)
    fp = sum(1 for g, p in zip(gold, pred, strict=True) if not g and p)
    fn = sum(1 for g, p in zip(gold, pred, strict=True) if g and not p)
    return PRF(tp, fp, fn)


@dataclass
class SplitScores:
    name: str
    n: int
    about: PRF
    negative: PRF
    false_info: PRF
    area: dict[int, PRF]
    area_macro_f1: float
    area_classes: list[int]
    confusion: dict[tuple[int, int], int]
    area_n: int
    area_clf_macro_f1: float

    def report(self) -> str:
        lines = [f"== {self.name}: {self.n} articles", self.about.line("about_province")]
        lines.append(self.negative.line("tone = negative"))
        lines.append(self.false_info.line("false_info"))
        lines.append(f"area (on {self.area_n} articles labelled about the province; 0 = no area):")
        for k in AREAS:
            lines.append("  " + self.area[k].line(f"area {k}"))
        classes = ",".join(map(str, self.area_classes))
        lines.append(f"  area macro-F1 over areas with support ({classes}) = {self.area_macro_f1:.3f}")
        lines.append(
            f"  area macro-F1, classifier alone on gold about-province articles = {self.area_clf_macro_f1:.3f}"
        )
        labels = [0, *AREAS]
        lines.append("  confusion (rows gold, cols predicted): " + " ".join(f"{c:>4}" for c in labels))
        for g in labels:
            row = " ".join(f"{self.confusion.get((g, p), 0):>4}" for p in labels)
            lines.append(f"  {'':<37}{g:>2}: {row}")
        return "\n".join(lines)


def _area_scores(gold: list[int], pred: list[int]) -> tuple[dict[int, PRF], float, list[int]]:
    per = {k: prf([g == k for g in gold], [p == k for p in pred]) for k in AREAS}
    present = [k for k in AREAS if per[k].support]
    macro = sum(per[k].f1 for k in present) / len(present) if present else 0.0
    return per, macro, present


def score_split(
    name: str, rows: list[dict[str, Any]], results: list[Result], forced: list[int]
) -> SplitScores:
    about = prf([r["about_province"] for r in rows], [x.about_province for x in results])
    negative = prf([r["tone"] == "negative" for r in rows], [x.tone == "negative" for x in results])
    false_info = prf([r["false_info"] for r in rows], [x.false_info for x in results])
    area_rows = [(r, x, f) for r, x, f in zip(rows, results, forced, strict=True) if r["about_province"]]
    gold = [r["area"] or 0 for r, _, _ in area_rows]
    pred = [x.area or 0 for _, x, _ in area_rows]
    per, macro, present = _area_scores(gold, pred)
    _, clf_macro, _ = _area_scores(gold, [f for _, _, f in area_rows])
    confusion: dict[tuple[int, int], int] = {}
    for g, p in zip(gold, pred, strict=True):
        confusion[(g, p)] = confusion.get((g, p), 0) + 1
    return SplitScores(
        name,
        len(rows),
        about,
        negative,
        false_info,
        per,
        macro,
        present,
        confusion,
        len(area_rows),
        clf_macro,
    )


def evaluate(
    analyser: Analyser | None = None, splits: tuple[str, ...] = ("dev", "heldout")
) -> dict[str, SplitScores]:
    analyser = analyser or Analyser()
    labels = load_labels()
    texts = texts_for(row["id"] for row in labels)
    out = {}
    for split in splits:
        rows = [row for row in labels if row["split"] == split and row["id"] in texts]
        items = [
            {
                "id": r["id"],
                "title": texts[r["id"]]["title"],
                "lead": texts[r["id"]]["lead"],
                "text": texts[r["id"]]["body"],
            }
            for r in rows
        ]
        results = list(analyser.analyse_batch_full(items))
        forced = [analyser.plan_area_only(item) or 0 for item in items]
        out[split] = score_split(split, rows, results, forced)
    return out

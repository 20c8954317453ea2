"""Scores of the Analyser on the labelled set (used by benchmarks/analysis_eval.py and the CI gate)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from pressdesk.nlp.analyser import Analyser, Result
from pressdesk.nlp.corpus import load_area_labels, load_labels, texts_for

AREAS = [1, 2, 3, 4, 5]
# An area with one or two labelled articles swings the macro-F1 by up to 1/(number of areas):
# the report adds the macro-F1 over areas with at least this many articles.
MIN_SUPPORT = 5


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
    area_accuracy: float = 0.0
    area_macro_f1_supported: float = 0.0  # areas with at least MIN_SUPPORT articles
    # The area classifier on every article of the split whose subject's area is labelled (about the
    # province: "area"; not about it: "topic_area"), whatever the relevance decision: a steadier
    # figure of the classifier itself (the held-out split has 35 province articles with an area).
    subject_area: dict[int, PRF] | None = None
    subject_area_macro_f1: float = 0.0
    subject_area_n: int = 0

    @property
    def supported_areas(self) -> list[int]:
        return [k for k in self.area_classes if self.area[k].support >= MIN_SUPPORT]

    def report(self) -> str:
        lines = [f"== {self.name}: {self.n} articles", self.about.line("about_province")]
        lines.append(self.negative.line("tone = negative"))
        lines.append(self.false_info.line("false_info"))
        lines.append(f"area (on {self.area_n} articles labelled about the province; 0 = no area):")
        for k in AREAS:
            lines.append("  " + self.area[k].line(f"area {k}"))
        classes = ",".join(map(str, self.area_classes))
        lines.append(f"  area macro-F1 over areas with support ({classes}) = {self.area_macro_f1:.3f}")
        big = ",".join(map(str, self.supported_areas))
        lines.append(
            f"  (steadier: macro-F1 over areas with >= {MIN_SUPPORT} articles ({big}) = "
            f"{self.area_macro_f1_supported:.3f}; accuracy incl. no area = {self.area_accuracy:.3f})"
        )
        lines.append(
            f"  area macro-F1 with the relevance decision taken as right = {self.area_clf_macro_f1:.3f}"
        )
        labels = [0, *AREAS]
        lines.append("  confusion (rows gold, cols predicted): " + " ".join(f"{c:>4}" for c in labels))
        for g in labels:
            row = " ".join(f"{self.confusion.get((g, p), 0):>4}" for p in labels)
            lines.append(f"  {'':<37}{g:>2}: {row}")
        if self.subject_area:
            lines.append(
                f"area of the subject, classifier alone, on {self.subject_area_n} articles (about the "
                "province or not):"
            )
            for k in AREAS:
                lines.append("  " + self.subject_area[k].line(f"area {k}"))
            lines.append(f"  subject-area macro-F1 (areas 1-5) = {self.subject_area_macro_f1:.3f}")
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
    supported = [k for k in present if per[k].support >= MIN_SUPPORT]
    subject = [
        (i, (r["area"] or 0) if r["about_province"] else r["topic_area"])
        for i, r in enumerate(rows)
        if r["about_province"] or r.get("topic_area") is not None
    ]
    subject_per, subject_macro, _ = _area_scores([g for _, g in subject], [forced[i] for i, _ in subject])
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
        sum(1 for g, p in zip(gold, pred, strict=True) if g == p) / len(gold) if gold else 0.0,
        sum(per[k].f1 for k in supported) / len(supported) if supported else 0.0,
        subject_per if subject else None,
        subject_macro,
        len(subject),
    )


def _items(rows: list[dict[str, Any]], texts: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        {
            "id": r["id"],
            "title": texts[r["id"]]["title"],
            "lead": texts[r["id"]]["lead"],
            "text": texts[r["id"]]["body"],
        }
        for r in rows
    ]


def _run(analyser: Analyser, items: list[dict[str, Any]]) -> tuple[list[Result], list[int]]:
    results = list(analyser.analyse_batch_full(items))
    forced = [analyser.plan_area_only(item) or 0 for item in items]
    return results, forced


def evaluate(
    analyser: Analyser | None = None, splits: tuple[str, ...] = ("dev", "heldout")
) -> dict[str, SplitScores]:
    """Scores of one (the shipped) model. On "dev" these are training-fit figures for the trained
    parts (tone, area): see `cross_validate` for honest dev figures."""
    analyser = analyser or Analyser()
    labels = load_labels()
    texts = texts_for(row["id"] for row in labels)
    out = {}
    for split in splits:
        rows = [row for row in labels if row["split"] == split and row["id"] in texts]
        results, forced = _run(analyser, _items(rows, texts))
        out[split] = score_split(split, rows, results, forced)
    return out


STORY_SIMILARITY = 0.35  # cosine of TF-IDF vectors above which two articles tell the same story
CV_FOLDS = 5


def story_groups(texts: list[str], vectorizer: Any, threshold: float = STORY_SIMILARITY) -> list[int]:
    """Connected components of "same story" links: reports of one event must share a fold, or
    cross-validation learns the story rather than the area (the dev split has clusters of 2-10)."""
    from scipy.sparse.csgraph import connected_components

    X = vectorizer.transform(texts)
    sims = (X @ X.T).tocsr()
    sims.data[sims.data < threshold] = 0
    sims.eliminate_zeros()
    _, groups = connected_components(sims, directed=False)
    return [int(g) for g in groups]


def cross_validate(
    data: Any = None, *, folds: int = CV_FOLDS, seed: int = 0, log: bool = False
) -> SplitScores:
    """k-fold cross-validated scores on the dev split: each fold is analysed by models trained on the
    other folds (same training code as the shipped model, `train.fit_models`), folds grouped by story
    and stratified by label. The held-out split is not read. The TF-IDF vocabulary and the weak area
    labels come from unlabelled corpus text and are shared by the folds (no label enters them).
    Tone, about-province and the area models are retrained per fold. False information is a rule
    (tuned on dev, not trained): its figure equals the plain dev figure. Hand-made parts tuned by
    looking at dev (gazetteer roles, keyword lists, the area mix) are not refitted, so the CV
    figures still lean towards dev a little."""
    from sklearn.model_selection import StratifiedGroupKFold

    from pressdesk.nlp import train

    labels = load_labels()
    area_rows = load_area_labels()
    data = data or train.training_data(labels, area_rows, log=log)
    dev = [row for row in labels if row["split"] == "dev"]
    texts = texts_for(row["id"] for row in dev)
    dev = [row for row in dev if row["id"] in texts]
    groups = story_groups([data.texts[row["id"]] for row in dev], data.vectorizer)
    strata = [f"{row['about_province']}-{row['area']}" for row in dev]
    splitter = StratifiedGroupKFold(n_splits=folds, shuffle=True, random_state=seed)
    area_rows = [row for row in area_rows if row["id"] in data.texts]
    X_extra = data.vectorizer.transform([data.texts[row["id"]] for row in area_rows]) if area_rows else None
    results: list[Result | None] = [None] * len(dev)
    forced: list[int] = [0] * len(dev)
    for fold, (train_idx, test_idx) in enumerate(splitter.split(dev, strata, groups)):
        # An area-labelled article telling the story of a test article would leak its label.
        X_test = data.vectorizer.transform([data.texts[dev[i]["id"]] for i in test_idx])
        closest: np.ndarray = (
            np.zeros(0) if X_extra is None else np.asarray((X_extra @ X_test.T).max(axis=1).todense()).ravel()
        )
        extra = [row for row, sim in zip(area_rows, closest, strict=True) if sim < STORY_SIMILARITY]
        models = train.fit_models(data, [dev[i] for i in train_idx], extra)
        analyser = Analyser(models=models)
        fold_results, fold_forced = _run(analyser, _items([dev[i] for i in test_idx], texts))
        for i, r, f in zip(test_idx, fold_results, fold_forced, strict=True):
            results[i], forced[i] = r, f
        if log:
            print(
                f"fold {fold + 1}/{folds}: trained on {len(train_idx)} + {len(extra)} area labels, "
                f"analysed {len(test_idx)}"
            )
    done = [r for r in results if r is not None]
    return score_split(f"dev, {folds}-fold cross-validated (story-grouped)", dev, done, forced)

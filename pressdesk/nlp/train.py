"""Train the shipped models (development time; needs the corpus) → pressdesk/nlp/data/models.joblib.

    .venv/bin/python -m pressdesk.nlp.train

What is learnt, and from what (the held-out split is never read, not even for the TF-IDF vocabulary):
  vectorizer  TF-IDF on syllable 1–2-grams of title + lead + body start, fitted on the corpus
              minus the held-out articles (no word segmentation: it is too slow for the hot path);
  tone        logistic regression on TF-IDF + lexicon counts, trained on the dev split's labels;
  area        one-vs-rest logistic regression, classes 0 (none) and 1–5 (the 2024 plan's areas),
              trained on weak labels (corpus articles whose title/lead/body start carry strong
              keyword evidence for one area: the plan's area keywords, or crime/accident words for
              "none") plus the dev split's labels repeated GOLD_REPEAT times.
model_version = "nlp-2026.11-" + hash of (labels, plan, gazetteer, lexicon, parameters).
"""

from __future__ import annotations

import hashlib
import json
import time
from pathlib import Path
from typing import Any

import joblib
import numpy as np
from scipy.sparse import csr_matrix, hstack, vstack
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.multiclass import OneVsRestClassifier

from pressdesk.nlp import lexicon
from pressdesk.nlp.analyser import MODEL_PATH, NONE_AREA, _automaton, _weighted_hits
from pressdesk.nlp.corpus import LABELS_PATH, iter_corpus, load_labels
from pressdesk.nlp.features import prepare
from pressdesk.nlp.gazetteer import DATA_PATH as GAZETTEER_PATH
from pressdesk.nlp.plan import DEFAULT_PLAN_PATH, load_default_plan, normalise_plan

VERSION_PREFIX = "nlp-2026.11"
PARAMS: dict[str, Any] = {
    "tfidf": {
        "ngram_range": (1, 2),
        "min_df": 5,
        "max_df": 0.5,
        "max_features": 150000,
        "sublinear_tf": True,
    },
    "tone": {"C": 8.0},
    "area": {"C": 1.0},
    "weak": {"min_score": 4.0, "margin": 1.5},
    "gold_repeat": 10,
}
NONE_KEYWORDS = lexicon.NO_AREA


def vectorizer() -> TfidfVectorizer:
    p = PARAMS["tfidf"]
    return TfidfVectorizer(
        ngram_range=p["ngram_range"],
        min_df=p["min_df"],
        max_df=p["max_df"],
        max_features=p["max_features"],
        sublinear_tf=p["sublinear_tf"],
        token_pattern=r"(?u)\b\w+\b",  # noqa: S106 (a regex, not a password)
        dtype=np.float32,
    )


def version_hash() -> str:
    digest = hashlib.sha256()
    for path in (LABELS_PATH, DEFAULT_PLAN_PATH, GAZETTEER_PATH):
        digest.update(Path(path).read_bytes())
    digest.update(
        json.dumps([PARAMS, NONE_KEYWORDS, lexicon.CATEGORIES], ensure_ascii=False, default=str).encode()
    )
    return digest.hexdigest()[:8]


def weak_area_labels(texts: dict[str, str], exclude: set[str]) -> tuple[list[str], list[int]]:
    plan = normalise_plan(load_default_plan())
    groups: dict[Any, list[str]] = {a.number: a.keywords for a in plan.areas}
    groups[NONE_AREA] = NONE_KEYWORDS
    auto = _automaton(groups)
    ids, labels = [], []
    for article_id, text in texts.items():
        if article_id in exclude:
            continue
        hits = _weighted_hits(auto, text)
        if not hits:
            continue
        ranked = sorted(hits.items(), key=lambda kv: -kv[1])
        best, score = ranked[0]
        second = ranked[1][1] if len(ranked) > 1 else 0.0
        if score >= PARAMS["weak"]["min_score"] and score >= PARAMS["weak"]["margin"] * second:
            ids.append(article_id)
            labels.append(int(best))
    return ids, labels


def train(out: Path = MODEL_PATH) -> dict[str, Any]:
    started = time.time()
    labels = load_labels()
    heldout = {row["id"] for row in labels if row["split"] == "heldout"}
    dev = [row for row in labels if row["split"] == "dev"]
    labelled = {row["id"] for row in labels}
    texts: dict[str, str] = {}
    lex: dict[str, list[float]] = {}
    for article in iter_corpus():
        if article["id"] in heldout:
            continue
        p = prepare(article["title"], article["lead"], article["body"])
        texts[article["id"]] = p.clf_text
        if article["id"] in labelled:
            lex[article["id"]] = p.lex.as_features()
    print(f"prepared {len(texts)} articles in {time.time() - started:.0f}s")

    vec = vectorizer()
    vec.fit(texts.values())
    print(f"vocabulary {len(vec.vocabulary_)} at {time.time() - started:.0f}s")

    X_dev = vec.transform([texts[row["id"]] for row in dev])
    F_dev = csr_matrix(np.array([lex[row["id"]] for row in dev], dtype=np.float32))
    tone = LogisticRegression(C=PARAMS["tone"]["C"], max_iter=3000, class_weight="balanced")
    tone.fit(hstack([X_dev, F_dev]).tocsr(), [row["tone"] for row in dev])

    weak_ids, weak_y = weak_area_labels(texts, exclude=labelled)
    gold = [row for row in dev if row["about_province"]]
    X_gold = vec.transform([texts[row["id"]] for row in gold])
    y_gold = [row["area"] or NONE_AREA for row in gold]
    repeat = PARAMS["gold_repeat"]
    X_area = vstack([vec.transform([texts[i] for i in weak_ids])] + [X_gold] * repeat)
    y_area = np.array(weak_y + y_gold * repeat)
    area = OneVsRestClassifier(
        LogisticRegression(C=PARAMS["area"]["C"], solver="liblinear", class_weight="balanced")
    )
    area.fit(X_area, y_area)
    print(f"area classes {np.bincount(y_area)} at {time.time() - started:.0f}s")

    plan = normalise_plan(load_default_plan())
    models = {
        "version": f"{VERSION_PREFIX}-{version_hash()}",
        "vectorizer": vec,
        "tone": tone,
        "area": area,
        "canonical_area_numbers": [a.number for a in plan.areas],
        "canonical_area_docs": [a.document for a in plan.areas],
        "params": PARAMS,
        "trained_on": {
            "dev_labels": len(dev),
            "weak_area_labels": len(weak_ids),
            "gold_area_labels": len(gold),
        },
    }
    _shrink(models)
    joblib.dump(models, out, compress=3)
    print(
        f"wrote {out} ({out.stat().st_size / 1e6:.1f} MB) version={models['version']} in {time.time() - started:.0f}s"
    )
    return models


def _shrink(models: dict[str, Any]) -> None:
    """float32 weights and no stop-word list: a smaller file and faster loading."""
    vec = models["vectorizer"]
    if hasattr(vec, "stop_words_"):
        vec.stop_words_ = None
    for est in [models["tone"], *models["area"].estimators_]:
        est.coef_ = est.coef_.astype(np.float32)


if __name__ == "__main__":
    train()

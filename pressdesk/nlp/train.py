"""Train the shipped models (development time; needs the corpus) → pressdesk/nlp/data/models.joblib.

    .venv/bin/python -m pressdesk.nlp.train

What is learnt, and from what (the held-out split is never read, not even for the TF-IDF vocabulary):
  vectorizer  TF-IDF on syllable 1–2-grams of title + lead + body start, fitted on the corpus
              minus the held-out articles (no word segmentation: it is too slow for the hot path);
  tone        logistic regression on TF-IDF + lexicon counts, trained on the dev split's labels;
  area        one-vs-rest logistic regression on TF-IDF, classes 0 (none) and 1–5 (the 2024 plan's
              areas), trained on weak labels (corpus articles whose title/lead/body start carry
              strong keyword evidence for one area: the plan's area keywords, or crime/accident
              words for "none") plus the dev split's labels repeated gold_repeat times and the
              dev articles not about the province with the area of their subject ("topic_area",
              0 = none) repeated topic_repeat times, and the 2,766 corpus articles of
              area_labels.jsonl (the area of their subject, labelled by reading against
              tests/nlp/data/AREA-RUBRIC.md) repeated area_repeat times (see PARAMS);
  area_embedding  logistic regression on e5 embeddings of title + lead (pressdesk.nlp.embedding),
              trained on a class-stratified sample of the same weak labels (at most
              per_class a class) plus the same gold with its own repeats; the analyser
              mixes the two (and the plan's own area texts, zero-shot): see PARAMS["area_mix"];
  about       logistic regression on relevance.about_features (place mentions by position and role,
              other provinces named), trained on the dev split's about-province labels of the
              articles with at least one counted mention (the others are never about the province).
Cross-validated figures of exactly this training: pressdesk.nlp.evaluation.cross_validate.
model_version = "nlp-2026.11-" + hash of (labels, plan, gazetteer, lexicon, parameters).
"""

from __future__ import annotations

import hashlib
import json
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import joblib
import numpy as np
from scipy.sparse import csr_matrix, hstack, vstack
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.multiclass import OneVsRestClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from pressdesk.nlp import embedding, gazetteer, lexicon, relevance
from pressdesk.nlp.analyser import MODEL_PATH, NONE_AREA, _automaton, _weighted_hits
from pressdesk.nlp.corpus import AREA_LABELS_PATH, LABELS_PATH, iter_corpus, load_area_labels, load_labels
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
    "about": {"C": 0.3},
    "area": {"C": 1.0},
    "weak": {"min_score": 4.0, "margin": 1.5},
    # Repeats of each kind of gold among the weak labels, and the area mix: chosen by story-grouped
    # 5-fold cross-validation on dev (benchmarks/analysis_eval.py cv). Area macro-F1 over the dev
    # articles about the province, over its areas with >= 5 articles (1, 4, 5), and over every dev
    # article with a labelled subject area (701; the steadiest); the province figure over all its
    # areas (0.557 -> 0.477) swings on areas 2 and 3, with 1 and 2 articles:
    #   without area_labels.jsonl, gold 10/3, mix 0.5/0.5   areas 1,4,5 0.761 / subject 0.506
    #   area_labels 10/5, gold 10/3, mix 0.5/0.5            0.747 / 0.645   (20/10: 0.687 / 0.657)
    #   area_labels 10/5, gold 30/9, mix 0.5/0.5            0.768 / 0.651
    #   area_labels 10/5, gold 60/15, mix 0.7/0.3           0.795 / 0.665   (chosen)
    "gold_repeat": 60,
    # Dev articles not about the province, labelled with the area their subject belongs to
    # ("topic_area"): more gold for the area models, repeated this many times (province gold: gold_repeat).
    "topic_repeat": 20,
    # Corpus articles outside the labelled set with the area of their subject (area_labels.jsonl).
    "area_repeat": 10,
    "embedding": {
        "C": 10.0,
        "per_class": 400,
        "gold_repeat": 15,
        "topic_repeat": 10,
        "area_repeat": 5,
        "seed": 0,
    },
    # Area score = tfidf × P(TF-IDF model) + embedding × P(embedding model)
    #            + zero_shot × (similarity of title + lead to the plan's area text, centred over the
    #              plan's areas, × zero_shot_scale) + keywords × share of the plan's area keywords.
    # Chosen by story-grouped cross-validation on the dev split (benchmarks/analysis_eval.py cv).
    "area_mix": {"tfidf": 0.7, "embedding": 0.3, "zero_shot": 0.3, "zero_shot_scale": 20.0, "keywords": 0.15},
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
    for path in (LABELS_PATH, AREA_LABELS_PATH, DEFAULT_PLAN_PATH, GAZETTEER_PATH):
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


@dataclass
class TrainingData:
    """What every fit shares: the vectorizer and the texts (built once, reused by cross-validation)."""

    vectorizer: TfidfVectorizer
    texts: dict[str, str]  # clf_text of every corpus article outside the held-out split
    lex: dict[str, list[float]]  # lexicon features of the labelled articles
    weak_ids: list[str]
    weak_y: list[int]
    X_weak: csr_matrix
    embedded: dict[str, np.ndarray]  # e5 vectors of the weak sample and the labelled articles
    about_x: dict[str, list[float] | None]  # relevance features of the labelled articles (None: no
    # counted mention, never about the province)
    sample_ids: list[str]  # the weak sample the embedding model learns from
    sample_y: list[int]


def training_data(
    labels: list[dict[str, Any]] | None = None,
    area_rows: list[dict[str, Any]] | None = None,
    *,
    log: bool = True,
) -> TrainingData:
    started = time.time()
    labels = labels if labels is not None else load_labels()
    area_rows = area_rows if area_rows is not None else load_area_labels()
    heldout = {row["id"] for row in labels if row["split"] == "heldout"}
    labelled = {row["id"] for row in labels}
    clash = heldout & {row["id"] for row in area_rows}
    if clash:
        raise ValueError(f"area_labels.jsonl holds held-out articles: {sorted(clash)[:5]}")
    texts: dict[str, str] = {}
    heads: dict[str, str] = {}
    lex: dict[str, list[float]] = {}
    about_x: dict[str, list[float] | None] = {}
    places = gazetteer.get_gazetteer()
    for article in iter_corpus():
        if article["id"] in heldout:
            continue
        p = prepare(article["title"], article["lead"], article["body"])
        texts[article["id"]] = p.clf_text
        heads[article["id"]] = embedding.embedding_text(p.title, p.lead)
        if article["id"] in labelled:
            lex[article["id"]] = p.lex.as_features()
            mentions = places.find(p.title, p.lead, p.body, normalized=True)
            rel = relevance.assess(mentions, body_offset=len(p.title) + len(p.lead) + 2)
            about_x[article["id"]] = (
                relevance.about_features(mentions, rel, p.title, p.lead, p.body)
                if any(m.counted for m in mentions)
                else None
            )
    if log:
        print(f"prepared {len(texts)} articles in {time.time() - started:.0f}s")
    vec = vectorizer()
    vec.fit(texts.values())
    if log:
        print(f"vocabulary {len(vec.vocabulary_)} at {time.time() - started:.0f}s")
    area_labelled = {row["id"] for row in area_rows}
    weak_ids, weak_y = weak_area_labels(texts, exclude=labelled | area_labelled)
    X_weak = vec.transform([texts[i] for i in weak_ids])
    sample_ids, sample_y = stratified_sample(weak_ids, weak_y)
    to_embed = sample_ids + sorted((labelled | area_labelled) & set(heads))
    vectors = embedding.cached_passages(heads[i] for i in to_embed)
    if log:
        print(f"embedded {len(to_embed)} titles and leads at {time.time() - started:.0f}s")
    embedded = dict(zip(to_embed, vectors, strict=True))
    return TrainingData(
        vectorizer=vec,
        texts=texts,
        lex=lex,
        weak_ids=weak_ids,
        weak_y=weak_y,
        X_weak=X_weak,
        embedded=embedded,
        about_x=about_x,
        sample_ids=sample_ids,
        sample_y=sample_y,
    )


def stratified_sample(ids: list[str], labels: list[int]) -> tuple[list[str], list[int]]:
    """At most per_class weak examples of each class, drawn with a fixed seed."""
    p = PARAMS["embedding"]
    rng = np.random.default_rng(p["seed"])
    by_class: dict[int, list[str]] = {}
    for article_id, label in zip(ids, labels, strict=True):
        by_class.setdefault(label, []).append(article_id)
    out_ids: list[str] = []
    out_y: list[int] = []
    for label in sorted(by_class):
        members = sorted(by_class[label])
        chosen = rng.permutation(len(members))[: p["per_class"]]
        out_ids += [members[i] for i in sorted(chosen)]
        out_y += [label] * len(chosen)
    return out_ids, out_y


def fit_models(
    data: TrainingData, dev: list[dict[str, Any]], area_rows: list[dict[str, Any]] | None = None
) -> dict[str, Any]:
    """Tone and area models from `dev` (labelled rows), `area_rows` (area_labels.jsonl: the subject's
    area only) and the weak labels; the shipped models dict."""
    area_rows = [row for row in area_rows or [] if row["id"] in data.texts]
    vec = data.vectorizer
    X_dev = vec.transform([data.texts[row["id"]] for row in dev])
    F_dev = csr_matrix(np.array([data.lex[row["id"]] for row in dev], dtype=np.float32))
    tone = LogisticRegression(C=PARAMS["tone"]["C"], max_iter=3000, class_weight="balanced")
    tone.fit(hstack([X_dev, F_dev]).tocsr(), [row["tone"] for row in dev])

    candidates = [row for row in dev if data.about_x[row["id"]] is not None]
    about = make_pipeline(StandardScaler(), LogisticRegression(C=PARAMS["about"]["C"], max_iter=3000))
    about.fit(
        np.array([data.about_x[row["id"]] for row in candidates]),
        np.array([bool(row["about_province"]) for row in candidates]),
    )

    gold = [row for row in dev if row["about_province"]]
    X_gold = vec.transform([data.texts[row["id"]] for row in gold])
    y_gold = [row["area"] or NONE_AREA for row in gold]
    topical = [row for row in dev if not row["about_province"] and row.get("topic_area") is not None]
    X_topic = vec.transform([data.texts[row["id"]] for row in topical])
    y_topic = [row["topic_area"] or NONE_AREA for row in topical]
    y_extra = [int(row["area"]) for row in area_rows]
    repeat, topic_repeat, area_repeat = PARAMS["gold_repeat"], PARAMS["topic_repeat"], PARAMS["area_repeat"]
    parts = [data.X_weak] + [X_gold] * repeat + [X_topic] * topic_repeat
    if area_rows and area_repeat:
        parts += [vec.transform([data.texts[row["id"]] for row in area_rows])] * area_repeat
    X_area = vstack(parts)
    y_area = np.array(data.weak_y + y_gold * repeat + y_topic * topic_repeat + y_extra * area_repeat)
    area = OneVsRestClassifier(
        LogisticRegression(C=PARAMS["area"]["C"], solver="liblinear", class_weight="balanced")
    )
    area.fit(X_area, y_area)

    p_emb = PARAMS["embedding"]
    E_area = np.vstack(
        [np.array([data.embedded[i] for i in data.sample_ids]).reshape(-1, embedding.DIM)]
        + [np.array([data.embedded[row["id"]] for row in gold]).reshape(-1, embedding.DIM)]
        * p_emb["gold_repeat"]
        + [np.array([data.embedded[row["id"]] for row in topical]).reshape(-1, embedding.DIM)]
        * p_emb["topic_repeat"]
        + [np.array([data.embedded[row["id"]] for row in area_rows]).reshape(-1, embedding.DIM)]
        * p_emb["area_repeat"]
    )
    y_emb = np.array(
        data.sample_y
        + y_gold * p_emb["gold_repeat"]
        + y_topic * p_emb["topic_repeat"]
        + y_extra * p_emb["area_repeat"]
    )
    area_embedding = LogisticRegression(C=p_emb["C"], max_iter=3000, class_weight="balanced")
    area_embedding.fit(E_area, y_emb)

    plan = normalise_plan(load_default_plan())
    models = {
        "version": f"{VERSION_PREFIX}-{version_hash()}",
        "vectorizer": vec,
        "tone": tone,
        "about": about,
        "area": area,
        "area_embedding": area_embedding,
        "area_mix": PARAMS["area_mix"],
        "canonical_area_numbers": [a.number for a in plan.areas],
        "canonical_area_docs": [a.document for a in plan.areas],
        "params": PARAMS,
        "trained_on": {
            "dev_labels": len(dev),
            "weak_area_labels": len(data.weak_ids),
            "about_labels": len(candidates),
            "gold_area_labels": len(gold),
            "topic_area_labels": len(topical),
            "area_labels": len(area_rows),
            "embedded_weak_sample": len(data.sample_ids),
            "area_classes": np.bincount(y_area).tolist(),
        },
    }
    _shrink(models)
    return models


def train(out: Path = MODEL_PATH) -> dict[str, Any]:
    started = time.time()
    labels = load_labels()
    area_rows = load_area_labels()
    data = training_data(labels, area_rows)
    models = fit_models(data, [row for row in labels if row["split"] == "dev"], area_rows)
    print(f"area classes {models['trained_on']['area_classes']} at {time.time() - started:.0f}s")
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
    for est in [models["tone"], models["area_embedding"], *models["area"].estimators_]:
        est.coef_ = est.coef_.astype(np.float32)


if __name__ == "__main__":
    train()

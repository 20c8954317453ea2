"""The single entry point: `Analyser(plan).analyse(...)` and `.analyse_batch(...)`.

Output of `analyse` (one JSON object per article; `pressdesk analyse` writes these lines):

    {"id": ...,
     "about_province": bool,                   # decision "subject" or "substantial"
     "relevance": float,                       # 0..1, from the place mentions
     "places": [{"code", "name", "level", "count"}],   # counted places of the province
     "area": int | null,                       # the plan's own area number
     "topics": [{"area": int, "order": int, "score": float}],   # best first, at most 3
     "events": [{"title": str, "score": float}],                # key events of the plan
     "tone": "negative" | "neutral" | "positive",
     "false_info": bool,
     "model_version": "nlp-2026.11-<hash>-p<plan hash>"}

Plan labels (area, topics, events) are given only for articles about the province.
`analyse_full` returns the same plus what the database keeps (decision, tone score, area score).
"""

from __future__ import annotations

import datetime as dt
import math
import os
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import ahocorasick
import joblib
import numpy as np

from pressdesk.nlp import embedding, features, gazetteer, lexicon, relevance
from pressdesk.nlp.plan import Plan, load_default_plan, normalise_plan

MODEL_PATH = Path(__file__).resolve().parent / "data" / "models.joblib"
NONE_AREA = 0  # the classifiers' class for "no area of the plan" (crime, accidents, weather...)
# Area score: see train.PARAMS["area_mix"] (stored with the models). A model file without an
# embedding model mixes as before: 0.3 × classifier probability + 0.7 × share of the plan's keywords.
LEGACY_MIX = {"tfidf": 0.3, "embedding": 0.0, "zero_shot": 0.0, "zero_shot_scale": 0.0, "keywords": 0.7}
# An area of a new plan that no classifier class serves: its keywords, its text, and zero-shot.
FALLBACK_KEYWORDS = 0.7
# The plan's area text embedded as an e5 query: its start says what the area is about.
AREA_QUERY_CHARS = 1500
# A plan area maps onto the classifier's (2024) area whose text it resembles at least this much.
MAP_MIN_SIMILARITY = 0.25
TOPIC_MIN_SCORE = 0.03
EVENT_MIN_SCORE = 0.5
OUTPUT_KEYS = (
    "id",
    "about_province",
    "relevance",
    "places",
    "area",
    "topics",
    "events",
    "tone",
    "false_info",
    "model_version",
)


@dataclass
class Result:
    id: Any
    about_province: bool
    relevance: float
    relevance_decision: str
    places: list[dict[str, Any]]
    area: int | None
    area_score: float | None
    topics: list[dict[str, Any]]
    events: list[dict[str, Any]]
    tone: str
    tone_score: float
    false_info: bool
    model_version: str
    extra: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {key: getattr(self, key) for key in OUTPUT_KEYS}


def embeddings_enabled() -> bool:
    """$PRESSDESK_NLP_EMBEDDINGS: 0/false/no/off turns the e5 encoder off; on by default (held-out
    subject-area macro-F1 0.756 against 0.712 without it). It costs about 40 ms per
    article judged about the province on one core; the others are never encoded."""
    value = os.environ.get("PRESSDESK_NLP_EMBEDDINGS", "").strip().lower()
    return value not in ("0", "false", "no", "off")


@lru_cache(maxsize=1)
def load_models(path: str = str(MODEL_PATH)) -> dict[str, Any]:
    return joblib.load(path)


def _published_date(value: Any) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.datetime.fromisoformat(str(value).replace("Z", "+00:00")).date()
    except ValueError:
        try:
            return dt.date.fromisoformat(str(value)[:10])
        except ValueError:
            return None


class Analyser:
    def __init__(
        self,
        plan: dict[str, Any] | None = None,
        *,
        model_path: Path | None = None,
        models: dict[str, Any] | None = None,
        embeddings: bool | None = None,
    ) -> None:
        """`models`: a models dict in memory (cross-validation) instead of the file at `model_path`.
        `embeddings`: use the e5 sentence embeddings for the area (None: $PRESSDESK_NLP_EMBEDDINGS)."""
        self.raw_plan = plan if plan is not None else load_default_plan()
        self.plan: Plan = normalise_plan(self.raw_plan)
        self.models = models if models is not None else load_models(str(model_path or MODEL_PATH))
        self.vectorizer = self.models["vectorizer"]
        self.tone_model = self.models["tone"]
        self.area_model = self.models["area"]
        self.area_embedding_model = self.models.get("area_embedding")
        self.about_model = self.models.get("about")  # None: the rules of relevance.assess decide
        self.area_mix: dict[str, float] = dict(self.models.get("area_mix", LEGACY_MIX))
        self.embeddings = embeddings_enabled() if embeddings is None else embeddings
        if not self.embeddings:
            # Without the encoder the TF-IDF classifier, the plan's keywords and texts decide alone.
            self.area_mix.update(embedding=0.0, zero_shot=0.0)
        self.embedder = embedding.Embedder()
        self._area_queries: np.ndarray | None = None
        self.gazetteer = gazetteer.get_gazetteer()
        uses_encoder = self.embeddings and (
            (self.area_mix["embedding"] and self.area_embedding_model is not None)
            or self.area_mix["zero_shot"]
        )
        self.model_version = (
            f"{self.models['version']}{'-e5' if uses_encoder else ''}-p{self.plan.fingerprint}"
        )
        self._index_plan()

    # -- plan index -------------------------------------------------------------------------------
    def _index_plan(self) -> None:
        plan = self.plan
        self.area_numbers = [a.number for a in plan.areas]
        area_vecs = self.vectorizer.transform([a.document.lower() for a in plan.areas])
        canon_vecs = self.vectorizer.transform([d.lower() for d in self.models["canonical_area_docs"]])
        canon_numbers: list[int] = list(self.models["canonical_area_numbers"])
        sims = (area_vecs @ canon_vecs.T).toarray()
        classes = list(self.area_model.classes_)
        # Column of the classifier's probabilities that serves each of this plan's areas.
        self.area_to_class: list[int | None] = []
        for i in range(len(plan.areas)):
            j = int(np.argmax(sims[i])) if sims.shape[1] else -1
            if j >= 0 and sims[i, j] >= MAP_MIN_SIMILARITY and canon_numbers[j] in classes:
                self.area_to_class.append(classes.index(canon_numbers[j]))
            else:
                self.area_to_class.append(None)
        self.none_class = classes.index(NONE_AREA) if NONE_AREA in classes else None
        self.tone_classes = list(self.tone_model.classes_)
        self.topic_list = plan.topics
        self.topic_vecs = self.vectorizer.transform([t.document.lower() for t in self.topic_list])
        self.area_vecs = area_vecs
        # The plan's area keywords, plus the words of stories no area covers (crime, accidents).
        groups: dict[Any, list[str]] = {("area", a.number): a.keywords for a in plan.areas}
        groups[("none", NONE_AREA)] = lexicon.NO_AREA
        self.area_keywords = _automaton(groups)
        self.event_keywords = _automaton({i: e.keywords for i, e in enumerate(plan.events)})

    # -- public API -------------------------------------------------------------------------------
    def analyse(
        self,
        id: Any,
        title: str,
        text: str,
        url: str | None = None,
        published: Any = None,
        *,
        lead: str | None = None,
    ) -> dict[str, Any]:
        return self.analyse_full(id, title, text, url, published, lead=lead).as_dict()

    def analyse_full(
        self,
        id: Any,
        title: str,
        text: str,
        url: str | None = None,
        published: Any = None,
        *,
        lead: str | None = None,
    ) -> Result:
        return self._analyse_many(
            [{"id": id, "title": title, "text": text, "lead": lead, "published": published}]
        )[0]

    def analyse_batch(
        self, items: Iterable[dict[str, Any]], *, workers: int = 1, chunk_size: int = 500
    ) -> Iterator[dict[str, Any]]:
        """Dicts with id, title, text (optional lead, url, published) → output dicts, same order."""
        for result in self.analyse_batch_full(items, workers=workers, chunk_size=chunk_size):
            yield result.as_dict()

    def analyse_batch_full(
        self, items: Iterable[dict[str, Any]], *, workers: int = 1, chunk_size: int = 500
    ) -> Iterator[Result]:
        chunks = _chunks(items, chunk_size)
        if workers <= 1:
            for chunk in chunks:
                yield from self._analyse_many(chunk)
            return
        with ProcessPoolExecutor(
            max_workers=workers, initializer=_init_worker, initargs=(self.raw_plan, self.embeddings)
        ) as pool:
            # Bounded look-ahead keeps memory flat on a large input.
            pending = []
            for chunk in chunks:
                pending.append(pool.submit(_work, chunk))
                if len(pending) >= workers * 2:
                    yield from pending.pop(0).result()
            for future in pending:
                yield from future.result()

    def plan_area_only(self, item: dict[str, Any]) -> int | None:
        """The area the plan labeller gives whatever the relevance decision (for evaluation)."""
        lead = item.get("lead")
        if lead is None:
            lead, body = features.split_text(item.get("text") or "")
        else:
            body = item.get("text") or ""
        p = features.prepare(item.get("title") or "", lead, body)
        res = Result(item.get("id"), True, 0.0, "", [], None, None, [], [], "neutral", 0.0, False, "")
        self._plan_labels([res], [p], self.vectorizer.transform([p.clf_text]))
        return res.area

    # -- the work ---------------------------------------------------------------------------------
    def _analyse_many(self, items: Sequence[dict[str, Any]]) -> list[Result]:
        prepared = []
        for item in items:
            lead = item.get("lead")
            text = item.get("text") or ""
            if lead is None:
                lead, body = features.split_text(text)
            else:
                body = text
            prepared.append(features.prepare(item.get("title") or "", lead, body))
        if not prepared:
            return []
        X = self.vectorizer.transform([p.clf_text for p in prepared])
        lex = np.array([p.lex.as_features() for p in prepared], dtype=np.float32)
        from scipy.sparse import csr_matrix, hstack

        tone_proba = self.tone_model.predict_proba(hstack([X, csr_matrix(lex)]).tocsr())
        published_dates = [_published_date(item.get("published")) for item in items]
        found = [
            self.gazetteer.find(
                p.title, p.lead, p.body, normalized=True, published_year=published.year if published else None
            )
            for p, published in zip(prepared, published_dates, strict=True)
        ]
        rels = [
            relevance.assess(mentions, body_offset=len(p.title) + len(p.lead) + 2)
            for p, mentions in zip(prepared, found, strict=True)
        ]
        if self.about_model is not None:
            # Only an article with a counted mention can be about the province: the model sees those.
            candidates = [i for i, mentions in enumerate(found) if any(m.counted for m in mentions)]
            probabilities = dict.fromkeys(range(len(prepared)), 0.0)
            rows = [
                relevance.about_features(
                    found[i], rels[i], prepared[i].title, prepared[i].lead, prepared[i].body
                )
                for i in candidates
            ]
            probabilities.update(
                zip(candidates, relevance.predict_about(self.about_model, rows), strict=True)
            )
            rels = [relevance.learned(rel, found[i], probabilities[i]) for i, rel in enumerate(rels)]
        results = []
        about_rows: list[int] = []
        for i, (item, p) in enumerate(zip(items, prepared, strict=True)):
            rel, mentions = rels[i], found[i]
            tone, tone_score = self._tone(tone_proba[i])
            results.append(
                Result(
                    id=item.get("id"),
                    about_province=rel.about_province,
                    relevance=rel.relevance,
                    relevance_decision=rel.decision,
                    places=gazetteer.summarise(mentions),
                    area=None,
                    area_score=None,
                    topics=[],
                    events=[],
                    tone=tone,
                    tone_score=tone_score,
                    false_info=p.lex.false_info,
                    model_version=self.model_version,
                    extra={"published": published_dates[i]},
                )
            )
            if rel.about_province:
                about_rows.append(i)
        if about_rows:
            self._plan_labels(
                [results[i] for i in about_rows], [prepared[i] for i in about_rows], X[about_rows]
            )
        for r in results:
            r.extra.pop("published", None)
        return results

    def _tone(self, proba: np.ndarray) -> tuple[str, float]:
        best = self.tone_classes[int(np.argmax(proba))]
        neg = proba[self.tone_classes.index("negative")] if "negative" in self.tone_classes else 0.0
        pos = proba[self.tone_classes.index("positive")] if "positive" in self.tone_classes else 0.0
        return str(best), round(float(pos - neg), 4)

    def _area_queries_for_plan(self) -> np.ndarray:
        if self._area_queries is None:
            self._area_queries = self.embedder.queries(
                [a.document[:AREA_QUERY_CHARS] for a in self.plan.areas]
            )
        return self._area_queries

    def _embedding_scores(self, prepared: list[features.Prepared]) -> tuple[np.ndarray, np.ndarray]:
        """(probabilities of the embedding model in the TF-IDF model's class order, zero-shot
        similarity to each plan area centred over the areas); zeros where the mix does not use them."""
        mix = self.area_mix
        n_classes = len(self.area_model.classes_)
        proba = np.zeros((len(prepared), n_classes))
        zero_shot = np.zeros((len(prepared), len(self.plan.areas)))
        if not (mix["embedding"] and self.area_embedding_model is not None) and not mix["zero_shot"]:
            return proba, zero_shot
        vectors = self.embedder.passages([embedding.embedding_text(p.title, p.lead) for p in prepared])
        if mix["embedding"] and self.area_embedding_model is not None:
            classes = list(self.area_model.classes_)
            cols = [classes.index(c) for c in self.area_embedding_model.classes_]
            proba[:, cols] = self.area_embedding_model.predict_proba(vectors)
        if mix["zero_shot"] and self.plan.areas:
            sims = vectors @ self._area_queries_for_plan().T
            zero_shot = (sims - sims.mean(axis=1, keepdims=True)) * mix["zero_shot_scale"]
        return proba, zero_shot

    def _plan_labels(self, results: list[Result], prepared: list[features.Prepared], X: Any) -> None:
        mix = self.area_mix
        area_proba = self.area_model.predict_proba(X)
        emb_proba, zero_shot = self._embedding_scores(prepared)
        area_sim = (X @ self.area_vecs.T).toarray()
        topic_sim = (X @ self.topic_vecs.T).toarray()
        clf_weight = mix["tfidf"] + mix["embedding"]
        mapped = sorted({c for c in self.area_to_class if c is not None})
        unmapped = [i for i, c in enumerate(self.area_to_class) if c is None]
        for k, (res, p) in enumerate(zip(results, prepared, strict=True)):
            hits = _weighted_hits(self.area_keywords, p.clf_text)
            total = sum(hits.values()) + 1.0
            kw = {number: w / total for (kind, number), w in hits.items() if kind == "area"}
            mixed = (mix["tfidf"] * area_proba[k] + mix["embedding"] * emb_proba[k]) / (clf_weight or 1.0)
            none_score = mix["keywords"] * hits.get(("none", NONE_AREA), 0.0) / total
            if self.none_class is not None:
                none_score += clf_weight * float(mixed[self.none_class])
            # Areas of a new plan that no class serves share what the classifiers give to "some area"
            # but none of the served ones, in proportion to the plan's own words and text.
            rest = (
                1.0
                - float(mixed[mapped].sum())
                - (float(mixed[self.none_class]) if self.none_class is not None else 0.0)
            )
            evidence = {i: kw.get(self.plan.areas[i].number, 0.0) + float(area_sim[k, i]) for i in unmapped}
            evidence_total = sum(evidence.values())
            best_area, best_score = None, none_score
            for i, area in enumerate(self.plan.areas):
                col = self.area_to_class[i]
                score = mix["zero_shot"] * float(zero_shot[k, i])
                if col is not None:
                    score += clf_weight * float(mixed[col]) + mix["keywords"] * kw.get(area.number, 0.0)
                else:  # an area the classifiers never saw: the plan's own words and text decide
                    share = evidence[i] / evidence_total if evidence_total else 1.0 / len(unmapped)
                    score += (
                        clf_weight * max(0.0, rest) * share
                        + FALLBACK_KEYWORDS * kw.get(area.number, 0.0)
                        + float(area_sim[k, i])
                    )
                if score > best_score:
                    best_area, best_score = area.number, score
            res.area = best_area
            res.area_score = round(best_score, 4) if best_area is not None else None
            if best_area is not None:
                ranked = sorted(
                    (
                        (float(topic_sim[k, j]), t)
                        for j, t in enumerate(self.topic_list)
                        if t.area == best_area and topic_sim[k, j] >= TOPIC_MIN_SCORE
                    ),
                    key=lambda st: -st[0],
                )[:3]
                res.topics = [{"area": t.area, "order": t.order, "score": round(s, 4)} for s, t in ranked]
            res.events = self._events(p, res.extra.get("published"))

    def _events(self, p: features.Prepared, published: dt.date | None) -> list[dict[str, Any]]:
        hits = _weighted_hits(self.event_keywords, p.clf_text)
        found = []
        for i, event in enumerate(self.plan.events):
            weight = hits.get(i, 0.0)
            if not weight:
                continue
            # The name alone is not enough (Điện Biên Phủ is written about every year): the
            # publication date near the event's window supplies the rest.
            score = min(0.45, 0.15 * weight)
            if published is not None:
                start, end = event.window()
                if start <= published <= end:
                    score += 0.55
                else:
                    distance = min(abs((published - start).days), abs((published - end).days))
                    score += 0.55 * math.exp(-distance / 60)
            if score >= EVENT_MIN_SCORE or published is None and weight >= 2:
                found.append({"title": event.title, "score": round(min(score, 1.0), 4)})
        return sorted(found, key=lambda e: -e["score"])


def _automaton(groups: dict[Any, list[str]]) -> ahocorasick.Automaton | None:
    merged: dict[str, set[Any]] = {}
    for key, words in groups.items():
        for word in words:
            if word.strip():
                merged.setdefault(word.lower().strip(), set()).add(key)
    if not merged:
        return None
    auto = ahocorasick.Automaton()
    for word, keys in merged.items():
        auto.add_word(word, (len(word), tuple(keys)))
    auto.make_automaton()
    return auto


HEAD_CHARS = 250  # title and lead: a keyword there weighs more than in the body


def _weighted_hits(auto: ahocorasick.Automaton | None, text: str) -> dict[Any, float]:
    hits: dict[Any, float] = {}
    if auto is None:
        return hits
    for end, (length, keys) in auto.iter(text):
        start = end - length + 1
        if start > 0 and text[start - 1].isalnum():
            continue
        if end + 1 < len(text) and text[end + 1].isalnum():
            continue
        weight = 3.0 if start < HEAD_CHARS else 1.0
        for key in keys:
            hits[key] = hits.get(key, 0.0) + weight
    return hits


def _chunks(items: Iterable[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    chunk: list[dict[str, Any]] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


_WORKER: Analyser | None = None


def _init_worker(plan: dict[str, Any], embeddings: bool) -> None:
    global _WORKER
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    _WORKER = Analyser(plan, embeddings=embeddings)


def _work(chunk: list[dict[str, Any]]) -> list[Result]:
    assert _WORKER is not None
    return _WORKER._analyse_many(chunk)

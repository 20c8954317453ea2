"""Django glue for pressdesk.nlp: plans from the database, results stored with the articles.

`analyse_articles(ids)` is called by ingestion after new articles are stored, and by
`pressdesk reanalyse`. The analysis itself (pressdesk.nlp) knows nothing of Django.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections import defaultdict
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from pressdesk.monitoring.models import Article, ArticlePlace, Mention, MentionEvent, MentionTopic
from pressdesk.nlp.analyser import Analyser, Result
from pressdesk.nlp.plan import load_default_plan
from pressdesk.nlp.text import normalize_text
from pressdesk.plans.models import Plan, Topic

log = logging.getLogger(__name__)
PLAN_DOCUMENT = Path(__file__).resolve().parents[1] / "plans" / "data" / "ke-hoach-tuyen-truyen-2024.txt"
CHUNK = 500


def plan_dict(plan: Plan) -> dict[str, Any]:
    """A plan row as the Analyser's plain dict, keywords the editors added included."""
    areas = []
    for area in plan.areas.order_by("number").prefetch_related("topics"):
        areas.append(
            {
                "number": area.number,
                "title": area.title,
                "keywords": list(area.keywords or []),
                "topics": [
                    {"order": t.order, "text": t.text, "keywords": list(t.keywords or [])}
                    for t in sorted(area.topics.all(), key=lambda t: t.order)
                ],
            }
        )
    events = [
        {
            "title": e.title,
            "date": e.date.isoformat() if e.date else None,
            "year": e.year,
            "since_year": e.since_year,
            "keywords": list(e.keywords or []),
            "window_before_days": e.window_before_days,
            "window_after_days": e.window_after_days,
        }
        for e in plan.events.order_by("order", "pk")
    ]
    return {"year": plan.year, "title": plan.title, "areas": areas, "events": events}


def plan_dict_from_document(path: Path) -> dict[str, Any]:
    """A plan document (.txt/.docx) through the plans app's importer; keywords of the shipped 2024 plan kept."""
    from pressdesk.plans.importer import parse_plan

    parsed = parse_plan(path.read_bytes(), filename=path.name)
    plan: dict[str, Any] = {
        "year": parsed.year,
        "title": parsed.title,
        "areas": [
            {
                "number": a.number,
                "title": a.title,
                "topics": [{"order": t.order, "text": t.text} for t in a.topics],
            }
            for a in parsed.areas
        ],
        "events": [
            {
                "title": e.title,
                "date": e.date.isoformat() if e.date else None,
                "year": e.year,
                "since_year": e.since_year,
            }
            for e in parsed.events
        ],
    }
    shipped = load_default_plan()
    if plan["year"] == shipped["year"]:
        keywords = {a["number"]: a.get("keywords", []) for a in shipped["areas"]}
        areas: list[dict[str, Any]] = plan["areas"]
        for area in areas:
            area["keywords"] = keywords.get(area["number"], [])
    return plan


@lru_cache(maxsize=1)
def default_plan_dict() -> dict[str, Any]:
    """The shipped 2024 plan: parsed by the importer when it can, else the JSON shipped with pressdesk.nlp."""
    try:
        return plan_dict_from_document(PLAN_DOCUMENT)
    except Exception:  # the importer is optional here: the JSON is the same plan
        log.warning("plan importer unavailable for the shipped plan; using pressdesk/nlp/data/plan-2024.json")
        return load_default_plan()


_ANALYSERS: dict[str, Analyser] = {}


def analyser_for(plan_data: dict[str, Any] | None) -> Analyser:
    """One Analyser per distinct plan content (the models themselves are loaded once per process)."""
    data = plan_data if plan_data is not None else default_plan_dict()
    key = hashlib.sha256(
        json.dumps(data, sort_keys=True, ensure_ascii=False, default=str).encode()
    ).hexdigest()
    if key not in _ANALYSERS:
        if len(_ANALYSERS) > 8:
            _ANALYSERS.clear()
        _ANALYSERS[key] = Analyser(data)
    return _ANALYSERS[key]


def _year(article: Article) -> int:
    when = article.published_at or article.fetched_at or timezone.now()
    return when.year


def plan_for_year(year: int) -> Plan | None:
    """The plan of that year, else the latest plan before it, else the latest plan at all."""
    plan = Plan.objects.filter(year=year).first()
    if plan is None:
        plan = Plan.objects.filter(year__lt=year).order_by("-year").first()
    if plan is None:
        plan = Plan.objects.order_by("-year").first()
    return plan


def analyse_articles(article_ids: Iterable[int]) -> None:
    ids = list(article_ids)
    for start in range(0, len(ids), CHUNK):
        _analyse_chunk(ids[start : start + CHUNK])


def _analyse_chunk(ids: list[int]) -> None:
    articles = list(Article.objects.filter(pk__in=ids))
    by_year: dict[int, list[Article]] = defaultdict(list)
    for article in articles:
        by_year[_year(article)].append(article)
    for year, group in by_year.items():
        plan = plan_for_year(year)
        analyser = analyser_for(plan_dict(plan) if plan else None)
        items = [
            {
                "id": a.pk,
                "title": a.title,
                "lead": a.lead,
                "text": a.text,
                "url": a.url,
                "published": a.published_at,
            }
            for a in group
        ]
        results = list(analyser.analyse_batch_full(items))
        _store(group, results, plan)


def _store(articles: list[Article], results: list[Result], plan: Plan | None) -> None:
    now = timezone.now()
    areas = {a.number: a for a in plan.areas.all()} if plan else {}
    topics = (
        {(t.area.number, t.order): t for t in Topic.objects.filter(area__plan=plan).select_related("area")}
        if plan
        else {}
    )
    # The Analyser reports normalised titles (one tone-mark placement).
    events = {normalize_text(e.title): e for e in plan.events.all()} if plan else {}
    with transaction.atomic():
        for article, result in zip(articles, results, strict=True):
            article.about_province = result.about_province
            article.relevance = result.relevance
            article.relevance_decision = result.relevance_decision
            article.tone = result.tone
            article.tone_score = result.tone_score
            article.false_info = result.false_info
            article.model_version = result.model_version
            article.analysed_at = now
            article.save(
                update_fields=[
                    "about_province",
                    "relevance",
                    "relevance_decision",
                    "tone",
                    "tone_score",
                    "false_info",
                    "model_version",
                    "analysed_at",
                ]
            )
            ArticlePlace.objects.filter(article=article).delete()
            ArticlePlace.objects.bulk_create(
                [
                    ArticlePlace(
                        article=article, code=p["code"], name=p["name"], level=p["level"], count=p["count"]
                    )
                    for p in result.places
                ]
            )
            if plan is None:
                continue
            if not result.about_province:
                Mention.objects.filter(article=article, plan=plan).delete()
                continue
            mention, _ = Mention.objects.update_or_create(
                article=article,
                plan=plan,
                defaults={
                    "area": areas.get(result.area) if result.area is not None else None,
                    "area_score": result.area_score,
                    "model_version": result.model_version,
                },
            )
            MentionTopic.objects.filter(mention=mention).delete()
            MentionTopic.objects.bulk_create(
                [
                    MentionTopic(mention=mention, topic=topics[(t["area"], t["order"])], score=t["score"])
                    for t in result.topics
                    if (t["area"], t["order"]) in topics
                ]
            )
            MentionEvent.objects.filter(mention=mention).delete()
            MentionEvent.objects.bulk_create(
                [
                    MentionEvent(mention=mention, event=events[e["title"]], score=e["score"])
                    for e in result.events
                    if e["title"] in events
                ]
            )


def expected_version_for_year(year: int) -> str:
    """The model_version an article of that year gets now (model + the plan it is judged against)."""
    plan = plan_for_year(year)
    return analyser_for(plan_dict(plan) if plan else None).model_version

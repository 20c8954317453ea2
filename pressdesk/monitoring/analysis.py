"""Django glue for pressdesk.nlp: plans from the database, results stored with the articles.

`analyse_articles(ids)` is called by ingestion after new articles are stored, and by
`pressdesk reanalyse`. The analysis itself (pressdesk.nlp) knows nothing of Django.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable, Iterable
from concurrent.futures import Executor, Future
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from pressdesk.ingest import pipeline
from pressdesk.monitoring.models import Article, ArticlePlace, Mention, MentionEvent, MentionTopic
from pressdesk.nlp.analyser import Analyser, Result
from pressdesk.nlp.plan import load_default_plan
from pressdesk.nlp.text import normalize_text
from pressdesk.plans.models import Plan, Topic

log = logging.getLogger(__name__)
PLAN_DOCUMENT = Path(__file__).resolve().parents[1] / "plans" / "data" / "ke-hoach-tuyen-truyen-2024.txt"
CHUNK = 500
JOB = 50  # articles per job for a process pool: small enough to keep every worker busy


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


def analyser_for(plan_data: dict[str, Any] | None) -> Analyser:
    """One Analyser per distinct plan content (the models themselves are loaded once per process)."""
    return pipeline.analyser(plan_data if plan_data is not None else default_plan_dict())


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


@dataclass
class _Job:
    articles: list[Article]
    plan: Plan | None
    plan_data: dict[str, Any]
    items: list[dict[str, Any]]


def analyse_articles(
    article_ids: Iterable[int], *, executor: Executor | None = None, wait: bool = True
) -> Callable[[], None] | None:
    """Analyse and store. With an executor (ingestion's process pool) the analysis itself runs in its
    workers, JOB articles at a time, while this process stores the results as they come back.

    wait=False (with an executor): return as soon as the jobs are submitted, with a function that
    waits for them and stores their results; ingestion calls it after fetching the next source, so
    the pool analyses while this process fetches and writes. Returns None when nothing is left to do.
    """
    ids = list(article_ids)
    size = CHUNK if executor is None else JOB
    pending: list[tuple[_Job, Future[list[Result]]]] = []
    for start in range(0, len(ids), size):
        for job in _jobs(ids[start : start + size]):
            if executor is None:
                _store(job.articles, pipeline.analyse_items(job.plan_data, job.items), job.plan)
            else:
                pending.append((job, executor.submit(pipeline.analyse_items, job.plan_data, job.items)))

    def finish() -> None:
        for job, future in pending:
            _store(job.articles, future.result(), job.plan)

    if not pending:
        return None
    if wait:
        finish()
        return None
    return finish


def _jobs(ids: list[int]) -> list[_Job]:
    """The articles grouped by the plan they are judged against (the plan of their year)."""
    articles = list(Article.objects.filter(pk__in=ids))
    by_year: dict[int, list[Article]] = defaultdict(list)
    for article in articles:
        by_year[_year(article)].append(article)
    jobs = []
    for year, group in by_year.items():
        plan = plan_for_year(year)
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
        jobs.append(_Job(group, plan, plan_dict(plan) if plan else default_plan_dict(), items))
    return jobs


_RESULT_FIELDS = [
    "about_province",
    "relevance",
    "relevance_decision",
    "tone",
    "tone_score",
    "false_info",
    "model_version",
    "analysed_at",
]


def _update_results(articles: list[Article]) -> None:
    """The result fields of every article in one executemany (bulk_update's CASE expressions and
    one save() per article both cost more than the writes themselves)."""
    fields = [field for field in Article._meta.concrete_fields if field.name in _RESULT_FIELDS]
    quote = connection.ops.quote_name
    assignments = ", ".join(f"{quote(field.column or field.name)} = %s" for field in fields)
    # Identifiers come from the model's metadata; every value is a parameter.
    sql = f"UPDATE {quote(Article._meta.db_table)} SET {assignments} WHERE {quote('id')} = %s"  # noqa: S608
    rows = [
        [field.get_db_prep_save(getattr(article, field.attname), connection) for field in fields]
        + [article.pk]
        for article in articles
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def _store(articles: list[Article], results: list[Result], plan: Plan | None) -> None:
    """Set-based writes for the many articles not about the province (a handful of statements per
    batch, not per article); mentions, topics and events row by row for the few that are. The
    search index's filter tags of articles already indexed follow in the same transaction."""
    from pressdesk.watch.search import search_retag

    with transaction.atomic():
        _store_results(articles, results, plan)
        search_retag([article.pk for article in articles])


def _store_results(articles: list[Article], results: list[Result], plan: Plan | None) -> None:
    now = timezone.now()
    areas = {a.number: a for a in plan.areas.all()} if plan else {}
    topics = (
        {(t.area.number, t.order): t for t in Topic.objects.filter(area__plan=plan).select_related("area")}
        if plan
        else {}
    )
    # The Analyser reports normalised titles (one tone-mark placement).
    events = {normalize_text(e.title): e for e in plan.events.all()} if plan else {}
    pairs = list(zip(articles, results, strict=True))
    with transaction.atomic():
        for article, result in pairs:
            article.about_province = result.about_province
            article.relevance = result.relevance
            article.relevance_decision = result.relevance_decision
            article.tone = result.tone
            article.tone_score = result.tone_score
            article.false_info = result.false_info
            article.model_version = result.model_version
            article.analysed_at = now
        _update_results(articles)
        ArticlePlace.objects.filter(article__in=articles).delete()
        ArticlePlace.objects.bulk_create(
            [
                ArticlePlace(
                    article=article, code=p["code"], name=p["name"], level=p["level"], count=p["count"]
                )
                for article, result in pairs
                for p in result.places
            ]
        )
        if plan is None:
            return
        elsewhere = [article.pk for article, result in pairs if not result.about_province]
        if elsewhere:
            Mention.objects.filter(article_id__in=elsewhere, plan=plan).delete()
        for article, result in pairs:
            if not result.about_province:
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

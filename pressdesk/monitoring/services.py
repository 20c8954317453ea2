"""Writes of the monitoring app's ingestion side: sources, polling, articles, story clusters.

Idempotence is by construction: an article is inserted under the unique canonical_url constraint and
a conflict means "already stored" (never check-then-insert). Near-duplicate clustering looks candidates
up by LSH band hash in the database (ClusterBand), serialised per band hash with PostgreSQL advisory
locks (SQLite serialises writers itself), so any number of workers on any machines cluster correctly.
"""

from __future__ import annotations

import csv
import importlib
import importlib.util
import io
import logging
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Executor
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from pressdesk.accounts.models import Outlet, Role
from pressdesk.accounts.permissions import require_role
from pressdesk.core.errors import NotFound, ValidationFailed
from pressdesk.ingest import dedup, pipeline
from pressdesk.ingest.decoding import decode_bytes
from pressdesk.ingest.errors import FetchError
from pressdesk.ingest.feeds import FeedEntry, parse_feed
from pressdesk.ingest.fetcher import AllowList, SafeFetcher
from pressdesk.ingest.listing import extract_links
from pressdesk.ingest.pipeline import Page, Processed, process_pages
from pressdesk.ingest.sitemaps import walk_sitemap
from pressdesk.ingest.urls import canonical_url
from pressdesk.monitoring.models import Article, ClusterBand, IngestRun, Source, StoryCluster

logger = logging.getLogger(__name__)

RECENT_DAYS = 30  # near-duplicates are looked for among articles of the last 30 days
BATCH = 100  # articles written per transaction
MAX_ENTRIES = 1000  # entries taken from one feed/sitemap/listing per poll
MAX_BACKOFF_MINUTES = 24 * 60
SKIP_NOT_ERROR = {"duplicate"}  # counted under its own key in run summaries

# --- fetcher ---------------------------------------------------------------------------------------
_FETCHER: SafeFetcher | None = None


def fetcher_from_settings(**overrides: Any) -> SafeFetcher:
    options: dict[str, Any] = {
        "user_agent": settings.PRESSDESK_FETCH_USER_AGENT,
        "timeout": settings.PRESSDESK_FETCH_TIMEOUT,
        "connect_timeout": min(5.0, settings.PRESSDESK_FETCH_TIMEOUT),
        "max_bytes": settings.PRESSDESK_FETCH_MAX_BYTES,
        "allow": AllowList.parse(settings.PRESSDESK_FETCH_ALLOW),
        "delay": float(getattr(settings, "PRESSDESK_FETCH_DELAY", 1.0)),
    }
    options.update(overrides)
    return SafeFetcher(**options)


def get_fetcher() -> SafeFetcher:
    """One fetcher per process: its robots.txt cache and politeness clock must be shared."""
    global _FETCHER
    if _FETCHER is None:
        _FETCHER = fetcher_from_settings()
    return _FETCHER


def reset_fetcher() -> None:
    global _FETCHER
    if _FETCHER is not None:
        _FETCHER.close()
    _FETCHER = None


# --- sources -----------------------------------------------------------------------------------------
_URL = URLValidator(schemes=["http", "https"])


def _require_admin(actor: Any) -> None:
    if actor is not None:
        require_role(actor, Role.ADMINISTRATOR)


def _clean_source(outlet: Outlet | str, url: str, kind: str) -> tuple[Outlet, str, str]:
    if isinstance(outlet, str):
        found = Outlet.objects.filter(name__iexact=outlet.strip()).first()
        if found is None:
            raise ValidationFailed(
                "source.unknown_outlet", _("Không có ấn phẩm tên “%(name)s”.") % {"name": outlet}
            )
        outlet = found
    url = (url or "").strip()
    try:
        _URL(url)
    except ValidationError:
        raise ValidationFailed(
            "source.bad_url", _("Địa chỉ “%(url)s” không phải URL http/https hợp lệ.") % {"url": url}
        ) from None
    if kind not in Source.Kind.values:
        raise ValidationFailed(
            "source.bad_kind",
            _("Loại nguồn “%(kind)s” không hợp lệ (feed, sitemap, page).") % {"kind": kind},
        )
    return outlet, url, kind


def source_add(
    *,
    outlet: Outlet | str,
    url: str,
    kind: str = Source.Kind.FEED,
    actor: Any = None,
    poll_every_minutes: int = 15,
) -> Source:
    _require_admin(actor)
    outlet, url, kind = _clean_source(outlet, url, kind)
    if poll_every_minutes < 1:
        raise ValidationFailed("source.bad_period", _("Chu kỳ thu thập phải ít nhất 1 phút."))
    try:
        with transaction.atomic():
            return Source.objects.create(
                outlet=outlet, url=url, kind=kind, poll_every_minutes=poll_every_minutes, next_poll_at=None
            )
    except IntegrityError:
        raise ValidationFailed(
            "source.exists", _("Nguồn “%(url)s” đã có trong danh sách.") % {"url": url}
        ) from None


@transaction.atomic
def source_update(
    *,
    source_id: int,
    actor: Any = None,
    active: bool | None = None,
    kind: str | None = None,
    poll_every_minutes: int | None = None,
) -> Source:
    _require_admin(actor)
    source = Source.objects.select_for_update().filter(pk=source_id).first()
    if source is None:
        raise NotFound("source.not_found", _("Không tìm thấy nguồn tin."))
    if kind is not None:
        _clean_source(source.outlet, source.url, kind)
        source.kind = kind
    if poll_every_minutes is not None:
        if poll_every_minutes < 1:
            raise ValidationFailed("source.bad_period", _("Chu kỳ thu thập phải ít nhất 1 phút."))
        source.poll_every_minutes = poll_every_minutes
    if active is not None:
        source.active = active
        if active:
            source.next_poll_at = None  # poll at once when switched back on
            source.consecutive_failures = 0
    source.save()
    return source


def source_import_csv(*, text: str, actor: Any = None) -> list[Source]:
    """Columns outlet,url[,kind[,poll_every_minutes]] with a header row. All lines or none.

    Raises ValidationFailed listing every bad line (line numbers as in the file).
    """
    _require_admin(actor)
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    fields = [name.strip().lower() for name in reader.fieldnames or []]
    if "outlet" not in fields or "url" not in fields:
        raise ValidationFailed(
            "source.csv_header", _("Tệp CSV cần dòng tiêu đề có các cột outlet, url (và tùy chọn kind).")
        )
    errors: list[str] = []
    rows: list[tuple[Outlet, str, str, int]] = []
    seen: dict[str, int] = {}
    existing = set(Source.objects.values_list("url", flat=True))
    for number, raw in enumerate(reader, start=2):
        row = {(k or "").strip().lower(): (v or "").strip() for k, v in raw.items() if k}
        if not any(row.values()):
            continue
        try:
            period_text = row.get("poll_every_minutes") or "15"
            if not period_text.isdigit() or int(period_text) < 1:
                raise ValidationFailed(
                    "source.bad_period", _("chu kỳ “%(p)s” không hợp lệ") % {"p": period_text}
                )
            outlet, url, kind = _clean_source(
                row.get("outlet", ""), row.get("url", ""), row.get("kind") or "feed"
            )
            if url in existing:
                raise ValidationFailed("source.exists", _("nguồn “%(url)s” đã có") % {"url": url})
            if url in seen:
                raise ValidationFailed("source.repeated", _("trùng với dòng %(line)d") % {"line": seen[url]})
            seen[url] = number
            rows.append((outlet, url, kind, int(period_text)))
        except ValidationFailed as exc:
            errors.append(_("dòng %(line)d: %(message)s") % {"line": number, "message": exc.message})
    if errors:
        raise ValidationFailed("source.csv_invalid", "\n".join(errors), lines=len(errors))
    with transaction.atomic():
        return [Source.objects.create(outlet=o, url=u, kind=k, poll_every_minutes=p) for o, u, k, p in rows]


# --- ingestion ------------------------------------------------------------------------------------
@dataclass
class Outcome:
    """What one source's poll did (also the shape summed up for a whole run)."""

    sources: int = 0
    fetched: int = 0
    new: int = 0
    duplicates: int = 0
    clustered: int = 0
    skips: Counter[str] = field(default_factory=Counter)
    error_reason: str = ""
    retryable: bool = False
    new_ids: list[int] = field(default_factory=list)

    def add(self, other: Outcome) -> None:
        self.sources += other.sources
        self.fetched += other.fetched
        self.new += other.new
        self.duplicates += other.duplicates
        self.clustered += other.clustered
        self.skips.update(other.skips)
        self.new_ids.extend(other.new_ids)

    @property
    def errors(self) -> dict[str, int]:
        return {k: v for k, v in sorted(self.skips.items()) if k not in SKIP_NOT_ERROR}

    def summary(self, seconds: float) -> dict[str, Any]:
        return {
            "sources": self.sources,
            "fetched": self.fetched,
            "new": self.new,
            "duplicates": self.duplicates,
            "clustered": self.clustered,
            "errors": self.errors,
            "seconds": round(seconds, 3),
        }


def _entries(source: Source, fetcher: SafeFetcher) -> tuple[list[FeedEntry], str, str]:
    """The source's entries and its new validators (ETag, Last-Modified). Raises FetchError."""
    if source.kind == Source.Kind.SITEMAP:
        return walk_sitemap(lambda url: fetcher.fetch(url).content, source.url), "", ""
    result = fetcher.fetch(source.url, etag=source.etag, last_modified=source.last_modified)
    if source.kind == Source.Kind.PAGE:
        html, _encoding = decode_bytes(result.content, result.charset)
        return extract_links(html, result.url), result.etag, result.last_modified
    return parse_feed(result.content, result.url), result.etag, result.last_modified


def _pages(
    entries: Iterable[FeedEntry], fetcher: SafeFetcher, outcome: Outcome
) -> Iterator[Page | FetchError]:
    for entry in entries:
        try:
            result = fetcher.fetch(entry.url, accept="text/html,application/xhtml+xml")
        except FetchError as exc:
            yield exc
            continue
        outcome.fetched += 1
        yield Page(url=result.url, content=result.content, charset=result.charset, entry=entry)


CLUSTER_LOCK = 0x5052_4553_5344_4B31 >> 1  # "PRESSDK1": one advisory lock key for clustering


def _lock_clustering() -> None:
    """Serialise the clustering step across workers (PostgreSQL; SQLite already serialises writers).

    Held from the candidate lookup to the commit, so two workers storing near-duplicates at the same
    time cannot both miss each other. The step is a few milliseconds per batch, far below fetching
    and extraction, so one lock does not limit throughput.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CLUSTER_LOCK])


def _join_cluster(article: Article, processed: Processed, candidate_ids: set[int]) -> bool:
    """Put `article` into the story cluster of its nearest near-duplicate. True when clustered."""
    signature = dedup.from_bytes(processed.minhash)
    best: tuple[float, int, int | None] | None = None
    pk: int
    cluster_id: int | None
    for pk, minhash, cluster_id in Article.objects.filter(pk__in=sorted(candidate_ids)[-200:]).values_list(
        "pk", "minhash", "cluster_id"
    ):
        if not minhash:
            continue
        score = dedup.jaccard(signature, dedup.from_bytes(bytes(minhash)))
        if score >= dedup.THRESHOLD and (best is None or score > best[0]):
            best = (score, pk, cluster_id)
    if best is None:
        return False
    _score, other_id, cluster_id = best
    if cluster_id is None:
        cluster = StoryCluster.objects.create(first_article_id=other_id)
        Article.objects.filter(pk=other_id).update(cluster=cluster)
    else:
        cluster = StoryCluster.objects.select_for_update().get(pk=cluster_id)
    Article.objects.filter(pk=article.pk).update(cluster=cluster)
    article.cluster = cluster
    members = Article.objects.filter(cluster=cluster)
    first = members.order_by("published_at", "fetched_at", "pk").values_list("pk", flat=True).first()
    stats = members.aggregate(size=Count("pk"), outlets=Count("outlet", distinct=True))
    StoryCluster.objects.filter(pk=cluster.pk).update(
        first_article_id=first, size=stats["size"], outlet_count=max(1, stats["outlets"])
    )
    return True


def _cluster_batch(inserted: list[tuple[Article, Processed]], outcome: Outcome) -> None:
    """Cluster newly inserted articles: one band lookup for the batch, one bulk insert of their bands."""
    if not inserted:
        return
    _lock_clustering()
    since = timezone.now() - timedelta(days=RECENT_DAYS)
    hashes = sorted({h for _article, processed in inserted for h in processed.bands})
    index: dict[tuple[int, int], set[int]] = {}
    for start in range(0, len(hashes), 500):
        # `hash IN (…)` uses the (hash, band) index; the band is matched below.
        for article_id, band, value in ClusterBand.objects.filter(
            hash__in=hashes[start : start + 500], created_at__gte=since
        ).values_list("article_id", "band", "hash"):
            index.setdefault((band, value), set()).add(article_id)
    for article, processed in inserted:
        keys = list(enumerate(processed.bands))
        candidates: set[int] = set()
        for key in keys:
            candidates |= index.get(key, set())
        candidates.discard(article.pk)
        if candidates and _join_cluster(article, processed, candidates):
            outcome.clustered += 1
        for key in keys:  # later articles of the same batch see this one
            index.setdefault(key, set()).add(article.pk)
    _insert_bands([(article.pk, processed.bands) for article, processed in inserted])


def _insert_bands(rows: list[tuple[int, list[int]]]) -> None:
    """One executemany for the batch's band rows (21 per article): building a model instance per row
    cost more than the database insert itself. Conflicts (a retried batch) are ignored."""
    fields = {f.name: f for f in ClusterBand._meta.concrete_fields}
    names = ("article", "band", "hash", "created_at")
    quote = connection.ops.quote_name
    columns = ", ".join(quote(fields[name].column or name) for name in names)
    created_at = fields["created_at"].get_db_prep_value(timezone.now(), connection)
    # Identifiers come from the model's metadata; every value is a parameter.
    sql = f"INSERT INTO {quote(ClusterBand._meta.db_table)} ({columns}) VALUES (%s, %s, %s, %s) "  # noqa: S608
    with connection.cursor() as cursor:
        cursor.executemany(
            sql + "ON CONFLICT DO NOTHING",
            [
                (article_id, band, value, created_at)
                for article_id, bands in rows
                for band, value in enumerate(bands)
            ],
        )


def _store(source: Source | None, outlet_id: int | None, batch: list[Processed], outcome: Outcome) -> None:
    with transaction.atomic():
        candidates = [
            (
                Article(
                    canonical_url=item.canonical_url[:1000],
                    url=item.url[:1000],
                    outlet_id=outlet_id,
                    source=source,
                    title=item.title,
                    lead=item.lead,
                    text=item.text,
                    author=item.author,
                    published_at=item.published_at,
                    content_hash=item.content_hash,
                    minhash=processed.minhash,
                ),
                processed,
            )
            for processed in batch
            for item in [processed.article]
        ]
        new_ids = _insert_articles([article for article, _processed in candidates])
        inserted: list[tuple[Article, Processed]] = []
        for article, processed in candidates:
            pk = new_ids.pop(article.canonical_url, None)  # popped: a second copy in the batch is a duplicate
            if pk is None:
                outcome.duplicates += 1
                outcome.skips["duplicate"] += 1
                continue
            article.pk = pk
            article._state.adding = False
            outcome.new += 1
            outcome.new_ids.append(pk)
            inserted.append((article, processed))
        _cluster_batch(inserted, outcome)


def _insert_articles(articles: list[Article]) -> dict[str, int]:
    """Insert the batch in one statement; the unique canonical URL decides what is new (never a prior
    check): `ON CONFLICT (canonical_url) DO NOTHING RETURNING` gives the ids of the rows that this
    statement inserted, by canonical URL. One statement instead of a savepoint and an ORM insert per
    article. Values are prepared by the model's own fields, defaults included."""
    if not articles:
        return {}
    meta = Article._meta
    fields = [f for f in meta.concrete_fields if not f.primary_key]
    quote = connection.ops.quote_name
    key = quote(meta.get_field("canonical_url").column or "canonical_url")
    columns = ", ".join(quote(f.column or f.name) for f in fields)
    row = "(" + ", ".join(["%s"] * len(fields)) + ")"
    new: dict[str, int] = {}
    with connection.cursor() as cursor:
        for start in range(0, len(articles), 200):  # under SQLite's 32,766 parameters per statement
            chunk = articles[start : start + 200]
            params = [
                f.get_db_prep_save(f.pre_save(article, True), connection) for article in chunk for f in fields
            ]
            # Identifiers come from the model's metadata; every value is a parameter.
            sql = (
                f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES {', '.join([row] * len(chunk))} "  # noqa: S608
                f"ON CONFLICT ({key}) DO NOTHING RETURNING {quote('id')}, {key}"
            )
            cursor.execute(sql, params)
            new.update((url, pk) for pk, url in cursor.fetchall())
    return new


def _analyse(
    article_ids: list[int], *, executor: Executor | None = None, wait: bool = True
) -> Callable[[], None] | None:
    """Hand new articles to the NLP side when its module exists (ingestion works without it); with
    an executor the analysis runs in ingestion's process pool. wait=False may return a function that
    finishes the analysis (waits for the pool, stores the results); None when nothing is left to do."""
    if not article_ids or importlib.util.find_spec("pressdesk.monitoring.analysis") is None:
        return None
    module = importlib.import_module("pressdesk.monitoring.analysis")
    finish: Callable[[], None] | None = module.analyse_articles(article_ids, executor=executor, wait=wait)
    return finish


Finisher = Callable[[Outcome], None]


def _start_analysis(ids: list[int], *, executor: Executor | None, source_id: int) -> Finisher:
    """Submit the analysis of a source's new articles; the returned function completes it and counts
    a failure (logged with traceback) into the outcome it is given. Analysis must never lose stored
    articles, so nothing here raises."""

    def failed(outcome: Outcome) -> None:
        outcome.skips["analysis_failed"] += len(ids)

    try:
        finish = _analyse(ids, executor=executor, wait=False)
    except Exception:
        logger.exception("analysis of %d new articles from source %s failed", len(ids), source_id)
        return failed

    def done(outcome: Outcome) -> None:
        try:
            if finish is not None:
                finish()
        except Exception:
            logger.exception("analysis of %d new articles from source %s failed", len(ids), source_id)
            failed(outcome)

    return done


def ingest_source(
    *,
    source_id: int,
    fetcher: SafeFetcher | None = None,
    processes: int | None = None,
    analyse: bool = True,
    later: list[Finisher] | None = None,
) -> Outcome:
    """Poll one source once: entries → new pages → extract → store → cluster → analyse.

    Never raises for a bad source: its failure reason is recorded on the source and in the outcome.
    With `later` (a list) the analysis is only submitted to the pool and its finisher appended there:
    the caller completes it, with the outcome that counts a failure, after starting the next source.
    """
    started = time.monotonic()
    source = Source.objects.select_related("outlet").filter(pk=source_id).first()
    if source is None:
        raise NotFound("source.not_found", _("Không tìm thấy nguồn tin."))
    fetcher = fetcher or get_fetcher()
    processes = int(getattr(settings, "PRESSDESK_INGEST_PROCESSES", 0)) if processes is None else processes
    outcome = Outcome(sources=1)
    run = IngestRun.objects.create(source=source, sources=1)
    etag, last_modified = source.etag, source.last_modified
    error_message = ""
    try:
        entries, etag, last_modified = _entries(source, fetcher)
        # One key per article: several URLs of the same entry list (tracking params, amp) fold together.
        unique: dict[str, FeedEntry] = {}
        for entry in entries[:MAX_ENTRIES]:
            unique.setdefault(canonical_url(entry.url), entry)
        stored: set[str] = set()
        keys = list(unique)
        for start in range(0, len(keys), 500):
            stored.update(
                Article.objects.filter(canonical_url__in=keys[start : start + 500]).values_list(
                    "canonical_url", flat=True
                )
            )
        outcome.duplicates += len(stored)
        if stored:
            outcome.skips["duplicate"] += len(stored)
        todo = [entry for key, entry in unique.items() if key not in stored]
        batch: list[Processed] = []
        for result in process_pages(_pages(todo, fetcher, outcome), processes=processes):
            if isinstance(result, FetchError):
                outcome.skips[result.reason] += 1
                outcome.retryable = outcome.retryable or result.retryable
                continue
            batch.append(result)
            if len(batch) >= BATCH:
                _store(source, source.outlet_id, batch, outcome)
                batch = []
        if batch:
            _store(source, source.outlet_id, batch, outcome)
    except FetchError as exc:
        if exc.reason == "not_modified":
            outcome.skips["not_modified"] += 1
        else:
            outcome.error_reason = exc.reason
            outcome.retryable = exc.retryable
            outcome.skips[exc.reason] += 1
            error_message = exc.message[:2000]
    now = timezone.now()
    failures = source.consecutive_failures + 1 if outcome.error_reason else 0
    period = min(source.poll_every_minutes * (2 ** min(failures, 8)), MAX_BACKOFF_MINUTES)
    update: dict[str, Any] = {
        "last_polled_at": now,
        "consecutive_failures": failures,
        "last_error_reason": outcome.error_reason,
        "last_error": error_message,
        "next_poll_at": now + timedelta(minutes=period if failures else source.poll_every_minutes),
    }
    if not outcome.error_reason:
        update["last_ok_at"] = now
        # Validators only when nothing retryable was left behind, or the next poll would be a 304
        # and the pages that failed this time would never be fetched again.
        if not outcome.retryable:
            update["etag"] = (etag or "")[:255]
            update["last_modified"] = (last_modified or "")[:64]
    Source.objects.filter(pk=source.pk).update(**update)
    IngestRun.objects.filter(pk=run.pk).update(
        finished_at=now,
        fetched=outcome.fetched,
        new=outcome.new,
        duplicates=outcome.duplicates,
        clustered=outcome.clustered,
        errors=outcome.errors,
        skips=dict(outcome.skips),
        seconds=time.monotonic() - started,
    )
    if analyse and outcome.new_ids:
        finish = _start_analysis(outcome.new_ids, executor=pipeline.executor(processes), source_id=source.pk)
        if later is None:
            finish(outcome)
        else:
            later.append(finish)
    return outcome


def claim_due_sources(*, now: datetime | None = None, limit: int | None = None) -> list[int]:
    """Sources due for polling, each claimed by compare-and-swap so two pollers never take the same one."""
    now = now or timezone.now()
    due = Source.objects.filter(active=True).filter(Q(next_poll_at__isnull=True) | Q(next_poll_at__lte=now))
    claimed: list[int] = []
    for pk, next_poll_at, period in due.order_by("next_poll_at", "pk").values_list(
        "pk", "next_poll_at", "poll_every_minutes"
    )[:limit]:
        lease = now + timedelta(minutes=max(period, 5))
        if Source.objects.filter(pk=pk, next_poll_at=next_poll_at).update(next_poll_at=lease) == 1:
            claimed.append(pk)
    return claimed


def ingest_due(
    *,
    now: datetime | None = None,
    fetcher: SafeFetcher | None = None,
    processes: int | None = None,
    analyse: bool = True,
) -> tuple[IngestRun, Outcome]:
    """Poll every due source once, in this process. A failing source never stops the others."""
    started = time.monotonic()
    run = IngestRun.objects.create()
    total = Outcome()
    # One source's analysis stays in flight while the next source is fetched, extracted and stored:
    # the pool analyses while this process waits on the network and writes (memory stays bounded).
    later: list[Finisher] = []
    for source_id in claim_due_sources(now=now):
        try:
            total.add(
                ingest_source(
                    source_id=source_id, fetcher=fetcher, processes=processes, analyse=analyse, later=later
                )
            )
        except Exception as exc:  # a bug or database error on one source must not stop the others
            logger.exception("ingesting source %s failed", source_id)
            Source.objects.filter(pk=source_id).update(
                last_polled_at=timezone.now(),
                last_error_reason="internal_error",
                last_error=f"{type(exc).__name__}: {exc}"[:2000],
            )
            total.sources += 1
            total.skips["internal_error"] += 1
        while len(later) > 1:
            later.pop(0)(total)
    for finish in later:
        finish(total)
    prune_bands()
    seconds = time.monotonic() - started
    IngestRun.objects.filter(pk=run.pk).update(
        finished_at=timezone.now(),
        sources=total.sources,
        fetched=total.fetched,
        new=total.new,
        duplicates=total.duplicates,
        clustered=total.clustered,
        errors=total.errors,
        skips=dict(total.skips),
        seconds=seconds,
    )
    run.refresh_from_db()
    return run, total


def prune_bands(*, days: int = RECENT_DAYS) -> int:
    """LSH band rows older than the clustering window are never looked up again."""
    deleted, _detail = ClusterBand.objects.filter(
        created_at__lt=timezone.now() - timedelta(days=days)
    ).delete()
    return deleted

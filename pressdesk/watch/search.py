"""Vietnamese full-text search: SQLite FTS5 (embedded default) and PostgreSQL tsvector, same results.

Both back-ends index the same *folded* text built here in Python (normalize_text → fold_diacritics →
ASCII syllables joined by one space), and both get the same query: every bare syllable must occur
and every quoted phrase must occur as consecutive syllables. Because tokenisation happens here, the
two engines see identical tokens and return identical sets of articles; only the relevance score
differs (bm25 on SQLite, ts_rank on PostgreSQL).
"""

from __future__ import annotations

import datetime as dt
import html
import itertools
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from pressdesk.core.errors import ValidationFailed
from pressdesk.monitoring.models import Article
from pressdesk.nlp.text import fold_diacritics, normalize_text, strip_diacritics
from pressdesk.watch.places import codes_within

_TOKEN = re.compile(r"[a-z0-9]+")
_QUOTED = re.compile(r'"([^"]*)"')
# Keeps a phrase from running from the last title syllable into the first body syllable on
# PostgreSQL (its tsvector concatenation makes them adjacent; FTS5 columns never are).
_SEPARATOR = "zqxjsepzqxj"
INDEX_BATCH = 2000
MAX_QUERY_TERMS = 32
# Bounds on the work of one query, the same on both databases (so both return the same ids):
COUNT_CAP = 1000  # matches counted; beyond it the page says "hơn 1.000 kết quả"
# Relevance order scores the RANK_WINDOW most recently stored matches: the ones the count reports.
# (2,000 before: on PostgreSQL ts_rank de-TOASTs each window document, ~8 µs a document.)
RANK_WINDOW = 1000


def fold(text: str) -> str:
    """Text as the index stores it: ASCII syllables without marks, lower case, single spaces."""
    return " ".join(_TOKEN.findall(fold_diacritics(normalize_text(text or ""))))


@dataclass(frozen=True)
class ParsedQuery:
    terms: tuple[str, ...] = ()
    phrases: tuple[tuple[str, ...], ...] = ()

    @property
    def empty(self) -> bool:
        return not self.terms and not self.phrases

    @property
    def words(self) -> set[str]:
        return set(self.terms) | {w for p in self.phrases for w in p}

    def fts5(self) -> str:
        """FTS5 query over the text columns only (never the filter tags)."""
        parts = [f'"{t}"' for t in self.terms] + ['"' + " ".join(p) + '"' for p in self.phrases]
        return "{title body} : (" + " AND ".join(parts) + ")"

    def tsquery(self) -> str:
        """PostgreSQL tsquery text of the query: phrases by the words' positions."""
        return " & ".join([f"'{t}'" for t in self.terms] + [_positional(p) for p in self.phrases])

    def pg_match(self) -> str:
        """PostgreSQL tsquery text that matches the same documents through the index: a phrase is
        its pairs of adjacent syllables (`word_pairs`), which GIN answers without reading a
        document; a phrase of three syllables or more keeps its positional form too, checked on
        the few documents holding all its pairs."""
        parts = [f"'{t}'" for t in self.terms]
        for phrase in self.phrases:
            parts += [f"'{a} {b}'" for a, b in itertools.pairwise(phrase)]
            if len(phrase) > 2:
                parts.append(_positional(phrase))
        return " & ".join(dict.fromkeys(parts))


def _positional(phrase: tuple[str, ...]) -> str:
    """A phrase as a tsquery of adjacent positions: ('tai' <-> 'nan' <-> 'giao')."""
    return "(" + " <-> ".join(f"'{w}'" for w in phrase) + ")"


def parse_query(raw: str) -> ParsedQuery:
    """`thanh hoa "sầm sơn"` → terms (thanh, hoa), phrase (sam, son). Unbalanced quotes are ignored."""
    raw = normalize_text(raw or "")
    phrases: list[tuple[str, ...]] = []
    for match in _QUOTED.finditer(raw):
        tokens = tuple(fold(match.group(1)).split())
        if len(tokens) == 1:
            phrases.append(tokens)  # treated as a term below
        elif tokens:
            phrases.append(tokens)
    rest = _QUOTED.sub(" ", raw)
    terms = [t for t in fold(rest).split()]
    terms += [p[0] for p in phrases if len(p) == 1]
    phrases = [p for p in phrases if len(p) > 1]
    unique_terms = tuple(dict.fromkeys(terms))
    if len(unique_terms) + sum(len(p) for p in phrases) > MAX_QUERY_TERMS:
        raise ValidationFailed(
            "search.too_long", _("Câu tìm kiếm quá dài (tối đa %(n)s từ).") % {"n": MAX_QUERY_TERMS}
        )
    return ParsedQuery(terms=unique_terms, phrases=tuple(dict.fromkeys(phrases)))


# ---------------------------------------------------------------------------------------------
# Filter tags: the filter values of each article stored in its index row (FTS5 column `tags`;
# lexemes starting with "#" in the PostgreSQL tsvector), so the text index applies the filters
# itself: "thanh hoa" from central outlets in May 2023 is one walk of the posting lists instead of
# every article of central outlets joined with every article holding "thanh" and "hoa".
# Outlet levels are turned into the outlets of that level at query time (a level edited later
# needs no re-tagging); the story cluster and `fetched_after` stay SQL filters.

TAG_PREFIX = "#"  # PostgreSQL lexemes; text lexemes are [a-z0-9]+ so never start with it
MAX_DATE_TAGS = 400  # a date range needing more tags is filtered in SQL instead
# PostgreSQL rows also carry a recency tag, the bucket of RECENCY_BUCKET consecutive article ids
# they fall in: the newest matches of a common word are read bucket by bucket (`_pg_newest_matches`).
# FTS5 needs none: it reads its matches in rowid order and stops. Changing the bucket size needs a
# migration re-tagging the rows (as watch.0005 tagged them).
RECENCY_BUCKET = 4096


def recency_tag(article_id: int) -> str:
    return f"r{int(article_id) // RECENCY_BUCKET}"


# PostgreSQL rows also hold each pair of adjacent syllables as one lexeme ("thanh hoa": a space never
# occurs in a word lexeme), so a quoted phrase is looked up in the GIN index like a word instead of
# being checked against the positions of every document holding its words ("thanh" and "hoa" occur
# together in 12 documents for each one holding "thanh hoa"). Pairs follow the positions PostgreSQL
# gives the words: none across the title/body separator, none past position MAX_PAIR_POSITION.
MAX_PAIR_POSITION = 16383  # tsvector positions stop there


def word_pairs(title: str, body: str) -> list[str]:
    """The pair lexemes of a row whose folded title and body (`fold`) are given."""
    first, second = title.split(), body.split()
    room = MAX_PAIR_POSITION - len(first) - 1  # body positions follow the title's and the separator
    pairs = set(itertools.pairwise(first[:MAX_PAIR_POSITION]))
    pairs.update(itertools.pairwise(second[: max(0, room)]))
    return sorted(f"{a} {b}" for a, b in pairs)


def _tag_code(value: object) -> str:
    text = str(value).lower()
    return text if text.isascii() and text.isalnum() else "x" + text.encode().hex()


def _month_tag(day: dt.date) -> str:
    return f"m{day:%Y%m}"


def _day_tag(day: dt.date) -> str:
    return f"d{day:%Y%m%d}"


def _next_month(day: dt.date) -> dt.date:
    """The first day of the month after `day`'s."""
    return dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)


def _date_tags(day: dt.date) -> list[str]:
    return [f"y{day:%Y}", _month_tag(day), _day_tag(day)]


def row_tags(
    *,
    outlet_id: int | None,
    channel: str,
    tone: str,
    relevance: str,
    published_at: dt.datetime | None,
    areas: Iterable[int] = (),
    topics: Iterable[int] = (),
    events: Iterable[int] = (),
    places: Iterable[str] = (),
) -> list[str]:
    """The filter tags of one article (also used by benchmarks/search.py to load its rows)."""
    tags = [f"a{int(n)}" for n in areas]
    tags += [f"tp{int(pk)}" for pk in topics]
    tags += [f"ev{int(pk)}" for pk in events]
    tags += ["pl" + _tag_code(code) for code in places]
    if outlet_id is not None:
        tags.append(f"o{int(outlet_id)}")
    if channel:
        tags.append("ch" + _tag_code(channel))
    if tone:
        tags.append("tn" + _tag_code(tone))
    if relevance:
        tags.append("rl" + _tag_code(relevance))
    if published_at is not None:
        tags += _date_tags(timezone.localtime(published_at, timezone.get_default_timezone()).date())
    return sorted(set(tags))


def article_tags(ids: Sequence[int]) -> dict[int, list[str]]:
    """Filter tags of the given articles, read with the same relations as `filtered_articles`."""
    ids = list(ids)
    extra: dict[int, dict[str, set[Any]]] = {
        pk: {"areas": set(), "topics": set(), "events": set(), "places": set()} for pk in ids
    }
    related = [
        ("areas", "mentions__area__number"),
        ("topics", "mentions__topics__pk"),
        ("events", "mentions__events__pk"),
        ("places", "places__code"),
    ]
    for key, path in related:
        for pk, value in Article.objects.filter(pk__in=ids, **{f"{path}__isnull": False}).values_list(
            "pk", path
        ):
            extra[pk][key].add(value)
    tags = {}
    for pk, outlet_id, channel, tone, relevance, published in Article.objects.filter(pk__in=ids).values_list(
        "pk", "outlet_id", "channel", "tone", "relevance_decision", "published_at"
    ):
        tags[pk] = row_tags(
            outlet_id=outlet_id,
            channel=channel,
            tone=tone,
            relevance=relevance,
            published_at=published,
            **extra[pk],
        )
    return tags


@dataclass(frozen=True)
class TagQuery:
    """Filters as tags: every group must match, by any one of its tags."""

    groups: tuple[tuple[str, ...], ...]

    @property
    def impossible(self) -> bool:
        return any(not group for group in self.groups)

    def fts5(self) -> str:
        return " AND ".join("tags : (" + " OR ".join(f'"{t}"' for t in g) + ")" for g in self.groups)

    def tsqueries(self) -> list[str]:
        """One tsquery per group, each matched as its own GIN scan key (see `_pg_match`)."""
        return [" | ".join(f"'{TAG_PREFIX}{t}'" for t in g) for g in self.groups]


def _pg_match(groups: int) -> str:
    """SQL: `s.document` matches a query parameter (`ParsedQuery.pg_match`) and `groups` tag ones.

    Each condition is its own GIN scan key, and GIN intersects keys by stepping through the
    sparsest one and skipping ahead in the others. One tsquery ANDing everything would be one key,
    read through its rarest entries until they alone rule the key out: every outlet of a level
    (13 lists) rather than the recency bucket (`recency_tag`) or the day that would do.
    """
    return "s.document @@ %s::tsquery" + " AND s.document @@ %s::tsquery" * groups


def _date_cover(lo: dt.date, hi: dt.date) -> list[str]:
    """Fewest tags covering the days lo..hi: whole years, whole months, then single days."""
    out: list[str] = []
    day = lo
    while day <= hi and len(out) <= MAX_DATE_TAGS:
        if day.month == 1 and day.day == 1 and dt.date(day.year, 12, 31) <= hi:
            out.append(f"y{day:%Y}")
            day = dt.date(day.year + 1, 1, 1)
            continue
        if day.day == 1:
            following = _next_month(day)
            if following - dt.timedelta(days=1) <= hi:
                out.append(_month_tag(day))
                day = following
                continue
        out.append(_day_tag(day))
        day += dt.timedelta(days=1)
    return out


def _published_span() -> tuple[dt.date, dt.date] | None:
    """First and last local publication day of all articles (two probes of the published_at index)."""
    first = (
        Article.objects.filter(published_at__isnull=False)
        .order_by("published_at")
        .values_list("published_at", flat=True)[:1]
    )
    last = (
        Article.objects.filter(published_at__isnull=False)
        .order_by("-published_at")
        .values_list("published_at", flat=True)[:1]
    )
    if not first or not last:
        return None
    zone = timezone.get_default_timezone()
    return timezone.localtime(first[0], zone).date(), timezone.localtime(last[0], zone).date()


_UNKNOWN: Any = object()


def split_filters(
    filters: Filters, span: tuple[dt.date, dt.date] | None = _UNKNOWN
) -> tuple[TagQuery | None, Filters]:
    """The filters the index can apply as tags, and the rest (applied in SQL). `span`: the first and
    last publication days if the caller has them (`_published_span`)."""
    from pressdesk.accounts.models import Outlet

    groups: list[tuple[str, ...]] = []
    rest = Filters(cluster=filters.cluster, fetched_after=filters.fetched_after)
    if filters.outlet:
        groups.append(tuple(f"o{pk}" for pk in sorted(set(filters.outlet))))
    if filters.outlet_level:
        level_outlets = Outlet.objects.filter(level=filters.outlet_level).order_by("pk")
        groups.append(tuple(f"o{pk}" for pk in level_outlets.values_list("pk", flat=True)))
    for prefix, value in (("a", filters.area), ("tp", filters.topic), ("ev", filters.event)):
        if value is not None:
            groups.append((f"{prefix}{int(value)}",))
    for prefix, text in (("tn", filters.tone), ("rl", filters.relevance), ("ch", filters.channel)):
        if text:
            groups.append((prefix + _tag_code(text),))
    if filters.place:
        groups.append(tuple(sorted({"pl" + _tag_code(code) for code in codes_within(filters.place)})))
    if filters.date_from or filters.date_to:
        if span is _UNKNOWN:
            span = _published_span()
        if span is None:
            groups.append(())  # no dated article at all
        else:
            lo = max(filters.date_from or span[0], span[0])
            hi = min(filters.date_to or span[1], span[1])
            cover = _date_cover(lo, hi) if lo <= hi else []
            if len(cover) > MAX_DATE_TAGS:
                rest.date_from, rest.date_to = filters.date_from, filters.date_to
            else:
                groups.append(tuple(cover))
    return (TagQuery(tuple(groups)) if groups else None), rest


# ---------------------------------------------------------------------------------------------
# Index maintenance


def _rows(ids: Iterable[int]) -> list[tuple[int, str, str, list[str]]]:
    ids = list(ids)
    tags = article_tags(ids)
    rows = []
    for pk, title, lead, text in Article.objects.filter(pk__in=ids).values_list(
        "pk", "title", "lead", "text"
    ):
        rows.append((pk, fold(title), fold(f"{lead}\n{text}"), tags.get(pk, [])))
    return rows


def search_index_articles(ids: Sequence[int]) -> int:
    """(Re)index the given articles; call after ingestion or when an article's text changes.

    Returns the number of articles written. Articles that no longer exist are dropped from the index.
    """
    ids = sorted({int(i) for i in ids})
    written = 0
    for start in range(0, len(ids), INDEX_BATCH):
        chunk = ids[start : start + INDEX_BATCH]
        rows = _rows(chunk)
        with transaction.atomic(), connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                present = [r[0] for r in rows]
                cursor.execute(
                    "DELETE FROM watch_articlesearch WHERE article_id = ANY(%s) AND NOT article_id = ANY(%s)",
                    [chunk, present],
                )
                cursor.executemany(
                    "INSERT INTO watch_articlesearch (article_id, document) VALUES (%s, "
                    "setweight(to_tsvector('simple', unaccent(%s)), 'A') || "
                    "setweight(to_tsvector('simple', unaccent(%s)), 'B') || array_to_tsvector(%s::text[])) "
                    "ON CONFLICT (article_id) DO UPDATE SET document = EXCLUDED.document",
                    [
                        (
                            pk,
                            f"{title} {_SEPARATOR}",
                            body,
                            [*word_pairs(title, body), *(TAG_PREFIX + t for t in [*tags, recency_tag(pk)])],
                        )
                        for pk, title, body, tags in rows
                    ],
                )
            else:
                marks = ",".join("%s" for _ in chunk)
                cursor.execute(f"DELETE FROM watch_fts WHERE rowid IN ({marks})", chunk)  # noqa: S608
                cursor.executemany(
                    "INSERT INTO watch_fts (rowid, title, body, tags) VALUES (%s, %s, %s, %s)",
                    [(pk, title, body, " ".join(tags)) for pk, title, body, tags in rows],
                )
        written += len(rows)
    return written


def search_retag(ids: Sequence[int]) -> int:
    """Rewrite the filter tags of already indexed articles whose tags changed (after analysis).

    Articles not yet indexed are left to `search_catch_up`, which writes their tags with their text.
    Returns the number of index rows rewritten.
    """
    ids = sorted({int(i) for i in ids})
    changed = 0
    for start in range(0, len(ids), INDEX_BATCH):
        chunk = ids[start : start + INDEX_BATCH]
        with transaction.atomic(), connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute(
                    "SELECT article_id, ARRAY(SELECT lexeme FROM unnest(document) "
                    "WHERE left(lexeme, 1) = %s ORDER BY lexeme) FROM watch_articlesearch "
                    "WHERE article_id = ANY(%s)",
                    [TAG_PREFIX, chunk],
                )
                stored = {int(pk): [t[len(TAG_PREFIX) :] for t in tags] for pk, tags in cursor.fetchall()}
            else:
                marks = ",".join("%s" for _ in chunk)
                cursor.execute(f"SELECT rowid, tags FROM watch_fts WHERE rowid IN ({marks})", chunk)  # noqa: S608
                stored = {int(pk): sorted((tags or "").split()) for pk, tags in cursor.fetchall()}
            if not stored:
                continue
            current = article_tags(list(stored))
            if connection.vendor == "postgresql":
                current = {pk: sorted([*tags, recency_tag(pk)]) for pk, tags in current.items()}
            rows = [(pk, tags) for pk, tags in current.items() if sorted(tags) != stored[pk]]
            if connection.vendor == "postgresql":
                cursor.executemany(
                    "UPDATE watch_articlesearch SET document = ts_delete(document, ARRAY(SELECT lexeme "
                    "FROM unnest(document) WHERE left(lexeme, 1) = %s)) || array_to_tsvector(%s::text[]) "
                    "WHERE article_id = %s",
                    [(TAG_PREFIX, [TAG_PREFIX + t for t in tags], pk) for pk, tags in rows],
                )
            else:
                cursor.executemany(
                    "UPDATE watch_fts SET tags = %s WHERE rowid = %s",
                    [(" ".join(tags), pk) for pk, tags in rows],
                )
            changed += len(rows)
    return changed


def _max_indexed_id() -> int:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT COALESCE(MAX(article_id), 0) FROM watch_articlesearch")
        else:
            cursor.execute("SELECT COALESCE(MAX(rowid), 0) FROM watch_fts")
        return int(cursor.fetchone()[0])


def search_catch_up(*, limit: int | None = None) -> int:
    """Index every article newer than the newest indexed one, so no caller has to remember to."""
    last = _max_indexed_id()
    ids = Article.objects.filter(pk__gt=last).order_by("pk").values_list("pk", flat=True)
    if limit is not None:
        ids = ids[:limit]
    return search_index_articles(list(ids))


def search_reindex() -> int:
    """Drop and rebuild the whole index (`pressdesk search --reindex`)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM watch_articlesearch"
            if connection.vendor == "postgresql"
            else "DELETE FROM watch_fts"
        )
    ids = list(Article.objects.order_by("pk").values_list("pk", flat=True))
    return search_index_articles(ids)


# ---------------------------------------------------------------------------------------------
# Filters and query


@dataclass
class Filters:
    outlet: list[int] = field(default_factory=list)
    outlet_level: str = ""
    area: int | None = None  # ContentArea.number of the plan's section II
    topic: int | None = None
    event: int | None = None
    tone: str = ""
    relevance: str = ""  # about-the-province decision
    place: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    cluster: int | None = None
    channel: str = ""
    fetched_after: dt.datetime | None = None  # saved searches only, never from GET parameters

    @property
    def active(self) -> bool:
        return any(
            [
                self.outlet,
                self.outlet_level,
                self.area,
                self.topic,
                self.event,
                self.tone,
                self.relevance,
                self.place,
                self.date_from,
                self.date_to,
                self.cluster,
                self.channel,
                self.fetched_after,
            ]
        )

    def as_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {}
        for key, value in self.__dict__.items():
            if key == "fetched_after" or value in (None, "", []):
                continue
            data[key] = value.isoformat() if isinstance(value, dt.date) else value
        return data

    @classmethod
    def from_mapping(cls, data: Any) -> Filters:
        """From GET parameters or saved JSON; a bad value raises ValidationFailed naming the field."""

        def getlist(key: str) -> list[str]:
            if hasattr(data, "getlist"):
                return [v for v in data.getlist(key) if v]
            value = data.get(key)
            if value in (None, ""):
                return []
            return [str(v) for v in value] if isinstance(value, list) else [str(value)]

        def one(key: str) -> str:
            values = getlist(key)
            return values[0].strip() if values else ""

        def integer(key: str, label: str) -> int | None:
            value = one(key)
            if not value:
                return None
            try:
                return int(value)
            except ValueError:
                raise ValidationFailed(
                    "search.bad_filter",
                    _("Giá trị không hợp lệ cho “%(f)s”: %(v)s") % {"f": label, "v": value},
                ) from None

        def date(key: str, label: str) -> dt.date | None:
            value = one(key)
            if not value:
                return None
            try:
                return dt.date.fromisoformat(value)
            except ValueError:
                raise ValidationFailed(
                    "search.bad_date",
                    _("Ngày không hợp lệ cho “%(f)s”: %(v)s (định dạng YYYY-MM-DD)")
                    % {"f": label, "v": value},
                ) from None

        outlets = []
        for value in getlist("outlet"):
            try:
                outlets.append(int(value))
            except ValueError:
                raise ValidationFailed(
                    "search.bad_filter",
                    _("Giá trị không hợp lệ cho “%(f)s”: %(v)s") % {"f": _("cơ quan báo chí"), "v": value},
                ) from None
        filters = cls(
            outlet=outlets,
            outlet_level=one("outlet_level"),
            area=integer("area", _("lĩnh vực")),
            topic=integer("topic", _("nhiệm vụ")),
            event=integer("event", _("sự kiện")),
            tone=one("tone"),
            relevance=one("relevance"),
            place=one("place"),
            date_from=date("date_from", _("từ ngày")),
            date_to=date("date_to", _("đến ngày")),
            cluster=integer("cluster", _("chuỗi tin")),
            channel=one("channel"),
        )
        choices = {
            "tone": (filters.tone, Article.Tone.values, _("sắc thái")),
            "relevance": (filters.relevance, Article.Relevance.values, _("mức liên quan đến tỉnh")),
            "outlet_level": (
                filters.outlet_level,
                ["central", "provincial", "other"],
                _("cấp cơ quan báo chí"),
            ),
            "channel": (filters.channel, Article.Channel.values, _("kênh")),
        }
        for value, allowed, label in choices.values():
            if value and value not in allowed:
                raise ValidationFailed(
                    "search.bad_filter",
                    _("Giá trị không hợp lệ cho “%(f)s”: %(v)s") % {"f": label, "v": value},
                )
        if filters.date_from and filters.date_to and filters.date_from > filters.date_to:
            raise ValidationFailed("search.bad_range", _("“Từ ngày” phải trước hoặc bằng “đến ngày”."))
        return filters


def _day_start(day: dt.date) -> dt.datetime:
    """Midnight of a local day in the province's time zone (the day the filter tags use)."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min), timezone.get_default_timezone())


def filtered_articles(filters: Filters) -> QuerySet[Article]:
    qs = Article.objects.all()
    if filters.outlet:
        qs = qs.filter(outlet_id__in=filters.outlet)
    if filters.outlet_level:
        qs = qs.filter(outlet__level=filters.outlet_level)
    if filters.area is not None:
        qs = qs.filter(pk__in=Article.objects.filter(mentions__area__number=filters.area).values("pk"))
    if filters.topic is not None:
        qs = qs.filter(pk__in=Article.objects.filter(mentions__topics__pk=filters.topic).values("pk"))
    if filters.event is not None:
        qs = qs.filter(pk__in=Article.objects.filter(mentions__events__pk=filters.event).values("pk"))
    if filters.tone:
        qs = qs.filter(tone=filters.tone)
    if filters.relevance:
        qs = qs.filter(relevance_decision=filters.relevance)
    if filters.place:
        # an old district also finds the articles that name only one of its old communes
        within = codes_within(filters.place)
        qs = qs.filter(pk__in=Article.objects.filter(places__code__in=within).values("pk"))
    if filters.date_from:
        qs = qs.filter(published_at__gte=_day_start(filters.date_from))
    if filters.date_to:
        qs = qs.filter(published_at__lt=_day_start(filters.date_to + dt.timedelta(days=1)))
    if filters.cluster is not None:
        qs = qs.filter(cluster_id=filters.cluster)
    if filters.channel:
        qs = qs.filter(channel=filters.channel)
    if filters.fetched_after is not None:
        qs = qs.filter(fetched_at__gt=filters.fetched_after)
    return qs


@dataclass
class Hit:
    article: Article
    score: float | None
    snippet: str = ""

    def as_json(self) -> dict[str, Any]:
        a = self.article
        return {
            "id": a.pk,
            "url": a.url,
            "title": a.title,
            "outlet": a.outlet.name if a.outlet is not None else "",
            "published": a.published_at.isoformat() if a.published_at else None,
            "score": None if self.score is None else round(self.score, 6),
        }


@dataclass
class SearchResult:
    total: int  # exact up to COUNT_CAP; COUNT_CAP when `more`
    hits: list[Hit]
    query: ParsedQuery
    more: bool = False  # more than COUNT_CAP matches: `total` is a lower bound

    @property
    def total_label(self) -> str:
        """ "37 kết quả" or "hơn 1.000 kết quả": what the page and `pressdesk search` print."""
        return count_label(self.total + int(self.more))


def count_label(count: int) -> str:
    """A count from search (COUNT_CAP + 1 stands for "more than COUNT_CAP") in words."""
    if count > COUNT_CAP:
        return _("hơn %(n)s kết quả") % {"n": f"{COUNT_CAP:,}".replace(",", ".")}
    return _("%(n)s kết quả") % {"n": f"{count:,}".replace(",", ".")}


def _newest_by_walk(parsed: ParsedQuery, filters: Filters, limit: int, offset: int) -> list[int]:
    """Date order for many dense matches: walk the filtered articles newest first through the index
    on `published_at` and test each one against the text index until the page is full.

    Used only when more than COUNT_CAP matches are dense among the articles, so the walk stops after
    a few articles per result. The filters are applied in SQL here and the probe reads the query
    alone: one probe with a dozen alternative tags costs many times one with two syllables.
    """
    if connection.vendor == "postgresql":
        probe = (
            "EXISTS (SELECT 1 FROM watch_articlesearch s WHERE s.article_id = monitoring_article.id "
            "AND s.document @@ %s::tsquery)"
        )
        term = parsed.pg_match()
    else:
        probe = (
            "EXISTS (SELECT 1 FROM watch_fts WHERE watch_fts MATCH %s "
            "AND watch_fts.rowid = monitoring_article.id)"
        )
        term = parsed.fts5()
    qs = filtered_articles(filters).extra(where=[probe], params=[term])  # noqa: S610 - fixed SQL
    # Dated articles newest first, then the undated ones: two walks, each able to follow the
    # ascending index on `published_at` backwards (PostgreSQL cannot for "DESC NULLS LAST").
    dated = (
        qs.filter(published_at__isnull=False).order_by("-published_at", "-pk").values_list("pk", flat=True)
    )
    ids = list(dated[offset : offset + limit])
    if len(ids) < limit:
        skip = max(0, offset - (dated.count() if not ids else 0))
        undated = qs.filter(published_at__isnull=True).order_by("-pk").values_list("pk", flat=True)
        ids += list(undated[skip : skip + limit - len(ids)])
    return ids


# Date order for many matches that are not dense: the matches of one month at a time, newest month
# first (the month tags of the index), each month's few sorted by date, until the page is full.
MAX_MONTH_BUCKETS = 240


def _dated_bounds(filters: Filters, span: tuple[dt.date, dt.date] | None) -> tuple[dt.date, dt.date] | None:
    """First and last local day holding articles within the date filter (lo > hi when none does)."""
    if span is None:
        return None
    return max(filters.date_from or span[0], span[0]), min(filters.date_to or span[1], span[1])


def _months_newest_first(filters: Filters, span: tuple[dt.date, dt.date] | None) -> list[dt.date] | None:
    """First days of the months from the last to the first holding articles (within the date
    filter), or None when there are more than MAX_MONTH_BUCKETS of them."""
    bounds = _dated_bounds(filters, span)
    if bounds is None:
        return []
    lo, hi = bounds
    count = (hi.year - lo.year) * 12 + hi.month - lo.month + 1
    if count > MAX_MONTH_BUCKETS:
        return None
    months = []
    month = hi.replace(day=1)
    for _i in range(max(0, count)):
        months.append(month)
        month = (month - dt.timedelta(days=1)).replace(day=1)
    return months


def _newest_by_month(
    cursor: Any,
    months: list[dt.date],
    month_matches: Any,
    undated_matches: Any,
    limit: int,
    offset: int,
) -> list[int]:
    """The page of the matches in date order, reading one month of matches at a time (SQLite;
    PostgreSQL reads windows of days, see `_pg_newest_by_days`)."""
    need = offset + limit
    ordered: list[int] = []
    for month in months:
        found = month_matches(month)
        if not found:
            continue
        # SQLite keeps the text inline: reading published_at from the rows walks their overflow
        # pages, so the month's stretch of the published_at index is read instead (`+id`: index only).
        cursor.execute(
            "SELECT id FROM monitoring_article WHERE published_at >= %s AND published_at < %s "
            "AND +id IN (SELECT value FROM json_each(%s)) ORDER BY published_at DESC, id DESC",
            [
                connection.ops.adapt_datetimefield_value(_day_start(month)),
                connection.ops.adapt_datetimefield_value(_day_start(_next_month(month))),
                json.dumps(found),
            ],
        )
        ordered += [int(r[0]) for r in cursor.fetchall()]
        if len(ordered) >= need:
            return ordered[offset:need]
    if undated_matches is not None:
        ordered += undated_matches(need - len(ordered))
    return ordered[offset:need]


# Date order on PostgreSQL for many matches that are not dense: the matches of a window of days at a
# time (their day tags), newest first, each window's sorted by date, until the page is full. The
# first window is FIRST_DAYS days; each next one is sized from the matches per day met so far, at
# most DAYS_GROWTH times the previous one and MAX_DATE_TAGS days.
FIRST_DAYS = 1
DAYS_GROWTH = 8


def _pg_newest_by_days(
    cursor: Any,
    term: str,
    groups: tuple[tuple[str, ...], ...],
    scoped: str,
    inner_params: Sequence[Any],
    bounds: tuple[dt.date, dt.date],
    need: int,
) -> list[int]:
    """The `need` newest matches published on the local days `bounds` (by published_at, then id).

    A window of days is matched through its day tags as one GIN scan key (see `_pg_match`), so a
    phrase is checked on the window's candidates only, however common its words.
    """
    lo, day = bounds
    ordered: list[int] = []
    width, seen = FIRST_DAYS, 0
    while day >= lo:
        first = max(lo, day - dt.timedelta(days=width - 1))
        days = tuple(_day_tag(first + dt.timedelta(days=i)) for i in range((day - first).days + 1))
        probe = TagQuery((*groups, days))
        cursor.execute(
            f"SELECT s.article_id FROM watch_articlesearch s WHERE {_pg_match(len(probe.groups))}{scoped}",  # noqa: S608
            [term, *probe.tsqueries(), *inner_params],
        )
        found = [int(r[0]) for r in cursor.fetchall()]
        if found:
            cursor.execute(
                "SELECT id FROM monitoring_article WHERE id = ANY(%s) ORDER BY published_at DESC, id DESC",
                [found],
            )
            ordered += [int(r[0]) for r in cursor.fetchall()]
        if len(ordered) >= need:
            return ordered[:need]
        seen += len(days)
        # windows sized for the matches still needed at the rate seen so far (x1.5 for safety)
        wanted = (need - len(ordered)) * seen * 3 // (2 * max(len(ordered), 1)) + 1
        width = min(MAX_DATE_TAGS, max(width, min(wanted, width * DAYS_GROWTH)))
        day = first - dt.timedelta(days=1)
    return ordered


# First id range of the newest-first scan on PostgreSQL (see `_pg_newest_matches`); each next range
# is sized from the density of matches met so far, at most CHUNK_GROWTH times the previous one.
FIRST_CHUNK = 16384
CHUNK_GROWTH = 16
# Date order walks the articles by date only when at least this share of them match.
WALK_MIN_DENSITY = 0.03
# A range of at most this many recency buckets (1M articles) is scanned through their tags
# (`recency_tag`); a wider one is the rest of the articles, scanned through the GIN index alone.
MAX_RECENCY_TAGS = 256


def _pg_newest_matches(
    cursor: Any,
    term: str,
    tags: TagQuery | None,
    inner_sql: str,
    inner_params: Sequence[Any],
    need: int,
) -> tuple[list[int], bool, float]:
    """The `need` highest article ids whose document matches `term` (words, phrases) and `tags`
    and that pass the filters of `inner_sql`, newest first; whether every match was seen (fewer
    than `need` exist); the share of the scanned id range that matched.

    Scans id ranges from the newest down. The range's recency buckets are one more GIN scan key
    (see `_pg_match`): GIN steps through the buckets' short posting lists and skips ahead in the
    long lists of common words ("thanh" and "hoa" are in 350,000 of 1M articles) instead of
    decoding them whole, and a phrase of three syllables or more is checked on the range's
    candidates only. Past MAX_RECENCY_TAGS buckets the rest is one query without bucket tags.
    Returns exactly what one query over all ids would return.
    """
    cursor.execute("SET LOCAL enable_indexscan = on")  # min and max from the ends of the primary key
    cursor.execute("SELECT min(article_id), max(article_id) FROM watch_articlesearch")
    low, high = cursor.fetchone()
    cursor.execute("SET LOCAL enable_indexscan = off")
    if high is None:
        return [], True, 0.0
    low, high = int(low), int(high)
    scoped = f" AND s.article_id IN ({inner_sql})" if inner_sql else ""
    groups = tags.groups if tags is not None else ()
    ids: list[int] = []
    top, step = high, FIRST_CHUNK
    while True:
        bottom = max(top - step, low - 1)
        buckets = range(top // RECENCY_BUCKET, (bottom + 1) // RECENCY_BUCKET - 1, -1)
        if len(buckets) <= MAX_RECENCY_TAGS:
            probe = TagQuery((*groups, tuple(f"r{b}" for b in buckets)))
        else:
            bottom, probe = low - 1, TagQuery(groups)
        cursor.execute(
            "SELECT s.article_id FROM watch_articlesearch s WHERE s.article_id > %s "  # noqa: S608
            f"AND s.article_id <= %s AND {_pg_match(len(probe.groups))}{scoped} "
            "ORDER BY s.article_id DESC LIMIT %s",
            [bottom, top, term, *probe.tsqueries(), *inner_params, need - len(ids)],
        )
        ids += [int(r[0]) for r in cursor.fetchall()]
        scanned = high - bottom
        if len(ids) >= need:
            return ids, False, len(ids) / scanned
        if bottom < low:
            return ids, True, len(ids) / scanned
        # ranges sized for the matches still needed at the density seen so far (x1.5 for safety:
        # a phrase is checked on every candidate of the range)
        wanted = (need - len(ids)) * scanned * 3 // (2 * max(len(ids), 1))
        step = max(step, min(wanted, step * CHUNK_GROWTH))
        top = bottom


def _ids_for(
    parsed: ParsedQuery, filters: Filters, sort: str, limit: int, offset: int
) -> tuple[int, bool, list[tuple[int, float | None]]]:
    """(total capped at COUNT_CAP, more than COUNT_CAP?, page of (id, relevance score or None)).

    Work per query is bounded on both databases in the same way, so both return the same ids:
    - the count stops at COUNT_CAP + 1 matches ("hơn 1.000 kết quả");
    - relevance order scores only the RANK_WINDOW most recently stored matches (highest ids);
    - date order is exact over all matches (see `_newest_by_walk` and `_newest_by_month`) and
      computes no score.
    """
    # read before the PostgreSQL session settings below, which would turn its index probes into scans
    span = _published_span() if sort == "date" or filters.date_from or filters.date_to else None
    tags, rest = split_filters(filters, span)
    if tags is not None and tags.impossible:
        return 0, False, []
    inner_sql, inner_params = ("", ())
    if rest.active:
        inner_sql, inner_params = filtered_articles(rest).order_by().values("pk").query.sql_with_params()
    postgres = connection.vendor == "postgresql"
    # `term`: the query; on SQLite it carries the filter tags too, on PostgreSQL the tags are the
    # separate parameters `tag_params` (one GIN scan key each, see `_pg_match`).
    tag_params: list[str] = []
    if postgres:
        source, key = "watch_articlesearch s", "s.article_id"
        term = parsed.pg_match()
        tag_params = tags.tsqueries() if tags is not None else []
        match = _pg_match(len(tag_params))
        scoped = f" AND s.article_id IN ({inner_sql})" if inner_sql else ""
    else:
        source, key = "watch_fts", "watch_fts.rowid"
        term = parsed.fts5()
        if tags is not None:
            term = f"{term} AND {tags.fts5()}"
        match = "watch_fts MATCH %s"
        scoped = f" AND +watch_fts.rowid IN ({inner_sql})" if inner_sql else ""
    where, params = match + scoped, [term, *tag_params, *inner_params]
    window: list[int] | None = None
    newest: list[int] | None = None  # every match, newest first, when fewer than COUNT_CAP + 1
    walk = True  # date order over many matches: walk the articles by date (see _newest_by_walk)
    with transaction.atomic(), connection.cursor() as cursor:
        if postgres:
            # The planner prices `@@` as cheap although each tsvector must be de-TOASTed, and picks
            # a walk of the primary key for common words: the match goes through the GIN bitmap.
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("SET LOCAL enable_indexscan = off")
            # The disabled scans inflate the estimated costs past jit_above_cost: compiling would
            # cost more than these short queries run.
            cursor.execute("SET LOCAL jit = off")
            # The count (and the relevance window) from the newest matches.
            need = COUNT_CAP + 1 if sort == "date" else max(RANK_WINDOW, COUNT_CAP + 1)
            if sort == "date" and (filters.date_from or filters.date_to):
                # Date order needs no newest ids, and the dates are the query's sparse key: the
                # count is read in any order (then the matches by windows of days, never a walk).
                cursor.execute(
                    f"SELECT s.article_id FROM watch_articlesearch s WHERE {where} LIMIT %s",  # noqa: S608
                    [*params, need],
                )
                ids = [int(r[0]) for r in cursor.fetchall()]
                complete, density = len(ids) < need, 0.0
            else:
                ids, complete, density = _pg_newest_matches(cursor, term, tags, inner_sql, inner_params, need)
            found = len(ids) if complete else COUNT_CAP + 1
            # A walk by date probes one document per article met: it pays only where matches are
            # dense. Sparser matches are read a window of days at a time (`_pg_newest_by_days`).
            walk = density >= WALK_MIN_DENSITY
            if complete:
                newest = ids
            window = ids[:RANK_WINDOW]
        else:
            cursor.execute(
                f"SELECT count(*) FROM (SELECT 1 FROM {source} WHERE {where} LIMIT %s) c",  # noqa: S608
                [*params, COUNT_CAP + 1],
            )
            found = int(cursor.fetchone()[0])
        more = found > COUNT_CAP
        rows: list[tuple[int, float | None]]
        if sort == "date":
            if more and not postgres:
                # Density of the newest COUNT_CAP + 1 matches over the ids they span (FTS5 reads its
                # matches newest first here): a walk pays only where matches are dense.
                cursor.execute(
                    "SELECT count(*), min(r) FROM (SELECT watch_fts.rowid AS r FROM watch_fts "  # noqa: S608
                    f"WHERE {match}{scoped} ORDER BY watch_fts.rowid DESC LIMIT %s)",
                    [term, *tag_params, *inner_params, COUNT_CAP + 1],
                )
                matched, lowest = cursor.fetchone()
                cursor.execute("SELECT max(rowid) FROM watch_fts")
                ids_spanned = max(1, (cursor.fetchone()[0] or 0) - (lowest or 0) + 1)
                walk = matched / ids_spanned >= WALK_MIN_DENSITY

            def undated_matches(count: int) -> list[int]:
                cursor.execute(
                    f"SELECT {key} FROM {source} JOIN monitoring_article a ON a.id = {key} "  # noqa: S608
                    f"WHERE {where} AND a.published_at IS NULL ORDER BY {key} DESC LIMIT %s",
                    [*params, count],
                )
                return [int(r[0]) for r in cursor.fetchall()]

            # Sparse matches a period at a time: on PostgreSQL windows of days, never bounded; on
            # SQLite months (at most MAX_MONTH_BUCKETS of them, else the full sort below).
            sparse = more and not walk
            dated_only = filters.date_from is not None or filters.date_to is not None
            if more and walk:
                if postgres:
                    # no GIN bitmap of every match: each article met on the walk is probed
                    cursor.execute("SET LOCAL enable_indexscan = on")
                    cursor.execute("SET LOCAL enable_bitmapscan = off")
                ids = _newest_by_walk(parsed, filters, limit, offset)
            elif sparse and postgres:
                bounds = _dated_bounds(filters, span)
                ordered: list[int] = []
                if bounds is not None:
                    groups = tags.groups if tags else ()
                    ordered = _pg_newest_by_days(
                        cursor, term, groups, scoped, inner_params, bounds, offset + limit
                    )
                if len(ordered) < offset + limit and not dated_only:
                    ordered += undated_matches(offset + limit - len(ordered))
                ids = ordered[offset : offset + limit]
            elif sparse and (months := _months_newest_first(filters, span)) is not None:

                def month_matches(month: dt.date) -> list[int]:
                    cursor.execute(
                        f"SELECT watch_fts.rowid FROM watch_fts WHERE watch_fts MATCH %s{scoped}",  # noqa: S608
                        [f'{term} AND tags : ("{_month_tag(month)}")', *inner_params],
                    )
                    return [int(r[0]) for r in cursor.fetchall()]

                ids = _newest_by_month(
                    cursor, months, month_matches, None if dated_only else undated_matches, limit, offset
                )
            elif newest is not None:
                cursor.execute(
                    "SELECT a.id FROM monitoring_article a WHERE a.id = ANY(%s) "
                    "ORDER BY a.published_at DESC NULLS LAST, a.id DESC LIMIT %s OFFSET %s",
                    [newest, limit, offset],
                )
                ids = [int(r[0]) for r in cursor.fetchall()]
            else:
                cursor.execute(
                    f"SELECT {key} FROM {source} JOIN monitoring_article a ON a.id = {key} "  # noqa: S608
                    f"WHERE {where} ORDER BY a.published_at DESC NULLS LAST, {key} DESC LIMIT %s OFFSET %s",
                    [*params, limit, offset],
                )
                ids = [int(r[0]) for r in cursor.fetchall()]
            rows = [(pk, None) for pk in ids]
        elif postgres:
            # Only the window's documents (every one a match) are de-TOASTed, for ts_rank.
            cursor.execute("SET LOCAL enable_indexscan = on")
            cursor.execute(
                "SELECT article_id, ts_rank(document, %s::tsquery) AS r FROM watch_articlesearch "
                "WHERE article_id = ANY(%s) ORDER BY r DESC, article_id DESC LIMIT %s OFFSET %s",
                [parsed.tsquery(), window, limit, offset],
            )
            rows = [(int(pk), float(score)) for pk, score in cursor.fetchall()]
        else:
            # FTS5 reads matches in rowid order and stops at the window.
            cursor.execute(
                f"SELECT watch_fts.rowid FROM watch_fts WHERE {match}{scoped} "  # noqa: S608
                "ORDER BY watch_fts.rowid DESC LIMIT %s",
                [term, *inner_params, RANK_WINDOW],
            )
            window = [int(r[0]) for r in cursor.fetchall()]
            cursor.execute(
                "SELECT watch_fts.rowid, bm25(watch_fts, 3.0, 1.0, 0.0) AS r FROM watch_fts "
                "WHERE watch_fts MATCH %s AND watch_fts.rowid >= %s "
                "AND +watch_fts.rowid IN (SELECT value FROM json_each(%s)) "
                "ORDER BY r, watch_fts.rowid DESC LIMIT %s OFFSET %s",
                [term, min(window, default=0), json.dumps(window), limit, offset],
            )
            # The tags in `term` let FTS5 skip the window's neighbours that fail the filters instead
            # of checking their phrases; they weigh 0.0 in bm25, so the score is the text's alone.
            # bm25 is "lower is better"; flip it so a higher score means more relevant on both engines.
            rows = [(int(pk), -float(score)) for pk, score in cursor.fetchall()]
    return min(found, COUNT_CAP), more, rows


def search_articles(
    *,
    query: str = "",
    filters: Filters | None = None,
    sort: str = "relevance",
    limit: int = 20,
    offset: int = 0,
    catch_up: bool = True,
) -> SearchResult:
    """The one search used by the page, the API and `pressdesk search`."""
    filters = filters or Filters()
    if sort not in ("relevance", "date"):
        raise ValidationFailed("search.bad_sort", _("Cách sắp xếp không hợp lệ: %(v)s") % {"v": sort})
    limit = max(1, min(int(limit), 500))
    offset = max(0, int(offset))
    parsed = parse_query(query)
    if catch_up:
        # Articles stored since the last call are indexed now: search never misses fresh ingestion.
        search_catch_up()
    if parsed.empty:
        qs = filtered_articles(filters).order_by("-published_at", "-pk")
        found = qs[: COUNT_CAP + 1].count()
        total, more = min(found, COUNT_CAP), found > COUNT_CAP
        pairs: list[tuple[int, float | None]] = [
            (pk, None) for pk in qs.values_list("pk", flat=True)[offset : offset + limit]
        ]
    else:
        total, more, scored = _ids_for(parsed, filters, sort, limit, offset)
        pairs = list(scored)
    articles = Article.objects.select_related("outlet", "cluster", "cluster__first_article__outlet").in_bulk(
        [pk for pk, _s in pairs]
    )
    hits = [
        Hit(article=articles[pk], score=score, snippet=snippet(articles[pk], parsed))
        for pk, score in pairs
        if pk in articles
    ]
    return SearchResult(total=total, hits=hits, query=parsed, more=more)


def count_matches(*, query: str, filters: Filters, since: dt.datetime | None) -> int:
    """Number of matches fetched after `since`: the "N new" of a saved search.

    Counted up to COUNT_CAP like every search; COUNT_CAP + 1 means "more than COUNT_CAP".
    """
    scoped = Filters(**{**filters.__dict__, "fetched_after": since})
    result = search_articles(query=query, filters=scoped, limit=1)
    return result.total + int(result.more)


SNIPPET_HEAD = 4000  # characters folded before looking further for the first match


def snippet(article: Article, parsed: ParsedQuery, width: int = 240) -> str:
    """Safe HTML: a window of the lead/body around the first matched syllable, matches in <mark>."""
    source = normalize_text(f"{article.lead} {article.text}".strip()) or normalize_text(article.title)
    if not source:
        return ""
    words = sorted(parsed.words, key=len, reverse=True)
    pattern = (
        re.compile(r"(?<![a-z0-9])(?:" + "|".join(map(re.escape, words)) + r")(?![a-z0-9])", re.IGNORECASE)
        if words
        else None
    )
    # strip_diacritics keeps one character per character, so offsets in `plain` are valid in `source`;
    # most first matches are near the top, so the head is folded first and the rest only if needed.
    plain = strip_diacritics(source[:SNIPPET_HEAD])
    first = pattern.search(plain) if pattern else None
    start = max(0, first.start() - width // 3) if first else 0
    if len(plain) < len(source) and (pattern is not None and (first is None or start + width >= len(plain))):
        plain = strip_diacritics(source)
        first = pattern.search(plain)
        start = max(0, first.start() - width // 3) if first else 0
    end = min(len(source), start + width)
    pieces: list[str] = []
    cursor = start
    for match in pattern.finditer(plain, start) if pattern and first else ():
        s, e = match.span()
        if e > end:
            break
        pieces.append(html.escape(source[cursor:s]))
        pieces.append("<mark>" + html.escape(source[s:e]) + "</mark>")
        cursor = e
    pieces.append(html.escape(source[cursor:end]))
    prefix = "… " if start > 0 else ""
    suffix = " …" if end < len(source) else ""
    return prefix + "".join(pieces) + suffix

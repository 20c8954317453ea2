"""Social networks: a connector interface, a JSON/CSV import and "report one post by URL".

No network access is assumed: real connectors (Facebook pages, YouTube, TikTok…) implement
`SocialConnector.fetch(since)`; the shipped one reads an exported file. Posts become Articles with
channel="social", are analysed like press articles and go through the same alert rules.
"""

from __future__ import annotations

import csv
import datetime as dt
import importlib
import importlib.util
import io
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Protocol

from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from pressdesk.accounts.models import Role
from pressdesk.accounts.permissions import require_role
from pressdesk.core.audit import transition_record
from pressdesk.core.errors import ValidationFailed
from pressdesk.ingest.urls import canonical_url
from pressdesk.monitoring.models import Article
from pressdesk.nlp.text import normalize_text

MAX_POSTS = 5000


@dataclass(frozen=True)
class SocialPost:
    url: str
    text: str
    title: str = ""
    author: str = ""
    published_at: dt.datetime | None = None


class SocialConnector(Protocol):
    """A source of social posts; `fetch` returns the posts published after `since`."""

    def fetch(self, since: dt.datetime | None) -> Iterable[SocialPost]: ...


def _when(value: Any, row: int) -> dt.datetime | None:
    if value in (None, ""):
        return None
    parsed = parse_datetime(str(value).strip().replace(" ", "T", 1))
    if parsed is None:
        try:
            parsed = dt.datetime.combine(dt.date.fromisoformat(str(value).strip()), dt.time(12))
        except ValueError:
            raise ValidationFailed(
                "social.date", _("Dòng %(row)s: thời gian không hợp lệ “%(v)s”.") % {"row": row, "v": value}
            ) from None
    return timezone.make_aware(parsed) if timezone.is_naive(parsed) else parsed


class FileConnector:
    """Posts from an exported JSON list or CSV file (columns url, text, title, author, published_at)."""

    def __init__(self, data: bytes, filename: str) -> None:
        self.data = data
        self.filename = filename.lower()

    def _records(self) -> list[dict[str, Any]]:
        try:
            text = self.data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ValidationFailed("social.encoding", _("Tệp phải mã hóa UTF-8.")) from None
        if self.filename.endswith(".json"):
            try:
                records = json.loads(text)
            except json.JSONDecodeError as error:
                raise ValidationFailed(
                    "social.json", _("Tệp JSON không hợp lệ (dòng %(line)s).") % {"line": error.lineno}
                ) from None
            if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
                raise ValidationFailed("social.json", _("Tệp JSON phải là một danh sách các bài đăng."))
            return records
        if self.filename.endswith(".csv"):
            reader = csv.DictReader(io.StringIO(text))
            if not reader.fieldnames or "url" not in reader.fieldnames:
                raise ValidationFailed("social.csv", _("Tệp CSV phải có cột “url”."))
            return list(reader)
        raise ValidationFailed("social.format", _("Chỉ nhận tệp .json hoặc .csv."))

    def fetch(self, since: dt.datetime | None) -> list[SocialPost]:
        records = self._records()
        if len(records) > MAX_POSTS:
            raise ValidationFailed(
                "social.too_many", _("Tối đa %(n)s bài đăng mỗi lần nhập.") % {"n": MAX_POSTS}
            )
        posts = []
        for row, record in enumerate(records, start=1):
            url = str(record.get("url") or "").strip()
            if not url.startswith(("http://", "https://")):
                raise ValidationFailed(
                    "social.url",
                    _("Dòng %(row)s: địa chỉ bài đăng không hợp lệ “%(v)s”.") % {"row": row, "v": url},
                )
            text = str(record.get("text") or "").strip()
            if not text:
                raise ValidationFailed(
                    "social.text", _("Dòng %(row)s: thiếu nội dung bài đăng.") % {"row": row}
                )
            post = SocialPost(
                url=url,
                text=text,
                title=str(record.get("title") or "").strip(),
                author=str(record.get("author") or "").strip(),
                published_at=_when(record.get("published_at"), row),
            )
            if since is None or post.published_at is None or post.published_at > since:
                posts.append(post)
        return posts


def _after_store(ids: list[int]) -> None:
    """Analyse (when the NLP glue exists), index, and evaluate the alert rules on the new posts."""
    from pressdesk.watch.search import search_index_articles
    from pressdesk.watch.services import alerts_evaluate

    if ids and importlib.util.find_spec("pressdesk.monitoring.analysis") is not None:
        importlib.import_module("pressdesk.monitoring.analysis").analyse_articles(ids)
    search_index_articles(ids)
    analysed = list(
        Article.objects.filter(pk__in=ids, analysed_at__isnull=False).values_list("pk", flat=True)
    )
    if analysed:
        alerts_evaluate(analysed)


def store_posts(posts: Iterable[SocialPost], *, actor: Any) -> tuple[list[Article], int]:
    """Store new posts (one per canonical URL). Returns (new articles, number already known)."""
    created: list[Article] = []
    known = 0
    with transaction.atomic():
        for post in posts:
            key = canonical_url(post.url)
            text = normalize_text(post.text)
            title = normalize_text(post.title) or text.split("\n", 1)[0][:200]
            article, is_new = Article.objects.get_or_create(
                canonical_url=key,
                defaults={
                    "url": post.url,
                    "channel": Article.Channel.SOCIAL,
                    "title": title[:1000],
                    "text": text,
                    "author": post.author[:255],
                    "published_at": post.published_at or timezone.now(),
                },
            )
            if is_new:
                created.append(article)
                transition_record(subject=article, actor=actor, action="social_import", new="stored")
            else:
                known += 1
    _after_store([a.pk for a in created])
    return created, known


def social_import(
    *, data: bytes, filename: str, actor: Any, since: dt.datetime | None = None
) -> tuple[list[Article], int]:
    """MONITOR imports an exported file of posts (or a command does, with actor=None)."""
    if actor is not None:
        require_role(actor, [Role.MONITOR, Role.ADMINISTRATOR])
    posts = FileConnector(data, filename).fetch(since)
    return store_posts(posts, actor=actor)


def social_report(*, url: str, text: str, title: str = "", author: str = "", actor: Any) -> Article:
    """Anyone with a role reports one post by its URL; the content is pasted (fetching is optional)."""
    require_role(actor, list(Role.values))
    url = (url or "").strip()
    if not url.startswith(("http://", "https://")):
        raise ValidationFailed("social.url", _("Địa chỉ bài đăng phải bắt đầu bằng http:// hoặc https://."))
    if not (text or "").strip():
        raise ValidationFailed("social.text", _("Hãy dán nội dung bài đăng."))
    created, _known = store_posts(
        [SocialPost(url=url, text=text.strip(), title=title, author=author)], actor=actor
    )
    return created[0] if created else Article.objects.get(canonical_url=canonical_url(url))

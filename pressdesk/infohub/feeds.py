"""Public Atom 1.0 feeds of published press releases: all bodies, and one per body."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.syndication.views import Feed
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from pressdesk.accounts.models import Organisation
from pressdesk.infohub import selectors
from pressdesk.infohub.models import PressRelease

FEED_SIZE = 50


class AllReleasesFeed(Feed):  # type: ignore[type-arg]
    feed_type = Atom1Feed
    title = "Thông cáo báo chí các cơ quan · PressDesk"
    subtitle = "Thông cáo báo chí đã công bố của các sở, ngành, địa phương"

    def link(self, obj: Any = None) -> str:
        return reverse("infohub:public_list")

    def items(self, obj: Any = None) -> Any:
        return selectors.published_releases()[:FEED_SIZE]

    def item_title(self, item: PressRelease) -> str:
        return item.title

    def item_description(self, item: PressRelease) -> str:
        return item.summary or item.body_text[:1000]

    def item_link(self, item: PressRelease) -> str:
        return reverse("infohub:public_detail", args=[item.slug])

    def item_pubdate(self, item: PressRelease) -> dt.datetime | None:
        return item.published_at

    def item_updateddate(self, item: PressRelease) -> dt.datetime | None:
        return item.published_at

    def item_author_name(self, item: PressRelease) -> str:
        return item.body.name

    def item_guid(self, item: PressRelease) -> str:
        return f"tag:pressdesk,2024:release:{item.pk}"

    item_guid_is_permalink = False


class BodyReleasesFeed(AllReleasesFeed):
    def get_object(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Organisation:
        return get_object_or_404(Organisation, pk=kwargs["body_id"])

    def title(self, obj: Organisation) -> str:  # type: ignore[override]
        return f"Thông cáo báo chí · {obj.name}"

    def link(self, obj: Any = None) -> str:
        return reverse("infohub:public_body", args=[obj.pk])

    def items(self, obj: Any = None) -> Any:
        return selectors.published_releases(body=obj)[:FEED_SIZE]

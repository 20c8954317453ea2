"""JSON API of watch (django-ninja); mounted in pressdesk/api.py."""

from ninja import Router

router = Router(tags=["watch"])

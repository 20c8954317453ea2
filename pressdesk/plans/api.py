"""JSON API of plans (django-ninja); mounted in pressdesk/api.py."""

from ninja import Router

router = Router(tags=["plans"])

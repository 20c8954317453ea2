"""JSON API of monitoring (django-ninja); mounted in pressdesk/api.py."""

from ninja import Router

router = Router(tags=["monitoring"])

"""JSON API of reports (django-ninja); mounted in pressdesk/api.py."""

from ninja import Router

router = Router(tags=["reports"])

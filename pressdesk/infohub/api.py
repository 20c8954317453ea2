"""JSON API of infohub (django-ninja); mounted in pressdesk/api.py."""

from ninja import Router

router = Router(tags=["infohub"])

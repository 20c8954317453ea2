"""JSON API of commissioning (django-ninja); mounted in pressdesk/api.py."""

from ninja import Router

router = Router(tags=["commissioning"])

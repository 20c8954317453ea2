"""PressDesk: a province's press-communication plan, end to end."""

from pressdesk.celery import app as celery_app

__version__ = "0.1.0"
__all__ = ["celery_app"]

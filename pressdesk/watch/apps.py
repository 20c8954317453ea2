from django.apps import AppConfig


class WatchConfig(AppConfig):
    """The monitoring workspace: search, saved searches, alert rules, alerts and their answers."""

    name = "pressdesk.watch"
    label = "watch"
    verbose_name = "Theo dõi, cảnh báo"

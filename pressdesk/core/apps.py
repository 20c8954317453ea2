from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "pressdesk.core"
    label = "core"
    verbose_name = "Lõi"

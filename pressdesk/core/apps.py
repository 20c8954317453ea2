from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "pressdesk.core"
    label = "core"
    verbose_name = "Lõi"

    def ready(self) -> None:
        # Celery task timing and the queue-age stamp, in workers and in eager (in-process) runs alike.
        from pressdesk.core import metrics

        metrics.connect_signals()

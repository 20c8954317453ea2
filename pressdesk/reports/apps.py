from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "pressdesk.reports"
    label = "reports"
    verbose_name = "Báo cáo"

    def ready(self) -> None:
        from pressdesk.commissioning.signals import delivery_recorded
        from pressdesk.reports.receivers import verify_recorded_delivery

        delivery_recorded.connect(verify_recorded_delivery, dispatch_uid="reports.verify_recorded_delivery")

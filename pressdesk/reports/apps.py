from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "pressdesk.reports"
    label = "reports"
    verbose_name = "Báo cáo"

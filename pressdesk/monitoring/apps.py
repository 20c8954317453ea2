from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "pressdesk.monitoring"
    label = "monitoring"
    verbose_name = "Theo dõi báo chí"

from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "pressdesk.plans"
    label = "plans"
    verbose_name = "Kế hoạch"

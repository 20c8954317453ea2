from django.apps import AppConfig


class InfohubConfig(AppConfig):
    name = "pressdesk.infohub"
    label = "infohub"
    verbose_name = "Cung cấp thông tin"

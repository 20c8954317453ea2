from django.apps import AppConfig


class CommissioningConfig(AppConfig):
    name = "pressdesk.commissioning"
    label = "commissioning"
    verbose_name = "Đặt hàng"

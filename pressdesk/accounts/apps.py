from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "pressdesk.accounts"
    label = "accounts"
    verbose_name = "Tổ chức và tài khoản"

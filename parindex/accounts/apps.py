from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "parindex.accounts"
    label = "accounts"
    verbose_name = "Đơn vị và tài khoản"

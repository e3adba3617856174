from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "parindex.accounts"
    label = "accounts"
    verbose_name = "Đơn vị và tài khoản"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in, user_logged_out

        from parindex.accounts import receivers

        user_logged_in.connect(receivers.on_sign_in, dispatch_uid="parindex.accounts.sign_in")
        user_logged_out.connect(receivers.on_sign_out, dispatch_uid="parindex.accounts.sign_out")

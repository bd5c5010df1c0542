from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "icihub.accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from icihub.accounts import security  # noqa: F401 - connects the log-in and session signals

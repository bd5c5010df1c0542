from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgrammesConfig(AppConfig):
    name = "icihub.programmes"
    verbose_name = _("Partnership programmes")
    default_auto_field = "django.db.models.BigAutoField"

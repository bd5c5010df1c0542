from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeliveryConfig(AppConfig):
    name = "icihub.delivery"
    verbose_name = _("Course delivery")
    default_auto_field = "django.db.models.BigAutoField"

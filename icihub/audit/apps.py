from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "icihub.audit"
    verbose_name = "Audit"

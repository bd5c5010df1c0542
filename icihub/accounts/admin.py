"""Django admin for users: roles and the nation or organisation a user is scoped to."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from icihub.accounts.models import User
from icihub.partners.admin import AuditedAdmin


@admin.register(User)
class UserAdmin(AuditedAdmin, BaseUserAdmin):
    list_display = ["username", "first_name", "last_name", "role", "nation", "organisation", "is_active"]
    list_filter = ["role", "nation", "is_active"]
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        ("icihub", {"fields": ("role", "nation", "organisation")}),
    )
    add_fieldsets = (
        *BaseUserAdmin.add_fieldsets,
        ("icihub", {"fields": ("role", "nation", "organisation")}),
    )

"""Django admin for users: roles and the nation or organisation a user is scoped to."""

from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from icihub.accounts import stepup
from icihub.accounts.models import User
from icihub.accounts.security import LockingAuthenticationForm
from icihub.partners.admin import AuditedAdmin


class LockingAdminAuthenticationForm(LockingAuthenticationForm, AdminAuthenticationForm):
    """The admin's own log-in page, with the lock-out of the log-in page (it had none: ASVS 6.3.1)."""


admin.site.login_form = LockingAdminAuthenticationForm


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

    # Creating, changing (role, scope, active, password) or deleting a user is sensitive: the password
    # is asked again first (accounts/stepup.py). Reading the list is not.
    def changeform_view(self, request, *args, **kwargs):
        return stepup.demand(request) or super().changeform_view(request, *args, **kwargs)

    def delete_view(self, request, *args, **kwargs):
        return stepup.demand(request) or super().delete_view(request, *args, **kwargs)

    def user_change_password(self, request, *args, **kwargs):
        return stepup.demand(request) or super().user_change_password(request, *args, **kwargs)

    def changelist_view(self, request, *args, **kwargs):
        if request.method == "POST" and "action" in request.POST:  # bulk actions
            return stepup.demand(request) or super().changelist_view(request, *args, **kwargs)
        return super().changelist_view(request, *args, **kwargs)

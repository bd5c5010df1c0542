"""Django admin for reference data. Every save and delete goes through the audited service."""

from django.contrib import admin

from icihub.partners import services
from icihub.partners.models import Framework, Membership, Nation, Organisation, PointOfContact


class AuditedAdmin(admin.ModelAdmin):
    def save_model(self, request, obj, form, change):
        services.save_reference(actor=request.user, instance=obj, source="admin")

    def delete_model(self, request, obj):
        services.delete_reference(actor=request.user, instance=obj, source="admin")

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)

    def save_formset(self, request, form, formset, change):
        instances = formset.save(commit=False)
        for obj in formset.deleted_objects:
            services.delete_reference(actor=request.user, instance=obj, source="admin")
        for obj in instances:
            services.save_reference(actor=request.user, instance=obj, source="admin")

    def has_module_permission(self, request):
        return services.policy.allows(request.user, "reference", "edit")

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    has_change_permission = has_add_permission = has_delete_permission = has_view_permission


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 1


@admin.register(Framework)
class FrameworkAdmin(AuditedAdmin):
    list_display = ["code", "name_en", "name_ar"]


@admin.register(Nation)
class NationAdmin(AuditedAdmin):
    list_display = ["code", "name_en", "name_ar"]
    search_fields = ["code", "name_en", "name_ar"]
    inlines = [MembershipInline]


@admin.register(Organisation)
class OrganisationAdmin(AuditedAdmin):
    list_display = ["code", "name_en", "type", "nation", "framework"]
    list_filter = ["type"]
    search_fields = ["code", "name_en", "name_ar"]


@admin.register(PointOfContact)
class PointOfContactAdmin(AuditedAdmin):
    list_display = ["full_name", "role", "nation", "organisation", "email"]
    list_filter = ["role", "nation"]
    search_fields = ["full_name", "email"]

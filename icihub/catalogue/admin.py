"""Django admin for the catalogue's reference data. Courses themselves are edited on the staff
pages, where every ETOC rule is checked."""

from django.contrib import admin

from icihub.catalogue.models import Area, Discipline, Language
from icihub.partners.admin import AuditedAdmin


class AreaInline(admin.TabularInline):
    model = Area
    extra = 1


@admin.register(Discipline)
class DisciplineAdmin(AuditedAdmin):
    list_display = ["code", "name_en", "name_ar"]
    inlines = [AreaInline]


@admin.register(Language)
class LanguageAdmin(AuditedAdmin):
    list_display = ["code", "name_en", "name_ar"]

"""Django admin for the planner's resources: venues, rooms, instructors and their availability, blackout
periods (confirm or move the computed ones) and demand. Every save goes through the audited service."""

from django.contrib import admin

from icihub.partners.admin import AuditedAdmin
from icihub.planning.models import Availability, BlackoutPeriod, Demand, Instructor, Room, Venue


@admin.register(Venue)
class VenueAdmin(AuditedAdmin):
    list_display = ["code", "name_en", "name_ar"]


@admin.register(Room)
class RoomAdmin(AuditedAdmin):
    list_display = ["code", "venue", "capacity", "equipment"]
    list_filter = ["venue"]


class AvailabilityInline(admin.TabularInline):
    model = Availability
    extra = 1


@admin.register(Instructor)
class InstructorAdmin(AuditedAdmin):
    list_display = ["code", "name", "organisation", "max_weeks"]
    filter_horizontal = ["courses"]
    inlines = [AvailabilityInline]


@admin.register(BlackoutPeriod)
class BlackoutPeriodAdmin(AuditedAdmin):
    list_display = ["name", "name_ar", "kind", "start", "end", "confirmed"]
    list_filter = ["kind", "confirmed"]
    date_hierarchy = "start"


@admin.register(Demand)
class DemandAdmin(AuditedAdmin):
    list_display = ["year", "course", "runs", "priority", "audience", "earliest", "latest", "min_gap_days"]
    list_filter = ["year"]
    filter_horizontal = ["must_follow"]

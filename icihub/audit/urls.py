"""The staff audit page and its CSV export."""

from django.contrib.auth.decorators import login_required
from django.urls import path

from icihub.audit import views

app_name = "audit"
urlpatterns = [
    path("staff/audit/", login_required(views.event_list), name="list"),
    path("staff/audit/export.csv", login_required(views.export), name="export"),
]

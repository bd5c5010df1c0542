"""The report pages."""

from django.contrib.auth.decorators import login_required
from django.urls import path

from icihub.reports import views

app_name = "reports"
urlpatterns = [
    path("reports/", login_required(views.dashboard), name="dashboard"),
    path("reports/seat-funnel.csv", login_required(views.funnel_csv), name="funnel-csv"),
    path("reports/nominations/<str:stage>/", login_required(views.rows), name="rows"),
]

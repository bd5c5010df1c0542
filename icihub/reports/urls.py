"""The report pages."""

from django.contrib.auth.decorators import login_required
from django.urls import path

from icihub.reports import views

app_name = "reports"
urlpatterns = [
    path("reports/", login_required(views.dashboard), name="dashboard"),
    path("reports/seat-funnel.csv", login_required(views.funnel_csv), name="funnel-csv"),
    path("reports/nominations/<str:stage>/", login_required(views.rows), name="rows"),
    path("reports/nominations/<str:stage>.csv", login_required(views.rows_csv), name="rows-csv"),
    path("reports/files/", login_required(views.report_files), name="files"),
    path("reports/files/<uuid:public_id>/", login_required(views.report_file), name="file"),
]

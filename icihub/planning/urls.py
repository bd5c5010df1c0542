from django.contrib.auth.decorators import login_required
from django.urls import path, re_path

from icihub.planning import views

app_name = "planning"
urlpatterns = [
    path("staff/planning/", login_required(views.planning_home), name="home"),
    path("course-bids/", login_required(views.course_bids), name="bids"),
    path("staff/planning/<uuid:public_id>/", login_required(views.planning_run), name="run"),
    re_path(
        r"^staff/planning/(?P<public_id>[0-9a-f-]{36})/(?P<part>instance|plan)\.json$",
        login_required(views.planning_file),
        name="file",
    ),
    re_path(r"^calendar-(?P<year>\d{4})\.(?P<file_format>ics|csv|xlsx)$", views.calendar_export, name="export"),
]

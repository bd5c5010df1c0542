from django.contrib.auth.decorators import login_required
from django.urls import path, re_path

from icihub.catalogue import views

app_name = "catalogue"
urlpatterns = [
    path("", views.catalogue_list, name="list"),
    path("courses/<str:code>/", views.course_detail, name="detail"),
    path("staff/courses/new/", login_required(views.course_create), name="create"),
    path("staff/courses/<str:code>/edit/", login_required(views.course_edit), name="edit"),
    path("staff/catalogue/import/", login_required(views.catalogue_import), name="import"),
    re_path(r"^catalogue\.(?P<file_format>csv|xlsx)$", views.catalogue_export, name="export"),
]

"""The centre administrator's personal-data page: find a person, download all held on them, erase them."""

from django.contrib.auth.decorators import login_required
from django.urls import path

from icihub.operations import views

app_name = "operations"
urlpatterns = [
    path("staff/privacy/", login_required(views.privacy_page), name="privacy"),
    path("staff/privacy/<uuid:public_id>/export.json", login_required(views.privacy_export), name="privacy-export"),
    path("staff/privacy/<uuid:public_id>/erase/", login_required(views.privacy_erase), name="privacy-erase"),
]

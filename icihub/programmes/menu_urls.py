"""Pages of the cooperation menu: its list, its import and its export."""

from django.contrib.auth.decorators import login_required
from django.urls import path

from icihub.programmes import menu_views

app_name = "menu"
urlpatterns = [
    path("menu/", login_required(menu_views.menu_list), name="list"),
    path("menu/import/", login_required(menu_views.menu_import), name="import"),
    path("menu/export.csv", login_required(menu_views.menu_export), {"file_format": "csv"}, name="export-csv"),
    path("menu/export.xlsx", login_required(menu_views.menu_export), {"file_format": "xlsx"}, name="export-xlsx"),
]

from django.contrib.auth.decorators import login_required
from django.urls import path

from icihub.nominations import views

app_name = "nominations"
urlpatterns = [
    path("iterations/", views.iteration_list, name="iterations"),
    path("iterations/<str:code>/", views.iteration_detail, name="iteration"),
    path("iterations/<str:code>/act/", login_required(views.iteration_action), name="iteration-action"),
    path("iterations/<str:code>/nominate/", login_required(views.nominate), name="nominate"),
    path("iterations/<str:code>/upload/", login_required(views.upload), name="upload"),
    path("staff/iterations/new/", login_required(views.iteration_form), name="iteration-create"),
    path("staff/iterations/<str:code>/edit/", login_required(views.iteration_form), name="iteration-edit"),
    path("staff/approvals/", login_required(views.approval_queue), name="approvals"),
    path("nominations/", login_required(views.nomination_list), name="nominations"),
    path("nominations/<uuid:public_id>/", login_required(views.nomination_detail), name="nomination"),
    path("calendar/", login_required(views.calendar_settings), name="calendar"),
]

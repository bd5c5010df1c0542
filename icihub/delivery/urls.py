from django.urls import path

from icihub.delivery import views

app_name = "delivery"
urlpatterns = [
    path("staff/iterations/<str:code>/class/", views.class_sheet, name="class-sheet"),
    path("staff/iterations/<str:code>/attendance.csv", views.attendance_csv, name="attendance-csv"),
    path("staff/iterations/<str:code>/attendance/import/", views.attendance_import, name="attendance-import"),
    path("staff/iterations/<str:code>/check-in/", views.check_in_display, name="check-in-display"),
    path("check-in/", views.check_in, name="check-in"),
    path("iterations/<str:code>/joining/", views.joining_instructions, name="joining"),
    path("iterations/<str:code>/joining.pdf", views.joining_pdf, name="joining-pdf"),
    path("staff/iterations/<str:code>/joining/", views.joining_edit, name="joining-edit"),
]

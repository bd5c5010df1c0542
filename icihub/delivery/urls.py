from django.urls import path

from icihub.delivery import views

app_name = "delivery"
urlpatterns = [
    path("staff/iterations/<str:code>/class/", views.class_sheet, name="class-sheet"),
    path("iterations/<str:code>/joining/", views.joining_instructions, name="joining"),
    path("iterations/<str:code>/joining.pdf", views.joining_pdf, name="joining-pdf"),
    path("staff/iterations/<str:code>/joining/", views.joining_edit, name="joining-edit"),
]

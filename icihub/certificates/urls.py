from django.urls import path

from icihub.certificates import views

app_name = "certificates"
urlpatterns = [
    path("verify/", views.verify_page, name="verify-form"),
    path("verify/<str:number>/", views.verify_page, name="verify"),
]

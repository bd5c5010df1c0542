from django.urls import path

from icihub.certificates import views

app_name = "certificates"
urlpatterns = [
    path("verify/", views.verify_page, name="verify-form"),
    path("verify/<str:number>/", views.verify_page, name="verify"),
    path("certificates/<str:number>.pdf", views.certificate_pdf, name="pdf"),
    path("certificates/<str:number>.json", views.certificate_credential, name="credential"),
]

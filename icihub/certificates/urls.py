from django.urls import path

from icihub.certificates import views

app_name = "certificates"
urlpatterns = [
    path("verify/", views.verify_page, name="verify-form"),
    path("verify/<str:number>/", views.verify_page, name="verify"),
    path("certificates/<str:number>.pdf", views.certificate_pdf, name="pdf"),
    path("certificates/<str:number>.json", views.certificate_credential, name="credential"),
    path("staff/iterations/<str:code>/certificates/", views.iteration_certificates, name="iteration"),
    path("staff/iterations/<str:code>/certificates/<uuid:run>.zip", views.run_archive, name="run-archive"),
]

from django.urls import path

from icihub import converters  # noqa: F401  (registers <year:...>)
from icihub.programmes import views

app_name = "programmes"
urlpatterns = [
    path("programmes/", views.programme_list, name="list"),
    path("programmes/new/", views.programme_edit, name="create"),
    path("programmes/<uuid:public_id>/", views.programme_detail, name="detail"),
    path("programmes/<uuid:public_id>/edit/", views.programme_edit, name="edit"),
    path("programmes/<uuid:public_id>/review/<year:year>/", views.review, name="review"),
    path("programmes/<uuid:public_id>/review/<year:year>.pdf", views.review_pdf, name="review-pdf"),
    path("events/", views.event_list, name="events"),
    path("events/new/", views.event_propose, name="event-propose"),
    path("events/<uuid:public_id>/", views.event_detail, name="event"),
]

from django.urls import path

from icihub.evaluation import views

app_name = "evaluation"
urlpatterns = [
    path("evaluations/<str:token>/", views.answer_by_link, name="answer-link"),
    path("my/evaluations/<uuid:public_id>/", views.answer_own, name="answer"),
    path("staff/iterations/<str:code>/evaluation/", views.results, name="results"),
    path("staff/questionnaires/", views.questionnaire_list, name="questionnaires"),
    path("staff/questionnaires/<int:pk>/", views.questionnaire_edit, name="questionnaire"),
]

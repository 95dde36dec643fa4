from django.urls import path

from afterschool import views

app_name = "afterschool"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("ny/", views.survey_create, name="survey-create"),
    path("<int:survey_id>/", views.survey_detail, name="survey-detail"),
    path("<int:survey_id>/paminn/", views.survey_remind, name="survey-remind"),
    path("<int:survey_id>/barn/<int:child_id>/", views.answer, name="answer"),
]

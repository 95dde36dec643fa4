"""URLs of plannings, weekly plans, assignments and eTest (appended to school/urls.py)."""

from django.urls import path

from school import teaching_views as views

urlpatterns = [
    # Planeringar
    path("planeringar/", views.plannings, name="plannings"),
    path("planeringar/ny/", views.planning_create, name="planning-create"),
    path("planeringar/<int:planning_id>/", views.planning_detail, name="planning-detail"),
    path("planeringar/<int:planning_id>/andra/", views.planning_edit, name="planning-edit"),
    path("planeringar/<int:planning_id>/publicera/", views.planning_publish, name="planning-publish"),
    path("planeringar/<int:planning_id>/kopiera/", views.planning_copy, name="planning-copy"),
    path("planeringar/bilaga/<int:attachment_id>/", views.planning_attachment, name="planning-attachment"),
    path("planeringar/grupp/<int:group_id>/", views.planning_overview, name="planning-overview"),
    # Veckoplan
    path("veckoplan/", views.weekly, name="weekly"),
    path("veckoplan/grupp/<int:group_id>/<str:monday>/", views.weekly_edit, name="weekly-edit"),
    path("veckoplan/grupp/<int:group_id>/<str:monday>/kopiera/", views.weekly_copy, name="weekly-copy"),
    # Uppgifter
    path("uppgifter/", views.assignments, name="assignments"),
    path("uppgifter/grupp/<int:group_id>/ny/", views.assignment_create, name="assignment-create"),
    path("uppgifter/<int:assignment_id>/", views.assignment_detail, name="assignment-detail"),
    path("uppgifter/<int:assignment_id>/publicera/", views.assignment_publish, name="assignment-publish"),
    path("uppgifter/<int:assignment_id>/lamna-in/", views.submission_submit, name="submission-submit"),
    path("uppgifter/<int:assignment_id>/elev/<int:child_id>/", views.submission_detail, name="submission-detail"),
    path("uppgifter/<int:assignment_id>/elev/<int:child_id>/bedom/", views.submission_review, name="submission-review"),
    path("uppgifter/<int:assignment_id>/elev/<int:child_id>/meddelande/", views.comment_add, name="comment-add"),
    path("uppgifter/bilaga/<int:attachment_id>/", views.assignment_attachment, name="assignment-attachment"),
    path("uppgifter/fil/<int:file_id>/", views.submission_file, name="submission-file"),
    # eTest
    path("etest/", views.etests, name="etests"),
    path("etest/grupp/<int:group_id>/ny/", views.etest_create, name="etest-create"),
    path("etest/<int:etest_id>/", views.etest_detail, name="etest-detail"),
    path("etest/<int:etest_id>/fragor/", views.question_add, name="question-add"),
    path("etest/<int:etest_id>/publicera/", views.etest_publish, name="etest-publish"),
    path("etest/<int:etest_id>/starta/", views.attempt_start, name="attempt-start"),
    path("etest/<int:etest_id>/skriv/", views.etest_take, name="etest-take"),
    path("etest/<int:etest_id>/svar/<int:question_id>/", views.answer_save, name="answer-save"),
    path("etest/<int:etest_id>/lamna-in/", views.attempt_submit, name="attempt-submit"),
    path("etest/<int:etest_id>/forsok/<int:attempt_id>/", views.attempt_mark, name="attempt-mark"),
    path("etest/<int:etest_id>/slapp/", views.etest_release, name="etest-release"),
]

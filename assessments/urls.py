from django.urls import path

from assessments import views

app_name = "assessments"

urlpatterns = [
    path("", views.index, name="index"),
    path("barn/<int:child_id>/", views.child_assessments, name="child"),
    path("barn/<int:child_id>/betyg/", views.child_grades, name="child-grades"),
    path("barn/<int:child_id>/iup/", views.child_iup, name="child-iup"),
    path("barn/<int:child_id>/iup/skriv/", views.iup_edit, name="iup-edit"),
    path("barn/<int:child_id>/stod/", views.child_support, name="child-support"),
    path("barn/<int:child_id>/atgardsprogram/nytt/", views.programme_create, name="programme-create"),
    path("barn/<int:child_id>/anteckningar/", views.child_notes, name="child-notes"),
    path("barn/<int:child_id>/logg/", views.child_log, name="child-log"),
    path("atgardsprogram/<int:programme_id>/beslut/", views.programme_decide, name="programme-decide"),
    path("atgardsprogram/<int:programme_id>/synpunkt/", views.programme_view, name="programme-view"),
    path("personal/<int:user_id>/logg/", views.staff_log, name="staff-log"),
    path("grupp/<int:group_id>/amne/<int:subject_id>/", views.matrix, name="matrix"),
    path("grupp/<int:group_id>/amne/<int:subject_id>/betyg/", views.grade_sheet, name="grade-sheet"),
    path("enhet/<int:unit_id>/betygskatalog/", views.catalogue, name="catalogue"),
    path("enhet/<int:unit_id>/betygskatalog.csv", views.catalogue_csv, name="catalogue-csv"),
]

from django.urls import path

from absence import views

app_name = "absence"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("anmal/", views.report_create, name="report-create"),
    path("sjuk-idag/<int:child_id>/", views.quick_sick, name="quick-sick"),
    path("barn/<int:child_id>/", views.child_history, name="child-history"),
    path("anmalan/<int:report_id>/andra/", views.report_edit, name="report-edit"),
    path("anmalan/<int:report_id>/friskanmal/", views.report_end, name="report-end"),
    path("anmalan/<int:report_id>/sjuk-idag-ocksa/", views.report_extend, name="report-extend"),
    path("ledighet/", views.leave_list, name="leave-list"),
    path("ledighet/ny/", views.leave_create, name="leave-create"),
    path("ledighet/<int:leave_id>/", views.leave_detail, name="leave-detail"),
    path("ledighet/<int:leave_id>/samtycke/", views.leave_consent, name="leave-consent"),
    path("ledighet/<int:leave_id>/beslut/", views.leave_decide, name="leave-decide"),
    path("idag/", views.today, name="today"),
    path("lektion/<int:lesson_id>/<str:day>/", views.lesson_attendance, name="lesson-attendance"),
    path("statistik/grupp/<int:group_id>/", views.group_stats, name="group-stats"),
    path("statistik/grupp/<int:group_id>/csv/", views.group_stats_csv, name="group-stats-csv"),
    path("statistik/enhet/<int:unit_id>/", views.unit_stats, name="unit-stats"),
    path("statistik/enhet/<int:unit_id>/csv/", views.unit_stats_csv, name="unit-stats-csv"),
]

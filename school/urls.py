from django.urls import path

from school import views

app_name = "school"

urlpatterns = [
    path("schema/", views.timetable, name="timetable"),
    path("schema/barn/<int:child_id>/", views.child_timetable, name="child-timetable"),
]

# Plannings, weekly plans, assignments and eTest (issue 13).
from school.teaching_urls import urlpatterns as teaching_urlpatterns  # noqa: E402

urlpatterns += teaching_urlpatterns

from django.urls import path

from schedules import views

app_name = "schedules"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("barn/<int:child_id>/", views.child_week, name="child-week"),
    path("barn/<int:child_id>/grundschema/", views.base_edit, name="base-edit"),
    path("barn/<int:child_id>/dagar/", views.days_edit, name="days-edit"),
    path("barn/<int:child_id>/kommentar/", views.comment_create, name="comment-create"),
    path("barn/<int:child_id>/kommentarer-lasta/", views.comments_read, name="comments-read"),
    path("enhet/<int:unit_id>/", views.unit_day, name="unit-day"),
    path("enhet/<int:unit_id>/kommentarer-lasta/", views.unit_comments_read, name="unit-comments-read"),
    path("enhet/<int:unit_id>/planering/", views.unit_planning, name="unit-planning"),
    path("enhet/<int:unit_id>/incheckning/", views.checkin, name="checkin"),
    path("enhet/<int:unit_id>/stangda-dagar/", views.closed_days, name="closed-days"),
]

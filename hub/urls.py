from django.urls import path

from hub import feed_views, views

app_name = "hub"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("information/", views.news_list, name="news-list"),
    path("information/ny/", views.news_create, name="news-create"),
    path("information/<int:news_id>/", views.news_detail, name="news-detail"),
    path("information/<int:news_id>/andra/", views.news_edit, name="news-edit"),
    path("information/<int:news_id>/ta-bort/", views.news_delete, name="news-delete"),
    path("information/bilaga/<int:attachment_id>/", views.news_attachment, name="news-attachment"),
    path("kalender/", views.calendar, name="calendar"),
    path("kalender/ny/", views.event_create, name="event-create"),
    path("kalender/<int:event_id>/", views.event_detail, name="event-detail"),
    path("kalender/<int:event_id>/andra/", views.event_edit, name="event-edit"),
    path("kalender/<int:event_id>/ta-bort/", views.event_delete, name="event-delete"),
    path("kalender/prenumerera/", feed_views.feed_settings, name="feed"),
    path("kalender/flode/<str:token>.ics", feed_views.feed_ics, name="feed-ics"),
]

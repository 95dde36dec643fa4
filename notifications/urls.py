from django.urls import path

from notifications import views

app_name = "notifications"

urlpatterns = [
    path("", views.notification_list, name="list"),
    path("klocka/", views.bell, name="bell"),
    path("las/", views.mark_read, name="mark-read"),
    path("installningar/", views.notification_settings, name="settings"),
    path("push/prenumerera/", views.push_subscribe, name="push-subscribe"),
    path("push/avsluta/", views.push_unsubscribe, name="push-unsubscribe"),
]

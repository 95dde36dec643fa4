from django.urls import path

from messaging import views

app_name = "messaging"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("ny/", views.start, name="start"),
    path("ny/personal/", views.start_staff, name="start-staff"),
    path("ny/grupp/", views.group_send, name="group-send"),
    path("<int:conversation_id>/", views.detail, name="detail"),
    path("<int:conversation_id>/svara/", views.reply, name="reply"),
    path("bilaga/<int:attachment_id>/", views.attachment, name="attachment"),
]

from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("aktivera/<uidb64>/<token>/", views.activate, name="activate"),
    path("kontaktuppgifter/", views.contact, name="contact"),
    path("e-post/", views.email_change, name="email-change"),
    path("e-post/bekrafta/<str:token>/", views.email_confirm, name="email-confirm"),
    path("e-legitimation/", views.eid_start, name="eid-start"),
]

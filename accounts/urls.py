from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("aktivera/<uidb64>/<token>/", views.activate, name="activate"),
    path("kontaktuppgifter/", views.contact, name="contact"),
    path("e-legitimation/", views.eid_start, name="eid-start"),
]

from django.urls import path

from accounts import extract_views, views

app_name = "accounts"

urlpatterns = [
    path("aktivera/<uidb64>/<token>/", views.activate, name="activate"),
    path("kontaktuppgifter/", views.contact, name="contact"),
    path("e-legitimation/", views.eid_start, name="eid-start"),
    path("registerutdrag/", extract_views.register_extract, name="register-extract"),
    path("registerutdrag.json", extract_views.register_extract_json, name="register-extract-json"),
]

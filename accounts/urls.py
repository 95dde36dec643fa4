from django.urls import path

from accounts import extract_views, views

app_name = "accounts"

urlpatterns = [
    path("aktivera/<uidb64>/<token>/", views.activate, name="activate"),
    path("kontaktuppgifter/", views.contact, name="contact"),
    path("e-legitimation/", views.eid_start, name="eid-start"),
    path("e-legitimation/callback/", views.eid_callback, name="eid-callback"),
    path("sakerhet/", views.security, name="security"),
    path("appar/", views.devices, name="devices"),
    path("appar/kod/", views.pairing_code, name="pairing-code"),
    path("appar/<int:device_id>/ta-bort/", views.device_remove, name="device-remove"),
    path("registerutdrag/", extract_views.register_extract, name="register-extract"),
    path("registerutdrag.json", extract_views.register_extract_json, name="register-extract-json"),
]

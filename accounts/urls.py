from django.urls import path

from accounts import contact_views, extract_views, views

app_name = "accounts"

urlpatterns = [
    path("aktivera/<uidb64>/<token>/", views.activate, name="activate"),
    path("kontaktuppgifter/", views.contact, name="contact"),
    path("e-post/", views.email_change, name="email-change"),
    path("e-post/bekrafta/<str:token>/", views.email_confirm, name="email-confirm"),
    path("e-legitimation/", views.eid_start, name="eid-start"),
    path("kontaktlista/", contact_views.contact_list, name="contact-list"),
    path("kontaktlista/<int:group_id>/", contact_views.contact_list_group, name="contact-list-group"),
    path("e-legitimation/callback/", views.eid_callback, name="eid-callback"),
    path("sakerhet/", views.security, name="security"),
    path("appar/", views.devices, name="devices"),
    path("appar/kod/", views.pairing_code, name="pairing-code"),
    path("appar/<int:device_id>/ta-bort/", views.device_remove, name="device-remove"),
    path("registerutdrag/", extract_views.register_extract, name="register-extract"),
    path("registerutdrag.json", extract_views.register_extract_json, name="register-extract-json"),
]

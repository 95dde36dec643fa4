from django.urls import path

from accounts import contact_views, extract_views, views

app_name = "accounts"

urlpatterns = [
    path("aktivera/<uidb64>/<token>/", views.activate, name="activate"),
    path("kontaktuppgifter/", views.contact, name="contact"),
    path("e-legitimation/", views.eid_start, name="eid-start"),
    path("kontaktlista/", contact_views.contact_list, name="contact-list"),
    path("kontaktlista/<int:group_id>/", contact_views.contact_list_group, name="contact-list-group"),
    path("registerutdrag/", extract_views.register_extract, name="register-extract"),
    path("registerutdrag.json", extract_views.register_extract_json, name="register-extract-json"),
]

from django.urls import path

from preschool import views

app_name = "preschool"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("inkomst/ny/", views.income_create, name="income-create"),
    path("plats/<int:placement_id>/uppsagning/", views.notice_create, name="notice-create"),
    path("uppsagning/<int:notice_id>/aterkalla/", views.notice_withdraw, name="notice-withdraw"),
    path("uppsagningar/", views.notices, name="notices"),
    path("uppsagning/<int:notice_id>/bekrafta/", views.notice_confirm, name="notice-confirm"),
    path("avgifter/", views.fees, name="fees"),
    path("avgifter.csv", views.fees_csv, name="fees-csv"),
]

from django.urls import path

from bookings import views

app_name = "bookings"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("publicera/", views.publish, name="publish"),
    path("tid/<int:slot_id>/boka/", views.book, name="book"),
    path("tid/<int:slot_id>/flytta/", views.slot_move, name="slot-move"),
    path("bokning/<int:booking_id>/avboka/", views.cancel, name="cancel"),
]

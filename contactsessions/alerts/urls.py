"""``alerts:``: follow a ward by e-mail, confirm, unsubscribe, leave, and the privacy notice."""

from django.urls import path

from contactsessions.alerts import views

patterns = [
    path("wards/<str:ward_code>/alerts/", views.subscribe, name="subscribe"),
    path("alerts/confirm/<str:token>/", views.confirm, name="confirm"),
    path("alerts/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("alerts/leave/", views.leave, name="leave"),
    path("alerts/privacy/", views.privacy, name="privacy"),
]

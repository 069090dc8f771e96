"""``alerts:``: follow a ward by e-mail, confirm, unsubscribe, leave, and the privacy notice."""

from django.urls import path

from contactsessions.alerts import views
from contactsessions.public.successors import follow

patterns = [
    # follow(): a redrawn ward's code leads to its successor's page (public/successors.py).
    path("wards/<str:ward_code>/alerts/", follow(views.subscribe, "alerts:subscribe"), name="subscribe"),
    path("alerts/confirm/<str:token>/", views.confirm, name="confirm"),
    path("alerts/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("alerts/leave/", views.leave, name="leave"),
    path("alerts/privacy/", views.privacy, name="privacy"),
]

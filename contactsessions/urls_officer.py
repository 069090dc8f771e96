from django.urls import path

from contactsessions.views import officer

urlpatterns = [
    path("", officer.home, name="home"),
]

from django.urls import path

from contactsessions.views import public

urlpatterns = [
    path("", public.home, name="home"),
    path("boroughs/<str:borough_code>/", public.borough_detail, name="borough"),
]

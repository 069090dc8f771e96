from django.urls import path

from contactsessions.views import public

borough_patterns = [
    path("boroughs/<str:borough_code>/", public.borough_detail, name="borough"),
    path("boroughs/<str:borough_code>/sessions.ics", public.borough_ical, name="borough-ical"),
]

ward_patterns = [
    path("wards/<str:ward_code>/", public.ward_detail, name="ward"),
    path("wards/<str:ward_code>/sessions.ics", public.ward_ical, name="ward-ical"),
    path("wards/<str:ward_code>/poster/", public.ward_poster, name="ward-poster"),
    path("wards/<str:ward_code>/qr.svg", public.ward_qr, name="ward-qr"),
    path("wards/<str:ward_code>/share/", public.ward_share, name="ward-share"),
]

session_patterns = [
    path("sessions/<int:pk>/", public.session_detail, name="session"),
    path("sessions/<int:pk>/session.ics", public.session_ical, name="session-ical"),
]

urlpatterns = [
    path("", public.home, name="home"),
    *borough_patterns,
    *ward_patterns,
    *session_patterns,
]

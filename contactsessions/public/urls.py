"""Public URLs: ``public:`` pages and feeds, ``locate:`` finding a ward from a postcode or a
position, and ``api:`` open data on the paths of data.police.uk."""

from django.urls import path

from contactsessions.public.successors import follow
from contactsessions.public.views import api, embed, locate, pages, printed

borough_patterns = [
    path("boroughs/<str:borough_code>/", pages.borough_detail, name="borough"),
    path("boroughs/<str:borough_code>/sessions.ics", pages.borough_ical, name="borough-ical"),
    path("boroughs/<str:borough_code>/print/", printed.borough_print, name="borough-print"),
    path("boroughs/<str:borough_code>/qr.svg", printed.borough_qr, name="borough-qr"),
    path("boroughs/<str:borough_code>/embed/", embed.borough_embed, name="borough-embed"),
]

ward_patterns = [
    # follow(): a ward redrawn by a boundary change answers with its successor (public/successors.py).
    path("wards/<str:ward_code>/", follow(pages.ward_detail, "public:ward"), name="ward"),
    path("wards/<str:ward_code>/sessions.ics", follow(pages.ward_ical, "public:ward-ical"), name="ward-ical"),
    path("wards/<str:ward_code>/poster/", follow(pages.ward_poster, "public:ward-poster"), name="ward-poster"),
    path("wards/<str:ward_code>/qr.svg", follow(pages.ward_qr, "public:ward-qr"), name="ward-qr"),
    path("wards/<str:ward_code>/share/", follow(pages.ward_share, "public:ward-share"), name="ward-share"),
    path("wards/<str:ward_code>/embed/", follow(embed.ward_embed, "public:ward-embed"), name="ward-embed"),
]

session_patterns = [
    path("sessions/<id:pk>/", pages.session_detail, name="session"),
    path("sessions/<id:pk>/session.ics", pages.session_ical, name="session-ical"),
]

page_patterns = [
    path("", pages.home, name="home"),
    *borough_patterns,
    *ward_patterns,
    *session_patterns,
]

locate_patterns = [
    path("postcode/", locate.postcode, name="postcode"),
    path("locate/", locate.locate, name="locate"),
]

api_patterns = [
    path("forces", api.forces, name="forces"),
    path("forces/<str:force>", api.force_detail, name="force"),
    path("locate-neighbourhood", api.locate_neighbourhood, name="locate-neighbourhood"),
    path("sessions.csv", api.sessions_csv, name="sessions-csv"),
    path("metropolitan/neighbourhoods", api.neighbourhoods, name="neighbourhoods"),
    path("metropolitan/<str:ward_code>", follow(api.neighbourhood, "api:neighbourhood"), name="neighbourhood"),
    path("metropolitan/<str:ward_code>/events", follow(api.events, "api:events"), name="events"),
    path("metropolitan/<str:ward_code>/people", follow(api.people, "api:people"), name="people"),
    path("metropolitan/<str:ward_code>/priorities", follow(api.priorities, "api:priorities"), name="priorities"),
]

"""Open-data API on the paths of data.police.uk, under /api/."""

from django.urls import path

from contactsessions.views import api

force_patterns = [
    path("forces", api.forces, name="forces"),
    path("forces/<str:force>", api.force_detail, name="force"),
    path("locate-neighbourhood", api.locate_neighbourhood, name="locate-neighbourhood"),
    path("sessions.csv", api.sessions_csv, name="sessions-csv"),
]

neighbourhood_patterns = [
    path("metropolitan/neighbourhoods", api.neighbourhoods, name="neighbourhoods"),
    path("metropolitan/<str:ward_code>", api.neighbourhood, name="neighbourhood"),
    path("metropolitan/<str:ward_code>/events", api.events, name="events"),
    path("metropolitan/<str:ward_code>/people", api.people, name="people"),
    path("metropolitan/<str:ward_code>/priorities", api.priorities, name="priorities"),
]

urlpatterns = [*force_patterns, *neighbourhood_patterns]

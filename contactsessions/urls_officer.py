from django.urls import path

from contactsessions.views import officer

officer_patterns = [
    path("", officer.home, name="home"),
    path("wards/<int:ward_id>/propose/", officer.session_propose, name="session-propose"),
    path("wards/<int:ward_id>/series/", officer.series_propose, name="series-propose"),
    path("sessions/<int:pk>/", officer.session_detail, name="session-detail"),
    path("sessions/<int:pk>/edit/", officer.session_edit, name="session-edit"),
    path("sessions/<int:pk>/withdraw/", officer.session_withdraw, name="session-withdraw"),
    path("sessions/<int:pk>/cancel/", officer.session_cancel, name="session-cancel"),
    path("sessions/<int:pk>/comment/", officer.session_comment, name="session-comment"),
]

panel_patterns = [
    path("panel/<int:ward_id>/", officer.panel_ward, name="panel-ward"),
]

urlpatterns = officer_patterns + panel_patterns

from django.urls import path

from contactsessions.views import board

urlpatterns = [
    path("", board.queue, name="queue"),
    path("sessions/<int:pk>/approve/", board.session_approve, name="session-approve"),
    path("sessions/<int:pk>/return/", board.session_return, name="session-return"),
    path("sessions/<int:pk>/reject/", board.session_reject, name="session-reject"),
    path("series/<int:pk>/approve/", board.series_approve, name="series-approve"),
    path(
        "boroughs/<int:borough_id>/months/<int:year>/<int:month>/approve/",
        board.month_approve,
        name="month-approve",
    ),
]

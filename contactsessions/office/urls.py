"""Back-office URLs: one namespace per role, so a name says whose page it is.

``officer:`` DWOs' pages, ``panel:`` Ward Panel pages, ``board:`` the SNB's review queue and Enhanced sites.
"""

from django.urls import path

from contactsessions.office.views import board, enhanced, officer, panel, team

officer_patterns = [
    path("", officer.home, name="home"),
    path("wards/<id:ward_id>/propose/", officer.session_propose, name="session-propose"),
    path("wards/<id:ward_id>/series/", officer.series_propose, name="series-propose"),
    path("sessions/<id:pk>/", officer.session_detail, name="session-detail"),
    path("sessions/<id:pk>/edit/", officer.session_edit, name="session-edit"),
    path("sessions/<id:pk>/withdraw/", officer.session_withdraw, name="session-withdraw"),
    path("sessions/<id:pk>/cancel/", officer.session_cancel, name="session-cancel"),
    path("sessions/<id:pk>/comment/", officer.session_comment, name="session-comment"),
    path("sessions/<id:pk>/priority/", team.session_priority, name="session-priority"),
    path("profile/", team.profile, name="profile"),
    path("wards/<id:ward_id>/contact/", team.team_contact, name="team-contact"),
    path("wards/<id:ward_id>/priorities/", team.priorities, name="priorities"),
    path("priorities/<id:pk>/", team.priority_edit, name="priority-edit"),
    path("priorities/<id:pk>/retire/", team.priority_retire, name="priority-retire"),
]

panel_patterns = [
    path("<id:ward_id>/", panel.ward, name="ward"),
]

board_patterns = [
    path("", board.queue, name="queue"),
    path("sessions/<id:pk>/approve/", board.session_approve, name="session-approve"),
    path("sessions/<id:pk>/return/", board.session_return, name="session-return"),
    path("sessions/<id:pk>/reject/", board.session_reject, name="session-reject"),
    path("series/<id:pk>/approve/", board.series_approve, name="series-approve"),
    path(
        "boroughs/<id:borough_id>/months/<int:year>/<int:month>/approve/",
        board.month_approve,
        name="month-approve",
    ),
    path("enhanced/", enhanced.designation_list, name="designations"),
    path("enhanced/<id:pk>/", enhanced.designation_detail, name="designation"),
    path("enhanced/<id:pk>/confirm/", enhanced.designation_confirm, name="designation-confirm"),
    path("enhanced/<id:pk>/unconfirm/", enhanced.designation_unconfirm, name="designation-unconfirm"),
    path("enhanced/<id:pk>/move/", enhanced.designation_move, name="designation-move"),
]

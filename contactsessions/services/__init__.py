"""Every write goes through a service: one module per subject.

A service checks permission itself, locks what it changes, raises
:class:`~contactsessions.services.errors.ServiceError` (stable codes) when it refuses,
and sends mail only through :mod:`contactsessions.notify`, after the commit. Views
call services and nothing else writes.

The functions are handed on here so callers can write ``services.session_approve(...)``.
"""

from contactsessions.services.boundaries import ChangeReport, ward_boundaries_change
from contactsessions.services.comments import comment_add
from contactsessions.services.common import london_datetime
from contactsessions.services.decisions import (
    BulkResult,
    auto_approve_due,
    expected_versions,
    month_approve,
    parse_expected_versions,
    series_approve,
    session_approve,
    session_reject,
    session_return,
    sessions_bulk_approve,
)
from contactsessions.services.details import (
    BOOKED_STATUSES,
    NewVenue,
    SessionDetails,
    ward_requirement,
)
from contactsessions.services.enhanced import (
    designation_apply_venue_moves,
    designation_confirm_pattern,
    designation_move_venue,
    designation_unconfirm_pattern,
)
from contactsessions.services.errors import Problem, ServiceError, StaleVersion
from contactsessions.services.exemptions import exemption_decide, exemption_propose, london_period_declare
from contactsessions.services.links import joining_link_problems, normalise_joining_link
from contactsessions.services.outcomes import outcome_record
from contactsessions.services.roster import assignment_end, assignment_start
from contactsessions.services.sessions import (
    series_propose,
    session_cancel,
    session_propose,
    session_text_edit,
    session_update,
    session_withdraw,
)
from contactsessions.services.team import (
    officer_profile_update,
    priority_add,
    priority_retire,
    priority_update,
    session_link_priority,
)
from contactsessions.services.team_contact import team_contact_update

__all__ = [
    "ChangeReport",
    "ward_boundaries_change",
    "designation_apply_venue_moves",
    "designation_move_venue",
    "designation_confirm_pattern",
    "designation_unconfirm_pattern",
    "BOOKED_STATUSES",
    "BulkResult",
    "NewVenue",
    "Problem",
    "SessionDetails",
    "joining_link_problems",
    "normalise_joining_link",
    "ServiceError",
    "StaleVersion",
    "assignment_end",
    "assignment_start",
    "auto_approve_due",
    "comment_add",
    "exemption_decide",
    "exemption_propose",
    "expected_versions",
    "london_datetime",
    "london_period_declare",
    "month_approve",
    "outcome_record",
    "parse_expected_versions",
    "series_approve",
    "series_propose",
    "session_approve",
    "session_cancel",
    "session_propose",
    "session_reject",
    "session_return",
    "session_text_edit",
    "session_update",
    "session_withdraw",
    "sessions_bulk_approve",
    "ward_requirement",
    "officer_profile_update",
    "priority_add",
    "priority_retire",
    "priority_update",
    "session_link_priority",
    "team_contact_update",
]

"""The demo's made-up words: names, venue kinds, formats, reasons and comments, and its sizes."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings

from contactsessions.models import (
    SessionFormat,
)
from venues.models import VenueKind

# Printed on purpose: the demo log-ins only, never a real account.
DEMO_PASSWORD = "contact-sessions-demo"  # noqa: S105  # nosec B105
USER_PREFIX = "demo-"
EMAIL_DOMAIN = "demo.invalid"
VENUE_SUFFIX = "(demo)"
SEED = 2018

CAMDEN, BARNET, HACKNEY = "E09000007", "E09000003", "E09000012"
# The named users' wards in each ward set: the 2022 wards carry the 2014 ones on (same
# name and borough), so README's log-in table holds whichever set is in force.
MAIN_WARDS = {"2014": "E05000143", "2018": "E05000143", "2022": "E05013669"}  # St Pancras and Somers Town
ENHANCED_WARDS = {"2014": "E05000048", "2018": "E05000048", "2022": "E05013635"}  # East Barnet, Enhanced
MAIN_WARD = MAIN_WARDS.get(str(settings.WARD_SET), MAIN_WARDS["2022"])  # Camden: the demo DWOs' ward
ENHANCED_WARD = ENHANCED_WARDS.get(str(settings.WARD_SET), ENHANCED_WARDS["2022"])


@dataclass(frozen=True)
class Size:
    weeks: int  # weeks of history before this week
    ahead: int  # weeks planned from this week on (this week included)


DEMO = Size(weeks=13, ahead=8)
BENCH = Size(weeks=156, ahead=8)

# The named log-ins of README's table, and the story each one has to tell.
LOGINS = [
    ("demo-dwo", "DWO, St Pancras and Somers Town (Camden)"),
    ("demo-dwo2", "second DWO of the same ward"),
    ("demo-dwo-barnet", "DWO, East Barnet (Enhanced ward)"),
    ("demo-panel", "Ward Panel member, St Pancras and Somers Town"),
    ("demo-snb", "SNB member, Camden"),
    ("demo-snb2", "second SNB member, Camden"),
    ("demo-snb-barnet", "SNB member, Barnet"),
    ("demo-snb-hackney", "SNB member, Hackney"),
    ("demo-monitor", "monitoring staff, all London (read-only)"),
    ("demo-admin", "Django admin (staff)"),
]
# SNB members by borough; every other borough gets one called demo-snb-<borough name>.
NAMED_SNBS = {
    CAMDEN: [("demo-snb", "Jo", "Reid"), ("demo-snb2", "Mo", "Said")],
    BARNET: [("demo-snb-barnet", "Lee", "Wong")],
    HACKNEY: [("demo-snb-hackney", "Kim", "Osei")],
}

FIRST_NAMES = [
    "Sam",
    "Alex",
    "Priya",
    "Tom",
    "Aisha",
    "Ben",
    "Chloe",
    "Dan",
    "Ella",
    "Femi",
    "Grace",
    "Hassan",
    "Imran",
    "Jade",
    "Kofi",
    "Laura",
    "Maya",
    "Nia",
    "Omar",
    "Ruth",
    "Zara",
    "Leon",
    "Amara",
    "Callum",
    "Deepa",
    "Ewa",
    "Farah",
    "Gus",
    "Hana",
    "Ivan",
    "Joel",
    "Kemi",
    "Luca",
    "Mehmet",
    "Nadia",
    "Owen",
    "Rosa",
    "Tariq",
    "Yusuf",
]
LAST_NAMES = [
    "Patel",
    "Smith",
    "Okafor",
    "Jones",
    "Khan",
    "Brown",
    "Wilson",
    "Taylor",
    "Ahmed",
    "Evans",
    "Clarke",
    "Hughes",
    "Ali",
    "Murphy",
    "Byrne",
    "Mensah",
    "Kowalski",
    "Singh",
    "Walsh",
    "Adeyemi",
    "Nowak",
    "Chen",
    "Costa",
    "Begum",
    "Reilly",
    "Hall",
    "Bello",
    "Rossi",
    "Shah",
    "Green",
]
VENUE_TYPES = [
    (VenueKind.LIBRARY, "Library"),
    (VenueKind.COMMUNITY_CENTRE, "Community Centre"),
    (VenueKind.LEISURE_CENTRE, "Leisure Centre"),
]
FORMATS = [
    SessionFormat.SURGERY,
    SessionFormat.SURGERY,
    SessionFormat.CUPPA,
    SessionFormat.STREET_BRIEFING,
    SessionFormat.COMMUNITY_EVENT,
    SessionFormat.PROPERTY_MARKING,
]
DESCRIPTION = "Demo session: come and meet your ward officers, report a crime or get advice."
# Why sessions were not held: (NotHeldCategory value, the DWO's words).
NOT_HELD = [
    ("emergency", "Both officers were abstracted to a serious incident in the ward."),
    ("public_order", "Officers were abstracted to public order duty in central London."),
    ("venue_unavailable", "The venue was closed at short notice."),
    ("sickness_or_leave", "Officer sickness, and no cover was available."),
    ("other", "Officers were called to give evidence at court."),
]
CANCELLED = [
    "The officers were called to a serious incident in the ward.",
    "The venue is closed this week for repairs.",
    "Both officers are on public order duty this week.",
]
RETURNED = [
    "Could this be on a Saturday, when the market is on?",
    "The library closes at 5 pm that day: please pick an earlier time.",
    "Please use a step-free venue for this one.",
    "This clashes with the Ward Panel meeting; could you move it by an hour?",
]
REJECTED = [
    "This week is already covered by the other session: please keep to one.",
    "The venue is outside the ward.",
    "The centre has told us it cannot host the police on that day.",
]
COMMENTS = [
    "Residents asked for an evening session after the recent burglaries.",
    "Good spot: lots of footfall on market day.",
    "Could you bring property-marking kits? Bikes have been stolen near the station.",
    "Is the side entrance open? The main door has steps.",
]
EXEMPTIONS = [
    "Notting Hill Carnival: every officer is on duty.",
    "Both DWOs on a public order deployment all week.",
    "Venue closed and no other venue in the ward free that week.",
]
NOTES = [
    "Several residents raised e-scooters on the pavement.",
    "Questions about car key cloning; advice leaflets handed out.",
    "Shopkeepers reported shoplifting by a regular group.",
]

from django.conf import settings

from contactsessions import permissions


class StaffNav:
    """What the back-office navigation offers; evaluated only when a template asks."""

    def __init__(self, user):
        self.user = user

    def can_review(self) -> bool:
        return bool(permissions.is_board_member(self.user) or permissions.is_monitoring(self.user))

    def can_monitor(self) -> bool:
        return permissions.can_monitor(self.user)

    def can_see_trial(self) -> bool:
        """The Enhanced trial review is London's or an SNB's boroughs', never a DWO's own wards'."""
        return bool(permissions.is_monitoring(self.user) or permissions.is_board_member(self.user))


def site(request):
    return {
        "DEMO_MODE": settings.DEMO_MODE,
        "SITE_URL": settings.SITE_URL,
        "staff_nav": StaffNav(getattr(request, "user", None)),
    }

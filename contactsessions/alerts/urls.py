"""``alerts:``: follow a ward by e-mail, confirm, unsubscribe, leave, and the privacy notice."""

from collections.abc import Callable

from django.urls import URLPattern, path

from contactsessions.alerts import views


def _as_is(view: Callable, _url_name: str) -> Callable:
    return view


def patterns(follow: Callable[[Callable, str], Callable] = _as_is) -> list[URLPattern]:
    """The alerts' URLs. ``follow`` wraps the ward page so that a redrawn ward's code leads to
    its successor's (the project's urls pass ``public.successors.follow``, which this audience
    app may not import)."""
    return [
        path("wards/<str:ward_code>/alerts/", follow(views.subscribe, "alerts:subscribe"), name="subscribe"),
        path("alerts/confirm/<str:token>/", views.confirm, name="confirm"),
        path("alerts/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
        path("alerts/leave/", views.leave, name="leave"),
        path("alerts/privacy/", views.privacy, name="privacy"),
    ]

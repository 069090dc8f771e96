"""One POST action on one session, shared by the DWO's and the SNB's buttons: check the
form (the version the page was shown with), call the service, say what happened.

A refused form is never bounced to another page: the page it came from is drawn again
with the form as it was sent (text kept, the problem by its field), so nothing typed is lost."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect

from contactsessions import services
from contactsessions.office.forms import DecisionForm

# Draws the session's page again with a refused form: (request, session, slot, form) -> response.
Redraw = Callable[..., HttpResponse]


def put_problems(form, problems) -> None:
    """A service's problems on the form: by the field they name, or above the form."""
    for problem in problems:
        field = problem.field if problem.field in form.fields else None
        if problem.field in {"reason", "comment"} and "text" in form.fields:
            field = "text"
        form.add_error(field, problem.message)


def act(
    request,
    session,
    action,
    success: str,
    *,
    form_class=DecisionForm,
    extra=lambda form: {},
    slot: str = "",
    redraw: Redraw | None = None,
):
    form = form_class(request.POST, auto_id=f"{slot}-%s" if slot else "id_%s")
    if form.is_valid():
        try:
            # bandit B610 mistakes the keyword-argument helper named "extra" for QuerySet.extra().
            action(session=session, by=request.user, version=form.cleaned_data["version"], **extra(form))  # nosec B610
        except services.ServiceError as exc:
            put_problems(form, exc.problems)
        else:
            messages.success(request, success)
            if request.POST.get("next_page") == "queue":
                return redirect("board:queue")
            return redirect("officer:session-detail", session.pk)
    if redraw is not None and request.POST.get("next_page") != "queue":
        return redraw(request, session, slot, form)
    messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    if request.POST.get("next_page") == "queue":
        return redirect("board:queue")
    return redirect("officer:session-detail", session.pk)

"""One POST action on one session, shared by the DWO's and the SNB's buttons: check the
form (the version the page was shown with), call the service, say what happened."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect

from contactsessions import services
from contactsessions.office.forms import DecisionForm


def act(request, session, action, success: str, *, form_class=DecisionForm, extra=lambda form: {}):
    form = form_class(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect("officer:session-detail", session.pk)
    try:
        # bandit B610 mistakes the keyword-argument helper named "extra" for QuerySet.extra().
        action(session=session, by=request.user, version=form.cleaned_data["version"], **extra(form))  # nosec B610
    except services.ServiceError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, success)
    if request.POST.get("next_page") == "queue":
        return redirect("board:queue")
    return redirect("officer:session-detail", session.pk)

"""Template helpers of the back office: people's names, short-session notices, error summaries."""

from __future__ import annotations

from django import forms, template

from contactsessions import rules, selectors

register = template.Library()


@register.filter
def person(user) -> str:
    """A person as the back office names them: ``{{ comment.author|person }}`` gives
    "PC Alice Adams" for an officer, the full name for anyone else, never a log-in name."""
    return selectors.person_name(user)


@register.filter
def short_session_notice(session) -> str:
    """Why a session under an hour does not count towards its week ("" for one that counts)."""
    return rules.short_session_notice(session.start, session.end) or ""


@register.filter
def pending_short_session_notice(session) -> str:
    """The same for a change waiting for review (its new times)."""
    if not (session.has_pending_change and session.pending_start and session.pending_end):
        return ""
    return rules.short_session_notice(session.pending_start, session.pending_end) or ""


@register.filter
def online_only_notice(session) -> str:
    """Why an online-only session does not count towards its week ("" for one met face to face)."""
    return rules.online_only_notice(session.start, session.attendance_mode) or ""


@register.filter
def pending_online_only_notice(session) -> str:
    """The same for a change waiting for review (its new mode)."""
    if not (session.has_pending_change and session.pending_attendance_mode and session.pending_start):
        return ""
    return rules.online_only_notice(session.pending_start, session.pending_attendance_mode) or ""


def _field_anchor(bound: forms.BoundField) -> str:
    """The id a summary link jumps to: the field itself, or the first of a group of boxes."""
    if isinstance(bound.field.widget, forms.CheckboxSelectMultiple | forms.RadioSelect):
        return f"{bound.auto_id}_0"
    return bound.auto_id


# Django's own messages say nothing of their field; in a summary away from the fields they
# read "This field is required." three times over. There they are prefixed with the label.
_ANONYMOUS_MESSAGES = {
    str(message)
    for field in (forms.Field, forms.DateField, forms.TimeField, forms.IntegerField, forms.DecimalField)
    for message in field.default_error_messages.values()
    if "%(" not in str(message)
}


def _named(bound: forms.BoundField, message: object) -> object:
    return f"{bound.label}: {message}" if str(message) in _ANONYMOUS_MESSAGES and bound.label else message


@register.inclusion_tag("office/includes/_error_summary.html")
def error_summary(*forms_: forms.Form | None) -> dict:
    """The GOV.UK-style summary at the top of a refused form: each problem, linking to its field.
    Problems that belong to no field are listed without a link."""
    items: list[dict[str, object]] = []
    for form in forms_:
        if form is None or not form.is_bound or not form.errors:
            continue
        for message in form.non_field_errors():
            items.append({"href": "", "message": message})
        for name, errors in form.errors.items():
            if name not in form.fields:  # the form-wide problems are listed above
                continue
            bound = form[name]
            href = "" if bound.is_hidden else f"#{_field_anchor(bound)}"
            items.extend({"href": href, "message": _named(bound, message)} for message in errors)
    return {"items": items}

"""The alerts' forms check only the shape of what is typed; the service decides the rest."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from contactsessions.alerts.models import Frequency

EMAIL_ERRORS = {
    "required": _("Enter your e-mail address."),
    "invalid": _("Enter an e-mail address in the right form, like name@example.com."),
    "max_length": _("That e-mail address is too long: it can have at most 254 characters."),
}


class EmailForm(forms.Form):
    email = forms.EmailField(
        label=_("Your e-mail address"),
        max_length=254,
        error_messages=EMAIL_ERRORS,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )


class SubscribeForm(EmailForm):
    frequency = forms.ChoiceField(
        label=_("How often would you like to hear from us?"),
        choices=Frequency.choices,
        initial=Frequency.EACH,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose how often you would like to hear from us."),
            "invalid_choice": _("Choose how often you would like to hear from us."),
        },
    )

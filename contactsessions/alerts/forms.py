"""The alerts' forms check only the shape of what is typed; the service decides the rest."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
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

    def clean_email(self) -> str:
        """Django takes ``name@localhost`` and ``name@[10.0.0.5]``; mail to them would go to
        the server itself or to a host inside the network, never to a resident."""
        email = self.cleaned_data["email"]
        domain = email.rpartition("@")[2]
        if domain.startswith("[") or "." not in domain:
            raise ValidationError(EMAIL_ERRORS["invalid"], code="invalid")
        return email


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

"""Forms for the ward team's public side: priorities, contact details, an officer's profile.

They check the shape of the input only; what is allowed (dates, phone numbers, photos,
who may change what) is checked by ``services.team``, whose problems land by these fields.
"""

from __future__ import annotations

from django import forms

from contactsessions.lib.forms import DateInput
from contactsessions.services.team import ACTION_MAX, ALT_MAX, BIO_MAX, ISSUE_MAX
from wards.models import Language, WardPriority


class PriorityForm(forms.Form):
    """A Ward Panel member's form: the whole priority."""

    issue = forms.CharField(
        label="Priority", max_length=ISSUE_MAX, help_text="For example: burglary on the Elm estate."
    )
    issue_date = forms.DateField(label="Date set", widget=DateInput)
    action = forms.CharField(
        label="Action taken", required=False, max_length=ACTION_MAX, widget=forms.Textarea(attrs={"rows": 3})
    )
    action_date = forms.DateField(label="Date of action", required=False, widget=DateInput)


class PriorityActionForm(forms.Form):
    """A DWO's form: what was done about the priority, and when."""

    action = forms.CharField(
        label="Action taken", required=False, max_length=ACTION_MAX, widget=forms.Textarea(attrs={"rows": 3})
    )
    action_date = forms.DateField(label="Date of action", required=False, widget=DateInput)


class TeamContactForm(forms.Form):
    email = forms.CharField(label="E-mail address", required=False, max_length=254)
    telephone = forms.CharField(label="Phone number", required=False, max_length=30, help_text="A UK number.")
    twitter = forms.CharField(label="X (Twitter) address", required=False, max_length=200, help_text="https://x.com/…")
    facebook = forms.CharField(
        label="Facebook address", required=False, max_length=200, help_text="https://facebook.com/…"
    )
    instagram = forms.CharField(
        label="Instagram address", required=False, max_length=200, help_text="https://instagram.com/…"
    )


class ProfileForm(forms.Form):
    public_name = forms.CharField(label="Name shown to the public", max_length=120)
    bio = forms.CharField(
        label="Short introduction",
        required=False,
        max_length=BIO_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Optional. A sentence or two residents read on the ward page.",
    )
    languages = forms.MultipleChoiceField(
        label="Languages you speak besides English",
        required=False,
        choices=Language.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    photo = forms.FileField(
        label="Photo",
        required=False,
        help_text="Optional. A JPEG, PNG or WebP picture up to 5 MB; it is resized and its metadata removed.",
        widget=forms.FileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )
    photo_alt = forms.CharField(
        label="Describe the photo",
        required=False,
        max_length=ALT_MAX,
        help_text="Needed with a photo, for people who cannot see it. For example: PC Sam Patel in uniform, smiling.",
    )
    remove_photo = forms.BooleanField(label="Remove my photo", required=False)


class SessionPriorityForm(forms.Form):
    priority = forms.TypedChoiceField(
        label="This session is about",
        required=False,
        coerce=int,
        empty_value=None,
        widget=forms.Select(attrs={"class": "form-select"}),
    )

    def __init__(self, *args: object, priorities: list[WardPriority], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["priority"].choices = [("", "No particular priority")] + [(p.pk, p.issue) for p in priorities]  # type: ignore[attr-defined]

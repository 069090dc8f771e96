"""Forms: they check the shape of the input; scheduling rules live in rules.py and services.py."""

from django.contrib.auth.forms import PasswordResetForm


class PrivacyPasswordResetForm(PasswordResetForm):
    """Django's reset form already answers the same whether or not the account exists;
    named here so the log-in pages use one place for that promise."""

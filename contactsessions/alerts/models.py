"""What the e-mail alerts keep: an address, the wards it follows and the language to write
in, nothing else.

A row exists only once its owner clicked the confirmation link (double opt-in): until
then the address travels in the signed link alone. To send at most one confirmation an
hour per address, :class:`ConfirmationSent` keeps a keyed one-way digest of it, never the
address, for that hour.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Frequency(models.TextChoices):
    EACH = "each", _("An e-mail for each new, moved or cancelled session")
    WEEKLY = "weekly", _("A weekly summary of the coming sessions")


class Subscriber(models.Model):
    """One e-mail address (lower-cased) that follows one or more wards."""

    email = models.EmailField(unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # When the last weekly summary went out, so a cron job run twice sends it once.
    summary_sent_at = models.DateTimeField(null=True, blank=True)
    # The language of the page where the address last confirmed: its alerts are written in it.
    language = models.CharField(max_length=8, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE)

    def __str__(self) -> str:
        return self.email


class Subscription(models.Model):
    """A confirmed choice to hear about one ward's sessions."""

    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="subscriptions")
    ward = models.ForeignKey("wards.Ward", on_delete=models.CASCADE, related_name="+")
    frequency = models.CharField(max_length=10, choices=Frequency)
    confirmed_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["subscriber", "ward"], name="alerts_one_subscription_per_ward"),
        ]
        indexes = [models.Index(fields=["ward", "frequency"])]

    def __str__(self) -> str:
        return f"{self.subscriber} follows {self.ward_id} ({self.frequency})"


class ConfirmationSent(models.Model):
    """A confirmation (or leaving) link was mailed to the address with this digest at ``sent_at``."""

    digest = models.CharField(max_length=64, primary_key=True)
    sent_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.digest[:8]}… at {self.sent_at:%Y-%m-%d %H:%M}"

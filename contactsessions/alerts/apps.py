from django.apps import AppConfig


class AlertsConfig(AppConfig):
    """E-mail alerts for a ward: residents hear of new, moved and cancelled sessions."""

    name = "contactsessions.alerts"
    label = "alerts"
    verbose_name = "E-mail alerts"

    def ready(self) -> None:
        from contactsessions.alerts import receivers
        from contactsessions.events import sessions_changed

        sessions_changed.connect(receivers.queue_alerts, dispatch_uid="alerts.queue_alerts")

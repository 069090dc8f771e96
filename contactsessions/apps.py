from django.apps import AppConfig


class ContactSessionsConfig(AppConfig):
    name = "contactsessions"
    verbose_name = "Contact sessions"

    def ready(self) -> None:
        from contactsessions.invalidation import connect_signals

        connect_signals()

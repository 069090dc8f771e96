from django.apps import AppConfig


class ContactSessionsConfig(AppConfig):
    name = "contactsessions"
    verbose_name = "Contact sessions"

    def ready(self) -> None:
        from contactsessions.public_cache import connect_signals

        connect_signals()

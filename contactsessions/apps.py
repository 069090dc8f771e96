from django.apps import AppConfig


class ContactSessionsConfig(AppConfig):
    name = "contactsessions"
    verbose_name = "Contact sessions"

    def ready(self) -> None:
        from django.urls import register_converter

        from contactsessions.invalidation import connect_signals
        from contactsessions.lib.guards import IdConverter

        connect_signals()
        # Before any URLconf is read: the audience apps' paths take ids as <id:pk>.
        register_converter(IdConverter, "id")

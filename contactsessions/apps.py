from django.apps import AppConfig


class ContactSessionsConfig(AppConfig):
    name = "contactsessions"
    verbose_name = "Contact sessions"

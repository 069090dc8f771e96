from django.apps import AppConfig


class PublicConfig(AppConfig):
    name = "contactsessions.public"
    label = "public"
    verbose_name = "Public site"

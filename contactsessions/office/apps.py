from django.apps import AppConfig


class OfficeConfig(AppConfig):
    name = "contactsessions.office"
    label = "office"
    verbose_name = "Back office"

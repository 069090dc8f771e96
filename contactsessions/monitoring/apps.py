from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "contactsessions.monitoring"
    label = "monitoring"
    verbose_name = "Monitoring"

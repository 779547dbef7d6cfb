from django.apps import AppConfig


class OpsConfig(AppConfig):
    """Running the school: health checks, the daily schedule, backups."""

    name = "school.ops"
    label = "ops"

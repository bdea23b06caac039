"""App configuration for annotations: registers the system checks."""
from django.apps import AppConfig


class AnnotationsConfig(AppConfig):
    name = "annotations"
    verbose_name = "argmap annotations"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from annotations import checks  # noqa: F401  (registering the checks is importing them)

"""App configuration for annotations: registers the system checks and the after-import hook
that queues suggestions for each new document."""
from django.apps import AppConfig


class AnnotationsConfig(AppConfig):
    name = "annotations"
    verbose_name = "argmap annotations"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from annotations import checks  # noqa: F401  (registers the checks)
        from annotations.services.documents import after_document_import
        from annotations.services.suggestions import queue_suggestions_after_import

        if queue_suggestions_after_import not in after_document_import:
            after_document_import.append(queue_suggestions_after_import)

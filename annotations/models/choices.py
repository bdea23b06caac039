"""Choices declared in one line: ``text_choices`` builds a ``TextChoices`` class through
Django's functional API, each keyword a value (its member the value in capitals) and its label.

    Status = text_choices("Submission.Status", working="Working", submitted="Submitted")
    Status.WORKING == "working"; Status.WORKING.label == "Working"; Status.choices == [...]
"""
from __future__ import annotations

import sys

from django.db import models


def text_choices(qualname: str, **labels: str) -> type[models.TextChoices]:
    """The ``TextChoices`` named ``qualname`` (``"Model.Name"`` for one nested in a model) in the caller's module."""
    module = sys._getframe(1).f_globals["__name__"]
    members = [(value.upper(), (value, label)) for value, label in labels.items()]
    return models.TextChoices(qualname.rsplit(".", 1)[-1], members, module=module, qualname=qualname)

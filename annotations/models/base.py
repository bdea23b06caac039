"""The abstract base of the tables whose rows a person tells apart by kind and id.

``str(row)`` is ``"<str_noun> <id>"``, with the value of ``str_field`` in brackets when one is
named (``membership 4 (owner)``). It reads only the row's own columns, never a foreign key: the
admin's lists call it once per row (doccano's ran a query per row through ``__str__``).
"""
from __future__ import annotations

from typing import ClassVar

from django.db import models


class NamedById(models.Model):
    """Abstract: no column of its own, so no migration; subclasses set ``str_noun`` (and ``str_field``)."""

    str_noun: ClassVar[str] = ""
    str_field: ClassVar[str] = ""

    class Meta:
        abstract = True

    def __str__(self) -> str:
        name = f"{self.str_noun} {self.pk}"
        return f"{name} ({getattr(self, self.str_field)})" if self.str_field else name

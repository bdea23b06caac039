"""Abstract bases of the data model.

- ``NamedById``: the tables whose rows a person tells apart by kind and id. ``str(row)`` is
  ``"<str_noun> <id>"``, with the value of ``str_field`` in brackets when one is named
  (``membership 4 (owner)``). It reads only the row's own columns, never a foreign key: the
  admin's lists call it once per row (doccano's ran a query per row through ``__str__``).
- ``Authored``: the tables whose rows remember who made them and when (``created_by``,
  ``created_at``): documents, invitations, join codes, exercises
  (a curator's rejection names its pair for what it records: ``decided_by``, ``decided_at``).
"""
from __future__ import annotations

from typing import ClassVar

from django.conf import settings
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


class Authored(models.Model):
    """Abstract: who made the row (kept as null when their account is deleted) and when.

    The columns are ``created_by_id`` and ``created_at``, as each table declared them before."""

    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True

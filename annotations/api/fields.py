"""Request-body fields that take what the schema says and nothing else.

DRF's own fields are lenient where a typo should be told: ``CharField`` takes ``0`` and
``1.5`` for text, ``BooleanField`` takes ``0``, ``1``, ``"yes"`` and ``"on"``, ``FloatField``
takes ``false`` as 0, and in a form body an optional field sent empty (``name=``) is skipped as
if absent, so a blank name on PATCH answered 200 and changed nothing. These answer 400 instead:

- text is a JSON string (any form value is one); sent empty, it is empty, so blank rules apply;
- a flag is JSON ``true``/``false``, or ``"true"``/``"false"`` in a form (what the schema's
  boolean becomes there);
- a number is a JSON number, or its digits in a form; never ``true``/``false``.

The input serializers of ``annotations.api`` use these in place of DRF's.
"""
from __future__ import annotations

from rest_framework import serializers
from rest_framework.utils import html


class SentEmpty:
    """In a form body, a field sent empty is the empty text, to be checked as such (DRF skips an
    optional one as if absent); a nullable field keeps DRF's reading of it as null."""

    def get_value(self, dictionary):
        if html.is_html_input(dictionary) and not self.allow_null and dictionary.get(self.field_name) == "":
            return ""
        return super().get_value(dictionary)


class _TextMixin(SentEmpty):
    default_error_messages = {"invalid": "Not a valid string: give text in quotes."}

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class CharField(_TextMixin, serializers.CharField):
    pass


class SlugField(_TextMixin, serializers.SlugField):
    pass


class ChoiceField(SentEmpty, serializers.ChoiceField):
    """A choice among texts: ``true`` or ``1`` is not the choice ``"True"`` or ``"1"``."""

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid_choice", input=data)
        return super().to_internal_value(data)


class BooleanField(SentEmpty, serializers.BooleanField):
    default_error_messages = {"invalid": 'Must be true or false, not "{input}".'}

    def to_internal_value(self, data):
        if isinstance(data, bool):
            return data
        if isinstance(data, str) and data.strip().lower() in ("true", "false"):
            return data.strip().lower() == "true"
        self.fail("invalid", input=data)


class FloatField(SentEmpty, serializers.FloatField):
    def to_internal_value(self, data):
        if isinstance(data, bool):
            self.fail("invalid")
        return super().to_internal_value(data)

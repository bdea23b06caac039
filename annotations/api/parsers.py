"""The API's JSON request parser: DRF's ``JSONParser`` on ``annotations.json_input.loads``.

A body nested deeper than 64 levels, holding a lone surrogate, NaN, or not JSON at all is a
400 with what is wrong and where ("JSON parse error - nested too deeply (more than 64 levels ...
line 1, column 65"), never a 500 from a RecursionError further in.
"""
from __future__ import annotations

import json

from django.conf import settings
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

from annotations import json_input


class ArgmapJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        raw = stream.read() if stream is not None else b""
        try:
            text = raw.decode(encoding)
        except (UnicodeDecodeError, LookupError) as error:
            raise ParseError(f"JSON parse error - the body is not {encoding} text ({error})") from None
        try:
            return json_input.loads(text)
        except json.JSONDecodeError as error:
            raise ParseError(f"JSON parse error - {error.msg} at line {error.lineno}, column {error.colno}") from None

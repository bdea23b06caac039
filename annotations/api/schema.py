"""The OpenAPI schema's operations declare the error answers every endpoint can give (400,
403, 404, and 409 for writes), each with the one error shape (``api.responses.ERRORS``), and
the sign-in endpoints the 429 with ``Retry-After`` of their rate limit
(``annotations.signin_limits``); integer parameters carry the bounds the edge parser enforces
(``bound_whole_numbers``), and text query parameters cannot be empty (``nonempty_query_text``)."""
from __future__ import annotations

from drf_spectacular.openapi import AutoSchema

from annotations.api.responses import ERRORS, TOO_MANY_SIGN_INS
from annotations.params import BIGINT_MAX
from annotations.signin_limits import PATHS as SIGN_IN_PATHS

WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


class ArgmapAutoSchema(AutoSchema):
    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        for code, response in ERRORS.items():
            if code == 409 and self.method not in WRITE_METHODS:
                continue
            responses.setdefault(str(code), self._get_response_for_code(response, str(code), direction=direction))
        if self.method == "POST" and SIGN_IN_PATHS.get(self.path) == "api":
            limited = self._get_response_for_code(TOO_MANY_SIGN_INS, "429", direction=direction)
            limited["headers"] = {"Retry-After": {
                "description": "Seconds to wait before the next try.", "required": True,
                "schema": {"type": "integer", "minimum": 1},
            }}
            responses["429"] = limited
        return responses


def bound_whole_numbers(result, generator, request, public):
    """``POSTPROCESSING_HOOKS``: every integer parameter (path or query) is parsed by
    ``annotations.params`` (digits 0-9, within bigint), so the schema says so: minimum 0 (1 for a
    ``limit``), maximum 2**63 - 1, unless the parameter declares its own bounds."""
    for path in result.get("paths", {}).values():
        for operation in path.values():
            if not isinstance(operation, dict):
                continue
            for parameter in operation.get("parameters", []):
                schema = parameter.get("schema", {})
                if schema.get("type") != "integer":
                    continue
                schema.setdefault("minimum", 1 if parameter["name"] == "limit" else 0)
                schema.setdefault("maximum", BIGINT_MAX)
    return result


def nonempty_query_text(result, generator, request, public):
    """``POSTPROCESSING_HOOKS``: under /api/ an empty query value (``?layer=``) is refused
    (``annotations.middleware``), so every text query parameter says ``minLength: 1``."""
    for path in result.get("paths", {}).values():
        for operation in path.values():
            if not isinstance(operation, dict):
                continue
            for parameter in operation.get("parameters", []):
                schema = parameter.get("schema", {})
                if parameter.get("in") == "query" and schema.get("type") == "string" and "enum" not in schema:
                    schema.setdefault("minLength", 1)
    return result

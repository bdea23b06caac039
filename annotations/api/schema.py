"""The OpenAPI schema's operations declare the error answers every endpoint can give (400,
403, 404, and 409 for writes), each with the one error shape (``api.responses.ERRORS``)."""
from __future__ import annotations

from drf_spectacular.openapi import AutoSchema

from annotations.api.responses import ERRORS

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
        return responses

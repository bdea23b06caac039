"""Domain errors raised by services and selectors; the API and pages turn them into 4xx responses.

Each carries a message written for the person who made the request: what is wrong and,
where it helps, what to do instead.
"""
from __future__ import annotations


class ArgmapError(Exception):
    status_code = 400

    def __init__(self, message: str, **details):
        super().__init__(message)
        self.message = message
        self.details = details


class InvalidInput(ArgmapError):
    """The request is malformed or breaks a rule (400)."""


class NotPermitted(ArgmapError):
    """The person may see the object but not do this to it (403)."""

    status_code = 403


class NotFound(ArgmapError):
    """No such object, or one the person may not know exists (404)."""

    status_code = 404


class Conflict(ArgmapError):
    """The request clashes with the current state: a stale version or a duplicate (409)."""

    status_code = 409


SUBMITTED_WORK_SQLSTATE = "AM001"  # raised by the trigger of migration 0008 (annotations/models/exercises.py)


def from_database_error(error: Exception) -> ArgmapError | None:
    """The domain error a database error stands for, if it is one of ours (else None)."""
    cause = getattr(error, "__cause__", None)
    if getattr(cause, "sqlstate", None) == SUBMITTED_WORK_SQLSTATE:
        return Conflict("This work was submitted, so it is read-only now; ask your teacher to reopen it.")
    return None

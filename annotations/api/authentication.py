"""Token authentication for scripts, in one prepared SQL statement per request.

Behaves as DRF's ``TokenAuthentication`` (``Authorization: Token <key>``; 401 for an
unknown key or an inactive user) and reads the same ``authtoken_token`` table, so tokens from
``POST /api/auth/token/`` and ``manage.py drf_create_token`` work unchanged. It differs only in
fetching the token and its user with a statement built once instead of an ORM query compiled
on every request.
"""
from __future__ import annotations

from django.contrib.auth import get_user_model
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication
from rest_framework.authtoken.models import Token

from annotations.selectors.sql import Columns, fetch, table


class FastTokenAuthentication(TokenAuthentication):
    _user_columns = None
    _sql = None

    @classmethod
    def _statement(cls) -> tuple[Columns, str]:
        if cls._sql is None:
            cls._user_columns = Columns(get_user_model(), "u")
            cls._sql = (
                f"SELECT t.created, {cls._user_columns.sql} FROM {table(Token)} t "
                f"JOIN {table(get_user_model())} u ON u.id = t.user_id WHERE t.key = %s"
            )
        return cls._user_columns, cls._sql

    def authenticate_credentials(self, key):
        columns, sql = self._statement()
        rows = fetch(sql, [key])
        if not rows:
            raise exceptions.AuthenticationFailed("Invalid token.")
        created, *values = rows[0]
        user = columns.build(values)
        if not user.is_active:
            raise exceptions.AuthenticationFailed("User inactive or deleted.")
        token = Token.from_db(user._state.db, ["key", "user_id", "created"], [key, user.pk, created])
        token.user = user
        return user, token

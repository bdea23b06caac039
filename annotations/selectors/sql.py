"""Helpers for the few hot-path statements written as SQL, each prepared once per connection.

The ORM compiles a query on every call, which costs more than PostgreSQL needs to answer it
on the span endpoints. These statements are built once from the models' metadata (so column
and table names follow the models) and their rows become ordinary, partly loaded model
instances (``Model.from_db``), so services receive the same objects as from a queryset.
"""
from __future__ import annotations

import psycopg
from django.db import connection


class Columns:
    """The columns of ``model`` read under ``alias``, and how to turn them back into an instance."""

    def __init__(self, model, alias: str, attnames: list[str] | None = None):
        fields = model._meta.concrete_fields
        if attnames is not None:
            by_name = {field.attname: field for field in fields}
            fields = [by_name[name] for name in attnames]
        self.model = model
        self.attnames = [field.attname for field in fields]
        self.sql = ", ".join(f'{alias}."{field.column}"' for field in fields)
        self.width = len(fields)

    def build(self, values):
        """A model instance from this block's values (fields not read are deferred)."""
        return self.model.from_db(connection.alias, self.attnames, list(values))


_INSERT_SQL: dict[type, tuple[list, str]] = {}


def insert_instance(instance) -> None:
    """INSERT ``instance`` with one prepared statement and set its primary key.

    Does what ``Model.save(force_insert=True)`` does for a model without parents: fields'
    ``pre_save`` (``auto_now`` timestamps) and database preparation, without compiling an
    insert query each time. The caller owns the transaction (see ``services.spans.insert_row``).
    """
    model = type(instance)
    if model not in _INSERT_SQL:
        fields = [field for field in model._meta.concrete_fields if not field.primary_key]
        columns = ", ".join(f'"{field.column}"' for field in fields)
        placeholders = ", ".join(["%s"] * len(fields))
        _INSERT_SQL[model] = (fields, f"INSERT INTO {table(model)} ({columns}) VALUES ({placeholders}) RETURNING id")
    fields, sql = _INSERT_SQL[model]
    values = [field.get_db_prep_save(field.pre_save(instance, True), connection) for field in fields]
    instance.pk = fetch(sql, values)[0][0]
    instance._state.adding = False
    instance._state.db = connection.alias


def table(model) -> str:
    return f'"{model._meta.db_table}"'


class _PreparedCursor(psycopg.Cursor):
    """Server-side parameters, and every statement prepared: PostgreSQL parses and plans each
    of these few statements once per connection instead of on every request."""

    def execute(self, query, params=None, **kwargs):
        kwargs.setdefault("prepare", True)
        return super().execute(query, params, **kwargs)


def fetch(sql: str, params) -> list[tuple]:
    """Run a statement as a prepared statement, through Django's cursor wrapper (so query
    logging, ``django_assert_num_queries`` and error translation still apply)."""
    connection.ensure_connection()
    raw = _PreparedCursor(connection.connection)
    cursor = connection.make_debug_cursor(raw) if connection.queries_logged else connection.make_cursor(raw)
    with cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def iso_timestamp_sql(column_sql: str) -> str:
    """SQL rendering a timestamptz exactly as DRF does (``isoformat()`` in UTC, ``Z``, no
    fraction on a whole second): cheaper in PostgreSQL than parsing and re-formatting in Python."""
    return (
        f"to_char({column_sql} AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS') || "
        f"CASE WHEN date_trunc('second', {column_sql}) = {column_sql} THEN '' "
        f"ELSE to_char({column_sql} AT TIME ZONE 'UTC', '.US') END || 'Z'"
    )

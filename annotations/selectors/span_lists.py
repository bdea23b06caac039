"""Pages of spans and relations for the list endpoints and the workspace: one SQL statement each.

A list of 500 spans is the workspace's main read. Built through the ORM (visibility rule,
filters, fifteen columns, a join for the author's name, count query) it cost several times
what PostgreSQL needs to answer it, so the statement is assembled here from fixed pieces:
the readable-layer rule of ``visibility``, one ``AND column = %s`` per filter, the total
from ``COUNT(*) OVER ()``, and timestamps formatted by PostgreSQL exactly as DRF renders
them. Rows come back as dicts in the API's views of ``annotations.representations``.
"""
from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model

from annotations.models import Annotation, Label, Layer, Relation
from annotations.permissions import MASKED_LAYERS_SQL, READABLE_LAYERS_SQL
from annotations.representations import RELATION_FIELDS, SPAN_FIELDS
from annotations.selectors.sql import fetch, iso_timestamp_sql, table


LAYER_REF = "layer"  # a ListFilter kind: a layer id, or a word as exports take (LAYER_WORDS)
LAYER_WORDS = ("own", "mine", "consensus", "answer_key")


@dataclass(frozen=True)
class ListFilter:
    """One ``?name=value`` filter: the column it compares, the value's type or allowed values."""

    name: str
    column: str
    kind: type | tuple[str, ...]
    help: str


@dataclass(frozen=True)
class ListShape:
    select: str
    source: str
    order: str
    names: tuple[str, ...]
    filters: tuple[ListFilter, ...]


def _select(model, alias: str, fields: dict[str, str]) -> tuple[str, tuple[str, ...]]:
    parts = []
    for name, column in fields.items():
        if column == "author__username":
            parts.append("u.username")
        elif column.endswith("_at"):
            parts.append(iso_timestamp_sql(f'{alias}."{column}"'))
        else:
            parts.append(f'{alias}."{column}"')
    return ", ".join(parts), tuple(fields)


def _shape(model, alias, fields, order, filters) -> ListShape:
    select, names = _select(model, alias, fields)
    source = f'{table(model)} {alias} LEFT JOIN {table(get_user_model())} u ON u.id = {alias}.author_id'
    return ListShape(select=select, source=source, order=order, names=names, filters=tuple(filters))


AUTHOR = ListFilter("author", "u.username", str, "The author's username.")


ANNOTATION_LIST = _shape(
    Annotation, "a", SPAN_FIELDS,
    'a.document_id, a.paragraph_id, a.start, a."end", a.id',
    [
        ListFilter("document", "a.document_id", int, "The document's id."),
        ListFilter("layer", "a.layer_id", LAYER_REF, "The layer: its id, or own, consensus, answer_key (as exports take)."),
        ListFilter("paragraph", "a.paragraph_id", int, "The paragraph's id."),
        ListFilter("label", "a.label", tuple(Label.values), "The label."),
        ListFilter("origin", "a.origin", tuple(Annotation.Origin.values), "Where the span came from."),
        AUTHOR,
    ],
)
RELATION_LIST = _shape(
    Relation, "r", RELATION_FIELDS,
    "r.document_id, r.id",
    [
        ListFilter("document", "r.document_id", int, "The document's id."),
        ListFilter("layer", "r.layer_id", LAYER_REF, "The layer: its id, or own, consensus, answer_key (as exports take)."),
        ListFilter("kind", "r.kind", tuple(Relation.Kind.values), "supports or attacks."),
        ListFilter("source", "r.source_id", int, "The source span's id."),
        ListFilter("target", "r.target_id", int, "The target span's id."),
        AUTHOR,
    ],
)


def list_page(shape: ListShape, *, user, filters: dict, limit: int | None, offset: int = 0) -> tuple[int, list[dict]]:
    """The total matching ``filters`` (already typed and checked) among what ``user`` may read,
    and the rows from ``offset`` (all of them when ``limit`` is None). A row of a classmate's
    work the user reads under a pseudonym carries ``"_masked": True`` (the caller masks it);
    an ``author`` filter (a username) never matches such rows, so it cannot tell whose they are."""
    alias = shape.order.split(".", 1)[0]
    where, params = [], []
    masked = "FALSE"
    select_params: list = []
    if not user.is_superuser:
        masked = f"{alias}.layer_id IN ({MASKED_LAYERS_SQL})"
        select_params = [user.pk, user.pk]
        if "author" in filters:
            where.append(f"NOT ({alias}.layer_id IN ({MASKED_LAYERS_SQL}))")
            params.extend([user.pk, user.pk])
    if not user.is_superuser:
        where.append(f"{alias}.layer_id IN ({READABLE_LAYERS_SQL})")
        params.extend([user.pk] * READABLE_LAYERS_SQL.count("%s"))
    by_name = {f.name: f for f in shape.filters}
    for name, value in filters.items():
        column = by_name[name].column
        if by_name[name].kind == LAYER_REF and isinstance(value, str):
            if value in ("own", "mine"):
                where.append(f"{column} IN (SELECT id FROM {table(Layer)} WHERE owner_id = %s AND kind = %s)")
                params += [user.pk, Layer.Kind.PERSONAL.value]
            else:
                where.append(f"{column} IN (SELECT id FROM {table(Layer)} WHERE kind = %s)")
                params.append(value)
            continue
        where.append(f"{column} = %s")
        params.append(value)
    condition = f"WHERE {' AND '.join(where)}" if where else ""
    sql = f"SELECT {shape.select}, {masked}, COUNT(*) OVER () FROM {shape.source} {condition} ORDER BY {shape.order}"
    count_params = list(params)
    if limit is not None:
        sql += " LIMIT %s OFFSET %s"
        params += [limit, offset]
    rows = fetch(sql, select_params + params)
    if rows:
        total = rows[0][-1]
    elif offset:
        total = fetch(f"SELECT COUNT(*) FROM {shape.source} {condition}", count_params)[0][0]
    else:
        total = 0
    names = shape.names
    width = len(names)
    page = [dict(zip(names, row)) for row in rows]  # the hot loop: one dict per row, nothing more
    for index in [index for index, row in enumerate(rows) if row[width]]:
        page[index]["_masked"] = True
    return total, page

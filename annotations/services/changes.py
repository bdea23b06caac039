"""Recording changes to a document's spans, relations and comments for the changes feed.

Every service that writes one of these calls ``change_record`` inside its own transaction,
so an event exists exactly when the write committed. The feed's cursor is the event id;
``change_record`` first takes a transaction-scoped advisory lock on the document, so two
writers of one document commit their events in id order (a later id never becomes
visible before an earlier one) and a poller never skips an event.
"""
from __future__ import annotations

import json

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection

from annotations.models import Annotation, ChangeEvent, Comment, Relation
from annotations.representations import (
    RELATION_DELETED,
    RELATION_IN_FEED,
    SPAN_DELETED,
    SPAN_IN_FEED,
    comment_data,
    relation_data,
    span_data,
)

# Namespaces the advisory lock key so it cannot collide with other uses of advisory locks.
CHANGE_LOCK_NAMESPACE = 0x6172_676D  # "argm"

INSERT_LOCKED = """
    WITH locked AS (SELECT pg_advisory_xact_lock(%s, %s))
    INSERT INTO annotations_changeevent (document_id, layer_id, kind, action, object_id, actor_id, payload, created_at)
    SELECT %s, %s, %s, %s, %s, %s, %s::jsonb, statement_timestamp() FROM locked
"""


def _lock_key(document_id: int) -> list[int]:
    return [CHANGE_LOCK_NAMESPACE, int(document_id) % 2**31]


def change_record(
    *, document_id: int, layer_id: int | None, kind: str, action: str, object_id: int, actor, payload: dict
) -> None:
    """Append one event to the document's change log. Called inside the write's transaction.

    One statement: the advisory lock is taken (in the CTE) before the row, and so its id,
    is made.
    """
    if not connection.in_atomic_block:
        raise RuntimeError("change_record must run inside the transaction of the write it records")
    actor_id = actor.pk if actor is not None and getattr(actor, "is_authenticated", False) else None
    with connection.cursor() as cursor:
        cursor.execute(
            INSERT_LOCKED,
            [*_lock_key(document_id), document_id, layer_id, kind, action, object_id, actor_id,
             json.dumps(payload, cls=DjangoJSONEncoder)],
        )


def changes_record_many(*, document_id: int, actor, events: list[dict]) -> None:
    """Append several events (dicts of layer_id, kind, action, object_id, payload) at once."""
    if not events:
        return
    if not connection.in_atomic_block:
        raise RuntimeError("changes_record_many must run inside the transaction of the writes it records")
    actor = actor if actor is not None and getattr(actor, "is_authenticated", False) else None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", _lock_key(document_id))
    ChangeEvent.objects.bulk_create(ChangeEvent(document_id=document_id, actor=actor, **event) for event in events)


def record_annotation(annotation: Annotation, action: str, actor) -> None:
    payload = span_data(annotation, SPAN_DELETED if action == ChangeEvent.Action.DELETED else SPAN_IN_FEED)
    change_record(
        document_id=annotation.document_id, layer_id=annotation.layer_id, kind=ChangeEvent.Kind.ANNOTATION,
        action=action, object_id=annotation.pk, actor=actor, payload=payload,
    )


def record_relation(relation: Relation, action: str, actor) -> None:
    payload = relation_data(relation, RELATION_DELETED if action == ChangeEvent.Action.DELETED else RELATION_IN_FEED)
    change_record(
        document_id=relation.document_id, layer_id=relation.layer_id, kind=ChangeEvent.Kind.RELATION,
        action=action, object_id=relation.pk, actor=actor, payload=payload,
    )


def record_comment(comment: Comment, action: str, actor, *, layer_id: int, mentions: list[str] | None = None) -> None:
    payload = {"id": comment.pk, "annotation": comment.annotation_id}
    if action != ChangeEvent.Action.DELETED:
        payload = comment_data(comment, mentions)
    change_record(
        document_id=comment.document_id, layer_id=layer_id, kind=ChangeEvent.Kind.COMMENT,
        action=action, object_id=comment.pk, actor=actor, payload=payload,
    )


__all__ = ["change_record", "changes_record_many", "record_annotation", "record_comment", "record_relation"]

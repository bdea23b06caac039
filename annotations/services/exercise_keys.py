"""Writes for an exercise's key: replacing it with a copy of a layer of the class or with an
imported map file, and the notes a student reads about a key span. Each checks that the user
teaches the class, validates, and runs in one transaction.
"""
from __future__ import annotations

from django.db import transaction

from annotations.errors import InvalidInput
from annotations.formats.base import FormatError
from annotations.formats.registry import get_import_format, import_formats
from annotations.models import Annotation, Exercise, KeyNote, Layer, Paragraph, Relation
from annotations.permissions import check_can_teach
from annotations.selectors.exercises import exercise_key_layer
from annotations.services.maps import _check_importable, _store_spans
from annotations.tasks.scores import exercise_scores_queue


def layer_spans_copy(*, documents, source: Layer, target: Layer, user) -> dict[int, Annotation]:
    """Copy the source layer's spans and relations on ``documents`` into ``target`` (empty). Returns old id → copy.
    Not a service of its own: called inside the caller's transaction, after its permission check."""
    spans = list(Annotation.objects.filter(layer=source, document__in=documents).order_by("id"))
    copies = Annotation.objects.bulk_create(
        Annotation(document_id=span.document_id, paragraph_id=span.paragraph_id, layer=target, start=span.start,
                   end=span.end, quote=span.quote, label=span.label, note=span.note, origin=span.origin, author=user)
        for span in spans
    )
    copy_of = {span.pk: copy for span, copy in zip(spans, copies)}
    Relation.objects.bulk_create(
        Relation(document_id=relation.document_id, layer=target, source=copy_of[relation.source_id],
                 target=copy_of[relation.target_id], kind=relation.kind, author=user)
        for relation in Relation.objects.filter(layer=source, document__in=documents)
    )
    return copy_of


def exercise_key_copy(*, exercise: Exercise, user, source: Layer) -> Layer:
    """Replace the key with a copy of ``source`` on the exercise's documents: the teacher's own
    map, the consensus they curated, or the project's answer key. Notes of the old key go."""
    check_can_teach(exercise.project, user)
    if source.project_id != exercise.project_id:
        raise InvalidInput("That layer is not in this class.")
    if source.kind == Layer.Kind.EXERCISE_WORK:
        raise InvalidInput("A student's work cannot become the key; copy your own map, the consensus or another key.")
    key = exercise_key_layer(exercise)
    if source.pk == key.pk:
        raise InvalidInput("That is the key already.")
    documents = list(exercise.documents.all())
    with transaction.atomic():
        Relation.objects.filter(layer=key).delete()
        Annotation.objects.filter(layer=key).delete()
        layer_spans_copy(documents=documents, source=source, target=key, user=user)
        exercise_scores_queue(exercise_id=exercise.pk)
    return key


def exercise_key_import(*, exercise: Exercise, user, format_name: str, name: str, data: bytes, replace: bool = True) -> int:
    """Import a map file (any import format) into the key: each map onto the exercise's
    document with the same paragraphs. Returns the number of spans stored; all or nothing."""
    check_can_teach(exercise.project, user)
    try:
        map_format = get_import_format(format_name or "")
    except FormatError:
        raise InvalidInput(f"Cannot import the format {format_name!r}; argmap imports "
                           f"{', '.join(f.name for f in import_formats())}.") from None
    try:
        maps = map_format.import_(data, name=name)
    except FormatError as error:
        raise InvalidInput(f"{name}: {error}") from None
    if not maps:
        raise InvalidInput(f"{name} holds no argument map.")
    documents = list(exercise.documents.all())
    texts = {}
    for paragraph in Paragraph.objects.filter(document__in=documents).order_by("document_id", "position"):
        texts.setdefault(paragraph.document_id, []).append(paragraph.text)
    key = exercise_key_layer(exercise)
    stored = 0
    with transaction.atomic():
        if replace:
            Relation.objects.filter(layer=key).delete()
            Annotation.objects.filter(layer=key).delete()
        for index, argument_map in enumerate(maps):
            where = f"{name}, map {index + 1}" if len(maps) > 1 else name
            _check_importable(argument_map, exercise.project, where=where)
            wanted = [paragraph.text for paragraph in argument_map.paragraphs]
            document = next((d for d in documents if texts.get(d.pk) == wanted), None)
            if document is None:
                raise InvalidInput(f"{where}: its text is not one of the exercise's documents; export the key from "
                                   "the same article, or add that article to the exercise.")
            imported, _ = _store_spans(document, True, key, user, argument_map, {}, False, None, where=where)
            stored += imported.spans
        exercise_scores_queue(exercise_id=exercise.pk)
    return stored


def key_note_set(*, exercise: Exercise, user, annotation: Annotation, text: str) -> KeyNote | None:
    """Set (or, with empty text, remove) the note a student reads about this key span."""
    check_can_teach(exercise.project, user)
    if annotation.layer_id != exercise_key_layer(exercise).pk:
        raise InvalidInput(f"Span {annotation.pk} is not in this exercise's key.")
    text = (text or "").strip()
    with transaction.atomic():
        if not text:
            KeyNote.objects.filter(annotation=annotation).delete()
            return None
        note, _ = KeyNote.objects.update_or_create(annotation=annotation, defaults={"exercise": exercise, "text": text})
    return note

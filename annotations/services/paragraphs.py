"""Editing a document's paragraphs: insert, change, delete, keeping positions 0..n-1 in order.

Spans and suggestions point into a paragraph's text by offset, so a paragraph's text can
change, and the paragraph can go, only while nothing points into it. The document's
content hash follows its text, so the same article cannot enter a project twice.
"""
from __future__ import annotations

import hashlib

from django.db import IntegrityError, transaction
from django.db.models import F

from annotations.errors import Conflict, InvalidInput, NotPermitted
from annotations.models import Annotation, Document, Paragraph, Suggestion
from annotations.permissions import can_add_documents
from annotations.services.text import check_paragraph_length

# Positions are shifted in two steps through this offset, because PostgreSQL checks the
# (document, position) uniqueness row by row during a single UPDATE.
_SHIFT = 1_000_000


def _check_can_edit_text(document: Document, user) -> None:
    if not can_add_documents(document.project, user):
        raise NotPermitted("Only the project's owner and curators can edit a document's paragraphs.")


def _clean_text(text: str) -> str:
    text = text.strip()
    if not text:
        raise InvalidInput("A paragraph needs some text.")
    check_paragraph_length(text, what="The paragraph")
    return text


def _check_kind(kind: str) -> None:
    if kind not in Paragraph.Kind.values:
        raise InvalidInput(f"Unknown paragraph kind {kind!r}; use 'body' or 'heading'.")


def _refuse_if_pointed_into(paragraph: Paragraph, what: str) -> None:
    spans = Annotation.objects.filter(paragraph=paragraph).count()
    suggestions = Suggestion.objects.filter(paragraph=paragraph).count()
    if spans or suggestions:
        raise Conflict(
            f"Cannot {what} paragraph {paragraph.position}: {spans} span(s) and {suggestions} suggestion(s) "
            "point into its text; delete them first."
        )


def _refresh_content_hash(document: Document) -> None:
    """Called inside the editing transaction, after the paragraphs changed."""
    rows = Paragraph.objects.filter(document=document).order_by("position").values_list("kind", "text")
    joined = "\n\n".join(f"{kind}:{text}" for kind, text in rows)
    document.content_hash = hashlib.sha256(joined.encode("utf-8")).hexdigest()
    try:
        with transaction.atomic():
            document.save(update_fields=["content_hash"])
    except IntegrityError:
        raise Conflict("Another document in this project already has exactly this text.") from None


def paragraph_create(*, document: Document, user, text: str, kind: str = Paragraph.Kind.BODY, position: int | None = None) -> Paragraph:
    """Insert a paragraph at ``position`` (default: at the end); later paragraphs move down one."""
    _check_can_edit_text(document, user)
    text = _clean_text(text)
    _check_kind(kind)
    with transaction.atomic():
        Document.objects.select_for_update().filter(pk=document.pk).first()  # one editor of the order at a time
        count = Paragraph.objects.filter(document=document).count()
        if position is None:
            position = count
        if not 0 <= position <= count:
            raise InvalidInput(f"position {position} is outside 0..{count} (the document has {count} paragraphs).")
        later = Paragraph.objects.filter(document=document, position__gte=position)
        later.update(position=F("position") + _SHIFT)
        Paragraph.objects.filter(document=document, position__gte=_SHIFT).update(position=F("position") - _SHIFT + 1)
        paragraph = Paragraph.objects.create(document=document, position=position, kind=kind, text=text)
        _refresh_content_hash(document)
    return paragraph


def paragraph_update(*, paragraph: Paragraph, user, text: str | None = None, kind: str | None = None) -> Paragraph:
    """Change a paragraph's kind, or its text while no span or suggestion points into it."""
    document = paragraph.document
    _check_can_edit_text(document, user)
    with transaction.atomic():
        if kind is not None:
            _check_kind(kind)
            paragraph.kind = kind
        if text is not None and _clean_text(text) != paragraph.text:
            _refuse_if_pointed_into(paragraph, "change the text of")
            paragraph.text = _clean_text(text)
        paragraph.save(update_fields=["kind", "text"])
        _refresh_content_hash(document)
    return paragraph


def paragraph_delete(*, paragraph: Paragraph, user) -> None:
    """Delete a paragraph nothing points into; later paragraphs move up one."""
    document = paragraph.document
    _check_can_edit_text(document, user)
    with transaction.atomic():
        Document.objects.select_for_update().filter(pk=document.pk).first()
        _refuse_if_pointed_into(paragraph, "delete")
        if Paragraph.objects.filter(document=document).count() == 1:
            raise InvalidInput("A document needs at least one paragraph; delete the document instead.")
        position = paragraph.position
        paragraph.delete()
        Paragraph.objects.filter(document=document, position__gt=position).update(position=F("position") + _SHIFT)
        Paragraph.objects.filter(document=document, position__gte=_SHIFT).update(position=F("position") - _SHIFT - 1)
        _refresh_content_hash(document)

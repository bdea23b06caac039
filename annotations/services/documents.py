"""Importing articles: one transaction per file, so a failure never leaves half a document.

The transaction that stores a document also queues its suggestions
(``suggestions_queue_for_new_document``): the task row commits with the document or not at all.
"""
from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.db import IntegrityError, transaction

from annotations.errors import Conflict, InvalidInput, NotPermitted
from annotations.ingest import IngestError, IngestLimits, parse_article
from annotations.models import Document, Exercise, Paragraph, Project
from annotations.permissions import can_add_documents
from annotations.services.suggestions import suggestions_queue_for_new_document
from annotations.tasks.scores import exercise_scores_queue

logger = logging.getLogger(__name__)


def document_import(*, project: Project, user, data: bytes, filename: str) -> Document:
    """Parse an uploaded file and store it as a document with ordered paragraphs.

    ``user=None`` is an operator command; otherwise the user must be a curator or owner.
    Raises InvalidInput (bad file), Conflict (same text already in the project) or NotPermitted.
    """
    if user is not None and not can_add_documents(project, user):
        raise NotPermitted("Only the project's owner and curators can add documents.")
    try:
        article = parse_article(data, filename, limits=ingest_limits())
    except IngestError as error:
        raise InvalidInput(str(error)) from None
    _refuse_duplicate(project, article.content_hash, filename)
    try:
        with transaction.atomic():
            document = Document.objects.create(
                project=project,
                title=article.title[:500],
                source_name=filename[:255],
                source_format=article.source_format,
                content_hash=article.content_hash,
                created_by=user,
            )
            Paragraph.objects.bulk_create(
                Paragraph(document=document, position=position, kind=block.kind, text=block.text)
                for position, block in enumerate(article.blocks)
            )
            suggestions_queue_for_new_document(document=document)
    except IntegrityError:  # a concurrent upload of the same text won the race
        _refuse_duplicate(project, article.content_hash, filename)
        raise
    return document


def ingest_limits() -> IngestLimits:
    """The limits for one uploaded article, from the settings (``ARGMAP_MAX_*``)."""
    return IngestLimits(
        max_bytes=settings.ARGMAP_MAX_UPLOAD_BYTES,
        max_unpacked_bytes=settings.ARGMAP_MAX_UNPACKED_BYTES,
        max_paragraphs=settings.ARGMAP_MAX_PARAGRAPHS,
        max_paragraph_characters=settings.ARGMAP_MAX_PARAGRAPH_CHARS,
    )


def _refuse_duplicate(project: Project, content_hash: str, filename: str) -> None:
    existing = Document.objects.filter(project=project, content_hash=content_hash).only("id", "title").first()
    if existing is not None:
        raise Conflict(
            f"{filename} has the same text as document {existing.pk} ({existing.title!r}) in this project; "
            "it was not imported again.",
            document_id=existing.pk,
        )


@dataclass
class DocumentImportResult:
    imported: list[Document] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # duplicates: (file name, reason)
    failed: list[tuple[str, str]] = field(default_factory=list)  # (file name, reason)

    @property
    def summary(self) -> str:
        return f"{len(self.imported)} imported, {len(self.skipped)} skipped, {len(self.failed)} failed"


def documents_import_many(
    *, project: Project, user, files: Iterable[tuple[str, bytes]], progress: Callable[[str], None] | None = None
) -> DocumentImportResult:
    """Import several files, each in its own transaction; report what was imported, skipped and failed.

    A file that fails, for whatever reason, is counted as failed and the next one is imported:
    each file's transaction is its own, so the summary is what was stored.
    """
    result = DocumentImportResult()
    for filename, data in files:
        try:
            result.imported.append(document_import(project=project, user=user, data=data, filename=filename))
        except Conflict as error:
            result.skipped.append((filename, error.message))
        except (InvalidInput, NotPermitted) as error:
            result.failed.append((filename, error.message))
        except Exception:  # a parser fault on one file must not hide what the others stored
            logger.exception("importing %s into project %s failed unexpectedly", filename, project.slug)
            result.failed.append(
                (filename, "argmap could not read this file (an error on our side, logged for the administrator).")
            )
        if progress is not None:
            progress(filename)
    return result


def document_update(*, document: Document, user, title: str) -> Document:
    """Rename a document (curators and owners)."""
    if not can_add_documents(document.project, user):
        raise NotPermitted("Only the project's owner and curators can rename documents.")
    title = title.strip()
    if not title:
        raise InvalidInput("A document needs a title.")
    document.title = title[:500]
    with transaction.atomic():
        document.save(update_fields=["title"])
    return document


def document_delete(*, document: Document, user) -> None:
    """Delete a document with its paragraphs, spans, relations and suggestions (curators and owners)."""
    if not can_add_documents(document.project, user):
        raise NotPermitted("Only the project's owner and curators can delete documents.")
    with transaction.atomic():
        exercise_ids = list(Exercise.objects.filter(documents=document).values_list("pk", flat=True))
        document.delete()
        for exercise_id in exercise_ids:  # its key spans went with it: the class is scored on the rest
            exercise_scores_queue(exercise_id=exercise_id)

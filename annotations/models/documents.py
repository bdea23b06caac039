"""Documents and their ordered paragraphs: the text that spans point into."""
from __future__ import annotations

from django.db import models
from django.db.models import Q

from annotations.models.base import Authored
from annotations.models.choices import text_choices


class Document(Authored):
    # ("import" is a Python keyword, so it is given as a mapping.)
    SourceFormat = text_choices("Document.SourceFormat", text="Plain text", markdown="Markdown", html="HTML",
                                docx="Word (.docx)", **{"import": "Imported argument map"})

    project = models.ForeignKey("annotations.Project", on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(max_length=500)
    source_name = models.CharField(max_length=255, blank=True, help_text="The uploaded file's name.")
    source_format = models.CharField(max_length=20, choices=SourceFormat.choices)
    content_hash = models.CharField(max_length=64, help_text="SHA-256 of the paragraphs' text.")

    class Meta:
        ordering = ["project_id", "title", "id"]
        constraints = [
            models.UniqueConstraint(fields=["project", "content_hash"], name="document_text_once_per_project"),
        ]

    def __str__(self) -> str:
        return self.title


class Paragraph(models.Model):
    Kind = text_choices("Paragraph.Kind", body="Body", heading="Heading")

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="paragraphs")
    position = models.PositiveIntegerField(help_text="0-based order within the document.")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.BODY)
    text = models.TextField()

    class Meta:
        ordering = ["document_id", "position"]
        constraints = [
            models.UniqueConstraint(fields=["document", "position"], name="paragraph_position_unique_in_document"),
            # Lets spans reference (paragraph, document) together, so a span's paragraph
            # is always in the span's document (see the composite foreign key in 0002).
            models.UniqueConstraint(fields=["id", "document"], name="paragraph_id_document_unique"),
            models.CheckConstraint(condition=~Q(text=""), name="paragraph_text_not_empty"),
        ]

    def __str__(self) -> str:
        return f"paragraph {self.position}"

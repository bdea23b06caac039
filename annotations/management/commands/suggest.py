"""``manage.py suggest [--project SLUG] [--document ID]``: compute suggestions now, with a progress bar.

Runs in this process (no worker needed), over every document of the project, one document,
or every document; re-running is safe (decided suggestions and annotations are kept).
"""
from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from annotations import services
from annotations.management.lookups import project_by_slug
from annotations.models import Document, Paragraph


class Command(BaseCommand):
    help = (
        "Compute spaCy's suggested claims, evidence and counterclaims for documents now (synchronously), "
        "with a progress bar over paragraphs; prints a summary per document. Safe to re-run."
    )

    def add_arguments(self, parser):
        parser.add_argument("--project", help="Slug of the project whose documents to process.")
        parser.add_argument("--document", type=int, help="Id of one document to process.")
        parser.add_argument("--no-progress", action="store_true", help="Do not draw a progress bar.")

    def handle(self, *args, project, document, no_progress, **options):
        documents = Document.objects.select_related("project").order_by("id")
        if project:
            documents = documents.filter(project=project_by_slug(project))
        if document is not None:
            documents = documents.filter(pk=document)
            if not documents.exists():
                raise CommandError(f"No document {document}" + (f" in project {project!r}." if project else "."))
        documents = list(documents)
        if not documents:
            self.stdout.write("No documents to process.")
            return
        total = Paragraph.objects.filter(document__in=documents, kind=Paragraph.Kind.BODY).count()
        from tqdm import tqdm

        bar = tqdm(total=total, unit="paragraph", desc="suggesting", disable=no_progress, file=self.stderr)
        result = services.suggestions_compute_many(documents=documents, progress=bar.update)
        bar.close()
        titles = {doc.pk: doc.title for doc in documents}
        for run in result.runs:
            self.stdout.write(
                f"document {run.document_id} {titles[run.document_id]!r}: {run.suggestion_count} suggestions "
                f"({run.pipeline_name} {run.pipeline_version}{', project model' if run.used_project_model else ''})"
            )
            if run.fallback_message:
                self.stdout.write(self.style.WARNING(run.fallback_message))
        for document_id, reason in result.failed:
            self.stdout.write(self.style.ERROR(f"document {document_id} failed: {reason}"))
        self.stdout.write(
            f"{len(result.runs)} documents, {result.suggestion_count} suggestions, {len(result.failed)} failed"
        )
        if result.failed and not result.runs:
            raise CommandError("No document was processed.")

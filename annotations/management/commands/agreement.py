"""``manage.py agreement``: print the agreement between layers of a document or a project.

    python manage.py agreement --document 12                 # every annotator's layer with spans
    python manage.py agreement --document 12 --layers 3,5,8  # chosen layers (ids)
    python manage.py agreement --project demo --metric unitizing_alpha
    python manage.py agreement --document 12 --json          # the whole report as JSON
"""
from __future__ import annotations

import json as json_module

from django.core.management.base import BaseCommand, CommandError

from annotations import params
from annotations.agreement import MATRIX_METRICS
from annotations.errors import ArgmapError
from annotations.management.lookups import project_by_slug
from annotations.models import Document
from annotations.selectors.agreement import document_agreement_get, project_agreement_get


class _Operator:
    """Stands in for a request user: an operator command reads every layer."""

    pk = None
    is_authenticated = True
    is_superuser = True

    def get_username(self) -> str:
        return "operator"


class Command(BaseCommand):
    help = "Print pairwise agreement matrices (span F1, kappa, alpha, uα, relation F1) for layers of a document or project."

    def add_arguments(self, parser):
        scope = parser.add_mutually_exclusive_group(required=True)
        scope.add_argument("--document", type=int, help="Document id.")
        scope.add_argument("--project", help="Project slug (all its documents).")
        parser.add_argument("--layers", help="Layer ids separated by commas (default: every annotator's layer with spans).")
        parser.add_argument(
            "--metric", action="append", choices=MATRIX_METRICS,
            help="Matrix to print (repeatable; default: span_exact.f1, span_overlap.f1, relation_overlap.f1, "
                 "token_kappa, unitizing_alpha).",
        )
        parser.add_argument("--overlap", type=float, default=0.5, help="Overlap threshold (default 0.5).")
        parser.add_argument("--json", action="store_true", help="Print the whole report as JSON.")

    def handle(self, *args, document, project, layers, metric, overlap, json: bool, **options):
        operator = _Operator()
        try:
            layer_ids = params.id_list(layers)
            if document is not None:
                found = Document.objects.select_related("project").filter(pk=document).first()
                if found is None:
                    raise CommandError(f"No document {document}.")
                view = document_agreement_get(document=found, user=operator, layer_ids=layer_ids, overlap_threshold=overlap)
                scope = f"document {found.pk} ({found.title})"
            else:
                found = project_by_slug(project)
                view = project_agreement_get(project=found, user=operator, layer_ids=layer_ids, overlap_threshold=overlap)
                scope = f"project {found.slug} ({len(view.documents)} documents)"
        except ArgmapError as error:
            raise CommandError(error.message) from None
        if json:
            self.stdout.write(json_module.dumps(view.to_dict(), indent=2, ensure_ascii=False))
            return
        report = view.report
        if len(report.layers) < 2:
            raise CommandError(
                f"{scope}: agreement needs at least two layers with spans; found {len(report.layers)} "
                f"({', '.join(report.layers) or 'none'})."
            )
        self.stdout.write(f"Agreement in {scope}: layers {', '.join(report.layers)}")
        for name in metric or ["span_exact.f1", "span_overlap.f1", "relation_overlap.f1", "token_kappa", "unitizing_alpha"]:
            self.stdout.write("")
            self.stdout.write(self._matrix(name, report.layers, report.matrix(name)))
        if report.group is not None:
            group = report.group
            self.stdout.write("")
            self.stdout.write(
                f"All layers: token alpha {_cell(group.token_alpha)}, unitizing alpha {_cell(group.unitizing_alpha)} "
                f"({group.documents_with_every_layer} of {group.documents} documents have every layer)"
            )

    @staticmethod
    def _matrix(metric: str, names: list[str], matrix) -> str:
        width = max(8, *(len(name) for name in names))
        lines = [metric, " " * width + "".join(f"  {name[:width]:>{width}}" for name in names)]
        for name, row in zip(names, matrix):
            cells = "".join(f"  {('' if value is None and row_name == name else _cell(value)):>{width}}" for row_name, value in zip(names, row))
            lines.append(f"{name[:width]:<{width}}{cells}")
        return "\n".join(lines)


def _cell(value) -> str:
    return "—" if value is None else f"{value:.3f}"


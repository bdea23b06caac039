"""Agreement pages: how far the layers of a document, or of a whole project, agree, as a
matrix, per label, and as a bar chart drawn in SVG by the template."""
from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from annotations import params
from annotations.agreement import MATRIX_METRICS, PER_LABEL_METRICS
from annotations.errors import InvalidInput
from annotations.selectors import document_get_for_user, project_get_for_user
from annotations.selectors.agreement import document_agreement_get, project_agreement_get
from annotations.selectors.layers import document_layers_with_counts, project_layers_with_counts

METRIC_NAMES = {
    "span_exact.f1": "Span F1, exact match",
    "span_overlap.f1": "Span F1, ≥ 50 % overlap",
    "span_exact_any_label.f1": "Span F1, exact, any label",
    "span_overlap_any_label.f1": "Span F1, overlap, any label",
    "span_exact.precision": "Span precision, exact",
    "span_exact.recall": "Span recall, exact",
    "span_overlap.precision": "Span precision, overlap",
    "span_overlap.recall": "Span recall, overlap",
    "relation_exact.f1": "Relation F1, exact ends",
    "relation_overlap.f1": "Relation F1, overlapping ends",
    "token_kappa": "Cohen's kappa on token labels",
    "token_alpha": "Krippendorff's alpha on token labels",
    "unitizing_alpha": "Unitizing alpha (uα)",
    "unitizing_alpha_any_label": "Unitizing alpha, any label",
}
CHART_METRICS = ("span_exact.f1", "span_overlap.f1", "relation_overlap.f1", "token_kappa", "unitizing_alpha")


def _format(value) -> str:
    return "—" if value is None else f"{value:.2f}"


def _agreement_context(view, metric: str, label_metric: str) -> dict:
    report = view.report
    names = report.layers
    matrix = report.matrix(metric) if len(names) >= 2 else []
    rows = [(names[i], [_format(v) if i != j else "" for j, v in enumerate(row)]) for i, row in enumerate(matrix)]
    per_label = []
    for pair in report.pairs:
        per_label.append((
            f"{pair.reference} / {pair.candidate}",
            [_format(report.value(label_metric, pair.reference, pair.candidate, label)) for label in report.labels],
        ))
    chart = _chart(report)
    group = report.group
    return {
        "report": report, "metric": metric, "metric_name": METRIC_NAMES[metric], "matrix_rows": rows,
        "metrics": [(m, METRIC_NAMES[m]) for m in MATRIX_METRICS], "label_metric": label_metric,
        "label_metrics": [(m, METRIC_NAMES[m]) for m in PER_LABEL_METRICS], "per_label": per_label,
        "chart": chart,
        "group": group and {
            "token_alpha": _format(group.token_alpha), "unitizing_alpha": _format(group.unitizing_alpha),
            "unitizing_alpha_any_label": _format(group.unitizing_alpha_any_label),
            "by_label": [(label, _format(value)) for label, value in group.unitizing_alpha_by_label.items()],
            "documents": group.documents, "documents_with_every_layer": group.documents_with_every_layer,
        },
    }


CHART_COLOURS = ["#0b57d0", "#6a9af0", "#b06000", "#188038", "#9334e6"]


def _chart(report) -> dict:
    """Geometry of a grouped bar chart (one group per pair, one bar per metric), drawn as SVG by the template."""
    # top leaves room for each bar's value, written above it (a 0 and a "nothing to compare"
    # both draw no bar; the figure tells them apart).
    bar, gap, group_gap, left, top, height = 16, 2, 28, 40, 40, 180
    groups = []
    x = left
    for pair in report.pairs:
        bars = []
        for index, metric in enumerate(CHART_METRICS):
            value = report.value(metric, pair.reference, pair.candidate)
            shown = 0.0 if value is None else max(0.0, min(1.0, value))
            bar_height = round(shown * height, 1)
            y = round(top + height - bar_height, 1)
            bars.append({
                "x": x, "y": y, "width": bar, "height": bar_height,
                "colour": CHART_COLOURS[index], "value": _format(value).replace("-", "−"),
                "value_x": round(x + bar / 2 + 4, 1), "value_y": round(y - 3, 1),
                "title": f"{pair.reference} / {pair.candidate}: {METRIC_NAMES[metric]} {_format(value)}",
            })
            x += bar + gap
        label = f"{pair.reference} / {pair.candidate}"
        groups.append({"label": label if len(label) <= 32 else label[:31] + "…", "label_x": x - gap, "bars": bars})
        x += group_gap
    return {
        "width": max(x + left, 240), "height": top + height + 110, "baseline": top + height, "top": top,
        "middle": top + height / 2, "label_y": top + height + 14, "axis_x": left - 6, "groups": groups,
        "legend": [(CHART_COLOURS[i], METRIC_NAMES[m]) for i, m in enumerate(CHART_METRICS)],
    }


def _agreement(request, measure, **scope) -> tuple:
    """The page's choices parsed, and ``measure`` (a selector) run over ``scope`` (a document or a
    project): the measured view and its part of the page's context."""
    metric = request.GET.get("metric", "span_overlap.f1")
    if metric not in MATRIX_METRICS:
        raise InvalidInput(f"Unknown metric {metric!r}.")
    label_metric = request.GET.get("label_metric", "span_overlap.f1")
    if label_metric not in PER_LABEL_METRICS:
        raise InvalidInput(f"Unknown per-label metric {label_metric!r}.")
    view = measure(**scope, user=request.user, layer_ids=params.id_list(request.GET.getlist("layers") or None),
                   overlap_threshold=request.GET.get("overlap", 0.5))
    return view, {"chosen": {layer.pk for layer in view.layers}, **_agreement_context(view, metric, label_metric)}


@login_required
def document_agreement(request, document_id):
    document = document_get_for_user(document_id=document_id, user=request.user)
    view, context = _agreement(request, document_agreement_get, document=document)
    return render(request, "annotations/agreement.html", {
        "document": document, "project": document.project, "scope": document.title,
        "choices": document_layers_with_counts(document=document, user=request.user), **context,
    })


@login_required
def project_agreement(request, slug):
    project = project_get_for_user(slug=slug, user=request.user)
    view, context = _agreement(request, project_agreement_get, project=project)
    return render(request, "annotations/agreement.html", {
        "document": None, "project": project, "scope": f"all {len(view.documents)} documents of {project.name}",
        "choices": project_layers_with_counts(project=project, user=request.user), **context,
    })

"""Agreement between layers, read from the database: builds each layer's ``ArgumentMap``
and hands them to the pure core ``annotations.agreement.measure_agreement``.

Which layers: the ids asked for (any layers the user may read, consensus and answer key
included), else every personal layer with at least one span in the document(s). A layer
takes part in a document when it has a span there; for one document, a layer asked for by
id takes part even when empty (it "found nothing", which is a position to agree with).
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from annotations.agreement import DEFAULT_OVERLAP_THRESHOLD, AgreementReport, measure_agreement
from annotations.errors import InvalidInput
from annotations.params import fraction
from annotations.models import Annotation, Document, Layer, Project
from annotations.selectors.layers import layer_names, visible_layers_by_id
from annotations.selectors.maps import argument_maps_get


@dataclass
class AgreementView:
    """A report with the layers and documents it covers (for pages and the API)."""

    report: AgreementReport
    layers: list[Layer]
    names: dict[int, str]
    documents: list[Document]

    def to_dict(self) -> dict:
        data = self.report.to_dict()
        data["layer_ids"] = [layer.pk for layer in self.layers]
        data["layer_kinds"] = [layer.kind for layer in self.layers]
        data["document_ids"] = [document.pk for document in self.documents]
        return data


def _default_layers(documents: Sequence[Document]) -> list[Layer]:
    layer_ids = (
        Annotation.objects.filter(document__in=list(documents), layer__kind=Layer.Kind.PERSONAL)
        .values_list("layer_id", flat=True)
        .distinct()
    )
    return list(Layer.objects.filter(pk__in=layer_ids).select_related("owner").order_by("name", "id"))


def _measure(documents, layers, *, explicit: bool, overlap_threshold) -> AgreementView:
    threshold = fraction(overlap_threshold, name="overlap")
    names = layer_names(layers)
    maps = argument_maps_get(documents=documents, layers=layers)
    per_document = []
    for document in documents:
        present = {
            names[layer.pk]: maps[(document.pk, layer.pk)]
            for layer in layers
            if maps[(document.pk, layer.pk)].spans or (explicit and len(documents) == 1)
        }
        per_document.append(present)
    try:
        report = measure_agreement(per_document, layers=[names[layer.pk] for layer in layers], overlap_threshold=threshold)
    except ValueError as error:
        raise InvalidInput(f"Cannot measure agreement: {error}.") from None
    return AgreementView(report=report, layers=list(layers), names=names, documents=list(documents))


def document_agreement_get(
    *, document: Document, user, layer_ids: Sequence[int] | None = None, overlap_threshold=DEFAULT_OVERLAP_THRESHOLD
) -> AgreementView:
    """Agreement of layers of one document (the user must be able to read each layer)."""
    if layer_ids:
        layers = visible_layers_by_id(project_id=document.project_id, user=user, layer_ids=layer_ids)
    else:
        layers = _default_layers([document])
    return _measure([document], layers, explicit=bool(layer_ids), overlap_threshold=overlap_threshold)


def project_agreement_get(
    *, project: Project, user, layer_ids: Sequence[int] | None = None, overlap_threshold=DEFAULT_OVERLAP_THRESHOLD
) -> AgreementView:
    """Agreement of layers over every document of the project (counts summed over documents)."""
    documents = list(Document.objects.filter(project=project).select_related("project").order_by("id"))
    if layer_ids:
        layers = visible_layers_by_id(project_id=project.pk, user=user, layer_ids=layer_ids)
    else:
        layers = _default_layers(documents)
    return _measure(documents, layers, explicit=False, overlap_threshold=overlap_threshold)

"""Exports: one document's map in one layer as a file, or a whole project as one zip.

The API, the pages and the commands all come through here, and here through the format
registry (``annotations.formats``). Reads only; who may see which layer is decided by
``layers_visible_to`` / ``layer_get_for_user`` (answer keys for curators and owners only).
A ``user`` of ``None`` is an operator command and sees every layer.
"""
from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils import timezone

from annotations import params
from annotations.argument_map import ArgumentMap
from annotations.errors import InvalidInput, NotFound
from annotations.formats import FormatError, MapFormat, export_formats, get_format, import_formats
from annotations.formats.base import slugify
from annotations.models import Annotation, Document, Layer, MapProvenance, Project, Relation
from annotations.permissions import CURATOR_ROLES, WRITER_ROLES, role_in
from annotations.representations import LAYER_NAME, LAYER_NAMED, layer_data
from annotations.selectors.maps import argument_map_get, argument_maps_get
from annotations.selectors.pseudonyms import NO_MASKS, Masks, masks_for_layers
from annotations.selectors.projects import layer_get_for_user, layers_visible_to

SHARED_LAYER_WORDS = {"consensus": Layer.Kind.CONSENSUS, "answer_key": Layer.Kind.ANSWER_KEY, "answer-key": Layer.Kind.ANSWER_KEY}
MANIFEST_NAME = "manifest.json"


@dataclass
class ExportFile:
    file_name: str
    content_type: str
    data: bytes


def export_format_get(name: str | None) -> MapFormat:
    """The export format called ``name``; InvalidInput listing the valid names otherwise."""
    if not name:
        raise InvalidInput(f"Choose a format: {_format_names()}.")
    try:
        return get_format(name)
    except FormatError:
        raise InvalidInput(f"Unknown format {name!r}; choose one of: {_format_names()}.") from None


def _format_names() -> str:
    return ", ".join(map_format.name for map_format in export_formats())


def export_layer_get(*, project: Project, spec: str | int | None, user) -> Layer:
    """The layer of ``project`` named by ``spec``: a layer id, ``own``, ``consensus``,
    ``answer_key`` or a member's username. NotFound for a layer the user may not see."""
    text = str(spec).strip() if spec is not None else ""
    if not text:
        raise InvalidInput(f"Choose a layer: {_layer_choices(project, user)}.")
    if text.isdigit() and not params.is_whole_number(text):  # "²", or past bigint: no layer has that id
        raise NotFound(f"No layer {text} in project {project.slug!r} that you may see; {_layer_choices(project, user)}.")
    if text.isdigit():
        if user is None:
            layer = Layer.objects.select_related("owner").filter(pk=int(text), project=project).first()
        else:
            try:
                layer = layer_get_for_user(layer_id=int(text), user=user)
            except NotFound:
                layer = None
        if layer is None or layer.project_id != project.pk:
            raise NotFound(f"No layer {text} in project {project.slug!r} that you may see; {_layer_choices(project, user)}.")
        return layer
    candidates = _visible_layers(project, user)
    word = text.lower()
    if word in SHARED_LAYER_WORDS:
        found = [layer for layer in candidates if layer.kind == SHARED_LAYER_WORDS[word]]
    elif word in ("own", "mine"):
        found = [layer for layer in candidates if layer.kind == Layer.Kind.PERSONAL and user is not None and layer.owner_id == user.pk]
    else:
        found = [layer for layer in candidates if layer.kind == Layer.Kind.PERSONAL and layer.owner.get_username() == text]
    if not found:
        raise NotFound(f"No layer {text!r} in project {project.slug!r} that you may see; {_layer_choices(project, user)}.")
    return found[0]


def _visible_layers(project: Project, user) -> list[Layer]:
    if user is None:
        return list(Layer.objects.filter(project=project).select_related("owner").order_by("kind", "name"))
    return layers_visible_to(project=project, user=user)


def _layer_choices(project: Project, user) -> str:
    layers = _visible_layers(project, user)
    if not layers:
        return "the project has no layer you may see yet"
    return "layers you may export: " + ", ".join(f"{layer.pk} ({_layer_word(layer)})" for layer in layers)


def _layer_word(layer: Layer) -> str:
    return layer.owner.get_username() if layer.kind == Layer.Kind.PERSONAL else layer.kind


def export_file_name(document_title: str, layer: Layer, map_format: MapFormat) -> str:
    """``<title>.<layer>.<extension>``, e.g. ``the-continuing-saga.consensus.aif.json``."""
    return f"{slugify(document_title) or 'argument-map'}.{slugify(_layer_word(layer)) or 'layer'}.{map_format.extension}"


def map_export(*, document: Document, layer: Layer, format_name: str, user=None) -> ExportFile:
    """The document's map in ``layer`` as a file. The caller has checked that the user may see
    both; ``user`` (the reader) reads classmates' work under pseudonyms (``selectors.pseudonyms``)."""
    map_format = export_format_get(format_name)
    argument_map = argument_map_get(document=document, layer=layer)
    if user is not None:
        masks = masks_for_layers(user=user, layers=[layer], project_id=document.project_id)
        argument_map = masks.argument_map(argument_map, layer.pk)
    _attach_provenance(document, {layer.pk: argument_map})
    try:
        data = map_format.export(argument_map)
    except FormatError as error:
        raise InvalidInput(f"Cannot export as {map_format.name}: {error}") from None
    return ExportFile(export_file_name(document.title, layer, map_format), map_format.content_type, data)


def _attach_provenance(document: Document, maps: dict[int, ArgumentMap]) -> None:
    """What each layer's import kept from its source file (one query), for exports back to that tool."""
    rows = MapProvenance.objects.filter(document=document, layer_id__in=list(maps)).values_list("layer_id", "data")
    for layer_id, data in rows:
        maps[layer_id].provenance = data or {}


def export_menu_data(*, document: Document, user, layers: list[Layer], masks: Masks = NO_MASKS,
                     offer_own: bool = False) -> dict:
    """Context for the Export menu: the formats and the layers (the user's own first). ``offer_own``:
    the person may tag but has no layer yet (it is made with their first span, after the page
    loaded), so the menu offers ``own``, which the export resolves when it is asked for."""
    own = [{"id": "own", "name": "own", "kind": "Personal", "label": "Your layer (personal)"}] if offer_own else []
    return {
        "export_formats": [{"name": f.name, "title": f.title or f.name, "extension": f.extension} for f in export_formats()],
        "export_layers": own + [
            masks.layer(layer_data(layer, LAYER_NAME)) | {
                "kind": layer.get_kind_display(),
                "label": f"{layer.name} (personal)" if layer.kind == Layer.Kind.PERSONAL else layer.get_kind_display(),
            }
            for layer in layers
        ],
    }


# --- a whole project -----------------------------------------------------------------


@dataclass
class ProjectExportPlan:
    """What a project export will hold: (document, layers with spans on it) pairs."""

    project: Project
    formats: list[MapFormat]
    items: list[tuple[Document, list[Layer]]]
    masks: Masks = field(default_factory=Masks)

    @property
    def map_count(self) -> int:
        return sum(len(layers) for _, layers in self.items)

    @property
    def file_count(self) -> int:
        return self.map_count * len(self.formats)


def project_export_plan(*, project: Project, user, format_names: list[str] | None = None) -> ProjectExportPlan:
    """Every document × every layer the user may see that has spans or relations on it (two queries)."""
    formats = [export_format_get(name) for name in (format_names or ["json"])]
    layers = {layer.pk: layer for layer in _visible_layers(project, user)}
    used = set(
        Annotation.objects.filter(document__project=project, layer_id__in=layers).values_list("document_id", "layer_id").distinct()
    ) | set(
        Relation.objects.filter(document__project=project, layer_id__in=layers).values_list("document_id", "layer_id").distinct()
    )
    documents = Document.objects.filter(project=project).select_related("project").order_by("id")
    items = [
        (document, [layer for layer_id, layer in layers.items() if (document.pk, layer_id) in used])
        for document in documents
    ]
    masks = masks_for_layers(user=user, layers=list(layers.values()), project_id=project.pk) if user is not None else NO_MASKS
    return ProjectExportPlan(project=project, formats=formats, items=items, masks=masks)


def project_export_write(plan: ProjectExportPlan, output, *, progress: Callable[[int], None] | None = None) -> dict:
    """Write the plan as a zip to ``output`` (a path or binary file); return the manifest.

    Layout: ``<project>/<document id>-<title>/<layer>.<extension>`` and ``manifest.json``
    listing every document, layer and file. ``progress(n)`` is called after each map with
    the number of files just written.
    """
    project = plan.project
    manifest = {
        "format": "argmap-project-export",
        "version": 1,
        "project": {"slug": project.slug, "name": project.name, "labels": list(project.labels)},
        "exported_at": timezone.now().isoformat(timespec="seconds"),
        "formats": [map_format.name for map_format in plan.formats],
        "documents": [],
    }
    root = slugify(project.slug) or "project"
    with zipfile.ZipFile(output, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for document, layers in plan.items:
            folder = f"{root}/{document.pk}-{slugify(document.title) or 'document'}"
            entry = {"id": document.pk, "title": document.title, "folder": folder, "layers": []}
            built = argument_maps_get(documents=[document], layers=layers) if layers else {}
            maps = {layer_id: argument_map for (_, layer_id), argument_map in built.items()}
            if maps:
                _attach_provenance(document, maps)
            for layer in layers:
                argument_map = plan.masks.argument_map(maps[layer.pk], layer.pk)
                files = {}
                for map_format in plan.formats:
                    try:
                        data = map_format.export(argument_map)
                    except FormatError as error:
                        raise InvalidInput(f"Cannot export document {document.pk} as {map_format.name}: {error}") from None
                    path = f"{folder}/{slugify(_layer_word(layer)) or 'layer'}.{map_format.extension}"
                    archive.writestr(path, data)
                    files[map_format.name] = path
                entry["layers"].append(plan.masks.layer(layer_data(layer, LAYER_NAMED)) | {
                    "spans": len(argument_map.spans), "relations": len(argument_map.relations), "files": files,
                })
                if progress is not None:
                    progress(len(plan.formats))
            manifest["documents"].append(entry)
        archive.writestr(MANIFEST_NAME, json.dumps(manifest, ensure_ascii=False, indent=2) + "\n")
    return manifest


def project_export_zip(plan: ProjectExportPlan) -> ExportFile:
    """The whole plan in memory as one zip (small projects: answered within the request)."""
    buffer = io.BytesIO()
    project_export_write(plan, buffer)
    return ExportFile(project_export_file_name(plan.project), "application/zip", buffer.getvalue())


def project_export_file_name(project: Project) -> str:
    return f"{slugify(project.slug) or 'project'}-maps.zip"


def project_exchange_data(*, project: Project, user) -> dict:
    """Context for the project page's Export (zip) and Import sections."""
    role = role_in(project, user)
    return {
        "export_formats": [{"name": f.name, "title": f.title or f.name} for f in export_formats()],
        "import_formats": [{"name": f.name, "title": f.title or f.name, "extension": f.extension} for f in import_formats()],
        "can_import": role in WRITER_ROLES,
        "can_import_shared": role in CURATOR_ROLES,
    }

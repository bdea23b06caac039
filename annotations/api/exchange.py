"""API endpoints that move argument maps in and out of argmap through the format registry.

- ``GET /api/documents/<id>/export/?layer=<id|own|consensus|answer_key|username>&format=<name>``:
  one document's map in one layer as a file (``Content-Type`` of the format, ``Content-Disposition``
  with the file name).
- ``GET /api/projects/<slug>/export/?formats=json,aif``: the whole project as one zip with a
  manifest (every document × every layer you may see that has spans on it); big projects
  answer 202 with a task and ``GET /api/exports/<task>/`` gives the zip when it is ready.
- ``POST /api/projects/<slug>/import/`` (multipart: ``format``, ``file`` (one or more: brat
  zips, or .txt/.ann/annotation.conf files), ``layer`` = own | consensus | answer_key,
  ``replace``, ``map`` = FROM=TO (repeatable), ``strict``): store the maps; all or nothing;
  the answer lists what was merged and what the files held that was left out.
"""
from __future__ import annotations

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from annotations import params, services
from annotations.api import fields, responses
from annotations.downloads import file_response
from annotations.errors import InvalidInput
from annotations.formats import export_formats, import_formats
from annotations.formats.sniff import AUTO
from annotations.representations import LAYER_NAMED, layer_data
from annotations.selectors import document_get_for_user, project_get_for_user
from annotations.selectors.exports import ExportFile, export_layer_get, map_export
from annotations.services.maps import IMPORT_LAYERS
from annotations.tasks.exports import project_export_result, project_export_start


EXPORT_FORMATS = [map_format.name for map_format in export_formats()]
IMPORT_FORMATS = [map_format.name for map_format in import_formats()] + [AUTO]


class FormatIsNotARenderer(DefaultContentNegotiation):
    """``?format=`` names the export format here, not DRF's renderer: always answer errors in JSON."""

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


class DownloadView(APIView):
    """An endpoint that answers with a file: ``?format=`` is the file's format, errors are JSON."""

    renderer_classes = [JSONRenderer]
    content_negotiation_class = FormatIsNotARenderer


class DocumentExportView(DownloadView):

    @extend_schema(
        summary="Export one document's argument map in one layer",
        parameters=[
            OpenApiParameter("layer", str, required=True, description="Layer id, or own, consensus, answer_key, or a member's username."),
            OpenApiParameter("format", str, required=True, enum=EXPORT_FORMATS, description="The export format."),
        ],
        responses={(200, "application/octet-stream"): OpenApiTypes.BINARY},
    )
    def get(self, request, pk: int):
        document = document_get_for_user(document_id=pk, user=request.user)
        layer = export_layer_get(project=document.project, spec=request.query_params.get("layer"), user=request.user)
        return file_response(map_export(document=document, layer=layer, format_name=request.query_params.get("format"),
                                        user=request.user))


class ProjectExportView(DownloadView):

    @extend_schema(
        summary="Export every map of a project as one zip with a manifest",
        description=(
            "Small projects answer with the zip. Bigger ones (more files than ARGMAP_EXPORT_SYNC_MAX_FILES) "
            "or background=true answer 202 with a task id; fetch /api/exports/<task>/ until it returns the zip."
        ),
        parameters=[
            OpenApiParameter(
                "formats", {"type": "string", "pattern": f"^({'|'.join(EXPORT_FORMATS)})(,({'|'.join(EXPORT_FORMATS)}))*$"},
                description=f"Format names separated by commas (default json): {', '.join(EXPORT_FORMATS)}.",
            ),
            OpenApiParameter("background", bool, description="true: always queue; false: never queue; absent: by size."),
        ],
        responses={(200, "application/zip"): OpenApiTypes.BINARY, 202: responses.ExportQueuedSerializer},
    )
    def get(self, request, slug: str):
        project = project_get_for_user(slug=slug, user=request.user)
        names = [name for name in request.query_params.get("formats", "json").split(",") if name.strip()]
        background = params.flag(request.query_params.get("background"), name="background")
        started = project_export_start(project=project, user=request.user, format_names=names, background=background)
        if isinstance(started, ExportFile):
            return file_response(started)
        return Response(
            {
                "detail": f"The export of {started.files} files is queued; fetch status_url until it returns the zip.",
                "task": started.task_id,
                "status_url": reverse("api-export-result", args=[started.task_id]),
            },
            status=status.HTTP_202_ACCEPTED,
        )


class ExportResultView(DownloadView):

    @extend_schema(
        summary="A queued project export: its status, or the zip once it is done",
        responses={(200, "application/zip"): OpenApiTypes.BINARY, 202: responses.ExportStatusSerializer},
    )
    def get(self, request, task_id: str):
        export = project_export_result(task_id=task_id, user=request.user)
        if export.file is not None:
            return file_response(export.file)
        code = status.HTTP_202_ACCEPTED if export.status != "FAILED" else status.HTTP_500_INTERNAL_SERVER_ERROR
        return Response({"status": export.status, "detail": export.message}, status=code)


class MapImportSerializer(serializers.Serializer):
    format = fields.ChoiceField(
        choices=IMPORT_FORMATS, default=AUTO, help_text="The format of the files; auto (the default): told from their content.",
        error_messages={"invalid_choice": f"Cannot import the format {{input!r}}; argmap imports {', '.join(IMPORT_FORMATS)}."},
    )
    file = serializers.ListField(child=serializers.FileField(), help_text="One or more files in that format.")
    layer = fields.ChoiceField(choices=IMPORT_LAYERS, default="own", help_text="own, consensus or answer_key.")
    replace = fields.BooleanField(default=False, help_text="Replace the layer's spans on documents that have some.")
    map = serializers.ListField(
        child=fields.CharField(max_length=1000), required=False, default=list,
        help_text="Label mapping FROM=TO (ORG=claim, PER=- to leave out); repeat the field or separate with commas.",
    )
    strict = fields.BooleanField(default=False, help_text="Refuse a file instead of leaving out what cannot be imported.")


class ProjectImportView(APIView):
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        summary="Import argument maps (argmap JSON, AIF, brat, doccano) into a project",
        request={"multipart/form-data": MapImportSerializer},
        responses={201: responses.MapImportResultSerializer},
    )
    def post(self, request, slug: str):
        project = project_get_for_user(slug=slug, user=request.user)
        data = {
            "format": request.data.get("format") or AUTO,
            "file": request.FILES.getlist("file"),
            "layer": request.data.get("layer", "own"),
            "replace": request.data.get("replace", False),
            "map": [value for value in request.data.getlist("map") if value.strip()] if hasattr(request.data, "getlist") else [],
            "strict": request.data.get("strict", False),
        }
        serializer = MapImportSerializer(data=data)
        if not serializer.is_valid():
            field, messages = next(iter(serializer.errors.items()))
            message = messages[0] if isinstance(messages, list) else messages
            if isinstance(message, dict):
                message = next(iter(message.values()))[0]
            raise InvalidInput(f"{field}: {message}", errors=serializer.errors)
        valid = serializer.validated_data
        result = services.argument_map_import_files(
            project=project, user=request.user, format_name=valid["format"],
            files=[(upload.name, upload.read()) for upload in valid["file"]],
            layer=valid["layer"], replace=valid["replace"], label_map=valid["map"], strict=valid["strict"],
        )
        return Response(
            {
                "detail": result.summary,
                "layer": layer_data(result.layer, LAYER_NAMED),
                "documents": [
                    {"id": item.document.pk, "title": item.document.title, "created": item.created,
                     "spans": item.spans, "relations": item.relations}
                    for item in result.documents
                ],
                "merged": result.merged,
                "left_out": result.left_out,
                "assumed": result.assumed,
            },
            status=status.HTTP_201_CREATED,
        )

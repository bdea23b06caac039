"""One download response for the pages and the API: an ``ExportFile`` sent as an attachment."""
from __future__ import annotations

from django.http import HttpResponse
from django.utils.http import content_disposition_header

from annotations.selectors.exports import ExportFile


def file_response(export: ExportFile) -> HttpResponse:
    response = HttpResponse(export.data, content_type=export.content_type)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=export.file_name)
    response["Content-Length"] = str(len(export.data))
    return response

"""Every write in argmap: one function per write, each checking permission, validating,
and running in one transaction. Views, API views and commands call these and nothing else
to change data. One module per concern, re-exported here.
"""
from annotations.services.documents import DocumentImportResult, document_import, documents_import_many
from annotations.services.maps import MapImportResult, argument_map_import, argument_map_import_files
from annotations.services.layers import layer_get_or_create_personal, layer_get_or_create_shared
from annotations.services.projects import membership_set, project_create
from annotations.services.spans import (
    annotation_create,
    annotation_delete,
    annotation_update,
    relation_create,
    relation_delete,
)

__all__ = [
    "DocumentImportResult",
    "MapImportResult",
    "annotation_create",
    "annotation_delete",
    "annotation_update",
    "argument_map_import",
    "argument_map_import_files",
    "document_import",
    "documents_import_many",
    "layer_get_or_create_personal",
    "layer_get_or_create_shared",
    "membership_set",
    "project_create",
    "relation_create",
    "relation_delete",
]

"""Every write in argmap: one function per write, each checking permission, validating,
and running in one transaction. Views, API views and commands call these and nothing else
to change data. One module per concern, re-exported here.
"""
from annotations.services.documents import (
    DocumentImportResult,
    document_delete,
    document_import,
    document_update,
    documents_import_many,
)
from annotations.services.layers import layer_get_or_create_personal, layer_get_or_create_shared
from annotations.services.paragraphs import paragraph_create, paragraph_delete, paragraph_update
from annotations.services.projects import membership_set, project_create, project_delete, project_update
from annotations.services.spans import (
    annotation_create,
    annotation_delete,
    annotation_update,
    relation_create,
    relation_delete,
    relation_update,
)

__all__ = [
    "DocumentImportResult",
    "annotation_create",
    "annotation_delete",
    "annotation_update",
    "document_delete",
    "document_import",
    "document_update",
    "documents_import_many",
    "layer_get_or_create_personal",
    "layer_get_or_create_shared",
    "membership_set",
    "paragraph_create",
    "paragraph_delete",
    "paragraph_update",
    "project_create",
    "project_delete",
    "project_update",
    "relation_create",
    "relation_delete",
    "relation_update",
]

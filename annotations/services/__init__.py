"""Every write in argmap: one function per write, each checking permission, validating,
and running in one transaction. Views, API views and commands call these and nothing else
to change data. One module per concern, re-exported here.
"""
from annotations.services.changes import change_record
from annotations.services.collaboration import (
    invitation_accept,
    invitation_create,
    invitation_revoke,
    membership_change_role,
    membership_remove,
    user_sign_up,
)
from annotations.services.comments import comment_create, comment_delete, comment_set_resolved, comment_update
from annotations.services.consensus import (
    MergeOutcome,
    answer_key_from_consensus,
    consensus_merge,
    consensus_pick,
    consensus_pick_relation,
)
from annotations.services.maps import MapImportResult, argument_map_import, argument_map_import_files
from annotations.services.documents import (
    DocumentImportResult,
    document_delete,
    document_import,
    document_update,
    documents_import_many,
)
from annotations.services.layers import layer_get_or_create_personal, layer_get_or_create_shared
from annotations.services.paragraphs import paragraph_create, paragraph_delete, paragraph_update
from annotations.services.preferences import preference_update
from annotations.services.projects import membership_set, project_create, project_delete, project_update
from annotations.services.suggestions import (
    BulkAcceptResult,
    project_model_train,
    suggestion_accept,
    suggestion_decision_undo,
    suggestion_reject,
    suggestions_accept_above,
    suggestions_compute,
    suggestions_compute_many,
    suggestions_request,
)
from annotations.services.spans import (
    annotation_create,
    annotation_delete,
    annotation_update,
    relation_create,
    relation_delete,
    relation_update,
)

__all__ = [
    "BulkAcceptResult",
    "DocumentImportResult",
    "MapImportResult",
    "MergeOutcome",
    "annotation_create",
    "annotation_delete",
    "annotation_update",
    "answer_key_from_consensus",
    "preference_update",
    "suggestion_decision_undo",
    "argument_map_import",
    "argument_map_import_files",
    "change_record",
    "comment_create",
    "comment_delete",
    "comment_set_resolved",
    "comment_update",
    "consensus_merge",
    "consensus_pick",
    "consensus_pick_relation",
    "document_delete",
    "document_import",
    "document_update",
    "documents_import_many",
    "invitation_accept",
    "invitation_create",
    "invitation_revoke",
    "layer_get_or_create_personal",
    "layer_get_or_create_shared",
    "membership_change_role",
    "membership_remove",
    "membership_set",
    "paragraph_create",
    "paragraph_delete",
    "paragraph_update",
    "project_create",
    "project_delete",
    "project_model_train",
    "project_update",
    "relation_create",
    "relation_delete",
    "relation_update",
    "suggestion_accept",
    "suggestion_reject",
    "suggestions_accept_above",
    "suggestions_compute",
    "suggestions_compute_many",
    "suggestions_request",
    "user_sign_up",
]

"""Every write in argmap: one function per write, each checking permission, validating,
and running in one transaction. Views, API views, tasks and commands call these and nothing
else to change data. One module per concern; ``services.<name>`` finds each function here.

The names are re-exported lazily (PEP 562 ``__getattr__``): ``services.document_import`` loads
``services.documents`` on first use, and importing one service module never imports the
others. That keeps the import graph a tree where the work crosses into background tasks:
``services.documents`` and ``services.suggestions`` queue ``tasks.suggestions``, whose
functions call ``services.suggestion_runs``; the key's writers queue ``tasks.scores``, which calls
``services.scores`` (tests/test_imports.py checks there is no circle).
"""
from importlib import import_module

# the modules of this package and the names each defines
_MODULES = {
    "changes": ["change_record"],
    "classes": [
        "class_join",
        "class_student_password_set",
        "class_student_remove",
        "join_code_close",
        "join_code_open",
        "student_sign_up",
    ],
    "collaboration": [
        "invitation_accept",
        "invitation_create",
        "invitation_revoke",
        "membership_change_role",
        "membership_remove",
        "user_sign_up",
    ],
    "comments": ["comment_create", "comment_delete", "comment_set_resolved", "comment_update"],
    "consensus": [
        "MergeOutcome",
        "answer_key_from_consensus",
        "consensus_merge",
        "consensus_pick",
        "consensus_pick_relation",
        "consensus_reject",
        "consensus_reject_undo",
    ],
    "documents": [
        "DocumentImportResult",
        "document_delete",
        "document_import",
        "document_update",
        "documents_import_many",
    ],
    "exercise_keys": ["exercise_key_copy", "exercise_key_import", "key_note_set"],
    "exercises": [
        "exercise_create",
        "exercise_delete",
        "exercise_duplicate",
        "exercise_release",
        "exercise_update",
        "extension_set",
    ],
    "layers": ["layer_get_or_create_personal", "layer_get_or_create_shared"],
    "maps": ["MapImportResult", "argument_map_import", "argument_map_import_files"],
    "paragraphs": ["paragraph_create", "paragraph_delete", "paragraph_update"],
    "preferences": ["preference_update"],
    "projects": ["membership_set", "project_create", "project_delete", "project_update"],
    "spans": [
        "annotation_create",
        "annotation_delete",
        "annotation_update",
        "relation_create",
        "relation_delete",
        "relation_update",
    ],
    "scores": ["exercise_scores_refresh"],
    "submissions": [
        "exercise_submit",
        "submission_new_attempt",
        "submission_override",
        "submission_reopen",
        "submission_start",
        "submission_submit",
    ],
    "suggestion_runs": [
        "ComputeManyResult",
        "project_model_train",
        "suggestions_compute",
        "suggestions_compute_many",
    ],
    "suggestions": [
        "BulkAcceptResult",
        "suggestion_accept",
        "suggestion_decision_undo",
        "suggestion_reject",
        "suggestions_accept_above",
        "suggestions_request",
    ],
}
_EXPORTS = {name: module for module, names in _MODULES.items() for name in names}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


def __dir__():
    return sorted(set(globals()) | set(_EXPORTS))

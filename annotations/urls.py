"""Page URLs."""
from django.urls import path

from annotations.pages import activity, agreement, curation, documents, exchange, members, projects

urlpatterns = [
    path("", projects.project_list, name="project-list"),
    path("p/<slug:slug>/", projects.project_detail, name="project-detail"),
    path("p/<slug:slug>/upload/", documents.document_upload, name="document-upload"),
    path("p/<slug:slug>/members/", members.project_members, name="project-members"),
    path("p/<slug:slug>/members/role/", members.project_member_role, name="project-member-role"),
    path("p/<slug:slug>/members/remove/", members.project_member_remove, name="project-member-remove"),
    path("p/<slug:slug>/invitations/", members.invitation_create, name="invitation-create"),
    path("p/<slug:slug>/invitations/<int:invitation_id>/revoke/", members.invitation_revoke, name="invitation-revoke"),
    path("p/<slug:slug>/agreement/", agreement.project_agreement, name="project-agreement"),
    path("invite/<str:token>/", members.invitation_accept, name="invitation-accept"),
    path("mentions/", activity.mentions, name="mentions"),
    path("d/<int:document_id>/", documents.document_detail, name="document-detail"),
    path("d/<int:document_id>/export/", exchange.document_export, name="document-export"),
    path("p/<slug:slug>/export/", exchange.project_export, name="project-export"),
    path("exports/<str:task_id>/", exchange.export_result, name="export-result"),
    path("p/<slug:slug>/import/", exchange.map_import, name="map-import"),
    path("d/<int:document_id>/compare/", documents.document_compare, name="document-compare"),
    path("d/<int:document_id>/activity/", activity.document_activity, name="document-activity"),
    path("d/<int:document_id>/comments/", activity.comment_post, name="comment-post"),
    path("d/<int:document_id>/comments/<int:comment_id>/resolve/", activity.comment_resolve, name="comment-resolve"),
    path("d/<int:document_id>/agreement/", agreement.document_agreement, name="document-agreement"),
    path("d/<int:document_id>/curate/", curation.document_curate, name="document-curate"),
    path("d/<int:document_id>/curate/merge/", curation.curate_merge, name="curate-merge"),
    path("d/<int:document_id>/curate/pick/", curation.curate_pick, name="curate-pick"),
    path("d/<int:document_id>/curate/pick-relation/", curation.curate_pick_relation, name="curate-pick-relation"),
    path("d/<int:document_id>/curate/answer-key/", curation.curate_answer_key, name="curate-answer-key"),
]

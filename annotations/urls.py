"""Page URLs."""
from django.urls import path

from annotations import collaboration_views as together
from annotations import exchange_views, views

urlpatterns = [
    path("", views.project_list, name="project-list"),
    path("p/<slug:slug>/", views.project_detail, name="project-detail"),
    path("p/<slug:slug>/upload/", views.document_upload, name="document-upload"),
    path("p/<slug:slug>/members/", together.project_members, name="project-members"),
    path("p/<slug:slug>/members/role/", together.project_member_role, name="project-member-role"),
    path("p/<slug:slug>/members/remove/", together.project_member_remove, name="project-member-remove"),
    path("p/<slug:slug>/invitations/", together.invitation_create, name="invitation-create"),
    path("p/<slug:slug>/invitations/<int:invitation_id>/revoke/", together.invitation_revoke, name="invitation-revoke"),
    path("p/<slug:slug>/agreement/", together.project_agreement, name="project-agreement"),
    path("invite/<str:token>/", together.invitation_accept, name="invitation-accept"),
    path("mentions/", together.mentions, name="mentions"),
    path("d/<int:document_id>/", views.document_detail, name="document-detail"),
    path("d/<int:document_id>/export/", exchange_views.document_export, name="document-export"),
    path("p/<slug:slug>/export/", exchange_views.project_export, name="project-export"),
    path("exports/<str:task_id>/", exchange_views.export_result, name="export-result"),
    path("p/<slug:slug>/import/", exchange_views.map_import, name="map-import"),
    path("d/<int:document_id>/compare/", together.document_compare, name="document-compare"),
    path("d/<int:document_id>/activity/", together.document_activity, name="document-activity"),
    path("d/<int:document_id>/comments/", together.comment_post, name="comment-post"),
    path("d/<int:document_id>/comments/<int:comment_id>/resolve/", together.comment_resolve, name="comment-resolve"),
    path("d/<int:document_id>/agreement/", together.document_agreement, name="document-agreement"),
    path("d/<int:document_id>/curate/", together.document_curate, name="document-curate"),
    path("d/<int:document_id>/curate/merge/", together.curate_merge, name="curate-merge"),
    path("d/<int:document_id>/curate/pick/", together.curate_pick, name="curate-pick"),
    path("d/<int:document_id>/curate/pick-relation/", together.curate_pick_relation, name="curate-pick-relation"),
    path("d/<int:document_id>/curate/answer-key/", together.curate_answer_key, name="curate-answer-key"),
]

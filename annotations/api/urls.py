"""API URLs: the resources, a token endpoint for scripts, the OpenAPI schema and its docs."""
from django.http import JsonResponse
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.routers import DefaultRouter
from rest_framework.settings import api_settings

from annotations.api import (
    agreement,
    changes,
    classes,
    comments,
    curation,
    documents,
    exchange,
    exercises,
    layers,
    members,
    preferences,
    projects,
    spans,
    submissions,
    suggestions,
)



def api_not_found(request):
    """An /api/ address that no route matches (``/api/comments/null,null/``): JSON like every API answer."""
    return JsonResponse(
        {"detail": f"There is no API endpoint at {request.path}; the endpoints are listed at /api/docs/."}, status=404
    )


router = DefaultRouter()
router.register("projects", projects.ProjectViewSet, basename="project")
router.register("documents", documents.DocumentViewSet, basename="document")
router.register("paragraphs", documents.ParagraphViewSet, basename="paragraph")
router.register("layers", layers.LayerViewSet, basename="layer")
router.register("annotations", spans.AnnotationViewSet, basename="annotation")
router.register("relations", spans.RelationViewSet, basename="relation")

urlpatterns = [
    # The resources first: they carry most requests (every tag and link the workspace saves), and
    # Django tries the patterns in order. No route below overlaps theirs (tests/api/test_urls.py).
    path("", include(router.urls)),
    # DRF's token view brings its own parsers (the stock JSONParser: a body nested thousands deep was a
    # RecursionError, a 500); it reads bodies as every other endpoint does.
    path("auth/token/", ObtainAuthToken.as_view(parser_classes=api_settings.DEFAULT_PARSER_CLASSES), name="api-token"),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("documents/<int:pk>/export/", exchange.DocumentExportView.as_view(), name="api-document-export"),
    path("projects/<slug:slug>/export/", exchange.ProjectExportView.as_view(), name="api-project-export"),
    path("exports/<str:task_id>/", exchange.ExportResultView.as_view(), name="api-export-result"),
    path("projects/<slug:slug>/import/", exchange.ProjectImportView.as_view(), name="api-project-import"),
    path("documents/<int:document_id>/layers/", layers.DocumentLayersView.as_view(), name="api-document-layers"),
    path("documents/<int:document_id>/layers/<int:layer_id>/", layers.DocumentLayerSpansView.as_view(),
         name="api-document-layer"),
    path("documents/<int:document_id>/compare/", layers.DocumentCompareView.as_view(), name="api-document-compare"),
    path("documents/<int:document_id>/changes/", changes.DocumentChangesView.as_view(), name="api-document-changes"),
    path("documents/<int:document_id>/activity/", changes.DocumentActivityView.as_view(), name="api-document-activity"),
    path("documents/<int:document_id>/comments/", comments.DocumentCommentsView.as_view(), name="api-document-comments"),
    path("documents/<int:document_id>/agreement/", agreement.DocumentAgreementView.as_view(), name="api-document-agreement"),
    path("documents/<int:document_id>/curation/", curation.DocumentCurationView.as_view(), name="api-document-curation"),
    path("documents/<int:document_id>/consensus/merge/", curation.ConsensusMergeView.as_view(), name="api-consensus-merge"),
    path("documents/<int:document_id>/consensus/pick/", curation.ConsensusPickView.as_view(), name="api-consensus-pick"),
    path("documents/<int:document_id>/consensus/reject/", curation.ConsensusRejectView.as_view(), name="api-consensus-reject"),
    path("documents/<int:document_id>/consensus/reject/undo/", curation.ConsensusRejectUndoView.as_view(),
         name="api-consensus-reject-undo"),
    path("documents/<int:document_id>/consensus/pick-relation/", curation.ConsensusPickRelationView.as_view(),
         name="api-consensus-pick-relation"),
    path("documents/<int:document_id>/answer-key/from-consensus/", curation.AnswerKeyFromConsensusView.as_view(),
         name="api-answer-key-from-consensus"),
    path("documents/<int:document_id>/suggestions/", suggestions.DocumentSuggestionsView.as_view(),
         name="api-document-suggestions"),
    path("documents/<int:document_id>/suggestions/compute/", suggestions.DocumentSuggestionsComputeView.as_view(),
         name="api-document-suggestions-compute"),
    path("documents/<int:document_id>/suggestions/accept-above/", suggestions.DocumentSuggestionsAcceptAboveView.as_view(),
         name="api-document-suggestions-accept-above"),
    path("suggestions/<int:suggestion_id>/accept/", suggestions.SuggestionAcceptView.as_view(), name="api-suggestion-accept"),
    path("suggestions/<int:suggestion_id>/reject/", suggestions.SuggestionRejectView.as_view(), name="api-suggestion-reject"),
    path("suggestions/<int:suggestion_id>/undo/", suggestions.SuggestionUndoView.as_view(), name="api-suggestion-undo"),
    path("me/preferences/", preferences.MyPreferencesView.as_view(), name="api-my-preferences"),
    path("projects/<slug:slug>/suggestion-model/", suggestions.ProjectSuggestionModelView.as_view(),
         name="api-project-suggestion-model"),
    path("comments/", comments.CommentListCreateView.as_view(), name="api-comments"),
    path("mentions/", comments.MentionsView.as_view(), name="api-mentions"),
    path("comments/<int:comment_id>/", comments.CommentDetailView.as_view(), name="api-comment"),
    path("projects/<slug:slug>/agreement/", agreement.ProjectAgreementView.as_view(), name="api-project-agreement"),
    path("projects/<slug:slug>/members/", members.ProjectMembersView.as_view(), name="api-project-members"),
    path("projects/<slug:slug>/members/<str:username>/", members.ProjectMemberDetailView.as_view(),
         name="api-project-member"),
    path("projects/<slug:slug>/invitations/", members.ProjectInvitationsView.as_view(), name="api-project-invitations"),
    path("invitations/accept/", members.InvitationAcceptView.as_view(), name="api-invitation-accept"),
    path("invitations/<int:invitation_id>/", members.InvitationRevokeView.as_view(), name="api-invitation"),
    path("join/", classes.JoinView.as_view(), name="api-join"),
    path("exercises/", exercises.ExerciseListView.as_view(), name="api-exercises"),
    path("exercises/<int:exercise_id>/", exercises.ExerciseDetailView.as_view(), name="api-exercise"),
    path("exercises/<int:exercise_id>/release/", exercises.ExerciseReleaseView.as_view(), name="api-exercise-release"),
    path("exercises/<int:exercise_id>/submissions/", submissions.ExerciseSubmissionsView.as_view(), name="api-exercise-submissions"),
    path("exercises/<int:exercise_id>/attempts/", submissions.ExerciseAttemptView.as_view(), name="api-exercise-attempts"),
    path("exercises/<int:exercise_id>/dashboard/", exercises.ExerciseDashboardView.as_view(), name="api-exercise-dashboard"),
    path("exercises/<int:exercise_id>/grades/", exercises.ExerciseGradesView.as_view(), name="api-exercise-grades"),
    path("exercises/<int:exercise_id>/export/", exercises.ExerciseExportView.as_view(), name="api-exercise-export"),
    path("submissions/<int:submission_id>/", submissions.SubmissionDetailView.as_view(), name="api-submission"),
    path("submissions/<int:submission_id>/submit/", submissions.SubmissionSubmitView.as_view(), name="api-submission-submit"),
    path("submissions/<int:submission_id>/reopen/", submissions.SubmissionReopenView.as_view(), name="api-submission-reopen"),
    path("submissions/<int:submission_id>/override/", submissions.SubmissionOverrideView.as_view(), name="api-submission-override"),
    path("submissions/<int:submission_id>/feedback/", submissions.SubmissionFeedbackView.as_view(), name="api-submission-feedback"),
    re_path(r"^.+$", api_not_found),  # last: an address no route matches answers JSON, not the HTML 404 page
]

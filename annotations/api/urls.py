"""API URLs: the resources, a token endpoint for scripts, the OpenAPI schema and its docs."""
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.authtoken.views import obtain_auth_token
from rest_framework.routers import DefaultRouter

from annotations.api import exchange, views

router = DefaultRouter()
router.register("projects", views.ProjectViewSet, basename="project")
router.register("documents", views.DocumentViewSet, basename="document")
router.register("paragraphs", views.ParagraphViewSet, basename="paragraph")
router.register("layers", views.LayerViewSet, basename="layer")
router.register("annotations", views.AnnotationViewSet, basename="annotation")
router.register("relations", views.RelationViewSet, basename="relation")

urlpatterns = [
    path("auth/token/", obtain_auth_token, name="api-token"),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("documents/<int:pk>/export/", exchange.DocumentExportView.as_view(), name="api-document-export"),
    path("projects/<slug:slug>/export/", exchange.ProjectExportView.as_view(), name="api-project-export"),
    path("exports/<str:task_id>/", exchange.ExportResultView.as_view(), name="api-export-result"),
    path("projects/<slug:slug>/import/", exchange.ProjectImportView.as_view(), name="api-project-import"),
    path("", include(router.urls)),
]

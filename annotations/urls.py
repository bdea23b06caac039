"""Page URLs."""
from django.urls import path

from annotations import exchange_views, views

urlpatterns = [
    path("", views.project_list, name="project-list"),
    path("p/<slug:slug>/", views.project_detail, name="project-detail"),
    path("p/<slug:slug>/upload/", views.document_upload, name="document-upload"),
    path("d/<int:document_id>/", views.document_detail, name="document-detail"),
    path("d/<int:document_id>/export/", exchange_views.document_export, name="document-export"),
    path("p/<slug:slug>/export/", exchange_views.project_export, name="project-export"),
    path("exports/<str:task_id>/", exchange_views.export_result, name="export-result"),
    path("p/<slug:slug>/import/", exchange_views.map_import, name="map-import"),
]

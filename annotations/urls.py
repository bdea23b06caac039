"""Page URLs."""
from django.urls import path

from annotations import views

urlpatterns = [
    path("", views.project_list, name="project-list"),
    path("p/<slug:slug>/", views.project_detail, name="project-detail"),
    path("p/<slug:slug>/upload/", views.document_upload, name="document-upload"),
    path("d/<int:document_id>/", views.document_detail, name="document-detail"),
]

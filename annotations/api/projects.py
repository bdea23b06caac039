"""API for projects: the projects you are a member of; creating, changing and deleting one.

Members and invitations: ``annotations.api.members``."""
from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.response import Response

from annotations import services
from annotations.api.inputs import valid_data
from annotations.api.serializers import ProjectCreateSerializer, ProjectSerializer, ProjectUpdateSerializer
from annotations.models import Project
from annotations.selectors import projects_for_user


class ProjectViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Projects you are a member of. Anyone signed in may create one and becomes its owner.

    Members and invitations: ``annotations.api.members``."""

    queryset = Project.objects.none()
    serializer_class = ProjectSerializer
    lookup_field = "slug"
    lookup_value_regex = "[-a-zA-Z0-9_]+"

    def get_queryset(self):
        return projects_for_user(self.request.user)

    @extend_schema(request=ProjectCreateSerializer, responses={201: ProjectSerializer})
    def create(self, request):
        data = valid_data(ProjectCreateSerializer, request.data)
        project = services.project_create(creator=request.user, **data)
        return Response(ProjectSerializer(project).data | {"my_role": "owner"}, status=status.HTTP_201_CREATED)

    @extend_schema(request=ProjectUpdateSerializer, responses={200: ProjectSerializer})
    def partial_update(self, request, slug=None):
        """Rename, describe or change the labels (owners only)."""
        project = self.get_object()
        data = valid_data(ProjectUpdateSerializer, request.data)
        project = services.project_update(project=project, user=request.user, **data)
        return Response(ProjectSerializer(project).data)

    def destroy(self, request, slug=None):
        """Delete the project with everything in it (owners only)."""
        services.project_delete(project=self.get_object(), user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

"""Every read that follows relations: selectors own the query shape (select_related,
prefetch_related, ordering) so pages and endpoints run a fixed number of queries.
"""
from annotations.selectors.maps import argument_map_get
from annotations.selectors.projects import (
    document_get_for_user,
    layer_get_for_user,
    layers_visible_to,
    project_get_for_user,
    projects_for_user,
)

__all__ = [
    "argument_map_get",
    "document_get_for_user",
    "layer_get_for_user",
    "layers_visible_to",
    "project_get_for_user",
    "projects_for_user",
]

"""Classmates under pseudonyms: the one read-path step that hides who drew a classmate's map.

An exercise whose ``classmates_visible`` is ``anonymous`` opens classmates' work layers to
its students after the due date (``selectors.visibility``), but a student must not learn
whose they are. ``masks_for`` reads, in one query, the work layers of the project's
anonymous exercises past their due date and numbers their owners per exercise, in the order
they started the exercise (the id of their first work layer): "Classmate 1", "Classmate 2",
the same numbers for every reader. The numbering is computed on each read; nothing is
stored. Teachers (curators, owners) and superusers get an empty ``Masks`` and see names.

Every reader of layers, spans, relations, comments and change events passes its output
through the ``Masks`` of the reader: ``layer``/``layers`` for layer dicts, ``row`` for a
span, relation or comment dict (``author``, ``resolved_by``, ``mentions``), ``event`` for a
change event. A student's own layers are never masked.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace

from django.utils import timezone

from annotations.models import Exercise, Layer, Membership
from annotations.permissions import CURATOR_ROLES, role_in

_USER_FIELDS = ("author", "owner", "actor", "resolved_by")


@dataclass
class Masks:
    """Pseudonyms per masked layer: ``names[layer_id]`` maps usernames to pseudonyms."""

    names: dict[int, dict[str, str]] = field(default_factory=dict)
    layer_names: dict[int, str] = field(default_factory=dict)
    owners: dict[int, str] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.layer_names)

    def name(self, layer_id: int | None, username: str | None) -> str | None:
        if username is None or layer_id is None:
            return username
        return self.names.get(layer_id, {}).get(username, username)

    def layer_name(self, layer_id: int, name: str) -> str:
        return self.layer_names.get(layer_id, name)

    def row(self, data: dict, layer_id: int | None = None) -> dict:
        """A span, relation, comment or layer dict with its people masked (a copy if changed)."""
        layer_id = data.get("layer", layer_id) if layer_id is None else layer_id
        if not self or layer_id not in self.layer_names:
            return data
        data = dict(data)
        for key in _USER_FIELDS:
            if isinstance(data.get(key), str):
                data[key] = self.name(layer_id, data[key])
        if isinstance(data.get("mentions"), list):
            data["mentions"] = [self.name(layer_id, name) for name in data["mentions"]]
        return data

    def rows(self, rows: list[dict], layer_id: int | None = None) -> list[dict]:
        return rows if not self else [self.row(row, layer_id) for row in rows]

    def layer(self, data: dict) -> dict:
        """A layer dict (``id``, ``name``, ``owner``) with a classmate's name replaced."""
        layer_id = data.get("id")
        if layer_id not in self.layer_names:
            return data
        data = dict(data)
        data["name"] = self.layer_names[layer_id]
        if "owner" in data:
            data["owner"] = self.owners[layer_id]
        return data

    def event(self, data: dict) -> dict:
        """A change event (``layer``, ``actor``, ``layer_name``, ``data``) with people masked."""
        layer_id = data.get("layer")
        if layer_id not in self.layer_names:
            return data
        data = dict(data)
        data["actor"] = self.name(layer_id, data.get("actor"))
        if "layer_name" in data:
            data["layer_name"] = self.layer_names[layer_id]
        if isinstance(data.get("data"), dict):
            data["data"] = self.row(data["data"], layer_id)
        return data

    def argument_map(self, argument_map, layer_id: int):
        """An ``ArgumentMap`` of the layer (for an export) with its people masked (a copy if changed)."""
        if layer_id not in self.layer_names:
            return argument_map
        return replace(
            argument_map, layer_name=self.layer_names[layer_id],
            spans=[replace(span, author=self.name(layer_id, span.author)) for span in argument_map.spans],
            relations=[replace(relation, author=self.name(layer_id, relation.author)) for relation in argument_map.relations],
        )


NO_MASKS = Masks()


def list_rows_masked(*, user, rows: list[dict]) -> list[dict]:
    """Rows of ``selectors.span_lists.list_page`` as the user may read them: the ``_masked``
    ones (classmates' work) under pseudonyms; a query only when there is such a row."""
    flagged = [row for row in rows if "_masked" in row]  # a test per row, no call: lists run it on 500 rows
    for row in flagged:
        del row["_masked"]
    return masks_for(user=user).rows(rows) if flagged else rows


def masks_for_layers(*, user, layers, project_id: int | None = None) -> Masks:
    """``masks_for``, but no query at all when none of ``layers`` (already read) is someone
    else's exercise work: the common case, so list endpoints keep their query counts."""
    if not any(layer is not None and layer.kind == Layer.Kind.EXERCISE_WORK and layer.owner_id != user.pk
               for layer in layers):
        return NO_MASKS
    return masks_for(user=user, project_id=project_id)


def layers_named_for(*, user, layers: list, project_id: int | None = None) -> list:
    """The layers (read-only instances) with a classmate's layer renamed to its pseudonym, in
    memory only, for the readers that render ``layer.name`` (compare, agreement)."""
    masks = masks_for_layers(user=user, layers=layers, project_id=project_id)
    for layer in layers:
        if layer.pk in masks.layer_names:
            layer.name = masks.layer_names[layer.pk]
    return layers


def masks_for(*, user, project_id: int | None = None) -> Masks:
    """What ``user`` must read under pseudonyms in the project, or (``project_id`` None) in
    every project where they are not a teacher. One query (two with a project); none for teachers."""
    if not getattr(user, "is_authenticated", False) or user.is_superuser:
        return NO_MASKS
    if project_id is not None:
        if role_in(project_id, user) in CURATOR_ROLES:
            return NO_MASKS
        scope = {"project_id": project_id}
    else:
        scope = {"project_id__in": Membership.objects.filter(user=user).exclude(role__in=CURATOR_ROLES).values("project_id")}
    layers = (
        Layer.objects.filter(**scope, kind=Layer.Kind.EXERCISE_WORK,
                             exercise__classmates_visible=Exercise.Classmates.ANONYMOUS,
                             exercise__due_at__lt=timezone.now())
        .order_by("exercise_id", "id")
        .values_list("id", "exercise_id", "owner_id", "owner__username", "exercise__title")
    )
    masks = Masks()
    numbers: dict[int, dict[int, int]] = defaultdict(dict)
    attempts: dict[tuple[int, int], int] = defaultdict(int)
    exercise_layers: dict[int, list[int]] = defaultdict(list)
    usernames: dict[int, dict[str, str]] = defaultdict(dict)
    for layer_id, exercise_id, owner_id, username, title in layers:
        number = numbers[exercise_id].setdefault(owner_id, len(numbers[exercise_id]) + 1)
        attempts[(exercise_id, owner_id)] += 1
        pseudonym = f"Classmate {number}"
        if username:
            usernames[exercise_id][username] = pseudonym
        exercise_layers[exercise_id].append(layer_id)
        if owner_id == user.pk:
            continue
        attempt = attempts[(exercise_id, owner_id)]
        masks.layer_names[layer_id] = f"{pseudonym} · {title}" + (f" (attempt {attempt})" if attempt > 1 else "")
        masks.owners[layer_id] = pseudonym
    for exercise_id, layer_ids in exercise_layers.items():
        names = {name: pseudonym for name, pseudonym in usernames[exercise_id].items() if name != user.get_username()}
        for layer_id in layer_ids:
            if layer_id in masks.layer_names:
                masks.names[layer_id] = names
    return masks

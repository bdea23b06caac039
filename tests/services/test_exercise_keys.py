"""An exercise's key (services/exercise_keys.py): replaced by a copy of a layer of the class or by an imported map."""
from __future__ import annotations


import pytest

from annotations import services as ex
from annotations.errors import InvalidInput
from annotations.models import Layer
from tests.fixtures.classroom import tag


def test_key_from_a_layer_and_from_an_import(classroom):
    """The key is replaced by the teacher's own map, and by an imported argmap JSON file."""
    from annotations.formats.registry import get_format
    from annotations.selectors.maps import argument_map_get

    c = classroom
    own = ex.submission_start(exercise=c.exercise, user=c.student)  # any non-key layer of the class
    teacher_layer = Layer.objects.create(project=c.project, kind="personal", owner=c.teacher, name="teacher")
    tag(c.paragraph, teacher_layer, c.teacher, 0, 31, "claim")
    ex.exercise_key_copy(exercise=c.exercise, user=c.teacher, source=teacher_layer)
    assert list(c.key.annotations.values_list("label", flat=True)) == ["claim"]
    with pytest.raises(InvalidInput):
        ex.exercise_key_copy(exercise=c.exercise, user=c.teacher, source=own.layer)
    exported = get_format("json").export(argument_map_get(document=c.document, layer=teacher_layer))
    tag(c.paragraph, teacher_layer, c.teacher, 32, 80, "evidence")
    data = get_format("json").export(argument_map_get(document=c.document, layer=teacher_layer))
    assert ex.exercise_key_import(exercise=c.exercise, user=c.teacher, format_name="json", name="key.json", data=data) == 2
    assert c.key.annotations.count() == 2 and exported

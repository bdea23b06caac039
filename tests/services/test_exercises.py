"""Setting exercises (services/exercises.py): work tied to one exercise and one student, duplicating into
another class, deleting with the submitted work."""
from __future__ import annotations


import pytest
from django.db import IntegrityError, transaction

from annotations import services as ex
from annotations.models import Layer, Submission
from annotations.selectors.exercises import exercise_key_layer
from tests.fixtures.classroom import tag


def test_work_belongs_to_one_exercise_and_one_student(classroom):
    """A submission cannot point at a layer of another exercise or another student (composite key)."""
    c = classroom
    other = ex.exercise_create(project=c.project, user=c.teacher, title="Second", document_ids=[c.document.pk])
    foreign = Layer.objects.create(project=c.project, kind="exercise_work", exercise=other, owner=c.student, name="y")
    with pytest.raises(IntegrityError):
        with transaction.atomic():
            Submission.objects.create(exercise=c.exercise, student=c.student, attempt=1, layer=foreign)
    bobs = Layer.objects.create(project=c.project, kind="exercise_work", exercise=c.exercise, owner=c.student_b, name="z")
    with pytest.raises(IntegrityError):
        with transaction.atomic():
            Submission.objects.create(exercise=c.exercise, student=c.student, attempt=1, layer=bobs)
    with pytest.raises(IntegrityError):
        with transaction.atomic():
            Layer.objects.create(project=c.other, kind="exercise_work", exercise=c.exercise, owner=c.student, name="w")


def test_duplicate_for_another_class(classroom):
    """The copy has the key, its relations and notes, on the other class's copy of the document."""
    c = classroom
    copy = ex.exercise_duplicate(exercise=c.exercise, user=c.teacher, project=c.other)
    key = exercise_key_layer(copy)
    assert copy.project_id == c.other.pk and key.annotations.count() == 3 and key.relations.count() == 2
    assert copy.key_notes.get().text == "Dogs protecting homes speaks for dogs."
    assert copy.documents.get().project_id == c.other.pk


def test_deleting_the_exercise_takes_submitted_work_with_it(classroom):
    """The trigger lets a whole exercise go, submitted work included."""
    c = classroom
    submission = ex.submission_start(exercise=c.exercise, user=c.student)
    tag(c.paragraph, submission.layer, c.student, 0, 31, "claim")
    ex.submission_submit(submission=submission, user=c.student)
    ex.exercise_delete(exercise=c.exercise, user=c.teacher)
    assert not Submission.objects.exists() and not Layer.objects.filter(kind__startswith="exercise").exists()

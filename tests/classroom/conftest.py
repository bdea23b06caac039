"""A class: a teacher (owner), two students, a student of another class, an exercise on one
document with a three-span key (with a note) and two relations."""
from __future__ import annotations

import pytest

TEXT = "Cats are better pets than dogs. They need less care, according to a 2020 survey. Dogs protect homes."


@pytest.fixture
def classroom(db):
    from annotations import services
    from annotations.models import Annotation, Relation, Role
    from annotations.selectors.exercises import exercise_key_layer
    from tests.factories import DocumentFactory, MembershipFactory, ParagraphFactory, ProjectFactory, UserFactory

    project = ProjectFactory(slug="class-a", name="Class A")
    other = ProjectFactory(slug="class-b", name="Class B")
    teacher = MembershipFactory(project=project, user=UserFactory(username="teacher"), role=Role.OWNER).user
    MembershipFactory(project=other, user=teacher, role=Role.OWNER)
    student = MembershipFactory(project=project, user=UserFactory(username="ann"), role=Role.ANNOTATOR).user
    student_b = MembershipFactory(project=project, user=UserFactory(username="bob"), role=Role.ANNOTATOR).user
    stranger = MembershipFactory(project=other, user=UserFactory(username="cy"), role=Role.ANNOTATOR).user
    document = DocumentFactory(project=project, title="Pets")
    ParagraphFactory(document=document, position=0, text="Pets", kind="heading")
    paragraph = ParagraphFactory(document=document, position=1, text=TEXT)
    exercise = services.exercise_create(project=project, user=teacher, title="Map the pets article", document_ids=[document.pk],
                                        instructions="Tag the claim, its evidence and the counterclaim.")
    key = exercise_key_layer(exercise)
    spans = {}
    for name, start, end, label in (("claim", 0, 31, "claim"), ("evidence", 32, 80, "evidence"), ("counter", 81, 100, "counterclaim")):
        spans[name] = services.annotation_create(paragraph=paragraph, layer=key, user=teacher, start=start, end=end,
                                                 label=label, quote=None)
    services.relation_create(source=spans["evidence"], target=spans["claim"], kind="supports", user=teacher)
    services.relation_create(source=spans["counter"], target=spans["claim"], kind="attacks", user=teacher)
    services.key_note_set(exercise=exercise, user=teacher, annotation=spans["counter"], text="Dogs protecting homes speaks for dogs.")
    project.refresh_from_db()
    return type("Classroom", (), dict(
        project=project, other=other, teacher=teacher, student=student, student_b=student_b, stranger=stranger,
        document=document, paragraph=paragraph, exercise=exercise, key=key, key_spans=spans,
    ))


def tag(paragraph, layer, user, start, end, label):
    from annotations import services

    return services.annotation_create(paragraph=paragraph, layer=layer, user=user, start=start, end=end, label=label, quote=None)

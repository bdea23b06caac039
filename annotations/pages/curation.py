"""Curation pages (curators and owners): the automatic merge of annotators' layers, the open
disagreements, picking spans and relations into the consensus, "none of these" (and taking it
back), the answer key from it."""
from __future__ import annotations

import functools

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from annotations import params, services
from annotations.errors import InvalidInput, NotFound
from annotations.pages import SHOWN_ON_PAGE
from annotations.permissions import check_can_curate
from annotations.selectors import document_get_for_user
from annotations.selectors.curation import (annotator_layers, candidate_spans, curation_get, parse_share, rejection_get,
                                           relation_for_pick)
from annotations.selectors.layers import visible_layers_by_id
from annotations.selectors.visibility import visible_annotations


def _curator_document(request, document_id):
    document = document_get_for_user(document_id=document_id, user=request.user)
    check_can_curate(document.project_id, request.user)
    return document


@login_required
def document_curate(request, document_id):
    document = _curator_document(request, document_id)
    layer_ids = params.id_list(request.GET.getlist("layers") or None)
    share, match = request.GET.get("share", "all"), request.GET.get("match", "exact")
    data = curation_get(document=document, user=request.user, layer_ids=layer_ids, share=share, match=match)
    share_options = [("all", "all annotators agree"), ("0.75", "¾ of annotators agree"),
                     ("0.5", "half of annotators agree"), ("0.34", "a third of annotators agree")]
    if share not in {value for value, _ in share_options}:
        share_options.append((share, f"a share of {data['share']:g} agrees"))
    return render(request, "annotations/document_curate.html", {
        "share_options": share_options,
        "document": document, "project": document.project, "data": data,
        "chosen": {layer["id"] for layer in data["layers"]}, "share_value": share, "match": match,
        "labels": document.project.labels, "query": request.GET.urlencode(),
    })


def _curate_url(request, document):
    return reverse("document-curate", args=[document.pk]) + (f"?{request.POST['query']}" if request.POST.get("query") else "")


def _curator_post(view):
    """A curator's POST from the document's curation page: ``view(request, document)`` looks up
    what it acts on (a failed lookup is an error page) and returns ``_done(...)``."""
    @login_required
    @require_POST
    @functools.wraps(view)
    def wrapped(request, document_id):
        return view(request, _curator_document(request, document_id))
    return wrapped


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def _done(request, document, act, refusals=SHOWN_ON_PAGE):
    """Run ``act`` (one service call; it returns the success message); a refusal in ``refusals``
    becomes the message instead. Either way, back to the curation page."""
    try:
        messages.success(request, act())
    except refusals as error:
        messages.error(request, error.message)
    return redirect(_curate_url(request, document))


@_curator_post
def curate_merge(request, document):
    layer_ids = params.id_list(request.POST.getlist("layers") or None)
    layers = (
        visible_layers_by_id(project_id=document.project_id, user=request.user, layer_ids=layer_ids)
        if layer_ids else annotator_layers(document=document)
    )

    def merge():
        outcome = services.consensus_merge(
            document=document, layers=layers, user=request.user, min_agreement=parse_share(request.POST.get("share", "all")),
            match=request.POST.get("match", "exact"), replace=request.POST.get("replace") == "1",
        )
        left = len(outcome.curation.disagreements)
        return (
            f"Merged: {_count(outcome.spans_added, 'span')} and {_count(outcome.relations_added, 'relation')} added to the "
            f"consensus ({outcome.spans_kept} already there, {outcome.spans_removed} removed first); "
            f"{_count(left, 'disagreement')} left to decide."
        )
    return _done(request, document, merge, refusals=InvalidInput)


@_curator_post
def curate_pick(request, document):
    source = visible_annotations(request.user).select_related("layer__project", "paragraph").filter(
        pk=params.whole_number(request.POST.get("annotation", ""), name="annotation", what="a span id"), document=document
    ).first()
    if source is None:
        raise NotFound("No such candidate span in this document.")

    def pick():
        picked = services.consensus_pick(
            document=document, source=source, user=request.user, label=request.POST.get("label") or None,
            start=params.optional_offset(request.POST.get("start"), name="start"),
            end=params.optional_offset(request.POST.get("end"), name="end"),
        )
        return f"Picked {picked.label} “{picked.quote}” into the consensus."
    return _done(request, document, pick)


@_curator_post
def curate_pick_relation(request, document):
    relation_id = params.whole_number(request.POST.get("relation", ""), name="relation", what="a relation id")
    relation = relation_for_pick(document=document, relation_id=relation_id, user=request.user)

    def pick():
        services.consensus_pick_relation(document=document, relation=relation, user=request.user)
        return "Relation picked into the consensus."
    return _done(request, document, pick)


@_curator_post
def curate_reject(request, document):
    ids = [params.whole_number(raw, name="annotation", what="a span id") for raw in request.POST.getlist("annotation")]
    if not ids:
        raise InvalidInput("Name the candidate spans to reject.")
    candidates = candidate_spans(document=document, user=request.user, ids=ids)

    def reject():
        services.consensus_reject(document=document, candidates=candidates, user=request.user)
        if len(candidates) == 1:
            return "Rejected the only candidate: it does not go into the consensus."
        return f"Rejected all {len(candidates)} candidates: none goes into the consensus."
    return _done(request, document, reject)


@_curator_post
def curate_reject_undo(request, document):
    rejection = rejection_get(document=document, rejection_id=params.whole_number(
        request.POST.get("rejection", ""), name="rejection", what="a decision id"))

    def undo():
        services.consensus_reject_undo(rejection=rejection, user=request.user)
        return "The disagreement is open again."
    return _done(request, document, undo)


@_curator_post
def curate_answer_key(request, document):
    def copy():
        services.answer_key_from_consensus(document=document, user=request.user)
        return "The answer key of this document is now a copy of its consensus."
    return _done(request, document, copy, refusals=InvalidInput)

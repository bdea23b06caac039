"""Pages for working together: members and invitations, joining by link, comparing two
layers, a document's activity and comments, agreement, and curating the consensus.

Each view parses the request, calls one selector or service and renders; domain errors
become error pages (``DomainErrorMiddleware``) or a message on the page they came from.
"""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from annotations import services
from annotations.agreement import MATRIX_METRICS, PER_LABEL_METRICS
from annotations.errors import ArgmapError, Conflict, InvalidInput, NotFound, NotPermitted
from annotations.models import Invitation, Role
from annotations.permissions import CURATOR_ROLES, can_manage_members, role_in
from annotations.selectors import document_get_for_user, project_get_for_user
from annotations.selectors.agreement import document_agreement_get, project_agreement_get
from annotations.selectors.collaboration import (
    activity_list,
    changes_cursor,
    comments_for_document,
    invitations_of,
    members_of,
)
from annotations.selectors.curation import annotator_layers, curation_get, parse_share, relation_for_pick
from annotations.selectors.layers import (
    document_layers_with_counts,
    layers_compare,
    parse_layer_ids,
    visible_layers_by_id,
)
from annotations.selectors.visibility import visible_annotations
from annotations.services.collaboration import invitation_get_by_token, invitation_problem

# Refusals a page reports as a message and stays; NotPermitted still becomes the 403 page.
SHOWN_ON_PAGE = (InvalidInput, Conflict, NotFound)

METRIC_NAMES = {
    "span_exact.f1": "Span F1, exact match",
    "span_overlap.f1": "Span F1, ≥ 50 % overlap",
    "span_exact_any_label.f1": "Span F1, exact, any label",
    "span_overlap_any_label.f1": "Span F1, overlap, any label",
    "span_exact.precision": "Span precision, exact",
    "span_exact.recall": "Span recall, exact",
    "span_overlap.precision": "Span precision, overlap",
    "span_overlap.recall": "Span recall, overlap",
    "relation_exact.f1": "Relation F1, exact ends",
    "relation_overlap.f1": "Relation F1, overlapping ends",
    "token_kappa": "Cohen's kappa on token labels",
    "token_alpha": "Krippendorff's alpha on token labels",
    "unitizing_alpha": "Unitizing alpha (uα)",
    "unitizing_alpha_any_label": "Unitizing alpha, any label",
}
CHART_METRICS = ("span_exact.f1", "span_overlap.f1", "relation_overlap.f1", "token_kappa", "unitizing_alpha")


def _back(request, fallback: str):
    return redirect(request.POST.get("next") or fallback)


# ---- members and invitations --------------------------------------------------------------------

@login_required
def project_members(request, slug):
    project = project_get_for_user(slug=slug, user=request.user)
    is_owner = can_manage_members(project, request.user)
    return render(request, "annotations/project_members.html", {
        "project": project,
        "members": members_of(project=project),
        "invitations": [
            (invitation, invitation_problem(invitation),
             request.build_absolute_uri(reverse("invitation-accept", args=[invitation.token])))
            for invitation in invitations_of(project=project)
        ] if is_owner else [],
        "is_owner": is_owner,
        "role": role_in(project, request.user),
        "roles": Role.choices,
    })


def _member_from_post(request, project):
    user = get_user_model().objects.filter(username=request.POST.get("username", ""), memberships__project=project).first()
    if user is None:
        raise NotFound(f"{request.POST.get('username', '')!r} is not a member of this project.")
    return user


@login_required
@require_POST
def project_member_role(request, slug):
    project = project_get_for_user(slug=slug, user=request.user)
    user = _member_from_post(request, project)
    try:
        services.membership_change_role(project=project, user=user, role=request.POST.get("role", ""), by=request.user)
        messages.success(request, f"{user.get_username()} is now {request.POST.get('role')}.")
    except SHOWN_ON_PAGE as error:
        messages.error(request, error.message)
    return redirect("project-members", slug=slug)


@login_required
@require_POST
def project_member_remove(request, slug):
    project = project_get_for_user(slug=slug, user=request.user)
    user = _member_from_post(request, project)
    leaving = user.pk == request.user.pk
    try:
        services.membership_remove(project=project, user=user, by=request.user)
    except SHOWN_ON_PAGE as error:
        messages.error(request, error.message)
        return redirect("project-members", slug=slug)
    if leaving:
        messages.success(request, f"You left {project.name}.")
        return redirect("project-list")
    messages.success(request, f"{user.get_username()} was removed from the project; their layer stays.")
    return redirect("project-members", slug=slug)


@login_required
@require_POST
def invitation_create(request, slug):
    project = project_get_for_user(slug=slug, user=request.user)
    try:
        days = int(request.POST.get("days") or 14)
        max_uses = int(request.POST.get("max_uses") or 1)
    except ValueError:
        messages.error(request, "Days and number of people must be whole numbers.")
        return redirect("project-members", slug=slug)
    try:
        invitation = services.invitation_create(
            project=project, by=request.user, role=request.POST.get("role", Role.ANNOTATOR), days=days,
            max_uses=max_uses, note=request.POST.get("note", ""),
        )
    except SHOWN_ON_PAGE as error:
        messages.error(request, error.message)
        return redirect("project-members", slug=slug)
    messages.success(request, f"New invitation link ({invitation.get_role_display().lower()}) created below.")
    return redirect("project-members", slug=slug)


@login_required
@require_POST
def invitation_revoke(request, slug, invitation_id):
    project = project_get_for_user(slug=slug, user=request.user)
    invitation = Invitation.objects.select_related("project").filter(pk=invitation_id, project=project).first()
    if invitation is None:
        raise NotFound(f"No invitation {invitation_id} in this project.")
    services.invitation_revoke(invitation=invitation, by=request.user)
    messages.success(request, "The invitation link no longer works.")
    return redirect("project-members", slug=slug)


@require_http_methods(["GET", "POST"])
def invitation_accept(request, token):
    """Signed in: accept. Signed out: sign up here (or sign in and come back)."""
    invitation = invitation_get_by_token(token)
    problem = invitation_problem(invitation)
    member_role = role_in(invitation.project_id, request.user) if request.user.is_authenticated else None
    error = None
    form = {"username": "", "email": ""}
    if request.method == "POST":
        try:
            if request.user.is_authenticated:
                services.invitation_accept(token=token, user=request.user)
            else:
                form = {"username": request.POST.get("username", ""), "email": request.POST.get("email", "")}
                user = services.user_sign_up(
                    token=token, username=form["username"], email=form["email"],
                    password=request.POST.get("password", ""), password_again=request.POST.get("password_again", ""),
                )
                login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, f"Welcome to {invitation.project.name}.")
            return redirect("project-detail", slug=invitation.project.slug)
        except ArgmapError as failure:
            error = failure.message
    return render(request, "annotations/invitation.html", {
        "invitation": invitation, "problem": problem, "member_role": member_role, "error": error, "form": form,
    }, status=400 if error else 200)


# ---- layers: compare, activity ----------------------------------------------------------------------

@login_required
def document_compare(request, document_id):
    document = document_get_for_user(document_id=document_id, user=request.user)
    layers = document_layers_with_counts(document=document, user=request.user)
    comparison = None
    first_id, second_id = request.GET.get("first", ""), request.GET.get("second", "")
    if first_id and second_id:
        ids = parse_layer_ids([first_id, second_id])
        if len(ids) != 2:
            raise InvalidInput("Choose two different layers.")
        first, second = visible_layers_by_id(project_id=document.project_id, user=request.user, layer_ids=ids)
        comparison = layers_compare(document=document, first=first, second=second, match=request.GET.get("match", "exact"))
        for paragraph in comparison["paragraphs"]:
            paragraph["first_pieces"] = _pieces(paragraph["text"], paragraph["first"])
            paragraph["second_pieces"] = _pieces(paragraph["text"], paragraph["second"])
    elif len(layers) >= 2:
        first_id, second_id = str(layers[0].pk), str(layers[1].pk)
    return render(request, "annotations/document_compare.html", {
        "document": document, "project": document.project, "layers": layers, "comparison": comparison,
        "first_id": first_id, "second_id": second_id, "match": request.GET.get("match", "exact"),
    })


def _pieces(text: str, spans: list[dict]) -> list[dict]:
    """The paragraph cut into plain and marked pieces (outermost spans; nested ones are listed in titles)."""
    pieces, position = [], 0
    for span in sorted(spans, key=lambda s: (s["start"], -s["end"])):
        if span["start"] < position:
            continue
        if span["start"] > position:
            pieces.append({"text": text[position:span["start"]]})
        pieces.append({"text": text[span["start"]:span["end"]], "span": span})
        position = span["end"]
    if position < len(text):
        pieces.append({"text": text[position:]})
    return pieces


@login_required
def document_activity(request, document_id):
    document = document_get_for_user(document_id=document_id, user=request.user)
    comments = list(comments_for_document(document=document, user=request.user))
    threads = {}
    for comment in comments:
        threads.setdefault(comment.annotation_id, {"annotation": comment.annotation, "comments": []})["comments"].append(comment)
    role = role_in(document.project_id, request.user)
    cursor = changes_cursor(document=document)  # read before the list: a change in between shows twice, never not at all
    return render(request, "annotations/document_activity.html", {
        "document": document, "project": document.project,
        "events": activity_list(document=document, user=request.user, limit=200),
        "cursor": cursor,
        "threads": list(threads.values()),
        "can_comment": role in {Role.OWNER, Role.CURATOR, Role.ANNOTATOR},
    })


@login_required
def mentions(request):
    from annotations.selectors.collaboration import mentions_of

    return render(request, "annotations/mentions.html", {"comments": mentions_of(request.user)[:100]})


@login_required
@require_POST
def comment_post(request, document_id):
    document = document_get_for_user(document_id=document_id, user=request.user)
    annotation = visible_annotations(request.user).select_related("layer__project").filter(
        pk=request.POST.get("annotation") if str(request.POST.get("annotation", "")).isdigit() else 0, document=document
    ).first()
    if annotation is None:
        raise NotFound("No such span in this document.")
    try:
        services.comment_create(annotation=annotation, user=request.user, body=request.POST.get("body", ""))
    except InvalidInput as error:
        messages.error(request, error.message)
    return redirect(reverse("document-activity", args=[document.pk]) + f"#thread-{annotation.pk}")


@login_required
@require_POST
def comment_resolve(request, document_id, comment_id):
    document = document_get_for_user(document_id=document_id, user=request.user)
    comment = comments_for_document(document=document, user=request.user).filter(pk=comment_id).first()
    if comment is None:
        raise NotFound(f"No comment {comment_id} in this document.")
    services.comment_set_resolved(comment=comment, user=request.user, resolved=request.POST.get("resolved") == "1")
    return redirect(reverse("document-activity", args=[document.pk]) + f"#thread-{comment.annotation_id}")


# ---- agreement ------------------------------------------------------------------------------------------

def _format(value) -> str:
    return "—" if value is None else f"{value:.2f}"


def _agreement_context(view, metric: str, label_metric: str) -> dict:
    report = view.report
    names = report.layers
    matrix = report.matrix(metric) if len(names) >= 2 else []
    rows = [(names[i], [_format(v) if i != j else "" for j, v in enumerate(row)]) for i, row in enumerate(matrix)]
    per_label = []
    for pair in report.pairs:
        per_label.append((
            f"{pair.reference} / {pair.candidate}",
            [_format(report.value(label_metric, pair.reference, pair.candidate, label)) for label in report.labels],
        ))
    chart = _chart(report)
    group = report.group
    return {
        "report": report, "metric": metric, "metric_name": METRIC_NAMES[metric], "matrix_rows": rows,
        "metrics": [(m, METRIC_NAMES[m]) for m in MATRIX_METRICS], "label_metric": label_metric,
        "label_metrics": [(m, METRIC_NAMES[m]) for m in PER_LABEL_METRICS], "per_label": per_label,
        "chart": chart,
        "group": group and {
            "token_alpha": _format(group.token_alpha), "unitizing_alpha": _format(group.unitizing_alpha),
            "unitizing_alpha_any_label": _format(group.unitizing_alpha_any_label),
            "by_label": [(label, _format(value)) for label, value in group.unitizing_alpha_by_label.items()],
            "documents": group.documents, "documents_with_every_layer": group.documents_with_every_layer,
        },
    }


CHART_COLOURS = ["#0b57d0", "#6a9af0", "#b06000", "#188038", "#9334e6"]


def _chart(report) -> dict:
    """Geometry of a grouped bar chart (one group per pair, one bar per metric), drawn as SVG by the template."""
    bar, gap, group_gap, left, top, height = 16, 2, 28, 40, 10, 180
    groups = []
    x = left
    for pair in report.pairs:
        bars = []
        for index, metric in enumerate(CHART_METRICS):
            value = report.value(metric, pair.reference, pair.candidate)
            shown = 0.0 if value is None else max(0.0, min(1.0, value))
            bar_height = round(shown * height, 1)
            bars.append({
                "x": x, "y": round(top + height - bar_height, 1), "width": bar, "height": bar_height,
                "colour": CHART_COLOURS[index],
                "title": f"{pair.reference} / {pair.candidate}: {METRIC_NAMES[metric]} {_format(value)}",
            })
            x += bar + gap
        label = f"{pair.reference} / {pair.candidate}"
        groups.append({"label": label if len(label) <= 32 else label[:31] + "…", "label_x": x - gap, "bars": bars})
        x += group_gap
    return {
        "width": max(x + left, 240), "height": top + height + 110, "baseline": top + height, "top": top,
        "middle": top + height / 2, "label_y": top + height + 14, "axis_x": left - 6, "groups": groups,
        "legend": [(CHART_COLOURS[i], METRIC_NAMES[m]) for i, m in enumerate(CHART_METRICS)],
    }


def _agreement_params(request):
    metric = request.GET.get("metric", "span_overlap.f1")
    if metric not in MATRIX_METRICS:
        raise InvalidInput(f"Unknown metric {metric!r}.")
    label_metric = request.GET.get("label_metric", "span_overlap.f1")
    if label_metric not in PER_LABEL_METRICS:
        raise InvalidInput(f"Unknown per-label metric {label_metric!r}.")
    return parse_layer_ids(request.GET.getlist("layers") or None), metric, label_metric, request.GET.get("overlap", 0.5)


@login_required
def document_agreement(request, document_id):
    document = document_get_for_user(document_id=document_id, user=request.user)
    layer_ids, metric, label_metric, overlap = _agreement_params(request)
    view = document_agreement_get(document=document, user=request.user, layer_ids=layer_ids, overlap_threshold=overlap)
    return render(request, "annotations/agreement.html", {
        "document": document, "project": document.project, "scope": document.title,
        "choices": document_layers_with_counts(document=document, user=request.user),
        "chosen": {layer.pk for layer in view.layers}, **_agreement_context(view, metric, label_metric),
    })


@login_required
def project_agreement(request, slug):
    from annotations.selectors.layers import project_layers_with_counts

    project = project_get_for_user(slug=slug, user=request.user)
    layer_ids, metric, label_metric, overlap = _agreement_params(request)
    view = project_agreement_get(project=project, user=request.user, layer_ids=layer_ids, overlap_threshold=overlap)
    return render(request, "annotations/agreement.html", {
        "document": None, "project": project, "scope": f"all {len(view.documents)} documents of {project.name}",
        "choices": project_layers_with_counts(project=project, user=request.user),
        "chosen": {layer.pk for layer in view.layers}, **_agreement_context(view, metric, label_metric),
    })


# ---- curation -------------------------------------------------------------------------------------------

def _curator_document(request, document_id):
    document = document_get_for_user(document_id=document_id, user=request.user)
    if role_in(document.project_id, request.user) not in CURATOR_ROLES:
        raise NotPermitted("Only curators and the project's owner can curate the consensus.")
    return document


@login_required
def document_curate(request, document_id):
    document = _curator_document(request, document_id)
    layer_ids = parse_layer_ids(request.GET.getlist("layers") or None)
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


@login_required
@require_POST
def curate_merge(request, document_id):
    document = _curator_document(request, document_id)
    layer_ids = parse_layer_ids(request.POST.getlist("layers") or None)
    layers = (
        visible_layers_by_id(project_id=document.project_id, user=request.user, layer_ids=layer_ids)
        if layer_ids else annotator_layers(document=document)
    )
    try:
        outcome = services.consensus_merge(
            document=document, layers=layers, user=request.user, min_agreement=parse_share(request.POST.get("share", "all")),
            match=request.POST.get("match", "exact"), replace=request.POST.get("replace") == "1",
        )
        messages.success(
            request,
            f"Merged: {outcome.spans_added} spans and {outcome.relations_added} relations added to the consensus "
            f"({outcome.spans_kept} already there, {outcome.spans_removed} removed first); "
            f"{len(outcome.curation.disagreements)} disagreements left to decide.",
        )
    except InvalidInput as error:
        messages.error(request, error.message)
    return redirect(_curate_url(request, document))


@login_required
@require_POST
def curate_pick(request, document_id):
    document = _curator_document(request, document_id)
    raw = request.POST.get("annotation", "")
    source = visible_annotations(request.user).select_related("layer__project", "paragraph").filter(
        pk=int(raw) if raw.isdigit() else 0, document=document
    ).first()
    if source is None:
        raise NotFound("No such candidate span in this document.")

    def number(name):
        value = request.POST.get(name, "")
        return int(value) if value.strip().isdigit() else None

    try:
        picked = services.consensus_pick(
            document=document, source=source, user=request.user, label=request.POST.get("label") or None,
            start=number("start"), end=number("end"),
        )
        messages.success(request, f"Picked {picked.label} “{picked.quote}” into the consensus.")
    except SHOWN_ON_PAGE as error:
        messages.error(request, error.message)
    return redirect(_curate_url(request, document))


@login_required
@require_POST
def curate_pick_relation(request, document_id):
    document = _curator_document(request, document_id)
    raw = request.POST.get("relation", "")
    relation = relation_for_pick(document=document, relation_id=int(raw) if raw.isdigit() else 0, user=request.user)
    try:
        services.consensus_pick_relation(document=document, relation=relation, user=request.user)
        messages.success(request, "Relation picked into the consensus.")
    except SHOWN_ON_PAGE as error:
        messages.error(request, error.message)
    return redirect(_curate_url(request, document))


@login_required
@require_POST
def curate_answer_key(request, document_id):
    document = _curator_document(request, document_id)
    try:
        services.answer_key_from_consensus(document=document, user=request.user)
        messages.success(request, "The answer key of this document is now a copy of its consensus.")
    except InvalidInput as error:
        messages.error(request, error.message)
    return redirect(_curate_url(request, document))


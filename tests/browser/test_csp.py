"""Every page under the Content Security Policy in Chromium: no violation, no console error.

The policy (argmap/security.py) allows scripts and styles only from our static files. Each
page is loaded signed in as a project owner who is also staff (admin pages), with listeners
for ``securitypolicyviolation`` (registered before any page script) and console errors; the
document page is waited for until the workspace has drawn its text and map. A test checks that
every page URL of the app is either loaded here or named as POST-only or a download. The admin
is loaded whole: its index, each app's index, and for every registered model its changelist,
its add form (where the admin offers one) and the change form of a row (``admin_pages``).
"""
from __future__ import annotations

import pytest
from tests.browser.conftest import context_for

pytestmark = pytest.mark.browser

LISTEN = """
window.__csp = [];
document.addEventListener('securitypolicyviolation', (event) => {
  window.__csp.push(`${event.violatedDirective} blocked ${event.blockedURI || 'inline'} at ${event.sourceFile}:${event.lineNumber}`);
});
"""

# Page URL names that answer only POST (forms) or send a file: not pages to load.
POST_ONLY = {
    "exercise-submit", "exercise-attempt", "class-join-code", "class-student", "exercise-settings", "exercise-key",
    "exercise-release", "exercise-duplicate",
    "document-upload", "project-member-role", "project-member-remove", "invitation-create", "invitation-revoke",
    "comment-post", "comment-resolve", "curate-merge", "curate-pick", "curate-pick-relation", "curate-answer-key",
    "curate-reject", "curate-reject-undo", "map-import",
}
DOWNLOADS = {"document-export", "project-export", "export-result", "exercise-grades"}


def student_pages(world):
    exercise, document = world["exercise"], world["document"]
    return {"exercise-workspace": f"/e/{exercise.pk}/d/{document.pk}/", "exercise-detail": f"/e/{exercise.pk}/",
            "my-exercises": "/exercises/"}


@pytest.fixture
def world(transactional_db):
    """An owner (staff) with a document holding spans of two people, a relation, a comment and suggestions."""
    from annotations import services
    from annotations.models import Role
    from tests.factories import MembershipFactory, ProjectFactory, UserFactory
    from tests.paths import SAMPLE_ARTICLE

    owner = UserFactory(username="olga", is_staff=True, is_superuser=True)
    other = UserFactory(username="omar")
    project = ProjectFactory(slug="csp", name="CSP")
    MembershipFactory(project=project, user=owner, role=Role.OWNER)
    MembershipFactory(project=project, user=other, role=Role.ANNOTATOR)
    document = services.document_import(project=project, user=owner, data=SAMPLE_ARTICLE.read_bytes(),
                                        filename=SAMPLE_ARTICLE.name)
    body = [paragraph for paragraph in document.paragraphs.all() if paragraph.kind == "body"][:2]
    spans = []
    for user in (owner, other):
        for paragraph, label in zip(body, ("claim", "evidence")):
            words = paragraph.text.split(" ")
            quote = " ".join(words[:6])
            spans.append(services.annotation_create(paragraph=paragraph, layer=None, user=user, start=0,
                                                    end=len(quote), label=label, quote=quote))
    services.relation_create(source=spans[1], target=spans[0], kind="supports", user=owner)
    services.comment_create(annotation=spans[0], user=owner, body="Is this the main claim, @omar?")
    services.suggestions_compute(document=document)
    invitation = services.invitation_create(project=project, by=owner, role=Role.ANNOTATOR)
    layers = sorted(span.layer_id for span in spans[::2])
    from annotations.services import classes
    from annotations import services as ex

    exercise = ex.exercise_create(project=project, user=owner, title="Map the article", document_ids=[document.pk],
                                  instructions="Tag the claim and its evidence.")
    submission = ex.submission_start(exercise=exercise, user=other)
    code = classes.join_code_open(project=project, user=owner)
    _a_row_for_every_admin_model(owner=owner, student=other, document=document)
    return {"owner": owner, "student": other, "project": project, "document": document, "invitation": invitation,
            "layers": layers, "exercise": exercise, "submission": submission, "join_code": code.code}


def _a_row_for_every_admin_model(*, owner, student, document):
    """Rows the world above does not make on its own, so that every admin change form has one to show."""
    from django.contrib.auth.models import Group
    from rest_framework.authtoken.models import Token

    from annotations import services
    from annotations.models import Suggestion
    from annotations.tasks.suggestions import compute_suggestions_task

    Group.objects.get_or_create(name="Teachers")
    Token.objects.get_or_create(user=owner)
    suggestion = Suggestion.objects.filter(paragraph__document=document).order_by("pk").first()
    if suggestion is not None:
        services.suggestion_reject(suggestion=suggestion, user=student)
    compute_suggestions_task.enqueue(document_id=document.pk)


def admin_pages(user):
    """Every admin page to load, by name: the index, app indexes, password change, and per
    registered model its changelist, add form (if offered to ``user``) and first row's change form."""
    from django.contrib import admin
    from django.test import RequestFactory
    from django.urls import reverse

    request = RequestFactory().get("/admin/")
    request.user = user
    pages = {"admin:index": reverse("admin:index"), "admin:password_change": reverse("admin:password_change")}
    for model, model_admin in admin.site._registry.items():
        info = model._meta.app_label, model._meta.model_name
        pages[f"admin:app_list {info[0]}"] = reverse("admin:app_list", args=[info[0]])
        pages["admin:%s_%s_changelist" % info] = reverse("admin:%s_%s_changelist" % info)
        if model_admin.has_add_permission(request):
            pages["admin:%s_%s_add" % info] = reverse("admin:%s_%s_add" % info)
        row = model._default_manager.order_by("pk").first()
        pages["admin:%s_%s_change" % info] = reverse("admin:%s_%s_change" % info, args=[row.pk]) if row else None
    return pages


def page_urls(world):
    project, document = world["project"], world["document"]
    first, second = world["layers"]
    return {
        "project-list": "/",
        "project-detail": f"/p/{project.slug}/",
        "project-members": f"/p/{project.slug}/members/",
        "project-agreement": f"/p/{project.slug}/agreement/",
        "invitation-accept": f"/invite/{world['invitation'].token}/",
        "mentions": "/mentions/",
        "document-detail": f"/d/{document.pk}/",
        "document-compare": f"/d/{document.pk}/compare/?first={first}&second={second}",
        "document-activity": f"/d/{document.pk}/activity/",
        "document-agreement": f"/d/{document.pk}/agreement/",
        "document-curate": f"/d/{document.pk}/curate/",
        # classroom (teacher's view; the student's are in STUDENT_PAGES)
        "join": "/join/",
        "join-code": f"/join/{world['join_code']}/",
        "my-exercises": "/exercises/",
        "class-page": f"/p/{project.slug}/class/",
        "exercise-detail": f"/e/{world['exercise'].pk}/",
        "exercise-dashboard": f"/e/{world['exercise'].pk}/dashboard/",
        "submission-review": f"/e/{world['exercise'].pk}/submissions/{world['submission'].pk}/",
        # accounts, admin, API pages
        "password_change": "/accounts/password_change/",
        "password_reset": "/accounts/password_reset/",
        "api-docs": "/api/docs/",
        "api-root": "/api/",
        "api-projects": "/api/projects/",
    }


def test_every_app_page_is_loaded_or_named():
    """Each URL name of the app's pages is loaded by the CSP test, or listed as POST-only or a download."""
    from annotations import urls

    from types import SimpleNamespace

    names = {pattern.name for pattern in urls.urlpatterns}
    placeholders = {"project": SimpleNamespace(slug="s", pk=1), "document": SimpleNamespace(pk=1),
                    "invitation": SimpleNamespace(token="t"), "layers": [1, 2]}
    placeholders.update(exercise=SimpleNamespace(pk=1), submission=SimpleNamespace(pk=1), join_code="ABCD")
    missing = names - set(page_urls(placeholders)) - set(student_pages(placeholders)) - POST_ONLY - DOWNLOADS
    assert not missing, f"pages not loaded by the CSP test: {sorted(missing)}"


def violations_on(page, url, *, wait_for=None):
    response = page.goto(url, wait_until="networkidle")
    assert response.status == 200, f"{url}: {response.status}"
    assert "script-src 'self'" in response.headers["content-security-policy"]
    if wait_for:
        page.wait_for_selector(wait_for, timeout=30000)
    page.wait_for_timeout(300)
    return page.evaluate("window.__csp")


def visit(context, page, urls, *, waits=None):
    """Load each URL in turn; the violations reported, by URL (empty when none). Closes the context."""
    found = {}
    try:
        for name, url in urls.items():
            reported = violations_on(page, url, wait_for=(waits or {}).get(name))
            if reported:
                found[url] = reported
    finally:
        context.close()
    return found


def listening(chromium, live_server, user):
    """A signed-in context whose pages record policy violations and console errors (``console``)."""
    context, page = context_for(chromium, live_server, user)
    context.add_init_script(LISTEN)
    console = []

    def on_console(message):
        if message.type == "error" and not message.location.get("url", "").endswith("/favicon.ico"):
            console.append(f"{page.url}: {message.text}")

    page.on("console", on_console)
    return context, page, console


def test_no_page_violates_the_policy(chromium, live_server, world):
    """Signed in as the owner, every page loads with the policy on and reports no violation and no console error."""
    context, page, console = listening(chromium, live_server, world["owner"])
    waits = {"document-detail": "[data-workspace][data-ready='true'][data-text-drawn='true']"}
    assert visit(context, page, page_urls(world), waits=waits) == {}
    assert console == []
    assert page.errors == []


def test_no_admin_page_violates_the_policy(chromium, live_server, world):
    """Every admin page (index, app indexes, password change; each registered model's changelist, add and change form)."""
    pages = admin_pages(world["owner"])
    assert None not in pages.values(), [name for name, url in pages.items() if url is None]  # a model with no row
    context, page, console = listening(chromium, live_server, world["owner"])
    assert visit(context, page, pages) == {}
    assert console == []
    assert page.errors == []


def test_student_pages_follow_the_policy(chromium, live_server, world):
    """The student's exercise pages (the exercise workspace included) report no violation."""
    context, page, _console = listening(chromium, live_server, world["student"])
    assert visit(context, page, student_pages(world), waits={"exercise-workspace": "[data-workspace][data-ready='true']"}) == {}
    assert page.errors == []


def test_signed_out_pages_follow_the_policy(chromium, live_server, world):
    """The sign-in pages (site and admin) and an invitation link seen by a stranger report no violation."""
    context = chromium.new_context(base_url=live_server.url)
    context.add_init_script(LISTEN)
    page = context.new_page()
    urls = {"login": "/accounts/login/", "admin:login": "/admin/login/", "invitation": f"/invite/{world['invitation'].token}/"}
    assert visit(context, page, urls) == {}

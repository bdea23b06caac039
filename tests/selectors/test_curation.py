"""The curation page's open / resolved state: a disagreement is resolved only by a decision in
the consensus, never because an agreed neighbouring span overlaps it; the summary counts the
same groups the list shows."""
from __future__ import annotations

import re

import pytest

from annotations import services
from annotations.selectors.curation import curation_get
from tests.fixtures.collaboration import layers, tag  # noqa: F401  (layers: a fixture)

pytestmark = pytest.mark.django_db

CLAIM = "Cats are better pets"
WIDER = "Cats are better pets than dogs."
EVIDENCE = "They need less care, according to a 2020 survey."


@pytest.fixture
def overlapping(paragraph, layers, people):
    """Both annotators tag the claim; B also calls the whole sentence evidence; they tag the
    second sentence with different extents."""
    a, b = layers["annotator"], layers["annotator_b"]
    tag(paragraph, a, people["annotator"], CLAIM)
    tag(paragraph, b, people["annotator_b"], CLAIM)
    tag(paragraph, b, people["annotator_b"], WIDER, label="evidence")
    tag(paragraph, a, people["annotator"], EVIDENCE, label="evidence")
    tag(paragraph, b, people["annotator_b"], EVIDENCE[:19], label="evidence")
    return [a, b]


def test_agreed_overlapping_span_does_not_resolve_a_disagreement(document, people, overlapping):
    """After the merge, the group that overlaps the merged claim is still open; so is the other."""
    services.consensus_merge(document=document, layers=overlapping, user=people["curator"])
    data = curation_get(document=document, user=people["curator"], layer_ids=[layer.pk for layer in overlapping])
    assert len(data["merged_spans"]) == 1 and len(data["disagreements"]) == 2
    assert [group["consensus_now"] != [] for group in data["disagreements"]] == [True, False]
    assert [group["resolved"] for group in data["disagreements"]] == [False, False]
    assert (data["open_count"], data["resolved_count"]) == (2, 0)


def test_picking_an_option_or_another_extent_resolves_it(document, people, overlapping, paragraph):
    """Picking an option resolves its group; picking a candidate with an adjusted extent resolves too."""
    from annotations.models import Annotation

    curator = people["curator"]
    services.consensus_merge(document=document, layers=overlapping, user=curator)
    ids = [layer.pk for layer in overlapping]
    first, second = curation_get(document=document, user=curator, layer_ids=ids)["disagreements"]
    services.consensus_pick(document=document, source=Annotation.objects.get(pk=first["options"][0]["annotation"]), user=curator)
    source = Annotation.objects.get(pk=second["options"][0]["annotation"])
    start = paragraph.text.index("need")
    services.consensus_pick(document=document, source=source, user=curator, start=start, end=start + len("need less care"))
    data = curation_get(document=document, user=curator, layer_ids=ids)
    assert [group["resolved"] for group in data["disagreements"]] == [True, True]
    assert (data["open_count"], data["resolved_count"]) == (0, 2)


def test_page_summary_and_list_agree(client, document, people, overlapping):
    """The page says as many open and resolved disagreements as its list marks."""
    services.consensus_merge(document=document, layers=overlapping, user=people["curator"])
    client.force_login(people["curator"])
    page = client.get(f"/d/{document.pk}/curate/").content.decode()
    summary = re.search(r"data-curate-summary>(.*?)</p>", page, re.S).group(1)
    text = re.sub(r"<[^>]+>", "", summary)
    assert "2 disagreements: 2 open, 0 resolved" in text
    assert page.count('data-resolved="false"') == 2 and page.count('data-resolved="true"') == 0
    assert page.count('class="state state-open"') == 2 and page.count('class="state state-decided"') == 0


def test_the_page_numbers_paragraphs_from_one_as_the_workspace_does(client, document, people, overlapping, paragraph):
    """A disagreement's heading names its paragraph by the number the workspace announces
    (position + 1, the title counted), never "Paragraph 0"."""
    client.force_login(people["curator"])
    page = client.get(f"/d/{document.pk}/curate/").content.decode()
    headings = [re.sub(r"<[^>]+>", "", h) for h in re.findall(r'<h3 id="disagreement-\d+">(.*?)</h3>', page, re.S)]
    assert headings and all(f"Paragraph {paragraph.position + 1} " in heading for heading in headings), headings


def test_none_of_these_decides_a_disagreement_and_is_recorded(document, people, overlapping, api):
    """Rejecting every candidate of a group (the API) marks it resolved and stores who decided; nothing enters the consensus."""
    from annotations.models import Annotation, CurationRejection, Layer

    curator = people["curator"]
    services.consensus_merge(document=document, layers=overlapping, user=curator)
    ids = [layer.pk for layer in overlapping]
    first, second = curation_get(document=document, user=curator, layer_ids=ids)["disagreements"]
    before = Annotation.objects.filter(layer__kind=Layer.Kind.CONSENSUS).count()
    api.as_user(curator)
    response = api.post(f"/api/documents/{document.pk}/consensus/reject/",
                        {"annotations": [option["annotation"] for option in second["options"]]}, format="json")
    assert response.status_code == 201, response.content
    stored = CurationRejection.objects.get()
    assert stored.decided_by == curator and sorted(map(tuple, stored.candidates)) == sorted(
        (o["start"], o["end"], o["label"]) for o in second["options"])
    assert Annotation.objects.filter(layer__kind=Layer.Kind.CONSENSUS).count() == before
    data = curation_get(document=document, user=curator, layer_ids=ids)
    assert [group["resolved"] for group in data["disagreements"]] == [False, True]
    assert data["disagreements"][1]["rejected"]["by"] == "curator"
    assert (data["open_count"], data["resolved_count"]) == (1, 1)
    # Taken back: open again.
    undo = api.post(f"/api/documents/{document.pk}/consensus/reject/undo/", {"rejection": stored.pk}, format="json")
    assert undo.status_code == 204 and not CurationRejection.objects.exists()
    assert curation_get(document=document, user=curator, layer_ids=ids)["open_count"] == 2


def test_a_new_candidate_reopens_a_rejected_disagreement(document, people, overlapping, paragraph):
    """The decision covers the options it named: an annotator tagging something else there opens the group again."""
    from annotations.models import Annotation

    curator = people["curator"]
    ids = [layer.pk for layer in overlapping]
    group = curation_get(document=document, user=curator, layer_ids=ids)["disagreements"][-1]
    services.consensus_reject(document=document, user=curator,
                              candidates=list(Annotation.objects.filter(pk__in=[o["annotation"] for o in group["options"]])))
    assert curation_get(document=document, user=curator, layer_ids=ids)["disagreements"][-1]["resolved"] is True
    Annotation.objects.filter(pk=group["options"][-1]["annotation"]).update(label="counterclaim")
    assert curation_get(document=document, user=curator, layer_ids=ids)["disagreements"][-1]["resolved"] is False


def test_none_of_these_is_refused_with_a_reason(document, people, overlapping, api):
    """A candidate already in the consensus, a span of another document, an annotator: refused, nothing stored."""
    from annotations.models import Annotation, CurationRejection

    curator = people["curator"]
    ids = [layer.pk for layer in overlapping]
    group = curation_get(document=document, user=curator, layer_ids=ids)["disagreements"][-1]
    option = Annotation.objects.get(pk=group["options"][0]["annotation"])
    services.consensus_pick(document=document, source=option, user=curator)
    url = f"/api/documents/{document.pk}/consensus/reject/"
    held = api.as_user(curator).post(url, {"annotations": [o["annotation"] for o in group["options"]]}, format="json")
    assert held.status_code == 409 and "already holds" in held.json()["detail"]
    assert api.post(url, {"annotations": []}, format="json").status_code == 400
    assert api.post(url, {"annotations": [999999]}, format="json").status_code == 404
    assert api.as_user(people["annotator"]).post(url, {"annotations": [option.pk]}, format="json").status_code == 403
    assert not CurationRejection.objects.exists()


def test_none_of_these_on_the_page(client, document, people, overlapping):
    """The page offers "None of these" on an open group; pressing it resolves the group and offers Reopen."""
    curator = people["curator"]
    client.force_login(curator)
    page = client.get(f"/d/{document.pk}/curate/").content.decode()
    assert page.count("data-reject-form") == 2
    group = curation_get(document=document, user=curator)["disagreements"][0]
    response = client.post(f"/d/{document.pk}/curate/reject/", {"annotation": [o["annotation"] for o in group["options"]]})
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "resolved: none of these" in page and page.count("data-reject-undo-form") == 1
    assert "1 open, 1 resolved" in re.sub(r"<[^>]+>", "", page)

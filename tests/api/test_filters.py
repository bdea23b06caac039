"""Span and relation lists take ``layer=own`` (and ``consensus``, ``answer_key``) as exports do,
besides a layer id; anything else is a 400 that says what is accepted."""
from __future__ import annotations

import pytest

from annotations import services
from annotations.models import Layer

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_layers(project, people, paragraph):
    """The annotator and annotator_b each tag the claim and link evidence to it in their own layer."""
    made = {}
    for name in ("annotator", "annotator_b"):
        user = people[name]
        claim = services.annotation_create(paragraph=paragraph, layer=None, user=user, start=0, end=31, label="claim",
                                           quote=paragraph.text[0:31])
        evidence = services.annotation_create(paragraph=paragraph, layer=None, user=user, start=32, end=51,
                                              label="evidence", quote=paragraph.text[32:51])
        relation = services.relation_create(source=evidence, target=claim, kind="supports", user=user)
        made[name] = (claim, evidence, relation)
    return made


@pytest.mark.parametrize("endpoint, index", [("relations", 2), ("annotations", 0)])
def test_layer_own_lists_only_my_layer(api, people, document, two_layers, endpoint, index):
    """layer=own returns the caller's own layer only, the same rows as its id."""
    client = api.as_user(people["annotator"])
    own = client.get(f"/api/{endpoint}/?document={document.pk}&layer=own")
    assert own.status_code == 200, own.content
    mine = two_layers["annotator"][index].layer_id
    by_id = client.get(f"/api/{endpoint}/?document={document.pk}&layer={mine}").json()
    assert own.json() == by_id
    assert {row["layer"] for row in own.json()["results"]} == {mine}


def test_layer_consensus_and_bad_words(api, people, document, two_layers):
    """layer=consensus lists the consensus layer; an unknown word is a 400 naming what is accepted."""
    curator = people["curator"]
    services.consensus_merge(document=document, layers=[two_layers[n][0].layer for n in ("annotator", "annotator_b")],
                             user=curator)
    client = api.as_user(curator)
    rows = client.get(f"/api/relations/?document={document.pk}&layer=consensus").json()["results"]
    consensus = Layer.objects.get(kind=Layer.Kind.CONSENSUS, project=document.project)
    assert rows and {row["layer"] for row in rows} == {consensus.pk}
    bad = client.get(f"/api/relations/?layer=everyone")
    assert bad.status_code == 400
    assert "own" in bad.json()["detail"] and "everyone" in bad.json()["detail"]

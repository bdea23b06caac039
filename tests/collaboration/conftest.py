"""Fixtures for collaboration tests: spans in several people's layers of the sample document."""
from __future__ import annotations

import pytest


@pytest.fixture
def layers(project, people):
    """Personal layers of annotator, annotator_b and curator, plus consensus and answer key."""
    from annotations import services
    from annotations.models import Layer

    result = {
        name: services.layer_get_or_create_personal(project=project, user=people[name])
        for name in ("annotator", "annotator_b", "curator")
    }
    result["consensus"] = services.layer_get_or_create_shared(project=project, kind=Layer.Kind.CONSENSUS)
    result["answer_key"] = services.layer_get_or_create_shared(project=project, kind=Layer.Kind.ANSWER_KEY)
    return result


def tag(paragraph, layer, user, text, label="claim", occurrence=0):
    """Create a span on the ``occurrence``-th appearance of ``text`` through the service."""
    from annotations import services

    start = -1
    for _ in range(occurrence + 1):
        start = paragraph.text.index(text, start + 1)
    return services.annotation_create(
        paragraph=paragraph, layer=layer, user=user, start=start, end=start + len(text), label=label, quote=text,
    )

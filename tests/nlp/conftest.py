"""Fixtures for the NLP tests: the loaded pipeline and the sample article's paragraphs (no database;
``microtexts_dir`` is in tests/conftest.py)."""
from __future__ import annotations

import pytest

from annotations.nlp.pipeline import load_pipeline
from tests.paths import SAMPLE_ARTICLE

@pytest.fixture(scope="session")
def nlp():
    loaded = load_pipeline()
    if loaded.is_fallback:
        pytest.skip(f"the spaCy model is not installed: {loaded.message}")
    return loaded.nlp


@pytest.fixture(scope="session")
def article_paragraphs() -> list[str]:
    text = SAMPLE_ARTICLE.read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.strip()]


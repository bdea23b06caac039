"""Fixtures for the NLP tests: the loaded pipeline and the shared sample texts (no database)."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from annotations.nlp.pipeline import load_pipeline

REPOSITORY = Path(__file__).resolve().parents[2]
ARTICLE = Path("articles") / "russia-china-relations.txt"


def find_shared_directory() -> Path:
    """``ARGMAP_SHARED_DIR``, else the nearest ``shared`` folder beside a parent of the repo."""
    configured = os.environ.get("ARGMAP_SHARED_DIR")
    if configured:
        return Path(configured)
    for parent in REPOSITORY.parents:
        candidate = parent / "shared"
        if (candidate / ARTICLE).exists():
            return candidate
    pytest.skip("shared directory with the sample article not found; set ARGMAP_SHARED_DIR")


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    return find_shared_directory()


@pytest.fixture(scope="session")
def nlp():
    loaded = load_pipeline()
    if loaded.is_fallback:
        pytest.skip(f"the spaCy model is not installed: {loaded.message}")
    return loaded.nlp


@pytest.fixture(scope="session")
def article_paragraphs(shared_dir) -> list[str]:
    text = (shared_dir / ARTICLE).read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.strip()]


@pytest.fixture(scope="session")
def microtexts_dir(shared_dir) -> Path:
    return shared_dir / "corpora" / "arg-microtexts" / "en"

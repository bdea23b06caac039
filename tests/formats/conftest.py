"""Fixtures of the pure format tests: the hand-made argument map of the sample article
(tests/fixtures/sample_map.py builds it) and a tiny map to corrupt by hand. No Django here:
``python -m pytest tests/formats -p no:django`` runs them alone.
"""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
if str(REPO_ROOT) not in sys.path:  # the format tests run without Django or an installed package
    sys.path.insert(0, str(REPO_ROOT))

from annotations.argument_map import ArgumentMap, MapParagraph, MapRelation, MapSpan  # noqa: E402
from tests.fixtures.sample_map import build_sample_map  # noqa: E402


@pytest.fixture
def sample_map() -> ArgumentMap:
    return build_sample_map()


@pytest.fixture
def tiny_map() -> ArgumentMap:
    """Two paragraphs, three spans: small enough to corrupt by hand in bad-input tests."""
    paragraphs = [
        MapParagraph(position=0, text="Cats are the best pets. They purr."),
        MapParagraph(position=1, text="Dogs 🐶 disagree loudly."),
    ]
    spans = [
        MapSpan(id="a", paragraph=0, start=0, end=22, quote="Cats are the best pets", label="claim"),
        MapSpan(id="b", paragraph=0, start=24, end=33, quote="They purr", label="evidence"),
        MapSpan(id="c", paragraph=1, start=0, end=22, quote="Dogs 🐶 disagree loudly", label="counterclaim"),
    ]
    relations = [
        MapRelation(id="1", kind="supports", source="b", target="a"),
        MapRelation(id="2", kind="attacks", source="c", target="a"),
    ]
    return ArgumentMap(title="Pets", paragraphs=paragraphs, spans=spans, relations=relations)

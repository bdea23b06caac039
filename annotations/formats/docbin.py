"""spaCy DocBin (``.spacy``): the map as training data for a span categorizer.

One ``Doc`` per document (not per paragraph), so relations that cross paragraphs stay
inside one Doc. The text is ``ArgumentMap.document_text`` (paragraphs joined by a blank
line) tokenized by ``spacy.blank("en")``; each span is in ``doc.spans["sc"]`` with its
argmap label as the span label, aligned to tokens with
``char_span(alignment_mode="expand")`` (a span that starts or ends inside a token grows
to the whole token). ``doc.user_data`` keeps what spaCy has no place for:
``argmap_title``, ``argmap_span_ids`` (in the order of ``doc.spans["sc"]``),
``argmap_char_offsets`` (the exact document offsets before token alignment) and
``argmap_relations`` (``[source index, target index, kind]`` into ``doc.spans["sc"]``).
Load with ``DocBin().from_bytes(data).get_docs(nlp.vocab)``.
"""
from __future__ import annotations

from functools import lru_cache

from annotations.argument_map import ArgumentMap
from annotations.formats.base import FormatError, MapFormat, document_offsets, spans_in_document_order

SPAN_KEY = "sc"


@lru_cache(maxsize=1)
def _blank_english():
    import spacy  # imported here: loading spaCy costs a second, only DocBin export needs it

    return spacy.blank("en")


def map_to_doc(argument_map: ArgumentMap):
    nlp = _blank_english()
    doc = nlp.make_doc(argument_map.document_text)
    spans, span_ids, offsets = [], [], []
    for span in spans_in_document_order(argument_map):
        start, end = document_offsets(argument_map, span)
        token_span = doc.char_span(start, end, label=span.label, alignment_mode="expand")
        if token_span is None:
            raise FormatError("cannot be aligned to spaCy tokens", where=f"span {span.id!r}")
        spans.append(token_span)
        span_ids.append(span.id)
        offsets.append([start, end])
    doc.spans[SPAN_KEY] = spans
    index_of = {span_id: index for index, span_id in enumerate(span_ids)}
    doc.user_data["argmap_title"] = argument_map.title
    doc.user_data["argmap_span_ids"] = span_ids
    doc.user_data["argmap_char_offsets"] = offsets
    doc.user_data["argmap_relations"] = [
        [index_of[relation.source], index_of[relation.target], relation.kind] for relation in argument_map.relations
    ]
    return doc


def export_docs(maps: list[ArgumentMap]) -> bytes:
    from spacy.tokens import DocBin

    doc_bin = DocBin(store_user_data=True)
    for argument_map in maps:
        doc_bin.add(map_to_doc(argument_map))
    return doc_bin.to_bytes()


FORMAT = MapFormat(name="spacy", title="spaCy DocBin (training data)", extension="spacy",
                   content_type="application/octet-stream", write=lambda argument_map: export_docs([argument_map]))

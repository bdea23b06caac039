"""spaCy DocBin: spaCy loads the export with the spans in doc.spans["sc"] and relations in user_data."""
import spacy
from spacy.tokens import DocBin

from annotations.formats.docbin import FORMAT as DOCBIN


def _docs(argument_map):
    nlp = spacy.blank("en")
    return list(DocBin().from_bytes(DOCBIN.export(argument_map)).get_docs(nlp.vocab))


def test_spacy_loads_one_doc_with_every_span(sample_map):
    """One Doc for the document; each span is in doc.spans['sc'] with its label and text."""
    (doc,) = _docs(sample_map)
    assert doc.text == sample_map.document_text
    spans = list(doc.spans["sc"])
    assert len(spans) == len(sample_map.spans)
    assert {(s.text, s.label_) for s in spans} == {(s.quote, s.label) for s in sample_map.spans}


def test_emoji_span_aligns_to_code_point_offsets(sample_map):
    """The span with 🐻 and 🐉 has the same characters in spaCy as in argmap."""
    (doc,) = _docs(sample_map)
    ids = doc.user_data["argmap_span_ids"]
    emoji = doc.spans["sc"][ids.index("x1")]
    assert emoji.text == "the bear 🐻 and the dragon 🐉 are friends"
    start, end = doc.user_data["argmap_char_offsets"][ids.index("x1")]
    assert (emoji.start_char, emoji.end_char) == (start, end)


def test_relations_travel_in_user_data(sample_map):
    """user_data lists relations as [source index, target index, kind] into doc.spans['sc']."""
    (doc,) = _docs(sample_map)
    spans = doc.spans["sc"]
    got = {(spans[s].text, kind, spans[t].text) for s, t, kind in doc.user_data["argmap_relations"]}
    quote = {s.id: s.quote for s in sample_map.spans}
    assert got == {(quote[r.source], r.kind, quote[r.target]) for r in sample_map.relations}
    assert doc.user_data["argmap_title"] == sample_map.title


def test_span_inside_a_token_expands_to_whole_tokens(tiny_map):
    """A span cut mid-word grows to the token boundaries ('expand'), keeping exact offsets aside."""
    tiny_map.spans[1].start, tiny_map.spans[1].quote = 26, "ey purr"
    (doc,) = _docs(tiny_map)
    ids = doc.user_data["argmap_span_ids"]
    assert doc.spans["sc"][ids.index("b")].text == "They purr"
    assert list(doc.user_data["argmap_char_offsets"][ids.index("b")]) == [26, 33]

"""AIF JSON: follows AIF's rules, marks spans in OVA's text, and reads OVA/AIFdb files back."""
import json
import re
from collections import Counter
from datetime import datetime, timezone

import pytest

from annotations.formats import FormatError
from annotations.formats.aif import export_map, import_maps

from tests.fixtures.sample_map import relation_tuples, span_tuples

FIXED_TIME = datetime(2026, 1, 2, 3, 4, 5, tzinfo=timezone.utc)


def _export(argument_map) -> dict:
    return json.loads(export_map(argument_map, timestamp=FIXED_TIME))


def test_export_follows_aif_rules(sample_map):
    """Every RA/CA has >= 1 incoming and exactly 1 outgoing edge, all edge ids resolve, no I→I edge."""
    aif = _export(sample_map)["AIF"]
    nodes = {n["nodeID"]: n for n in aif["nodes"]}
    assert len(nodes) == len(aif["nodes"])
    incoming, outgoing = Counter(), Counter()
    for edge in aif["edges"]:
        assert edge["fromID"] in nodes and edge["toID"] in nodes
        assert not (nodes[edge["fromID"]]["type"] == "I" and nodes[edge["toID"]]["type"] == "I")
        outgoing[edge["fromID"]] += 1
        incoming[edge["toID"]] += 1
    relation_nodes = [n for n in nodes.values() if n["type"] in ("RA", "CA")]
    assert len(relation_nodes) == len(sample_map.relations)
    for node in relation_nodes:
        assert incoming[node["nodeID"]] >= 1 and outgoing[node["nodeID"]] == 1
    for locution in aif["locutions"]:
        assert nodes[locution["nodeID"]]["type"] == "L"
    for fulfillment in aif["schemefulfillments"]:
        assert fulfillment["nodeID"] in nodes
    assert len({e["edgeID"] for e in aif["edges"]}) == len(aif["edges"])


def test_nodes_carry_text_type_timestamp(sample_map):
    """I-nodes hold the quotes; RA is Default Inference, CA Default Conflict; all stamped."""
    aif = _export(sample_map)["AIF"]
    by_type = Counter(n["type"] for n in aif["nodes"])
    assert by_type["I"] == len(sample_map.spans) == by_type["L"] == by_type["YA"]
    assert by_type["RA"] == 6 and by_type["CA"] == 4
    assert {n["text"] for n in aif["nodes"] if n["type"] == "I"} == {s.quote for s in sample_map.spans}
    assert all(n["timestamp"] == "2026-01-02 03:04:05" for n in aif["nodes"])
    assert {n["text"] for n in aif["nodes"] if n["type"] == "CA"} == {"Default Conflict"}


def test_supports_become_ra_and_attacks_ca(sample_map):
    """evidence → RA → claim and counterclaim → CA → claim, as premise → scheme → conclusion."""
    aif = _export(sample_map)["AIF"]
    nodes = {n["nodeID"]: n for n in aif["nodes"]}
    chains = set()
    for node in nodes.values():
        if node["type"] in ("RA", "CA"):
            premise = next(e["fromID"] for e in aif["edges"] if e["toID"] == node["nodeID"])
            conclusion = next(e["toID"] for e in aif["edges"] if e["fromID"] == node["nodeID"])
            chains.add((nodes[premise]["text"], node["type"], nodes[conclusion]["text"]))
    expected = {(s, "RA" if k == "supports" else "CA", t) for s, k, t in relation_tuples(sample_map)}
    assert chains == expected


def test_text_field_marks_each_span_as_ova_does(sample_map):
    """The OVA text holds the whole article with each span highlighted for its L-node and, inside, its I-node."""
    document = _export(sample_map)
    marked = re.findall(
        r'<span class="highlighted" id="node(\d+)"><span class="highlighted" id="node(\d+)">(.*?)</span></span>',
        document["text"],
    )
    assert len(marked) == len(sample_map.spans)
    nodes = {n["nodeID"]: n for n in document["AIF"]["nodes"]}
    for l_node, i_node, inner in marked:
        assert nodes[l_node]["type"] == "L" and nodes[i_node]["type"] == "I"
        assert int(l_node) == int(i_node) + 1
        assert nodes[l_node]["text"].endswith(": " + inner.replace("&amp;", "&"))
        assert nodes[i_node]["text"] == inner.replace("&amp;", "&")
    assert "<br><br>" in document["text"]


def test_round_trip_keeps_spans_relations_and_offsets(sample_map):
    """export → import gives back the same spans (offsets, labels), relations, notes and ids."""
    (imported,) = import_maps(export_map(sample_map))
    assert span_tuples(imported) == span_tuples(sample_map)
    assert relation_tuples(imported) == relation_tuples(sample_map)
    assert [p.text for p in imported.paragraphs] == [p.text for p in sample_map.paragraphs]
    assert {s.id for s in imported.spans} == {s.id for s in sample_map.spans}
    assert imported.span("k1").note == "the author's own caveat"
    assert imported.title == sample_map.title


def test_import_without_extension_uses_highlights_and_infers_labels(sample_map):
    """An OVA file (no argmap field) gets offsets from the highlighted text and labels from RA/CA."""
    document = _export(sample_map)
    del document["argmap"]
    (imported,) = import_maps(json.dumps(document).encode(), name="from OVA")
    text_of = {p.position: p.text for p in imported.paragraphs}
    expected_labels = {"c1": "claim", "c2": "claim", "c3": "claim", "e1": "evidence", "e2": "evidence",
                       "e3": "evidence", "x1": "evidence", "k1": "counterclaim", "k2": "counterclaim",
                       "k3": "counterclaim", "r1": "rebuttal"}
    # c1 and c2 support c3, so without the extension they read as evidence: AIF has no "claim" type.
    expected_labels.update(c1="evidence", c2="evidence")
    got = {(text_of[s.paragraph][s.start:s.end], s.label) for s in imported.spans}
    assert got == {(s.quote, expected_labels[s.id]) for s in sample_map.spans}
    assert relation_tuples(imported) == relation_tuples(sample_map)
    assert imported.title == "from OVA"


OVA_WITHOUT_OFFSETS = {
    "AIF": {
        "nodes": [
            {"nodeID": "10", "text": "School uniforms should be compulsory", "type": "I", "timestamp": "2020-01-01 10:00:00"},
            {"nodeID": "11", "text": "they reduce bullying over clothes", "type": "I", "timestamp": "2020-01-01 10:00:00"},
            {"nodeID": "12", "text": "they cost poor families a lot", "type": "I", "timestamp": "2020-01-01 10:00:00"},
            {"nodeID": "13", "text": "Default Inference", "type": "RA", "timestamp": "2020-01-01 10:00:00"},
            {"nodeID": "14", "text": "Default Conflict", "type": "CA", "timestamp": "2020-01-01 10:00:00"},
        ],
        "edges": [
            {"edgeID": "1", "fromID": "11", "toID": "13"},
            {"edgeID": "2", "fromID": "13", "toID": "10"},
            {"edgeID": "3", "fromID": "12", "toID": "14"},
            {"edgeID": "4", "fromID": "14", "toID": "10"},
        ],
        "locutions": [],
        "participants": [],
    },
    "text": "School uniforms should be compulsory, because they reduce bullying over clothes.<br><br>"
            "Critics say they cost poor families a lot.",
}


def test_import_locates_node_text_when_offsets_are_missing():
    """With no highlights and no extension, each I-node is found in the source text."""
    (imported,) = import_maps(json.dumps(OVA_WITHOUT_OFFSETS).encode())
    assert [p.text for p in imported.paragraphs] == [
        "School uniforms should be compulsory, because they reduce bullying over clothes.",
        "Critics say they cost poor families a lot.",
    ]
    spans = {s.id: s for s in imported.spans}
    assert (spans["11"].paragraph, spans["11"].start, spans["11"].label) == (0, 46, "evidence")
    assert (spans["12"].paragraph, spans["12"].quote, spans["12"].label) == (1, "they cost poor families a lot", "counterclaim")
    assert spans["10"].label == "claim"
    assert {(r.source, r.kind, r.target) for r in imported.relations} == {("11", "supports", "10"), ("12", "attacks", "10")}


def test_import_aifdb_shape_without_text_builds_paragraphs_from_nodes():
    """A plain AIFdb file (nodes at the top, no text) becomes one paragraph per I-node."""
    (imported,) = import_maps(json.dumps(OVA_WITHOUT_OFFSETS["AIF"]).encode())
    assert [p.text for p in imported.paragraphs] == [
        "School uniforms should be compulsory", "they reduce bullying over clothes", "they cost poor families a lot"]
    assert all(s.start == 0 and s.end == len(s.quote) for s in imported.spans)


def _broken(change) -> bytes:
    document = json.loads(json.dumps(OVA_WITHOUT_OFFSETS))
    change(document)
    return json.dumps(document).encode()


def test_malformed_file_names_the_line():
    """Broken JSON is reported with its line."""
    with pytest.raises(FormatError, match="line 1, column"):
        import_maps(b'{"AIF": {"nodes": [}')


def test_not_aif_is_refused():
    """JSON without nodes and edges is not taken for AIF."""
    with pytest.raises(FormatError, match="does not look like AIF"):
        import_maps(b'{"hello": 1}')


def test_edge_to_unknown_node_is_refused():
    """An edge whose end is not a node names the edge."""
    data = _broken(lambda d: d["AIF"]["edges"][1].update(toID="99"))
    with pytest.raises(FormatError, match="edge 2: toID 99 is not a node"):
        import_maps(data)


def test_i_to_i_edge_is_refused():
    """An edge straight from I-node to I-node breaks AIF and is reported."""
    data = _broken(lambda d: d["AIF"]["edges"].append({"edgeID": "5", "fromID": "12", "toID": "10"}))
    with pytest.raises(FormatError, match="edge 5: goes straight from I-node 12 to I-node 10"):
        import_maps(data)


def test_ra_with_two_conclusions_is_left_out_naming_the_node_or_refused_when_strict():
    """An RA node with two outgoing edges: that relation is left out and named, the rest imported."""
    from annotations.formats.base import ImportOptions

    data = _broken(lambda d: d["AIF"]["edges"].append({"edgeID": "5", "fromID": "13", "toID": "12"}))
    options = ImportOptions()
    (argument_map,) = import_maps(data, options=options)
    assert argument_map.spans and not any(relation.id == "13" for relation in argument_map.relations)
    assert "RA node 13: this inference (RA) has 2 outgoing edges (AIF gives it exactly one conclusion): the relation " \
           "is left out" in options.left_out
    with pytest.raises(FormatError, match="RA node 13: this inference .RA. has 2 outgoing edges"):
        import_maps(data, options=ImportOptions(strict=True))


def test_node_text_missing_from_the_source_text_is_left_out_or_refused_when_strict():
    """An I-node whose text is nowhere in the source text is left out and reported; a strict import refuses it."""
    from annotations.formats.base import ImportOptions

    data = _broken(lambda d: d["AIF"]["nodes"][1].update(text="uniforms are purple"))
    options = ImportOptions()
    (argument_map,) = import_maps(data, options=options)
    assert "11" not in {span.id for span in argument_map.spans}
    assert any("I-node 11: its text 'uniforms are purple' is not in the source text" in line for line in options.left_out)
    with pytest.raises(FormatError, match="I-node 11: its text 'uniforms are purple' is not in the source text"):
        import_maps(data, options=ImportOptions(strict=True))


def test_extension_offsets_that_do_not_match_are_refused(tiny_map):
    """Extension offsets that point at other text than the node's are reported with the span."""
    document = json.loads(export_map(tiny_map))
    document["argmap"]["spans"][0]["start"] = 2
    with pytest.raises(FormatError, match=r"argmap.spans\[0\] \(node \d+\): offsets 2-22 give"):
        import_maps(json.dumps(document).encode())


def test_extension_unknown_label_is_refused(tiny_map):
    """An unknown label in the extension names the span entry."""
    document = json.loads(export_map(tiny_map))
    document["argmap"]["spans"][1]["label"] = "opinion"
    with pytest.raises(FormatError, match=r"argmap.spans\[1\].*unknown label 'opinion'"):
        import_maps(json.dumps(document).encode())


def _ova3_dialogical() -> dict:
    """An OVA3-style analysis written for this test: L-nodes anchor I-nodes through YA
    (Asserting), meta L-nodes (Analysing), a TA, a YA (Arguing) into the RA, string ids
    with OVA's suffixes, and highlights on the L-nodes in the text."""
    ids = {name: f"{number}_1649261" for number, name in enumerate(
        ["i_a", "l_a", "ya_an_a", "meta_a", "ya_as_a", "i_b", "l_b", "ya_as_b", "ta", "ra", "ya_arg", "i_c", "l_c",
         "ya_as_c", "ca"], start=2)}

    def node(name, text, node_type):
        return {"nodeID": ids[name], "text": text, "type": node_type}

    nodes = [
        node("i_a", "Homework should be banned", "I"), node("l_a", "Participant Kim: Homework should be banned", "L"),
        node("ya_an_a", "Analysing", "YA"), node("meta_a", "Anon: Participant Kim: Homework should be banned", "L"),
        node("ya_as_a", "Asserting", "YA"),
        node("i_b", "children need time to play", "I"), node("l_b", "Participant Kim: children need time to play", "L"),
        node("ya_as_b", "Asserting", "YA"), node("ta", "Default Transition", "TA"),
        node("ra", "Default Inference", "RA"), node("ya_arg", "Arguing", "YA"),
        node("i_c", "Practice at home raises test scores", "I"),
        node("l_c", "Participant Lee: practice at home raises test scores", "L"),
        node("ya_as_c", "Asserting", "YA"), node("ca", "Default Conflict", "CA"),
    ]
    pairs = [("ya_an_a", "l_a"), ("meta_a", "ya_an_a"), ("l_a", "ya_as_a"), ("ya_as_a", "i_a"),
             ("l_b", "ya_as_b"), ("ya_as_b", "i_b"), ("l_a", "ta"), ("ta", "l_b"), ("i_b", "ra"), ("ra", "i_a"),
             ("ta", "ya_arg"), ("ya_arg", "ra"), ("l_c", "ya_as_c"), ("ya_as_c", "i_c"), ("i_c", "ca"), ("ca", "i_a")]
    edges = [{"edgeID": index, "fromID": ids[a], "toID": ids[b]} for index, (a, b) in enumerate(pairs, start=1)]
    text = (f'<span id="node{ids["l_a"]}" class="highlighted">Homework should be banned</span> because '
            f'<span id="node{ids["l_b"]}" class="highlighted">children need time to play</span>.<br><br>'
            f'Lee &amp; friends reply that <span id="node{ids["l_c"]}" class="highlighted">practice at home raises '
            f'test scores</span>.<br>')
    return {"AIF": {"nodes": nodes, "edges": edges, "schemefulfillments": [], "participants": [],
                    "locutions": [{"nodeID": ids["l_a"], "personID": 1, "start": None, "end": None}]},
            "text": text, "OVA": {"firstname": "Anon", "surname": "User", "url": "", "nodes": [], "edges": []}}


def test_import_ova3_dialogical_analysis():
    """OVA3's dialogical layer (L, YA, TA) is followed to the I-nodes; highlights on L-nodes give offsets."""
    (imported,) = import_maps(json.dumps(_ova3_dialogical()).encode(), name="homework")
    assert [p.text for p in imported.paragraphs] == [
        "Homework should be banned because children need time to play.",
        "Lee & friends reply that practice at home raises test scores."]
    got = {(s.quote, s.label, s.paragraph) for s in imported.spans}
    assert got == {("Homework should be banned", "claim", 0), ("children need time to play", "evidence", 0),
                   ("practice at home raises test scores", "counterclaim", 1)}
    assert relation_tuples(imported) == {
        ("children need time to play", "supports", "Homework should be banned"),
        ("practice at home raises test scores", "attacks", "Homework should be banned")}


def test_import_ova3_with_integer_ids_and_text_object():
    """Integer ids and a text given as {"txt": ...} (as some xAIF tools write) are read too."""
    document = json.loads(json.dumps(OVA_WITHOUT_OFFSETS))
    for node in document["AIF"]["nodes"]:
        node["nodeID"] = int(node["nodeID"])
    for edge in document["AIF"]["edges"]:
        edge["edgeID"], edge["fromID"], edge["toID"] = int(edge["edgeID"]), int(edge["fromID"]), int(edge["toID"])
    document["text"] = {"txt": document["text"]}
    (imported,) = import_maps(json.dumps(document).encode())
    assert len(imported.spans) == 3 and len(imported.relations) == 2

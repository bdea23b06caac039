"""AIF against OVA3: a dialogical save (L, YA, I, RA, CA, MA, TA, participants, highlights,
two reconstructed propositions) imports what is anchored and reports the rest; argmap's AIF
export opens in OVA3 with every node linked (checked by ``ova3_rules``) and suits AIFdb."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from annotations.formats.aif import export_map, import_maps
from annotations.formats.base import FormatError, ImportOptions
from tests.formats.ova3_rules import aifdb_problems, ova3_load

DATA = Path(__file__).parent / "data"
OVA3_SAVE = DATA / "ova3-dialogical.json"


def _save() -> dict:
    return json.loads(OVA3_SAVE.read_text(encoding="utf-8"))


def _structure(document: dict) -> set[tuple[str, str, str]]:
    """(premise text, RA/CA, conclusion text) for every RA/CA between two I-nodes."""
    nodes = {str(n["nodeID"]): n for n in document["AIF"]["nodes"]}
    found = set()
    for node_id, node in nodes.items():
        if node["type"] not in ("RA", "CA"):
            continue
        premises = [str(e["fromID"]) for e in document["AIF"]["edges"] if str(e["toID"]) == node_id]
        conclusions = [str(e["toID"]) for e in document["AIF"]["edges"] if str(e["fromID"]) == node_id]
        for premise in premises:
            if nodes[premise]["type"] == "I" and nodes[conclusions[0]]["type"] == "I":
                found.add((nodes[premise]["text"], node["type"], nodes[conclusions[0]]["text"]))
    return found


def test_checker_reads_an_ova3_save_as_ova3_does():
    """OVA3's own dialogical save: argument mode links the 4 anchored I-nodes (node<n+1>_<session>), not the
    2 reconstructed ones; dialogical mode finds every speaker and every L-node's highlight."""
    argument = ova3_load(_save(), dialogical=False)
    assert not argument.crashed and len(argument.linked) == 4 and len(argument.unlinked) == 2
    dialogue = ova3_load(_save(), dialogical=True)
    assert dialogue.speakers_unresolved == [] and len(dialogue.linked) == 4 and dialogue.unlinked == []


def test_dialogical_save_imports_what_is_anchored_and_reports_the_rest():
    """4 of 6 I-nodes are anchored through their L-nodes' highlights; the 2 reconstructed propositions, the
    relation to one of them, the MA and the TA nodes are reported as left out; speakers are kept."""
    options = ImportOptions()
    (argument_map,) = import_maps(OVA3_SAVE.read_bytes(), name="ova3-dialogical.json", options=options)
    anchored = {
        "We should ban cars from the city centre": "claim",
        "Air pollution there is twice the legal limit": "evidence",
        "But shops depend on customers who drive": "counterclaim",
        "Most shoppers in the centre arrive by tram": "rebuttal",
    }
    assert {span.quote: span.label for span in argument_map.spans} == anchored
    assert len(argument_map.relations) == 3
    report = "\n".join(options.left_out)
    assert report.count("not in the source text (a reconstructed proposition?)") == 2
    assert "'Cars bring customers to the shops'" in report and "'A car ban would not hurt the shops'" in report
    assert "RA node 17_1650000000: links a proposition that was left out" in report
    assert "1 MA (rephrase) node(s)" in report and "3 TA (transition) node(s)" in report
    speakers = {span.quote: argument_map.provenance["spans"][span.id]["speaker"] for span in argument_map.spans}
    assert speakers["But shops depend on customers who drive"] == "Bob Jones"
    assert speakers["We should ban cars from the city centre"] == "Alice Smith"
    assert argument_map.document_text.startswith("Alice Smith: We should ban cars")


def test_strict_import_refuses_reconstructed_propositions():
    """With strict, the first proposition that is not in the text refuses the file, naming it."""
    with pytest.raises(FormatError, match=r"I-node 16_1650000000: its text 'Cars bring customers to the shops' is not in the source text.*strict"):
        import_maps(OVA3_SAVE.read_bytes(), options=ImportOptions(strict=True))


def test_round_trip_keeps_structure_and_participants_and_ova3_links_every_node():
    """OVA3 save → argmap → AIF: same I/RA/CA structure over the anchored propositions, the same speakers,
    and OVA3 links every I-node (argument mode) and every L-node with its speaker (dialogical mode)."""
    (argument_map,) = import_maps(OVA3_SAVE.read_bytes())
    exported = json.loads(export_map(argument_map))
    original = _structure(_save())
    anchored = {(p, t, c) for p, t, c in original
                if "Cars bring" not in p and "Cars bring" not in c}
    renamed = {"Shops depend on customers who drive": "But shops depend on customers who drive"}  # the text's words
    assert _structure(exported) == {(renamed.get(p, p), t, renamed.get(c, c)) for p, t, c in anchored}
    people = {(p["firstname"], p["surname"]) for p in exported["AIF"]["participants"]}
    assert {("Alice", "Smith"), ("Bob", "Jones")} <= people
    l_texts = {n["text"] for n in exported["AIF"]["nodes"] if n["type"] == "L"}
    assert "Bob Jones: But shops depend on customers who drive" in l_texts
    argument = ova3_load(exported, dialogical=False)
    assert not argument.crashed and argument.unlinked == [] and len(argument.linked) == 4
    dialogue = ova3_load(exported, dialogical=True)
    assert dialogue.speakers_unresolved == [] and dialogue.unlinked == [] and dialogue.edges_dropped == 0
    assert aifdb_problems(exported) == []


def test_sample_export_opens_in_ova3_with_every_node_linked(sample_map):
    """The sample article's 11 spans: OVA3 links 11 of 11 I-nodes, AIFdb gets integer ids, speakers, timestamps."""
    exported = json.loads(export_map(sample_map))
    argument = ova3_load(exported, dialogical=False)
    assert len(argument.linked) == len(sample_map.spans) == 11 and argument.unlinked == []
    dialogue = ova3_load(exported, dialogical=True)
    assert dialogue.speakers_unresolved == [] and len(dialogue.linked) == 11
    assert aifdb_problems(exported) == []
    for node in exported["AIF"]["nodes"]:
        if node["type"] == "L":
            assert re.match(r"^\S+ \S+: ", node["text"]), node["text"]


def test_checker_fails_the_old_export_shape(sample_map):
    """The checker is not vacuous: highlights on the L-node only with bare ids link 0 I-nodes, as reported."""
    exported = json.loads(export_map(sample_map))
    exported["text"] = re.sub(r'(<span class="highlighted" id="node\d+">)<span class="highlighted" id="node\d+">(.*?)</span>',
                              r"\1\2", exported["text"])
    assert len(ova3_load(exported, dialogical=False).linked) == 0
    for node in exported["AIF"]["nodes"]:
        if node["type"] == "L":
            node["text"] = "file.zip: " + node["text"].split(": ", 1)[1]
    assert len(ova3_load(exported, dialogical=True).speakers_unresolved) == 11


def test_speaker_names_of_one_or_three_words_still_resolve(tiny_map):
    """OVA3 matches only two words: one-word and three-word speakers are written so that it finds them."""
    tiny_map.provenance = {"format": "aif", "participants": [],
                           "spans": {tiny_map.spans[0].id: {"speaker": "Socrates"},
                                     tiny_map.spans[1].id: {"speaker": "Jean Claude Juncker"}}}
    exported = json.loads(export_map(tiny_map))
    assert ova3_load(exported, dialogical=True).speakers_unresolved == []
    (back,) = import_maps(json.dumps(exported).encode())
    assert {info["speaker"] for info in back.provenance["spans"].values()} >= {"Jean Claude Juncker"}


@pytest.mark.parametrize("bad_id", ["²", "١٢", "12\u0660", "", "a b", True, None, 1.5, ["1"]])
def test_node_ids_that_are_not_ids_are_refused(bad_id):
    """Unicode digits ("²"), blanks and non-scalar ids are a FormatError naming the node, never a crash."""
    document = _save()
    document["AIF"]["nodes"][0]["nodeID"] = bad_id
    with pytest.raises(FormatError, match=r"nodes\[0\]: nodeID"):
        import_maps(json.dumps(document).encode())


@pytest.mark.parametrize("mutate, message", [
    (lambda d: d["AIF"].__setitem__("nodes", {"a": 1}), "nodes: must be a list"),
    (lambda d: d["AIF"]["edges"].append({"edgeID": 99, "fromID": "1_1650000000", "toID": "1_1650000000"}),
     "edge 99: goes from node 1_1650000000 to itself"),
    (lambda d: d["AIF"]["edges"].append({"edgeID": 98, "fromID": "1_1650000000", "toID": "404"}),
     "edge 98: toID 404 is not a node"),
    (lambda d: d["AIF"]["nodes"][0].__setitem__("text", 5), r"nodes\[0\]: type and text must be strings"),
])
def test_hostile_variants_name_the_item(mutate, message):
    """Wrong types, self-loops and edges to missing nodes are refused naming the node or edge."""
    document = _save()
    mutate(document)
    with pytest.raises(FormatError, match=message):
        import_maps(json.dumps(document).encode())


def test_cycle_of_supports_is_read_without_looping():
    """A support cycle (A → B → A) is a legitimate circular argument: read as two relations, no hang."""
    document = _save()
    nodes = document["AIF"]["nodes"]
    i1, i2 = nodes[0]["nodeID"], nodes[3]["nodeID"]
    nodes.append({"nodeID": "900_1", "text": "Default Inference", "type": "RA"})
    document["AIF"]["edges"] += [{"edgeID": 900, "fromID": i1, "toID": "900_1"}, {"edgeID": 901, "fromID": "900_1", "toID": i2}]
    (argument_map,) = import_maps(json.dumps(document).encode())
    pairs = {(r.source, r.target) for r in argument_map.relations}
    assert (i1, i2) in pairs and (i2, i1) in pairs


def test_truncated_file_names_the_line():
    """A save cut off in the middle is refused with the line and column."""
    data = OVA3_SAVE.read_bytes()[:2000]
    with pytest.raises(FormatError, match=r"line 1, column \d+: not valid JSON"):
        import_maps(data)


def test_deeply_nested_json_is_refused():
    """JSON nested past Python's recursion limit is a FormatError, not a crash."""
    with pytest.raises(FormatError, match="nested too deeply"):
        import_maps(b"[" * 100_000 + b"]" * 100_000)


def test_too_many_nodes_is_refused():
    """A file with more spans' worth of nodes than one import stores is refused naming the limit."""
    document = {"nodes": [{"nodeID": str(i), "type": "I", "text": "x"} for i in range(3_100)], "edges": []}
    with pytest.raises(FormatError, match="nodes: holds 1,033 annotations; one import stores at most 1,000"):
        import_maps(json.dumps(document).encode(), options=ImportOptions(max_spans=1_000))

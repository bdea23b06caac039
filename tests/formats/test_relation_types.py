"""Relation types other tools use that argmap has no name for: AbstRCT's brat ``Support`` / ``Attack`` /
``Partial-Attack``, ``partial_attack`` as converters write it, SciArg's ``semantically_same`` /
``parts_of_same``, doccano relation names (``support``, ``pro``, ``con``, ``Rebut``, ``Undercut``), AIF's MA
(Default Rephrase) nodes and undercuts (a CA aimed at an RA), GraphML edge labels. Each is stored by a
documented default (every attack → attacks, every support → supports) or left out, counted and named with the
``--map`` option that keeps it; ``strict`` refuses what the defaults leave out; an unknown type is refused."""
from __future__ import annotations

import copy
import json

import pytest

from annotations.formats import get_format
from annotations.formats.base import FormatError, ImportOptions, kind_from_name, parse_label_map
from tests.formats.test_real_shapes import AGAINST, AIFDB, CLAIM, PREMISE, TEXT, doccano_record, t_line

SPANS = t_line("T1", "Claim", CLAIM) + t_line("T2", "Premise", PREMISE) + t_line("T3", "Premise", AGAINST)


def read(format_name: str, files, *mapping, strict: bool = False):
    options = ImportOptions(label_map=parse_label_map(list(mapping)), strict=strict)
    maps = get_format(format_name).import_files(files, options=options)
    return maps, options.left_out


def kinds(argument_map) -> list[tuple[str, str, str]]:
    quote = {span.id: span.quote for span in argument_map.spans}
    return sorted((quote[r.source], r.kind, quote[r.target]) for r in argument_map.relations)


def brat(relations: str, *mapping, strict: bool = False):
    return read("brat", [("abstract.txt", TEXT.encode()), ("abstract.ann", (SPANS + relations).encode())], *mapping,
                strict=strict)


def test_abstrct_brat_support_attack_and_partial_attack():
    """AbstRCT's relation types, capitalised and hyphenated, are supports, attacks and attacks."""
    (argument_map,), left_out = brat("R1\tSupport Arg1:T2 Arg2:T1\t\nR2\tPartial-Attack Arg1:T3 Arg2:T1\t\n"
                                     "R3\tAttack Arg1:T3 Arg2:T2\t\n")
    assert kinds(argument_map) == sorted([(AGAINST, "attacks", CLAIM), (AGAINST, "attacks", PREMISE), (PREMISE, "supports", CLAIM)])
    assert left_out == []


def test_partial_attack_with_underscores_and_a_map_that_names_it_another_way():
    """``partial_attack`` is an attack; ``--map partial-attack=supports`` names it whatever its separators."""
    (argument_map,), _ = brat("R1\tpartial_attack Arg1:T3 Arg2:T1\t\n")
    assert kinds(argument_map) == [(AGAINST, "attacks", CLAIM)]
    (argument_map,), _ = brat("R1\tpartial_attack Arg1:T3 Arg2:T1\t\n", "Partial-Attack=supports")
    assert kinds(argument_map) == [(AGAINST, "supports", CLAIM)]


def test_sciarg_semantically_same_and_parts_of_same_are_left_out_by_line_naming_the_map_option():
    (argument_map,), left_out = brat("R1\tsupports Arg1:T2 Arg2:T1\t\nR2\tsemantically_same Arg1:T3 Arg2:T1\t\n"
                                     "R3\tparts_of_same Arg1:T3 Arg2:T2\t\n")
    assert kinds(argument_map) == [(PREMISE, "supports", CLAIM)]
    assert left_out == [
        "abstract.ann, line 5 (R2): relation type 'semantically_same' is a link between two pieces of one statement, "
        "which argmap has no relation for: left out (--map 'semantically_same=supports' or "
        "'semantically_same=attacks' keeps them)",
        "abstract.ann, line 6 (R3): relation type 'parts_of_same' is a link between two pieces of one statement, "
        "which argmap has no relation for: left out (--map 'parts_of_same=supports' or 'parts_of_same=attacks' "
        "keeps them)"]
    (argument_map,), left_out = brat("R2\tsemantically_same Arg1:T3 Arg2:T1\t\n", "semantically_same=supports")
    assert kinds(argument_map) == [(AGAINST, "supports", CLAIM)] and left_out == []
    (argument_map,), left_out = brat("R2\tsemantically_same Arg1:T3 Arg2:T1\t\n", "semantically_same=-")
    assert left_out == ["abstract.ann, line 4 (R2): relation type 'semantically_same' mapped to be left out"]
    with pytest.raises(FormatError, match=r"line 4 \(R2\): relation type 'semantically_same' .*strict import"):
        brat("R2\tsemantically_same Arg1:T3 Arg2:T1\t\n", strict=True)


@pytest.mark.parametrize("name, kind", [("supports", "supports"), ("support", "supports"), ("pro", "supports"),
                                        ("Support", "supports"), ("con", "attacks"), ("Rebut", "attacks"),
                                        ("Undercut", "attacks"), ("ATTACK", "attacks"), ("partial attack", "attacks"),
                                        ("reason", "supports"), ("evidence", "supports")])
def test_doccano_relation_names_map_by_default(name, kind):
    """doccano projects name their relation labels freely: the usual names of support and attack are read (CDCP's
    reason and evidence are supports)."""
    record = doccano_record()
    record["relations"] = [{"id": 1, "from_id": 2, "to_id": 1, "type": name}]
    (argument_map,), left_out = read("doccano", [("d.jsonl", json.dumps(record).encode())])
    assert kinds(argument_map) == [(PREMISE, kind, CLAIM)] and left_out == []


def test_doccano_unknown_relation_type_is_refused_naming_it_and_the_map_option():
    record = doccano_record()
    record["relations"] = [{"id": 1, "from_id": 2, "to_id": 1, "type": "causes"}]
    with pytest.raises(FormatError, match=r"d\.jsonl: line 1, relation 1: unknown relation type 'causes'.*--map"):
        read("doccano", [("d.jsonl", json.dumps(record).encode())])


def test_doccano_rephrase_is_left_out_and_counted():
    record = doccano_record()
    record["relations"].append({"id": 3, "from_id": 3, "to_id": 2, "type": "Rephrase"})
    (argument_map,), left_out = read("doccano", [("d.jsonl", json.dumps(record).encode())])
    assert len(argument_map.relations) == 2
    assert left_out == ["d.jsonl, line 1, relation 3: relation type 'Rephrase' is a rephrase, which argmap has no "
                        "relation for: left out (--map 'Rephrase=supports' or 'Rephrase=attacks' keeps them)"]


def aif_with_rephrase_and_undercut() -> dict:
    """AIFdb: PREMISE -RA-> CLAIM, AGAINST -CA-> that RA (an undercut), AGAINST -MA-> CLAIM (a rephrase)."""
    document = copy.deepcopy(AIFDB)
    document["nodes"] = [node for node in document["nodes"] if node["nodeID"] != "51605"]
    document["edges"] = [edge for edge in document["edges"] if edge["edgeID"] not in (3, 4)]
    document["nodes"] += [
        {"nodeID": "51610", "text": "Default Conflict", "type": "CA", "scheme": "Default Conflict"},
        {"nodeID": "51611", "text": "Default Rephrase", "type": "MA", "scheme": "Default Rephrase"}]
    document["edges"] += [
        {"edgeID": 10, "fromID": "51604", "toID": "51610"}, {"edgeID": 11, "fromID": "51610", "toID": "51603"},
        {"edgeID": 12, "fromID": "51604", "toID": "51611"}, {"edgeID": 13, "fromID": "51611", "toID": "51601"}]
    document["text"] = TEXT
    return document


def test_aif_rephrase_and_undercut_left_out_counted_and_named_with_the_map_option():
    (argument_map,), left_out = read("aif", [("n.json", json.dumps(aif_with_rephrase_and_undercut()).encode())])
    assert kinds(argument_map) == [(PREMISE, "supports", CLAIM)]
    assert left_out == [
        "n.json, CA node 51610: its conclusion is a RA node (an undercut: it attacks an inference, and argmap relations "
        "link two spans); left out (--map undercut=attacks stores it as an attack on that inference's premise)",
        "n.json, 1 MA (rephrase) node(s): one proposition restating another (Default Rephrase), which argmap has no "
        "relation for; left out (--map MA=supports keeps them as supports)"]


def test_aif_rephrase_and_undercut_kept_when_mapped():
    """--map undercut=attacks: the undercutter attacks the premise of the inference; --map MA=supports: the
    rephrase supports what it restates."""
    (argument_map,), left_out = read("aif", [("n.json", json.dumps(aif_with_rephrase_and_undercut()).encode())],
                                     "undercut=attacks", "MA=supports")
    assert kinds(argument_map) == sorted([(AGAINST, "attacks", PREMISE), (AGAINST, "supports", CLAIM),
                                          (PREMISE, "supports", CLAIM)])
    assert not any("MA" in line or "undercut" in line for line in left_out)


GRAPHML = ("<graphml xmlns='http://graphml.graphdrawing.org/xmlns'><key id='t' for='node' attr.name='text'/>"
           "<key id='k' for='edge' attr.name='label'/><graph edgedefault='directed'>"
           "<node id='a'><data key='t'>Cars out</data></node><node id='b'><data key='t'>Safer streets</data></node>"
           "<node id='c'><data key='t'>Shops lose trade</data></node>"
           "<edge id='e1' source='b' target='a'><data key='k'>Partial-Attack</data></edge>"
           "<edge id='e2' source='c' target='a'><data key='k'>Undercut</data></edge>"
           "<edge id='e3' source='c' target='b'><data key='k'>Default Rephrase</data></edge></graph></graphml>")


def test_graphml_edge_labels_map_by_default_and_a_rephrase_is_not_guessed_to_be_a_support():
    (argument_map,), left_out = read("graphml", [("g.graphml", GRAPHML.encode())])
    assert kinds(argument_map) == [("Safer streets", "attacks", "Cars out"), ("Shops lose trade", "attacks", "Cars out")]
    assert left_out == ["g.graphml, edge 'e3': edge type 'Default Rephrase' is a rephrase, which argmap has no "
                        "relation for: left out (--map 'Default Rephrase=supports' or 'Default Rephrase=attacks' "
                        "keeps them)"]
    (argument_map,), left_out = read("graphml", [("g.graphml", GRAPHML.encode())], "Default Rephrase=supports")
    assert ("Shops lose trade", "supports", "Safer streets") in kinds(argument_map) and left_out == []


def test_mapping_a_relation_type_to_a_label_is_refused():
    with pytest.raises(FormatError, match="mapped to 'claim', which is a label, not supports/attacks"):
        kind_from_name("Partial-Attack", where="R1", label_map=parse_label_map(["partial_attack=claim"]))


def test_aif_with_metadata_under_aif_and_s_nodes_naming_their_scheme():
    """A generator's AIFdb-style file (ostruct's argument-aif example): "AIF" holds only metadata, the graph is at
    the top, scheme nodes are ``"type": "S"`` with ``"scheme": "RA"`` / ``"Default Conflict"``. The relations are read
    instead of "no 'nodes'" or silently losing them."""
    document = {"AIF": {"version": "1.0", "analyst": "AI Assistant", "created": "2024-01-01T00:00:00Z"},
                "nodes": [{"nodeID": "1", "text": CLAIM, "type": "I"}, {"nodeID": "2", "text": PREMISE, "type": "I"},
                          {"nodeID": "3", "text": AGAINST, "type": "I"},
                          {"nodeID": "4", "type": "S", "scheme": "RA"},
                          {"nodeID": "5", "type": "S", "scheme": "Default Conflict"},
                          {"nodeID": "6", "type": "S", "scheme": "Position To Know"}],
                "edges": [{"edgeID": "1", "fromID": "2", "toID": "4"}, {"edgeID": "2", "fromID": "4", "toID": "1"},
                          {"edgeID": "3", "fromID": "3", "toID": "5"}, {"edgeID": "4", "fromID": "5", "toID": "1"}],
                "locutions": [], "participants": [], "text": TEXT}
    (argument_map,), left_out = read("aif", [("test.json", json.dumps(document).encode())])
    assert kinds(argument_map) == sorted([(PREMISE, "supports", CLAIM), (AGAINST, "attacks", CLAIM)])
    assert left_out == ["test.json, 1 S (a scheme node naming no RA, CA or MA) node(s): not a relation argmap can read, "
                        "left out"]

"""GraphML: networkx reads it back with the spans' attributes and the relations' kinds."""
import io
import xml.etree.ElementTree as ElementTree

import networkx

from annotations.formats.graphml import FORMAT as GRAPHML


def _read(argument_map):
    return networkx.read_graphml(io.BytesIO(GRAPHML.export(argument_map)))


def test_networkx_reads_nodes_with_attributes(sample_map):
    """Every span is a node with label, text, paragraph, start and end."""
    graph = _read(sample_map)
    assert graph.is_directed()
    assert set(graph.nodes) == {s.id for s in sample_map.spans}
    for span in sample_map.spans:
        data = graph.nodes[span.id]
        assert (data["label"], data["text"], data["paragraph"], data["start"], data["end"]) == (
            span.label, span.quote, span.paragraph, span.start, span.end)
    assert graph.nodes["x1"]["text"] == "the bear 🐻 and the dragon 🐉 are friends"
    assert graph.graph["title"] == sample_map.title


def test_edges_carry_kind_from_source_to_target(sample_map):
    """Every relation is an edge from its source to its target with kind supports/attacks."""
    graph = _read(sample_map)
    edges = {(u, v, d["kind"]) for u, v, d in graph.edges(data=True)}
    assert edges == {(r.source, r.target, r.kind) for r in sample_map.relations}


def test_attribute_keys_are_typed_for_gephi(sample_map):
    """Keys declare types (Gephi reads paragraph/start/end as numbers, label/text as strings)."""
    root = ElementTree.fromstring(GRAPHML.export(sample_map))
    keys = {(k.get("for"), k.get("attr.name")): k.get("attr.type")
            for k in root.iter("{http://graphml.graphdrawing.org/xmlns}key")}
    assert keys[("node", "start")] in ("int", "long") and keys[("node", "label")] == "string"
    assert keys[("edge", "kind")] == "string"

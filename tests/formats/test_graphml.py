"""GraphML: networkx reads it back with the spans' attributes and the relations' kinds."""
import io
import xml.etree.ElementTree as ElementTree

import networkx

from annotations.formats.graphml import FORMAT as GRAPHML


def _read(argument_map):
    return networkx.read_graphml(io.BytesIO(GRAPHML.export(argument_map)))


def test_networkx_reads_nodes_with_attributes(sample_map):
    """Every span is a node with its text as label, its argmap label as type, paragraph, start and end."""
    graph = _read(sample_map)
    assert graph.is_directed()
    assert set(graph.nodes) == {s.id for s in sample_map.spans}
    for span in sample_map.spans:
        data = graph.nodes[span.id]
        assert (data["label"], data["type"], data["text"], data["paragraph"], data["start"], data["end"]) == (
            span.quote, span.label, span.quote, span.paragraph, span.start, span.end)
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


def test_gephi_shows_each_node_by_its_text_and_each_edge_by_its_kind(sample_map):
    """As Gephi's GraphML importer (ImporterGraphML) reads it: a node's label is the data of the key named "label"
    (or yEd's "d3"), an edge's the key named "label" / "edgelabel"; other keys become columns. So a node shows its
    quote (not "claim" on every node), an edge "supports" or "attacks", and "type" is there to colour by."""
    root = ElementTree.fromstring(GRAPHML.export(sample_map))
    ns = "{http://graphml.graphdrawing.org/xmlns}"
    name_of = {k.get("id"): (k.get("for"), k.get("attr.name")) for k in root.iter(f"{ns}key")}

    def shown(element, kind):
        values = {name_of[d.get("key")][1]: d.text for d in element.iter(f"{ns}data") if name_of[d.get("key")][0] == kind}
        return values.get("label") or values.get("d3" if kind == "node" else "edgelabel"), values

    quotes = {span.id: span.quote for span in sample_map.spans}
    for node in root.iter(f"{ns}node"):
        label, columns = shown(node, "node")
        assert label == quotes[node.get("id")] and columns["type"] in {s.label for s in sample_map.spans}
    kinds = {r.id: r.kind for r in sample_map.relations}
    for edge in root.iter(f"{ns}edge"):
        assert shown(edge, "edge")[0] == kinds[edge.get("id")]

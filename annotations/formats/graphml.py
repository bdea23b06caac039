"""GraphML for graph tools (Gephi, yEd, Cytoscape, networkx).

A directed graph: one node per span (id = span id) with attributes ``label`` (argmap
label), ``text`` (the quote), ``paragraph``, ``start``, ``end``, ``author``, ``note``;
one edge per relation, from the supporting/attacking span to its target, with ``kind``
(supports/attacks); the edge's GraphML ``id`` is the relation id. The graph carries ``title`` and ``layer``. Written with
networkx's GraphML writer (typed keys, UTF-8), nodes in document order.
"""
from __future__ import annotations

import networkx

from annotations.argument_map import ArgumentMap
from annotations.formats.base import MapFormat, spans_in_document_order


def map_to_graph(argument_map: ArgumentMap) -> networkx.MultiDiGraph:
    graph = networkx.MultiDiGraph(title=argument_map.title, layer=argument_map.layer_name)
    for span in spans_in_document_order(argument_map):
        graph.add_node(
            span.id,
            label=span.label,
            text=span.quote,
            paragraph=span.paragraph,
            start=span.start,
            end=span.end,
            author=span.author,
            note=span.note,
        )
    for relation in argument_map.relations:
        graph.add_edge(relation.source, relation.target, key=relation.id, kind=relation.kind)
    return graph


def export_text(argument_map: ArgumentMap) -> str:
    return "\n".join(networkx.generate_graphml(map_to_graph(argument_map), encoding="utf-8", prettyprint=True)) + "\n"


FORMAT = MapFormat(name="graphml", title="GraphML (Gephi, yEd, networkx)", extension="graphml",
                   content_type="application/graphml+xml", write=lambda argument_map: export_text(argument_map).encode("utf-8"))

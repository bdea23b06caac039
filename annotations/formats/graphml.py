"""GraphML for graph tools (Gephi, yEd, Cytoscape, networkx).

A directed graph: one node per span (id = span id) with attributes ``label`` (the quote: the
node label Gephi shows, as its GraphML importer maps a ``label`` key to it), ``type`` (the
argmap label, to colour by), ``text`` (the quote), ``paragraph``, ``start``, ``end``,
``author``, ``note``; one edge per relation, from the supporting/attacking span to its target,
with ``kind`` and ``label`` (supports/attacks, Gephi's edge label); the edge's GraphML ``id`` is
the relation id. The graph carries ``title`` and ``layer``. Written with
networkx's GraphML writer (typed keys, UTF-8), nodes in document order.
"""
from __future__ import annotations

import re

import networkx

from annotations.argument_map import ArgumentMap, MapParagraph, MapRelation, MapSpan
from annotations.formats.base import (
    FormatError,
    ImportOptions,
    MapFormat,
    check_map,
    check_span_count,
    UNMAPPED_KINDS,
    kind_from_name,
    kind_is_mapped,
    kind_key,
    kind_left_out,
    label_from_name,
    labels_in_use,
    spans_in_document_order,
)


def map_to_graph(argument_map: ArgumentMap) -> networkx.MultiDiGraph:
    graph = networkx.MultiDiGraph(title=argument_map.title, layer=argument_map.layer_name)
    for span in spans_in_document_order(argument_map):
        graph.add_node(
            span.id,
            label=span.quote,
            type=span.label,
            text=span.quote,
            paragraph=span.paragraph,
            start=span.start,
            end=span.end,
            author=span.author,
            note=span.note,
        )
    for relation in argument_map.relations:
        graph.add_edge(relation.source, relation.target, key=relation.id, kind=relation.kind, label=relation.kind)
    return graph


def export_text(argument_map: ArgumentMap) -> str:
    return "\n".join(networkx.generate_graphml(map_to_graph(argument_map), encoding="utf-8", prettyprint=True)) + "\n"




# --- import --------------------------------------------------------------------------
# GraphML as graph tools write it: our own export (networkx; ``text``, ``label``, ``paragraph``,
# ``start``, ``kind``), yEd (the text in a ``y:NodeLabel`` of a ``y:ShapeNode`` / ``y:GenericNode``,
# an edge's kind in its ``y:EdgeLabel``, or its line: red or dashed → attacks, green → supports),
# Gephi and Cytoscape (a node's ``label`` is its text when it names no argmap label; an edge's
# ``label`` / ``type`` / ``interaction``). Keys may be declared for nodes, edges, the graph or all.
# A GraphML file holds no source text: each node becomes a paragraph (in the order of our export's
# ``paragraph``/``start`` when given, else of the file), its span the whole paragraph. Labels: an
# attribute naming one (``label``, ``type``, ``kind``, ``category``, ``role``; or mapped), else the
# structure, as for AIF. Group nodes (yEd's folders: a node holding a graph) are containers, not
# statements: left out. XML with a DOCTYPE is refused (no entities, no external references).

# "type" first: our export (and Gephi users) keep the node's text in "label"; older exports had the label there.
_NODE_LABEL_KEYS = ("type", "kind", "category", "role", "class", "argmap_label", "label")
NO_KIND = "(none)"  # the label-map key for edges that name no kind: "(none)=attacks", "(none)=-"
_EDGE_KIND_KEYS = ("kind", "type", "relation", "label", "interaction", "edge_type")
_KIND_WORDS = {"+": "supports", "pro": "supports", "support": "supports", "supports": "supports", "for": "supports",
               "-": "attacks", "con": "attacks", "attack": "attacks", "attacks": "attacks", "against": "attacks",
               "rebut": "attacks", "rebuts": "attacks", "objection": "attacks", "contra": "attacks"}


def _local(tag) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _parse_xml(data: bytes):
    from lxml import etree

    head = data[:4096].lower()
    if b"<!doctype" in head or b"<!entity" in data.lower():
        raise FormatError("the GraphML file declares a DOCTYPE or entities; argmap reads GraphML without them "
                          "(save it again from the graph tool)")
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False,
                             remove_comments=True)
    try:
        return etree.fromstring(data, parser)
    except etree.XMLSyntaxError as error:
        line = getattr(error, "lineno", None) or (error.position[0] if getattr(error, "position", None) else 0)
        raise FormatError(f"not well-formed XML: {error.msg}", where=f"line {line}" if line else "") from None


def _yed_texts(element, suffix: str) -> list[str]:
    """The texts of the ``y:*NodeLabel`` / ``y:EdgeLabel`` elements under ``element``."""
    return [re.sub(r"\s+", " ", "".join(label.itertext())).strip() for label in element.iter()
            if _local(label.tag).endswith(suffix)]


def _line_kind(element) -> str | None:
    """A yEd edge's kind from its line: red → attacks, green → supports, dashed or dotted → attacks."""
    for line in element.iter():
        if _local(line.tag) != "LineStyle":
            continue
        colour = (line.get("color") or "").lstrip("#")
        if re.fullmatch(r"[0-9A-Fa-f]{6}", colour):
            red, green, blue = (int(colour[i:i + 2], 16) for i in (0, 2, 4))
            if red > 150 and red > green * 1.5 and red > blue * 1.5:
                return "attacks"
            if green > 100 and green > red * 1.3 and green > blue * 1.3:
                return "supports"
        if (line.get("type") or "").lower() in ("dashed", "dotted", "dashed_dotted"):
            return "attacks"
    return None


def import_graph(data: bytes, *, name: str = "", options: ImportOptions | None = None) -> list[ArgumentMap]:
    options = options or ImportOptions()
    root = _parse_xml(data)
    if _local(root.tag) != "graphml":
        raise FormatError(f"the root element is <{_local(root.tag)}>, not <graphml>: this is not a GraphML file")
    keys = {}  # key id → (attribute name, for)
    for key in root:
        if _local(key.tag) == "key":
            keys[key.get("id")] = ((key.get("attr.name") or key.get("yfiles.type") or key.get("id") or "").lower(),
                                   key.get("for", "all"))
    graph = next((child for child in root if _local(child.tag) == "graph"), None)
    if graph is None:
        raise FormatError("the file has no <graph> element")

    def values(element) -> dict[str, str]:
        found = {}
        for item in element:
            if _local(item.tag) == "data" and item.get("key") and len(item) == 0:  # an undeclared key by its id
                found[keys.get(item.get("key"), (item.get("key").lower(),))[0]] = (item.text or "").strip()
        return found

    graph_values = values(graph)
    nodes, order = {}, []
    for index, node in enumerate(element for element in graph.iter() if _local(element.tag) == "node"):
        node_id = node.get("id")
        where = f"node {node_id!r}" if node_id else f"node {index + 1}"
        if not node_id:
            raise FormatError("has no id", where=where)
        if node_id in nodes:
            raise FormatError("the id is used by two nodes", where=where)
        if any(_local(child.tag) == "graph" for child in node):
            options.leave_out("a group node (it holds other nodes), left out", where=where)
            nodes[node_id] = None
            continue
        own = values(node)
        yed = [text for text in _yed_texts(node, "NodeLabel") if text]
        label_value = own.get("label", "")
        names_label = _quiet_label(label_value, options) is not None
        text = own.get("text") or (yed[0] if yed else "") or ("" if names_label else label_value) or \
            own.get("description", "") or own.get("name", "")
        text = re.sub(r"\s+", " ", text).strip()
        if not text:
            options.leave_out("has no text (no 'text' or 'label' attribute, no yEd label), left out", where=where)
            nodes[node_id] = None
            continue
        label = next((found for key in _NODE_LABEL_KEYS if key in own and key != "text"
                      and (found := _quiet_label(own[key], options)) is not None), None)
        sort_key = (_number(own.get("paragraph")), _number(own.get("start")), index)
        nodes[node_id] = {"text": text, "label": label, "note": own.get("note", ""), "sort": sort_key, "where": where}
        order.append(node_id)
    check_span_count(len(order), options)
    if not order:
        raise FormatError("the graph has no node with a text to import")
    order.sort(key=lambda node_id: nodes[node_id]["sort"])
    ids = {node_id: f"s{number + 1}" for number, node_id in enumerate(order)}
    relations, pairs, guessed = [], set(), []
    for index, edge in enumerate(element for element in graph.iter() if _local(element.tag) == "edge"):
        where = f"edge {edge.get('id')!r}" if edge.get("id") else f"edge {index + 1}"
        source, target = edge.get("source"), edge.get("target")
        for end_name, node_id in (("source", source), ("target", target)):
            if node_id not in nodes:
                raise FormatError(f"its {end_name} {node_id!r} is not a node of the graph", where=where)
        if nodes[source] is None or nodes[target] is None:
            options.leave_out("links a node that was left out", where=where)
            continue
        own = values(edge)
        kind = None
        for key in _EDGE_KIND_KEYS:
            if own.get(key):
                kind = _quiet_kind(own[key], options)
                if kind is not None:
                    break
        if kind is None:
            kind = next((found for text in _yed_texts(edge, "EdgeLabel") if (found := _quiet_kind(text, options))), None)
        if kind is None:  # named, but neither support nor attack (a rephrase): not to be guessed from its colour
            named = [value for value in [*(own.get(key) for key in _EDGE_KIND_KEYS), *_yed_texts(edge, "EdgeLabel")]
                     if value and (kind_key(value) in UNMAPPED_KINDS or kind_is_mapped(value, options.label_map))]
            if named:
                why = f"edge {kind_left_out(named[0], label_map=options.label_map)}"
                if kind_is_mapped(named[0], options.label_map):  # the person's choice: reported, never refused
                    options.left_out.append(f"{where}: {why}")
                else:
                    options.leave_out(why, where=where)
                continue
        if kind is None:
            kind = _line_kind(edge)
        assumed = kind is None
        if assumed:
            if NO_KIND in options.label_map:  # the person said what such edges are: "(none)=attacks" or "(none)=-"
                kind = options.label_map[NO_KIND] or None
                if kind is None:
                    options.left_out.append(f"{where}: names no kind; {NO_KIND}=- leaves such edges out")
                    continue
                if kind not in ("supports", "attacks"):
                    raise FormatError(f"{NO_KIND} is mapped to {kind!r}; an edge is supports or attacks (or - to "
                                      "leave it out)")
                assumed = False
            elif options.strict:
                raise FormatError("names neither supports nor attacks (no kind, label or red/green line); give it "
                                  f"a kind, or map {NO_KIND}=supports, {NO_KIND}=attacks or {NO_KIND}=- (left out)",
                                  where=where)
            else:
                kind = "supports"
        pair = (ids[source], ids[target])
        if pair[0] == pair[1]:
            options.leave_out("goes from a node to itself, left out", where=where)
            continue
        if pair in pairs:
            continue
        pairs.add(pair)
        relations.append(MapRelation(id=f"r{len(relations) + 1}", kind=kind, source=pair[0], target=pair[1]))
        if assumed:
            guessed.append(where)
    if guessed:
        options.assumed.append(
            f"{len(guessed)} edge(s) name neither supports nor attacks (no kind, label or red/green line) and were "
            f"stored as supports: {', '.join(guessed[:20])}{' …' if len(guessed) > 20 else ''}; map {NO_KIND}=attacks, "
            f"or {NO_KIND}=- to leave them out")
    structural = {}
    for relation in relations:
        if relation.kind == "attacks":
            structural[relation.source] = "counterclaim"
    for relation in relations:
        if relation.kind == "attacks" and structural.get(relation.target) == "counterclaim":
            structural[relation.source] = "rebuttal"
        elif relation.kind == "supports" and relation.source not in structural:
            structural[relation.source] = "evidence"
    paragraphs = [MapParagraph(position=number, text=nodes[node_id]["text"]) for number, node_id in enumerate(order)]
    spans = [MapSpan(id=ids[node_id], paragraph=number, start=0, end=len(nodes[node_id]["text"]),
                     quote=nodes[node_id]["text"], note=nodes[node_id]["note"],
                     label=nodes[node_id]["label"] or structural.get(ids[node_id], "claim"))
             for number, node_id in enumerate(order)]
    argument_map = ArgumentMap(title=graph_values.get("title") or name or "GraphML import", paragraphs=paragraphs,
                               spans=spans, relations=relations, labels=labels_in_use(spans))
    check_map(argument_map)
    return [argument_map]


def _quiet_label(value: str, options: ImportOptions) -> str | None:
    try:
        return label_from_name(value, where="", label_map=options.label_map) if value.strip() else None
    except FormatError:
        return None


def _quiet_kind(value: str, options: ImportOptions) -> str | None:
    word = value.strip().lower()
    if word in _KIND_WORDS and word not in options.label_map:
        return _KIND_WORDS[word]
    try:
        return kind_from_name(value, where="", label_map=options.label_map) if word else None
    except FormatError:
        return None


def _number(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 1 << 30


FORMAT = MapFormat(name="graphml", title="GraphML (Gephi, yEd, networkx)", extension="graphml",
                   content_type="application/graphml+xml", write=lambda argument_map: export_text(argument_map).encode("utf-8"),
                   read=import_graph)

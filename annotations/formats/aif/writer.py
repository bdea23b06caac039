"""Writes an ArgumentMap as OVA3-shaped AIF JSON (see the package docstring)."""
from __future__ import annotations

import html
import json
from datetime import datetime, timezone

from annotations.argument_map import ArgumentMap
from annotations.formats.aif.shape import DEFAULT_SPEAKER, EXTENSION_MARK, KIND_TO_NODE_TYPE, SCHEMES
from annotations.formats.base import document_offsets, spans_in_document_order


def _participant(name: str) -> tuple[str, str]:
    """(firstname, surname) such that OVA3 finds the speaker again in "First Surname: text".

    OVA3 takes the words before the first colon, split on spaces, and matches the first two
    with a participant's firstname and surname; so a surname of several words is joined
    with no-break spaces, a one-word name gets the surname "Speaker", and colons are dropped.
    """
    words = name.replace(":", " ").split()
    if not words:
        words = DEFAULT_SPEAKER.split()
    if len(words) == 1:
        words.append("Speaker")
    return words[0], "\u00a0".join(words[1:])


def export_map(argument_map: ArgumentMap, *, timestamp: datetime | None = None) -> bytes:
    stamp = (timestamp or datetime.now(timezone.utc)).strftime("%Y-%m-%d %H:%M:%S")
    provenance = argument_map.provenance if argument_map.provenance.get("format") == "aif" else {}
    speakers = {span_id: info.get("speaker", "") for span_id, info in provenance.get("spans", {}).items()}
    participants: dict[tuple[str, str], str] = {}  # (firstname, surname) → participantID
    for participant in provenance.get("participants", []):
        key = _participant(f"{participant.get('firstname', '')} {participant.get('surname', '')}")
        participants.setdefault(key, str(len(participants) + 1))

    def participant_of(span_id: str) -> tuple[tuple[str, str], str]:
        key = _participant(speakers.get(span_id, ""))
        return key, participants.setdefault(key, str(len(participants) + 1))

    nodes, edges, fulfillments, locutions, ova_nodes = [], [], [], [], []
    counter = iter(range(1, 10**9))
    i_node_of, l_node_of = {}, {}
    spans = spans_in_document_order(argument_map)

    def add_node(node_type: str, text: str, x: int, y: int) -> str:
        node_id = str(next(counter))
        node = {"nodeID": node_id, "text": text, "type": node_type, "timestamp": stamp}
        if node_type in SCHEMES:
            scheme, scheme_id = SCHEMES[node_type]
            node.update({"scheme": scheme, "schemeID": str(scheme_id)})
            fulfillments.append({"nodeID": node_id, "schemeID": str(scheme_id)})
        nodes.append(node)
        ova_nodes.append({"nodeID": node_id, "visible": True, "x": x, "y": y, "timestamp": stamp})
        return node_id

    edge_counter = iter(range(1, 10**9))

    def add_edge(from_id: str, to_id: str) -> None:
        edges.append({"edgeID": str(next(edge_counter)), "fromID": from_id, "toID": to_id, "formEdgeID": None})

    for index, span in enumerate(spans):
        (first, last), person = participant_of(span.id)
        i_node = add_node("I", span.quote, 400, 120 * index)  # the L-node's id is the I-node's + 1, as OVA3 makes them
        l_node = add_node("L", f"{first} {last}: {span.quote}", 1000, 120 * index)
        ya_node = add_node("YA", "Asserting", 700, 120 * index)
        add_edge(l_node, ya_node)
        add_edge(ya_node, i_node)
        locutions.append({"nodeID": l_node, "personID": person, "timestamp": stamp, "start": stamp, "end": None})
        i_node_of[span.id], l_node_of[span.id] = i_node, l_node

    relation_nodes = {}
    for index, relation in enumerate(argument_map.relations):
        node_type = KIND_TO_NODE_TYPE[relation.kind]
        relation_node = add_node(node_type, SCHEMES[node_type][0], 200, 120 * index)
        add_edge(i_node_of[relation.source], relation_node)
        add_edge(relation_node, i_node_of[relation.target])
        relation_nodes[relation.id] = relation_node

    extension = {
        "schema": EXTENSION_MARK,
        "title": argument_map.title,
        "source_name": argument_map.source_name,
        "layer": {"name": argument_map.layer_name, "kind": argument_map.layer_kind},
        "labels": list(argument_map.labels),
        "paragraphs": [
            {"position": p.position, "kind": p.kind, "start": argument_map.paragraph_starts[p.position]}
            for p in argument_map.paragraphs
        ],
        "spans": [],
        "relations": [
            {"nodeID": relation_nodes[r.id], "id": r.id, "author": r.author} for r in argument_map.relations
        ],
    }
    for span in spans:
        document_start, document_end = document_offsets(argument_map, span)
        extension["spans"].append(
            {
                "nodeID": i_node_of[span.id],
                "id": span.id,
                "label": span.label,
                "paragraph": span.paragraph,
                "start": span.start,
                "end": span.end,
                "document_start": document_start,
                "document_end": document_end,
                "author": span.author,
                "note": span.note,
            }
        )
    document = {
        "AIF": {
            "nodes": nodes,
            "edges": edges,
            "schemefulfillments": fulfillments,
            "participants": [
                {"participantID": person, "firstname": first, "surname": last}
                for (first, last), person in participants.items()
            ],
            "locutions": locutions,
            "descriptorfulfillments": [],
            "cqdescriptorfulfillments": [],
        },
        "text": highlighted_text(argument_map, {span.id: (l_node_of[span.id], i_node_of[span.id]) for span in spans}),
        "OVA": {"firstname": "argmap", "surname": "", "url": "", "nodes": ova_nodes,
                "edges": [{"fromID": e["fromID"], "toID": e["toID"], "visible": True} for e in edges]},
        "argmap": extension,
    }
    return (json.dumps(document, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def highlighted_text(argument_map: ArgumentMap, node_of_span: dict[str, str | tuple[str, ...]]) -> str:
    """The document as OVA's HTML text, each span wrapped in a highlighted ``<span>``.

    A span given several node ids (its L-node, then its I-node) is wrapped once per id, the
    first outermost: OVA3 in dialogical mode links a highlight to its L-node, in argument
    mode to its I-node (``hlUpdate`` looks up ``node<I-node id>``).
    Spans that overlap an earlier span are left unmarked (HTML cannot cross tags); their
    offsets are still in the extension field.
    """
    text = argument_map.document_text
    marks, covered_until = [], -1
    for span in spans_in_document_order(argument_map):
        start, end = document_offsets(argument_map, span)
        if start >= covered_until:
            marks.append((start, end, node_of_span[span.id]))
            covered_until = end
    pieces, position = [], 0
    for start, end, node_id in marks:
        pieces.append(_html_text(text[position:start]))
        ids = (node_id,) if isinstance(node_id, str) else node_id
        opening = "".join(f'<span class="highlighted" id="node{one}">' for one in ids)
        pieces.append(f"{opening}{_html_text(text[start:end])}{'</span>' * len(ids)}")
        position = end
    pieces.append(_html_text(text[position:]))
    return "".join(pieces)


def _html_text(text: str) -> str:
    return html.escape(text, quote=False).replace("\n", "<br>")

"""A checker of our own that applies the rules OVA3's loader applies to a saved analysis.

Read from OVA3's sources (arg-tech/OVA3: ``res/js/ova-save.js`` ``loadFile`` /
``loadOva3Json`` / ``loaddbjson``, ``res/js/ova-init.js`` ``hlUpdate``, ``res/js/ova-model.js``
``findParticipantIDText`` / ``getParticipantName``); no code copied, only the rules:

- a file with an ``OVA`` key is loaded as OVA3's own format; node ids are kept as they are;
  ``text`` is a string or ``{"txt": ...}``; participants come from ``AIF.participants``;
- in argument mode (no ``plus``) only I, RA, CA, MA and EN nodes are created; each I-node is
  linked to the text by ``hlUpdate``: the element ``node<I id>``, else (ids of the form
  ``<n>_<session>``) ``node<n+1>_<session>``, the L-node OVA3 made right after the I-node;
  a numeric (non-string) id has no ``split`` and stops the loader;
- in dialogical mode (``plus``) every node is created; an L-node's speaker is the text before
  its first ``:``, split on spaces: word 1 must equal a participant's firstname and word 2
  its surname exactly, or the locution has no participant;
- edges come from ``OVA.edges`` and are kept only between nodes that were created;
- AIFdb's loader adds numbers to ``nodeID``, ``fromID`` and ``toID`` and takes a locution's
  ``start`` only when it reads ``YYYY-MM-DD HH:MM:SS``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

ARGUMENT_MODE_TYPES = {"I", "RA", "CA", "MA", "EN"}
TIMESTAMP = re.compile(r"\d{4}-\d{2}-\d{2}\s\d{2}:\d{2}:\d{2}")


class _SpanIds(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        element_id = dict(attrs).get("id")
        if element_id:
            self.ids.add(element_id)


def _parse_int_prefix(text: str) -> int | None:
    """JavaScript's parseInt on a string: the leading digits, else NaN (None)."""
    match = re.match(r"\s*[+-]?\d+", text)
    return int(match.group()) if match else None


@dataclass
class LoadReport:
    crashed: str = ""
    created: set[str] = field(default_factory=set)
    linked: set[str] = field(default_factory=set)  # I-nodes (argument mode) or L-nodes (dialogical) tied to the text
    unlinked: list[str] = field(default_factory=list)
    speakers_unresolved: list[str] = field(default_factory=list)
    edges_dropped: int = 0


def ova3_load(document: dict, *, dialogical: bool) -> LoadReport:
    """What OVA3 does with ``document`` when it opens it (see the module docstring)."""
    report = LoadReport()
    if "OVA" not in document:
        report.crashed = "no OVA key: not loaded as an OVA3 analysis"
        return report
    aif = document["AIF"]
    text = document.get("text", "")
    if isinstance(text, dict):
        text = text.get("txt", "")
    reader = _SpanIds()
    reader.feed(text or "")
    participants = {(p.get("firstname"), p.get("surname")) for p in aif.get("participants", [])}
    nodes = {}
    for node in aif["nodes"]:
        if dialogical or node["type"] in ARGUMENT_MODE_TYPES:
            nodes[str(node["nodeID"])] = node
    report.created = set(nodes)
    for node_id, node in nodes.items():
        if dialogical and node["type"] == "L":
            speaker = node["text"][: node["text"].find(":")] if ":" in node["text"] else node["text"][:-1]
            words = speaker.split(" ")
            name = (words[0], words[1] if len(words) > 1 else None)
            if name not in participants:
                report.speakers_unresolved.append(node_id)
            if f"node{node_id}" in reader.ids:
                report.linked.add(node_id)
            else:
                report.unlinked.append(node_id)
        elif not dialogical and node["type"] == "I" and text:
            if not isinstance(node["nodeID"], str):
                report.crashed = f"nodeID {node['nodeID']!r} is not a string: hlUpdate calls split on it"
                return report
            if f"node{node_id}" in reader.ids:
                report.linked.add(node_id)
                continue
            parts = node_id.split("_")
            number = _parse_int_prefix(parts[0])
            fallback = f"{'NaN' if number is None else number + 1}_{parts[1] if len(parts) > 1 else 'undefined'}"
            if f"node{fallback}" in reader.ids:
                report.linked.add(node_id)
            else:
                report.unlinked.append(node_id)
    seen = set()
    for edge in document["OVA"].get("edges", []):
        key = (str(edge["fromID"]), str(edge["toID"]))
        if key[0] in nodes and key[1] in nodes and key not in seen:
            seen.add(key)
        else:
            report.edges_dropped += 1
    return report


def aifdb_problems(document: dict) -> list[str]:
    """What AIFdb's loader would get wrong: ids that are not integers, locutions without speaker or time."""
    aif = document.get("AIF", document)
    problems = []
    types = {}
    for node in aif["nodes"]:
        types[str(node["nodeID"])] = node["type"]
        if not re.fullmatch(r"[0-9]+", str(node["nodeID"])):
            problems.append(f"node {node['nodeID']!r}: not an integer id")
    for edge in aif["edges"]:
        for key in ("fromID", "toID"):
            if not re.fullmatch(r"[0-9]+", str(edge[key])):
                problems.append(f"edge {edge.get('edgeID')}: {key} {edge[key]!r} is not an integer id")
    people = {str(p.get("participantID")) for p in aif.get("participants", [])}
    located = set()
    for locution in aif.get("locutions", []):
        node_id = str(locution.get("nodeID"))
        located.add(node_id)
        if types.get(node_id) != "L":
            problems.append(f"locution {node_id}: not an L-node")
        if str(locution.get("personID")) not in people:
            problems.append(f"locution {node_id}: personID {locution.get('personID')!r} is not a participant")
        if not TIMESTAMP.search(str(locution.get("start") or "")):
            problems.append(f"locution {node_id}: start {locution.get('start')!r} is not YYYY-MM-DD HH:MM:SS")
    for node_id, node_type in types.items():
        if node_type == "L" and node_id not in located:
            problems.append(f"L-node {node_id} has no locution")
    return problems

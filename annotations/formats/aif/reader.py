"""Reads AIF JSON (OVA3, OVA2, AIFdb) into an ArgumentMap (see the package docstring)."""
from __future__ import annotations

import html
import re
from html.parser import HTMLParser

import jsonschema

from annotations.argument_map import LABELS, PARAGRAPH_SEPARATOR, ArgumentMap, MapParagraph, MapRelation, MapSpan
from annotations.formats.aif.shape import EXTENSION_MARK, EXTENSION_SCHEMA
from annotations.formats.archive import is_zip, zip_members
from annotations.formats.base import (
    FormatError,
    decode_utf8,
    ImportOptions,
    check_map,
    kind_from_name,
    kind_is_mapped,
    check_span_count,
    load_json,
    labels_in_use,
    shorten,
    span_at,
    split_paragraphs,
)


class _OvaTextReader(HTMLParser):
    """OVA's HTML text → plain text, with the ranges of ``<span id="nodeN">`` marks."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.length = 0
        self.open_spans: list[str | None] = []
        self.ranges: dict[str, tuple[int, int]] = {}
        self._starts: dict[str, int] = {}

    def _add(self, text: str) -> None:
        self.parts.append(text)
        self.length += len(text)

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "br":
            self._add("\n")
        elif tag in ("p", "div") and self.length:
            self._add(PARAGRAPH_SEPARATOR)
        elif tag == "span":
            # OVA marks ``node<id>``; the xaif library (ARG-tech's argument-mining framework) the bare id.
            match = re.fullmatch(r"node(.+)|([0-9]+)", attributes.get("id") or "")
            node_id = (match.group(1) or match.group(2)) if match else None
            self.open_spans.append(node_id)
            if node_id is not None:
                self._starts[node_id] = self.length

    def handle_startendtag(self, tag, attrs):
        if tag == "br":
            self._add("\n")

    def handle_endtag(self, tag):
        if tag == "span" and self.open_spans:
            node_id = self.open_spans.pop()
            if node_id is not None and node_id in self._starts:
                self.ranges[node_id] = (self._starts.pop(node_id), self.length)

    def handle_data(self, data):
        self._add(data)

    @property
    def text(self) -> str:
        return "".join(self.parts)


def _as_list(value, where: str) -> list:
    if value is None:
        return []
    if not isinstance(value, list):
        raise FormatError("must be a list", where=where)
    return value


_NODE_ID = re.compile(r"[A-Za-z0-9_.:-]{1,80}")


def _node_id(value, *, where: str) -> str:
    """A nodeID as a string: an integer, or ASCII letters, digits and ``_ . : -`` (OVA3's ``12_1633...``)."""
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise FormatError(f"nodeID {value!r} must be a number or a string", where=where)
    text = str(value)
    if not _NODE_ID.fullmatch(text):
        raise FormatError(
            f"nodeID {shorten(text, 30)!r} is not a node id (ASCII digits, letters, '_', '-', '.' or ':', at most 80)",
            where=where,
        )
    return text


def import_maps(data: bytes, *, name: str = "", options: ImportOptions | None = None) -> list[ArgumentMap]:
    """The map of an AIF file, or one map per ``.json`` of a zip (an AIFdb corpus download: each
    ``nodesetN.json`` may come with ``nodesetN.txt``, its source text, used when the JSON has none)."""
    if is_zip(data):
        options = options or ImportOptions()
        members = dict(zip_members(data, what=name or "the zip", suffixes=(".json", ".txt"), options=options))
        maps = []
        for member, member_data in members.items():
            if not member.lower().endswith(".json"):
                continue
            text_member = member[: -len(".json")] + ".txt"
            reported = len(options.left_out)
            try:
                document = load_json(member_data, what="AIF file")
                if isinstance(document, dict) and not document.get("text") and text_member in members:
                    document = {**document, "text": html.escape(decode_utf8(members[text_member], what=text_member))}
                if not isinstance(document, dict):
                    raise FormatError("an AIF file is a JSON object with nodes and edges")
                argument_map = map_from_aif(document, name=member.rsplit("/", 1)[-1][: -len(".json")], options=options)
            except FormatError as error:
                raise FormatError(error.problem, where=f"{member}, {error.where}" if error.where else member) from None
            options.left_out[reported:] = [f"{member}, {line}" for line in options.left_out[reported:]]
            argument_map.source_name = f"{name}: {member}" if name else member
            maps.append(argument_map)
            check_span_count(sum(len(m.spans) for m in maps), options)
        if not maps:
            raise FormatError(f"{name or 'the zip'} holds no .json AIF file")
        return maps
    document = load_json(data, what="AIF file")
    if not isinstance(document, dict):
        raise FormatError("an AIF file is a JSON object with nodes and edges")
    return [map_from_aif(document, name=name, options=options)]


def map_from_aif(document: dict, *, name: str = "", options: ImportOptions | None = None) -> ArgumentMap:
    options = options or ImportOptions()
    # The graph under "AIF" / "aif" (OVA3, xaif), else at the top (AIFdb; some generators put metadata under "AIF").
    aif = next((value for key, value in document.items()
                if key.lower() == "aif" and isinstance(value, dict) and "nodes" in value), document)
    if not isinstance(aif, dict) or "nodes" not in aif:
        raise FormatError("no 'nodes' (nor 'edges'): this does not look like AIF JSON")
    raw_text = document.get("text")
    if raw_text is None and isinstance(document.get("analysis"), dict):
        raw_text = document["analysis"].get("txt")  # OVA2
    if isinstance(raw_text, dict):
        raw_text = raw_text.get("txt", "")
    raw_text = raw_text or ""
    if not isinstance(raw_text, str):
        raise FormatError("must be the source text as a string", where="text")

    nodes = {}
    raw_nodes = _as_list(aif["nodes"], "nodes")
    check_span_count(len(raw_nodes) // 3, options, where="nodes")  # an anchored span takes I, L and YA nodes
    for index, node in enumerate(raw_nodes):
        if not isinstance(node, dict) or "nodeID" not in node or "type" not in node:
            raise FormatError("needs nodeID and type", where=f"nodes[{index}]")
        if node.get("text", "") is None:  # AIFdb leaves the text of some scheme nodes null
            node = {**node, "text": ""}
        if not isinstance(node["type"], str) or not isinstance(node.get("text", ""), str):
            raise FormatError("type and text must be strings", where=f"nodes[{index}]")
        node_id = _node_id(node["nodeID"], where=f"nodes[{index}]")
        if node_id in nodes:
            raise FormatError("the nodeID is used twice", where=f"node {node_id}")
        if node["type"] == "S":  # AIF's abstract scheme node, its kind named by the scheme ("RA", "Default Conflict")
            node = {**node, "type": _scheme_type(node.get("scheme"))}
        nodes[node_id] = node
    incoming: dict[str, list[str]] = {node_id: [] for node_id in nodes}
    outgoing: dict[str, list[str]] = {node_id: [] for node_id in nodes}
    for index, edge in enumerate(_as_list(aif.get("edges"), "edges")):
        where = f"edge {edge.get('edgeID', index)}" if isinstance(edge, dict) else f"edges[{index}]"
        if not isinstance(edge, dict) or "fromID" not in edge or "toID" not in edge:
            raise FormatError("needs fromID and toID", where=where)
        from_id, to_id = _node_id(edge["fromID"], where=where), _node_id(edge["toID"], where=where)
        if from_id == to_id:
            raise FormatError(f"goes from node {from_id} to itself", where=where)
        for end_name, node_id in (("fromID", from_id), ("toID", to_id)):
            if node_id not in nodes:
                raise FormatError(f"{end_name} {node_id} is not a node of the file", where=where)
        if nodes[from_id]["type"] == "I" and nodes[to_id]["type"] == "I":
            raise FormatError(
                f"goes straight from I-node {from_id} to I-node {to_id}; AIF needs an RA or CA node between them",
                where=where,
            )
        outgoing[from_id].append(to_id)
        incoming[to_id].append(from_id)

    i_nodes = [node_id for node_id, node in nodes.items() if node["type"] == "I"]

    # Relations: premise I → RA/CA → conclusion I.
    raw_relations = []  # (relation node id, kind, premise, conclusion)
    rephrase_kind = _mapped_scheme_kind(("MA", "Default Rephrase", "rephrase"), options)
    undercut_kind = _mapped_scheme_kind(("undercut",), options)
    for node_id, node in nodes.items():
        if node["type"] not in ("RA", "CA") and not (node["type"] == "MA" and rephrase_kind):
            continue
        where = f"{node['type']} node {node_id}"
        premises = [n for n in incoming[node_id] if nodes[n]["type"] == "I"]
        conclusions = outgoing[node_id]
        what = {"RA": "inference (RA)", "CA": "conflict (CA)", "MA": "rephrase (MA)"}[node["type"]]
        if not premises:  # a half-drawn relation, or one whose premise is another scheme node
            has = "no incoming edge" if not incoming[node_id] else "no I-node (proposition) coming in"
            options.leave_out(f"this {what} has {has}, so no premise: the relation is left out", where=where)
            continue
        if len(conclusions) != 1:
            has = "no outgoing edge (no conclusion)" if not conclusions else \
                f"{len(conclusions)} outgoing edges (AIF gives it exactly one conclusion)"
            options.leave_out(f"this {what} has {has}: the relation is left out", where=where)
            continue
        targets = conclusions
        if nodes[conclusions[0]]["type"] != "I":
            undercut = [n for n in incoming[conclusions[0]] if nodes[n]["type"] == "I"]
            if not (undercut_kind and undercut):
                options.leave_out(f"its conclusion is a {nodes[conclusions[0]]['type']} node (an undercut: it attacks an "
                                  "inference, and argmap relations link two spans); left out (--map undercut=attacks "
                                  "stores it as an attack on that inference's premise)", where=where)
                continue
            targets = undercut  # an undercut mapped: it attacks (or supports) the premise of the inference it aims at
        kind = {"RA": "supports", "CA": "attacks", "MA": rephrase_kind}[node["type"]]
        if nodes[conclusions[0]]["type"] != "I":
            kind = undercut_kind
        for premise in premises:
            for target in targets:
                if premise == target:
                    raise FormatError(f"I-node {premise} is both its premise and its conclusion", where=where)
                raw_relations.append((node_id, kind, premise, target))
    dialogue = {"TA": "TA (transition)", "PA": "PA (preference)", "S": "S (a scheme node naming no RA, CA or MA)"}
    if not rephrase_kind:
        dialogue = {"MA": "MA (rephrase)", **dialogue}
    for node_type, what in dialogue.items():
        count = sum(1 for node in nodes.values() if node["type"] == node_type)
        if count:
            why = ("one proposition restating another (Default Rephrase), which argmap has no relation for; left out "
                   "(--map MA=supports keeps them as supports)") if node_type == "MA" else \
                ("not a relation argmap can read, left out" if node_type == "S" else "dialogue structure argmap does not keep")
            options.left_out.append(f"{count} {what} node(s): {why}")

    extension = document.get("argmap") if isinstance(document.get("argmap"), dict) else None
    if extension is not None and extension.get("schema") != EXTENSION_MARK:
        extension = None
    source_text, highlight_ranges = "", {}
    if raw_text:
        reader = _OvaTextReader()
        reader.feed(raw_text)
        reader.close()
        source_text, highlight_ranges = reader.text, reader.ranges

    if extension is None and not i_nodes:
        raise FormatError("the file has no I-nodes (propositions) to import")
    if extension is not None:
        argument_map, node_of_span = _map_with_extension(extension, nodes, i_nodes, raw_relations, source_text, name)
    else:
        argument_map = _map_by_inference(nodes, i_nodes, incoming, raw_relations, source_text, highlight_ranges, name,
                                         options)
        node_of_span = {span.id: span.id for span in argument_map.spans}
    argument_map.provenance = _speakers(aif, nodes, incoming, node_of_span)
    return argument_map


def _scheme_type(scheme) -> str:
    """The node type of an ``S`` node by its scheme: RA, CA, MA or PA, else ``S`` (then left out, counted)."""
    name = scheme.strip() if isinstance(scheme, str) else ""
    if name.upper() in ("RA", "CA", "MA", "PA"):
        return name.upper()
    lowered = name.lower()
    for word, node_type in (("conflict", "CA"), ("rephras", "MA"), ("preference", "PA"), ("inference", "RA")):
        if word in lowered:
            return node_type
    return "S"


def _mapped_scheme_kind(names: tuple[str, ...], options: ImportOptions) -> str:
    """The kind the label map gives AIF nodes called one of ``names`` (``--map MA=supports``), else ""."""
    for name in names:
        if kind_is_mapped(name, options.label_map):
            return kind_from_name(name, where=f"--map {name}", label_map=options.label_map) or ""
    return ""


def _map_with_extension(extension, nodes, i_nodes, raw_relations, source_text, name) -> ArgumentMap:
    problems = sorted(jsonschema.Draft202012Validator(EXTENSION_SCHEMA).iter_errors(extension),
                      key=lambda error: list(map(str, error.absolute_path)))
    if problems:
        path = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in problems[0].absolute_path)
        raise FormatError(problems[0].message, where=f"argmap{path}")
    layer = extension.get("layer") or {}
    paragraphs_info = extension.get("paragraphs") or []
    paragraphs = []
    for index, info in enumerate(paragraphs_info):
        start = info["start"]
        end = paragraphs_info[index + 1]["start"] - len(PARAGRAPH_SEPARATOR) if index + 1 < len(paragraphs_info) else len(source_text)
        paragraphs.append(MapParagraph(position=info["position"], text=source_text[start:end], kind=info.get("kind", "body")))
    argument_map = ArgumentMap(
        title=extension.get("title") or name or "AIF import",
        paragraphs=paragraphs,
        layer_name=layer.get("name", ""),
        layer_kind=layer.get("kind", "personal"),
        source_name=extension.get("source_name", ""),
        labels=list(extension.get("labels") or ["claim", "evidence", "counterclaim"]),
    )
    span_of_node = {}
    for index, info in enumerate(extension.get("spans") or []):
        node_id = str(info.get("nodeID"))
        where = f"argmap.spans[{index}] (node {node_id})"
        if node_id not in nodes or nodes[node_id]["type"] != "I":
            raise FormatError("refers to a node that is not an I-node of the file", where=where)
        if info.get("label") not in LABELS:
            raise FormatError(f"unknown label {info.get('label')!r}", where=where)
        paragraph_text = next((p.text for p in paragraphs if p.position == info.get("paragraph")), None)
        if paragraph_text is None:
            raise FormatError(f"paragraph {info.get('paragraph')} does not exist", where=where)
        quote = paragraph_text[info["start"] : info["end"]]
        if quote != nodes[node_id].get("text"):
            raise FormatError(
                f"offsets {info['start']}-{info['end']} give {shorten(quote)!r}, "
                f"not the node's text {shorten(str(nodes[node_id].get('text')))!r}",
                where=where,
            )
        span = MapSpan(id=str(info.get("id") or node_id), paragraph=info["paragraph"], start=info["start"],
                       end=info["end"], quote=quote, label=info["label"], author=info.get("author", ""),
                       note=info.get("note", ""))
        argument_map.spans.append(span)
        span_of_node[node_id] = span.id
    missing = [node_id for node_id in i_nodes if node_id not in span_of_node]
    if missing:
        raise FormatError(f"I-node {missing[0]} has no entry in the argmap extension field")
    relation_info = {str(info.get("nodeID")): info for info in extension.get("relations") or []}
    for relation_node, kind, premise, conclusion in raw_relations:
        info = relation_info.get(relation_node, {})
        argument_map.relations.append(
            MapRelation(id=str(info.get("id") or relation_node), kind=kind, source=span_of_node[premise],
                        target=span_of_node[conclusion], author=info.get("author", ""))
        )
    check_map(argument_map)
    return argument_map, {span_id: node_id for node_id, span_id in span_of_node.items()}


def _speakers(aif: dict, nodes: dict, incoming: dict, node_of_span: dict[str, str]) -> dict:
    """Provenance with each span's speaker (from its L-node "First Surname: text") and the participants."""
    participants = []
    for index, participant in enumerate(_as_list(aif.get("participants"), "participants")):
        if isinstance(participant, dict):
            first = _name_part(participant.get("firstname"))
            last = _name_part(participant.get("surname"))
            participants.append({"firstname": first, "surname": last})
    # A locution names its L-node's speaker by participant id (AIFdb, the xaif library); OVA puts it in the text.
    name_of = {str(p.get("participantID")): _name_part(f"{p.get('firstname') or ''} {p.get('surname') or ''}")
               for p in _as_list(aif.get("participants"), "participants") if isinstance(p, dict)}
    person_of = {str(loc.get("nodeID")): name_of.get(str(loc.get("personID")), "")
                 for loc in _as_list(aif.get("locutions"), "locutions") if isinstance(loc, dict)}
    spans = {}
    for span_id, node_id in node_of_span.items():
        for ya in incoming.get(node_id, []):
            if nodes[ya]["type"] != "YA":
                continue
            for l_node in incoming[ya]:
                text = str(nodes[l_node].get("text", ""))
                if nodes[l_node]["type"] != "L":
                    continue
                speaker = _name_part(text.split(":", 1)[0]) if ":" in text else person_of.get(l_node, "")
                if speaker:
                    spans[span_id] = {"speaker": speaker}
                    break
            if span_id in spans:
                break
    return {"format": "aif", "participants": participants, "spans": spans}


def _name_part(value) -> str:
    return re.sub(r"\s+", " ", str(value or "")).strip()[:200]


def _map_by_inference(nodes, i_nodes, incoming, raw_relations, source_text, highlight_ranges, name, options) -> ArgumentMap:
    # Which text node stands for each I-node: itself, or the L-node anchoring it through a YA.
    anchors = {node_id: [node_id] for node_id in i_nodes}
    for node_id in i_nodes:
        for ya in incoming[node_id]:
            if nodes[ya]["type"] == "YA":
                anchors[node_id] += [n for n in incoming[ya] if nodes[n]["type"] == "L"]

    if source_text.strip() and i_nodes and not _anchors_any(nodes, anchors, source_text, highlight_ranges):
        # A "text" that is a title or a case id, not the source: the propositions would all be lost.
        options.assumed.append(f"text: none of the {len(i_nodes)} propositions is in the file's text "
                               f"({shorten(_clean(source_text), 40)!r}); each became a paragraph of its own after it")
        source_text = PARAGRAPH_SEPARATOR.join([source_text.strip()] + [_clean(nodes[n].get("text", "")) for n in i_nodes])
        highlight_ranges = {}
    if not source_text.strip():
        source_text = PARAGRAPH_SEPARATOR.join(_clean(nodes[n].get("text", "")) for n in i_nodes)
        highlight_ranges = {}
    pieces = split_paragraphs(source_text)
    paragraphs = [MapParagraph(position=index, text=piece.text) for index, piece in enumerate(pieces)]

    labels = {}
    for _relation_node, kind, premise, conclusion in raw_relations:
        if kind == "attacks":
            labels[premise] = "counterclaim"
    for _relation_node, kind, premise, conclusion in raw_relations:
        if kind == "attacks" and labels.get(conclusion) == "counterclaim":
            labels[premise] = "rebuttal"
        elif kind == "supports" and premise not in labels:
            labels[premise] = "evidence"

    spans, search_from, left_out, seen = [], 0, set(), {}
    for node_id in sorted(i_nodes, key=_node_order):
        node_text = _clean(str(nodes[node_id].get("text", "")))
        where = f"I-node {node_id}"
        found = next((highlight_ranges[a] for a in anchors[node_id] if a in highlight_ranges), None)
        if found is not None:
            start, end = found
        else:
            start, length = None, 0
            for anchor in anchors[node_id][1:] + anchors[node_id][:1]:  # the L-node's words first, then the I-node's
                anchor_text = _clean(str(nodes[anchor].get("text", "")))
                if nodes[anchor]["type"] == "L" and ": " in anchor_text:
                    anchor_text = anchor_text.split(": ", 1)[1]
                start = _find(source_text, anchor_text, search_from)
                if start is not None:
                    length = len(anchor_text)
                    break
            if start is None:
                left_out.add(node_id)
                options.leave_out(
                    f"its text {shorten(node_text)!r} is not in the source text (a reconstructed proposition?), left out",
                    where=where,
                )
                continue
            end = start + length
            search_from = end
        span = span_at(pieces, source_text, start, end, id=node_id, label=labels.get(node_id, "claim"), where=where,
                       empty="marks an empty stretch of the source text")
        if (span.paragraph, span.start, span.end) in seen:  # two I-nodes anchored on one stretch of text
            left_out.add(node_id)
            options.leave_out(f"marks the same text as I-node {seen[(span.paragraph, span.start, span.end)]}, left out",
                              where=where)
            continue
        seen[(span.paragraph, span.start, span.end)] = node_id
        spans.append(span)
    relations, pairs = [], set()
    for relation_node, kind, premise, conclusion in raw_relations:
        if {premise, conclusion} & left_out:
            options.leave_out("links a proposition that was left out",
                              where=f"{'RA' if kind == 'supports' else 'CA'} node {relation_node}")
            continue
        if (premise, conclusion) in pairs:
            continue  # a second RA/CA between the same two propositions
        pairs.add((premise, conclusion))
        premises_of_node = sum(1 for r in raw_relations if r[0] == relation_node)
        relation_id = relation_node if premises_of_node == 1 else f"{relation_node}-{premise}"
        relations.append(MapRelation(id=relation_id, kind=kind, source=premise, target=conclusion))
    argument_map = ArgumentMap(title=name or "AIF import", paragraphs=paragraphs, spans=spans, relations=relations)
    argument_map.labels = labels_in_use(spans)
    check_map(argument_map)
    return argument_map


def _anchors_any(nodes, anchors, source_text: str, highlight_ranges) -> bool:
    """Whether some I-node is highlighted in, or found in, the source text."""
    for node_id, candidates in anchors.items():
        if any(candidate in highlight_ranges for candidate in candidates):
            return True
        for candidate in candidates:
            text = _clean(str(nodes[candidate].get("text", "")))
            if nodes[candidate]["type"] == "L" and ": " in text:
                text = text.split(": ", 1)[1]
            if _find(source_text, text, 0) is not None:
                return True
    return False


def _clean(text: str) -> str:
    return re.sub(r"\s+", " ", html.unescape(text)).strip()


def _find(haystack: str, needle: str, search_from: int) -> int | None:
    """Where ``needle`` occurs in ``haystack``: exact first (after ``search_from``, then
    anywhere), then ignoring case and differences in whitespace."""
    if not needle:
        return None
    for begin in (search_from, 0):
        position = haystack.find(needle, begin)
        if position >= 0:
            return position
    pattern = r"\s+".join(re.escape(word) for word in needle.split())
    match = re.search(pattern, haystack, flags=re.IGNORECASE)
    return match.start() if match else None


def _node_order(node_id: str) -> tuple:
    """Numeric ids in number order (OVA3's ``12_1633...`` by their number), others after them."""
    number = re.match(r"[0-9]+", node_id)
    return (0, int(number.group()), node_id) if number else (1, 0, node_id)

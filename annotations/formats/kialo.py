"""Kialo's discussion export (``.txt``): a tree of numbered claims, each a Pro or a Con of its parent.

What Kialo (and Kialo Edu) writes when a discussion is exported as text::

    Discussion Title: Should hate speech be illegal?

    1. Hate speech should be banned.
    1.1. Con: It is better to challenge bad ideas than to ban them.
    1.1.1. Pro: People who hear hate speech should hear it debunked.
    1.2. Pro: -> See 1.1.1.

The number says where a claim sits (``1.1.2.``'s parent is ``1.1.``); the first claim, ``1.``, is
the thesis. Newer exports put the number and the stance on a line of their own (``1.1. Pro:``) with
the claim's text on the lines after it, blank lines between claims, ``1. Thesis:``, footnote marks
``[1]`` in the text and a ``Sources:`` list at the end; a multi-thesis discussion has a question as
``1.`` (or ``1. Question:``) and its theses as ``1.1. Thesis: …``. Kialo escapes Markdown characters (``\\(``), and a claim
linked in a second place is written there as ``-> See 1.2.3.``.

Import (``import_text``): one paragraph per claim in file order (the discussion title first, as a
heading, and a multi-thesis question too, both without a span), one span over each claim's whole
text (Markdown backslash escapes removed), a Pro a ``supports`` relation to its parent and a Con an
``attacks`` relation; a ``-> See N.`` link a relation from claim N to the link's parent (no second
span). Labels from the tree: the thesis is a claim, a Con a counterclaim, a Pro evidence, or a claim
when it has Pros or Cons of its own; ``--map thesis=…``, ``pro=…``, ``con=…`` choose others (``-``
leaves those claims out, counted). A footnote's source becomes the note of the claims citing it.
Left out and counted, by line: a link to a claim the file does not hold, text before the first claim
(other than the title), sources no claim cites. Refused, naming the line: a claim without Pro:/Con:,
a number whose parent is missing, a number used twice, a claim without text.

Export (``export_text``): ``Discussion Title: <title>``, then the spans as Kialo's tree, one claim a
line (``1.1. Pro: text``): the spans that support or attack nothing are the theses (``1.``, ``2.``
when there are several), under each the spans that act on it (Pro for supports, Con for attacks) in
document order; a span acting on several is written under the first and linked (``-> See 1.1.``)
under the others, so a teacher can paste the file back into Kialo and argmap reads it back the same.
"""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field

from annotations.argument_map import ArgumentMap, MapParagraph, MapRelation, MapSpan
from annotations.formats.base import (
    FormatError,
    ImportOptions,
    MapFormat,
    check_map,
    check_span_count,
    decode_utf8,
    label_from_name,
    labels_in_use,
    shorten,
    spans_in_document_order,
)

_TITLE = re.compile(r"\s*Discussion\s+(?:Title|Name)\s*:\s*(.*)", re.IGNORECASE)
# "1.1.2. Pro: text", "1.1.2. Con:" (text on the next lines), "1. Thesis: text", "1. text"
_ENTRY = re.compile(r"\s*((?:\d+\.)+)(?:\s+|$)(?:(pro|con|contra|thesis|question)\s*:\s*)?(.*)", re.IGNORECASE)
_LINK = re.compile(r"->\s*See\s+(.*?)\s*", re.IGNORECASE)
_NUMBER = re.compile(r"(?:\d+\.)+")
_SOURCES = re.compile(r"\s*Sources\s*:\s*", re.IGNORECASE)
_SOURCE = re.compile(r"\s*\[(\d{1,9})\]\s*(.*)|\s*(\d{1,9})[.)]\s+(.*)")
_FOOTNOTE = re.compile(r"\[(\d{1,9})\]")
_ESCAPED = re.compile(r"\\([!-/:-@\[-`{-~])")  # Markdown's backslash escapes (ASCII punctuation)
_STANCE_KIND = {"pro": "supports", "con": "attacks", "contra": "attacks"}
_STANCE_WORD = {"supports": "Pro:", "attacks": "Con:"}


@dataclass
class _Entry:
    number: str  # "1.1.2."
    stance: str  # "thesis", "pro", "con" or "" (a root without a word)
    line: int
    lines: list[str] = field(default_factory=list)

    @property
    def parent(self) -> str:
        return self.number[: self.number.rstrip(".").rfind(".") + 1] if self.number.count(".") > 1 else ""

    @property
    def text(self) -> str:
        return "\n".join(self.lines).strip()


def _unescape(text: str) -> str:
    return _ESCAPED.sub(r"\1", text)


def _read_entries(text: str, options: ImportOptions) -> tuple[str, list[_Entry], dict[int, tuple[int, str]]]:
    """The title, the numbered entries in file order, and the sources ({footnote: (line, text)})."""
    title, entries, sources = "", [], {}
    in_sources = False
    for line_number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        if in_sources:
            match = _SOURCE.fullmatch(line)
            if match:
                number, source = (match.group(1), match.group(2)) if match.group(1) else (match.group(3), match.group(4))
                sources[int(number)] = (line_number, source.strip())
            else:
                options.left_out.append(f"line {line_number}: a source without its [number], left out: {shorten(line.strip())!r}")
            continue
        if _SOURCES.fullmatch(line):
            in_sources = True
            continue
        match = _TITLE.fullmatch(line)
        if match and not entries and not title:
            title = _unescape(match.group(1).strip())
            continue
        match = _ENTRY.fullmatch(line)
        if match:
            entries.append(_Entry(number=match.group(1), stance=(match.group(2) or "").lower(), line=line_number,
                                  lines=[match.group(3)] if match.group(3).strip() else []))
        elif entries:
            entries[-1].lines.append(line.strip())  # the claim's text on the lines after its number
        else:
            options.leave_out(f"text before the first numbered claim, left out: {shorten(line.strip())!r}",
                              where=f"line {line_number}")
    return title, entries, sources


def import_text(data: bytes, *, name: str = "", options: ImportOptions | None = None) -> list[ArgumentMap]:
    options = options or ImportOptions()
    text = decode_utf8(data, what="Kialo export").replace("\r\n", "\n").replace("\r", "\n")
    title, entries, sources = _read_entries(text, options)
    if not entries:
        raise FormatError("holds no numbered claims; a Kialo export reads 'Discussion Title: …', then '1. the thesis', "
                          "'1.1. Pro: …', '1.2. Con: …' (export the discussion from Kialo as a text file)")
    check_span_count(len(entries), options)
    by_number: dict[str, _Entry] = {}
    for entry in entries:
        where = f"line {entry.line}"
        if entry.number in by_number:
            raise FormatError(f"claim {entry.number} is numbered like the claim on line {by_number[entry.number].line}; "
                              "give each claim its own number", where=where)
        by_number[entry.number] = entry
    children: dict[str, list[_Entry]] = defaultdict(list)
    for entry in entries:
        where = f"line {entry.line}"
        if entry.parent and entry.parent not in by_number:
            raise FormatError(f"claim {entry.number} has no parent claim {entry.parent} in the file; number it under "
                              "an existing claim", where=where)
        if entry.parent and entry.stance not in ("pro", "con", "contra", "thesis", "question"):
            raise FormatError(f"claim {entry.number} says neither 'Pro:' nor 'Con:'; write one after the number "
                              f"({entry.number} Pro: …)", where=where)
        if not entry.text:
            raise FormatError(f"claim {entry.number} has no text", where=where)
        if entry.parent:
            children[entry.parent].append(entry)
    # A root whose children are all theses is a multi-thesis discussion's question: a heading, not a claim.
    questions = {entry.number for entry in entries if entry.stance == "question" or (
        not entry.parent and children.get(entry.number) and all(child.stance == "thesis" for child in children[entry.number]))}

    paragraphs = [MapParagraph(position=0, text=title, kind="heading")] if title else []
    spans: dict[str, MapSpan] = {}
    links: set[str] = set()  # numbers of the '-> See' entries
    for entry in entries:
        claim_text = _unescape(entry.text)
        link = _LINK.fullmatch(claim_text)
        if link:
            links.add(entry.number)
            continue
        position = len(paragraphs)
        paragraphs.append(MapParagraph(position=position, text=claim_text,
                                       kind="heading" if entry.number in questions else "body"))
        if entry.number in questions:
            continue
        label = _label(entry, bool(children.get(entry.number)), options)
        if label is None:
            options.left_out.append(f"line {entry.line}: claim {entry.number} ({entry.stance}) mapped to be left out")
            continue
        cited = [number for number in dict.fromkeys(int(n) for n in _FOOTNOTE.findall(claim_text)) if number in sources]
        note = "\n".join(f"[{number}] {sources[number][1]}".rstrip() for number in cited)
        spans[entry.number] = MapSpan(id=entry.number.rstrip("."), paragraph=position, start=0, end=len(claim_text),
                                      quote=claim_text, label=label, note=note)
    cited_anywhere = {int(n) for entry in entries for n in _FOOTNOTE.findall(entry.text)}
    for number, (line_number, source) in sources.items():
        if number not in cited_anywhere:
            options.left_out.append(f"line {line_number}: source [{number}] is cited by no claim, left out: {shorten(source)!r}")

    def span_of(number: str) -> MapSpan | None:
        """The span standing for entry ``number``: its own, or the one its ``-> See`` link names."""
        entry = by_number.get(number)
        if entry is not None and entry.number in links:
            return spans.get(_link_target(entry) or "")
        return spans.get(number)

    relations, pairs = [], set()
    for entry in entries:
        if not entry.parent or entry.stance in ("thesis", "question"):
            continue
        where = f"line {entry.line}"
        kind = _STANCE_KIND[entry.stance]
        source, target = span_of(entry.number), span_of(entry.parent)
        if entry.number in links:
            linked = _LINK.fullmatch(_unescape(entry.text)).group(1)
            if _link_target(entry) not in by_number:
                options.leave_out(f"the link '-> See {linked}' names no claim of this file (a link to another "
                                  "discussion); left out", where=where)
                continue
        if source is None or target is None:
            if entry.number in spans or entry.number in links:
                options.left_out.append(f"{where}: the {entry.stance} relation of claim {entry.number} links a claim "
                                        "that was left out")
            continue
        if source.id == target.id:
            options.left_out.append(f"{where}: claim {entry.number} links claim {source.id} to itself, left out")
            continue
        if (source.id, target.id) in pairs:
            options.left_out.append(f"{where}: claim {source.id} is linked to claim {target.id} twice; kept once")
            continue
        pairs.add((source.id, target.id))
        relations.append(MapRelation(id=f"r{len(relations) + 1}", kind=kind, source=source.id, target=target.id))
    ordered = list(spans.values())
    argument_map = ArgumentMap(title=title or (name.rsplit(".", 1)[0] if name else "") or shorten(paragraphs[0].text, 120),
                               paragraphs=paragraphs, spans=ordered, relations=relations, labels=labels_in_use(ordered),
                               provenance={"format": "kialo"})
    check_map(argument_map)
    return [argument_map]


def _link_target(entry: _Entry) -> str | None:
    """``"1.2.3."`` of a ``-> See 1.2.3.`` (or ``1.2.3``) link; None when it names no number."""
    linked = _LINK.fullmatch(_unescape(entry.text)).group(1).rstrip(".") + "."
    return linked if _NUMBER.fullmatch(linked) else None


def _label(entry: _Entry, argued: bool, options: ImportOptions) -> str | None:
    """The argmap label of a claim: mapped by its stance word, else by its place in the tree."""
    stance = "thesis" if not entry.parent else entry.stance
    stance = "con" if stance == "contra" else stance
    if stance in options.label_map or (stance == "" and "thesis" in options.label_map):
        return label_from_name(stance or "thesis", where=f"line {entry.line}", label_map=options.label_map)
    if stance in ("thesis", ""):
        return "claim"
    if stance == "con":
        return "counterclaim"
    return "claim" if argued else "evidence"


# --- export ----------------------------------------------------------------------------

def _one_line(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _claim_lines(text: str) -> str:
    """A claim's text as Kialo's lines: its own line breaks kept (the lines after the number), other
    white space collapsed, no blank line (a blank line would end the claim)."""
    return "\n".join(_one_line(line) for line in text.split("\n") if line.strip())


def export_text(argument_map: ArgumentMap) -> str:
    spans = spans_in_document_order(argument_map)
    order = {span.id: index for index, span in enumerate(spans)}
    outgoing: dict[str, list[MapRelation]] = defaultdict(list)
    for relation in argument_map.relations:
        if relation.source in order and relation.target in order:
            outgoing[relation.source].append(relation)
    # Each span sits under the first span it acts on (in the map's order of relations, so a map read from
    # Kialo keeps its tree); its other relations become links.
    tree_parent = {span_id: found[0] for span_id, found in outgoing.items()}
    children: dict[str, list[str]] = defaultdict(list)
    for span in spans:
        if span.id in tree_parent:
            children[tree_parent[span.id].target].append(span.id)
    number: dict[str, str] = {}
    written: list[tuple[str, str]] = []  # (number, span id) in writing order
    roots = [span.id for span in spans if span.id not in tree_parent]

    def place(root: str, at: str) -> None:  # depth first, without recursion (a chain may be thousands deep)
        stack = [(root, at)]
        while stack:
            span_id, at = stack.pop()
            number[span_id] = at
            written.append((at, span_id))
            below = [child for child in children[span_id] if child not in number]
            stack.extend(reversed([(child, f"{at}{index + 1}.") for index, child in enumerate(below)]))

    root_count = 0
    for span in [*roots, *(span.id for span in spans)]:  # spans in a cycle: the first not yet written roots it
        if span not in number:
            if span in tree_parent and span not in roots:
                tree_parent.pop(span)
            root_count += 1
            place(span, f"{root_count}.")
    by_id = {span.id: span for span in spans}
    links: dict[str, list[tuple[str, str]]] = defaultdict(list)  # target -> [(kind, linked span's number)]
    for span_id, found in outgoing.items():
        for relation in found:
            if tree_parent.get(span_id) is not relation:
                links[relation.target].append((relation.kind, number[span_id]))
    placed_under: dict[str, list[str]] = defaultdict(list)
    for at, span_id in written:
        if span_id in tree_parent:
            placed_under[tree_parent[span_id].target].append(span_id)
    lines = [f"Discussion Title: {_one_line(argument_map.title)}", ""]

    stack: list[tuple[str, str]] = [("span", span_id) for at, span_id in reversed(written) if span_id not in tree_parent]
    while stack:  # each span, then its children, then the links to it
        what, item = stack.pop()
        if what == "line":
            lines.append(item)
            continue
        relation = tree_parent.get(item)
        stance = "" if relation is None else _STANCE_WORD[relation.kind] + " "
        lines.append(f"{number[item]} {stance}{_claim_lines(by_id[item].quote)}")
        link_lines = [("line", f"{number[item]}{index}. {_STANCE_WORD[kind]} -> See {linked}")
                      for index, (kind, linked) in enumerate(links.get(item, []), start=len(placed_under[item]) + 1)]
        stack.extend(reversed([("span", child) for child in placed_under[item]] + link_lines))
    sources = {}  # footnotes kept as notes ("[1] https://…") go back into the Sources list
    for span in spans:
        for match in re.finditer(r"^\[(\d+)\] (.+)$", span.note, re.MULTILINE):
            sources.setdefault(int(match.group(1)), match.group(2).strip())
    if sources:
        lines += ["", "Sources:", *(f"[{number}] {source}" for number, source in sorted(sources.items()))]
    return "\n".join(lines) + "\n"


FORMAT = MapFormat(name="kialo", title="Kialo discussion (text)", extension="kialo.txt",
                   content_type="text/plain; charset=utf-8",
                   write=lambda argument_map: export_text(argument_map).encode("utf-8"), read=import_text)

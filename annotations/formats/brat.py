"""brat standoff: ``.txt`` + ``.ann`` (+ ``annotation.conf``), as brat users keep it.

Export: the ``.txt`` is the document (paragraphs separated by a blank line); each span is
a text-bound annotation ``T1<TAB>Claim 120 180<TAB>quote`` with document offsets (code
points, as brat counts them); each relation is ``R1<TAB>Supports Arg1:T2 Arg2:T1``
(Arg1 supports/attacks Arg2); a note becomes ``#1<TAB>AnnotatorNotes T1<TAB>note``.
A quote that spans a line break is written as brat's fragments (``120 130;131 150``).
A map that came from brat goes back as it came: the original ``.txt`` text, file stem,
T/R/A ids, entity and relation type names, argument roles, attributes and fragments, and
the corpus's own ``annotation.conf`` (with any type argmap had to add appended), for every
span and relation that still carries the label or kind it was imported with.

Import reads our own files and other schemes: the Argument Annotated Essays (Stab &
Gurevych): ``MajorClaim`` → major_claim, ``Claim`` → claim (counterclaim with an attribute
``A1<TAB>Stance T3 Against``), ``Premise`` → evidence, relations ``supports`` / ``attacks``
in any case; INCEpTION / DKPro Core files, whose label is a feature attribute (``T1 Span`` +
``A1 label T1 Claim``) or a packaged type name (``webanno-custom-Premise``); other names through
``ImportOptions.label_map``. Offsets are read in whichever counting makes every T line's text
match: code points or UTF-16 code units, ``\r`` and the BOM counted or not (``_reading_for``). Input: a zip (a corpus, with
or without folders; ``__MACOSX/``, ``.DS_Store`` and hidden entries skipped; opened by
``archive.open_zip`` with its limits), or loose ``.txt`` + ``.ann`` files with an optional
``annotation.conf`` (``import_files``). A ``.txt`` is cut into paragraphs (blank
lines, or line breaks in the essays' one-paragraph-per-line layout); a first line that no
annotation covers and that reads as a title (the essays' prompt) becomes the title and a
heading paragraph, so suggestions skip it. Events, normalisations and equivalences are
left out and reported.
"""
from __future__ import annotations

import codecs
import io
import re
import zipfile
from collections import defaultdict
from dataclasses import dataclass

from annotations.argument_map import ArgumentMap, MapRelation, MapSpan
from annotations.formats.archive import ArchiveError, is_hidden, is_zip, open_zip
from annotations.formats.base import (
    FormatError,
    ImportOptions,
    MapFormat,
    TextPiece,
    check_span_count,
    decode_utf8,
    kind_from_name,
    kind_is_mapped,
    kind_left_out,
    label_from_name,
    map_of_text,
    shorten,
    slugify,
    source_text_of,
    span_at,
    spans_in_document_order,
    split_paragraphs,
)

ENTITY_TYPES = {
    "major_claim": "MajorClaim",
    "claim": "Claim",
    "evidence": "Evidence",
    "counterclaim": "Counterclaim",
    "rebuttal": "Rebuttal",
}
RELATION_TYPES = {"supports": "Supports", "attacks": "Attacks"}
COLOURS = {
    "MajorClaim": "#f1c232",
    "Claim": "#6fa8dc",
    "Evidence": "#93c47d",
    "Counterclaim": "#f6b26b",
    "Rebuttal": "#c27ba0",
}
CONF_NAME = "annotation.conf"


# --- export --------------------------------------------------------------------------


def export_files(argument_map: ArgumentMap) -> dict[str, str]:
    """File name → content for one document (``<stem>.txt``, ``<stem>.ann``, the confs)."""
    provenance = argument_map.provenance if argument_map.provenance.get("format") == "brat" else {}
    source = source_text_of(argument_map, "brat")
    if source:
        text, starts = source
        stem = provenance.get("stem") or slugify(argument_map.title) or "document"
        kept_spans, kept_relations = provenance.get("spans", {}), provenance.get("relations", {})
    else:
        text, starts = argument_map.document_text, argument_map.paragraph_starts
        stem = slugify(argument_map.title) or "document"
        kept_spans, kept_relations = {}, {}
    taken = {info["id"] for info in kept_spans.values()} | {info["id"] for info in kept_relations.values()}
    taken |= {attribute[0] for info in [*kept_spans.values(), *kept_relations.values()]
              for attribute in info.get("attributes", [])}
    fresh = _fresh_ids(taken)
    raw_text = provenance.get("raw_text") if source else None
    if raw_text is not None and normalise_text(raw_text) != text:
        raw_text = None
    if raw_text is None and source and provenance.get("offsets", "text") != "text":
        raw_text = text  # counted in UTF-16 code units: the same characters, another counting
    reading = _reading(raw_text, provenance.get("offsets", "text")) if raw_text is not None else None
    to_file = reading.from_text() if reading is not None else None  # offsets as the .ann counts them
    shown_at = reading.at if reading is not None else (lambda a, b: text[a:b])
    t_lines, a_lines, r_lines, relation_a_lines, note_lines = [], [], [], [], []
    brat_id, types_used, relations_used, roles_of = {}, set(), set(), {}
    attributes_used: dict[str, tuple[set[str], set[str]]] = defaultdict(lambda: (set(), set()))  # targets, values
    type_of: dict[str, str] = {}
    arguments_used: set[tuple[str, str, str]] = set()  # (relation type, role, entity type)
    for span in spans_in_document_order(argument_map):
        start = starts[span.paragraph] + span.start
        end = start + len(span.quote)
        kept = kept_spans.get(span.id)
        if kept and kept.get("argmap_label") == span.label and (kept["start"], kept["end"]) == (start, end):
            t_id, entity_type, fragments = kept["id"], kept["type"], [tuple(f) for f in kept["fragments"]]
            for attribute_id, attribute, value in kept.get("attributes", []):
                a_lines.append(f"{attribute_id}\t{attribute} {t_id}" + (f" {value}" if value else ""))
                attributes_used[attribute][0].add(entity_type)
                if value:
                    attributes_used[attribute][1].add(value)
        else:
            t_id, entity_type, fragments = fresh("T"), ENTITY_TYPES[span.label], _fragments(text, start, end)
            if to_file is not None:
                fragments = [(to_file[a], to_file[b]) for a, b in fragments]
        brat_id[span.id] = t_id
        type_of[span.id] = entity_type
        types_used.add(entity_type)
        offsets = ";".join(f"{a} {b}" for a, b in fragments)
        shown = " ".join(shown_at(a, b) for a, b in fragments)
        t_lines.append(f"{t_id}\t{entity_type} {offsets}\t{shown}")
        if span.note:
            note_lines.append(f"#{len(note_lines) + 1}\tAnnotatorNotes {t_id}\t{_one_line(span.note)}")
    for relation in argument_map.relations:
        kept = kept_relations.get(relation.id)
        if kept and kept.get("argmap_kind") == relation.kind:
            r_id, relation_type, roles = kept["id"], kept["type"], kept.get("roles", ["Arg1", "Arg2"])
            for attribute_id, attribute, value in kept.get("attributes", []):  # after the R lines they point to
                relation_a_lines.append(f"{attribute_id}\t{attribute} {r_id}" + (f" {value}" if value else ""))
                attributes_used[attribute][0].add(relation_type)
                if value:
                    attributes_used[attribute][1].add(value)
        else:
            r_id, relation_type, roles = fresh("R"), RELATION_TYPES[relation.kind], ["Arg1", "Arg2"]
        relations_used.add(relation_type)
        roles_of.setdefault(relation_type, list(roles))
        arguments_used |= {(relation_type, roles[0], type_of[relation.source]), (relation_type, roles[1], type_of[relation.target])}
        r_lines.append(
            f"{r_id}\t{relation_type} {roles[0]}:{brat_id[relation.source]} {roles[1]}:{brat_id[relation.target]}\t"
        )
    lines = t_lines + a_lines + r_lines + relation_a_lines + note_lines
    conf = provenance.get("conf") if source else None
    # The file's own conf, else ours; either way with every type, relation and attribute the .ann uses
    # (a map from loose INCEpTION files keeps their type names, which our conf would not declare).
    return {
        f"{stem}.txt": raw_text if raw_text is not None else text,
        f"{stem}.ann": "\n".join(lines) + ("\n" if lines else ""),
        CONF_NAME: conf_with(conf or annotation_conf(), types_used, relations_used, arguments_used, attributes_used,
                             roles_of),
        "visual.conf": visual_conf(),
    }


def _fresh_ids(taken: set[str]):
    counters: dict[str, int] = defaultdict(int)

    def fresh(prefix: str) -> str:
        while True:
            counters[prefix] += 1
            candidate = f"{prefix}{counters[prefix]}"
            if candidate not in taken:
                taken.add(candidate)
                return candidate

    return fresh


def annotation_conf() -> str:
    entities = "\n".join(ENTITY_TYPES.values())
    arguments = "Arg1:<ENTITY>, Arg2:<ENTITY>"
    return (
        "# argmap argument annotation scheme\n"
        f"[entities]\n{entities}\n\n"
        "[relations]\n"
        f"Supports\t{arguments}\n"
        f"Attacks\t{arguments}\n"
        "<OVERLAP>\tArg1:<ENTITY>, Arg2:<ENTITY>, <OVL-TYPE>:<ANY>\n\n"
        "[events]\n\n"
        "[attributes]\n"
    )


def conf_sections(conf: str) -> dict[str, list[str]]:
    """``annotation.conf`` → section name → the names it defines (first word of each line)."""
    sections: dict[str, list[str]] = defaultdict(list)
    section = ""
    for line in conf.splitlines():
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if match := re.fullmatch(r"\[(\w+)\]", stripped):
            section = match.group(1).lower()
            continue
        name = re.split(r"[\s,]", stripped.lstrip("!"), maxsplit=1)[0]
        if name and not name.startswith("<"):
            sections[section].append(name)
    return sections


def conf_with(conf: str, entity_types: set[str], relation_types: set[str],
              arguments: set[tuple[str, str, str]] = frozenset(),
              attributes: dict[str, tuple[set[str], set[str]]] | None = None,
              roles: dict[str, list[str]] | None = None) -> str:
    """The imported conf, unchanged when it allows everything the export writes; else with the
    missing entity, relation and attribute types added, and relation roles widened to the types they now join."""
    sections = conf_sections(conf)
    missing_entities = sorted(entity_types - set(sections.get("entities", [])))
    missing_relations = sorted(relation_types - set(sections.get("relations", [])))
    missing_attributes = sorted(set(attributes or {}) - set(sections.get("attributes", [])))
    lines = conf.rstrip("\n").split("\n")
    widened = _widen_roles(lines, {a for a in arguments if a[0] not in missing_relations})
    if not missing_entities and not missing_relations and not missing_attributes and not widened:
        return conf

    def insert(section: str, new_lines: list[str]) -> None:
        if not new_lines:
            return
        header = next((i for i, line in enumerate(lines) if line.strip().lower() == f"[{section}]"), None)
        if header is None:
            lines.extend(["", f"[{section}]", *new_lines])
            return
        end = header + 1
        while end < len(lines) and not lines[end].strip().startswith("["):
            end += 1
        while end > header + 1 and not lines[end - 1].strip():
            end -= 1
        lines[end:end] = new_lines

    insert("entities", [f"# added by argmap\n{name}" if i == 0 else name for i, name in enumerate(missing_entities)])
    insert("relations", [f"{name}\t{', '.join(f'{role}:<ENTITY>' for role in (roles or {}).get(name, ['Arg1', 'Arg2']))}"
                         for name in missing_relations])
    insert("attributes", [f"{name}\tArg:{'|'.join(sorted(attributes[name][0]))}" + (
        f", Value:{'|'.join(sorted(attributes[name][1]))}" if attributes[name][1] else "") for name in missing_attributes])
    return "\n".join(lines) + "\n"


def _widen_roles(lines: list[str], arguments: set[tuple[str, str, str]]) -> bool:
    """Add an entity type to a relation role in the ``[relations]`` lines where the export needs it."""
    changed, section = False, ""
    for index, line in enumerate(lines):
        stripped = line.strip()
        if re.fullmatch(r"\[\w+\]", stripped):
            section = stripped[1:-1].lower()
            continue
        if section != "relations" or not stripped or stripped.startswith(("#", "<")):
            continue
        name = re.split(r"\s", stripped, maxsplit=1)[0]
        for relation_type, role, entity_type in arguments:
            if relation_type != name:
                continue
            match = re.search(rf"(?<![\w]){re.escape(role)}:([^,\s]+)", lines[index])
            if match and entity_type not in match.group(1).split("|") and "<ENTITY>" not in match.group(1).split("|"):
                lines[index] = lines[index][: match.end(1)] + f"|{entity_type}" + lines[index][match.end(1):]
                changed = True
    return changed


def visual_conf() -> str:
    labels = "\n".join(f"{name} | {name}" for name in [*ENTITY_TYPES.values(), *RELATION_TYPES.values()])
    drawing = "\n".join(f"{name}\tbgColor:{colour}" for name, colour in COLOURS.items())
    return (
        f"[labels]\n{labels}\n\n[drawing]\n{drawing}\n"
        "Supports\tcolor:#38761d, arrowHead:triangle-5\n"
        "Attacks\tcolor:#cc0000, dashArray:3-3, arrowHead:triangle-5\n"
    )


def export_zip(argument_map: ArgumentMap) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for file_name, content in export_files(argument_map).items():
            info = zipfile.ZipInfo(file_name, date_time=(2020, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, content.encode("utf-8"))
    return buffer.getvalue()


def _fragments(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Pieces of ``[start, end)`` between line breaks (brat cannot show a break in a T line)."""
    fragments, position = [], start
    for match in re.finditer(r"\s*\n\s*", text[start:end]):
        fragments.append((position, start + match.start()))
        position = start + match.end()
    fragments.append((position, end))
    return [(a, b) for a, b in fragments if a < b]


def _one_line(text: str) -> str:
    """The text with every run of white space (line breaks too) as one space."""
    return re.sub(r"\s+", " ", text).strip()


# --- import --------------------------------------------------------------------------

# [0-9], not \d: an offset or an id is ASCII digits; "٤" is a Unicode digit that int() would take for 4.
# The text after the offsets is brat's, but some converters leave it out (or empty): then only the offsets count.
_T_LINE = re.compile(r"^(T[0-9]+)\t(\S+) ([0-9]+ [0-9]+(?:;[0-9]+ [0-9]+)*)(?:\t(.*))?\s*$")
_R_LINE = re.compile(r"^(R[0-9]+)\t(\S+) (\w+):([TE][0-9]+) (\w+):([TE][0-9]+)\s*$")
_A_LINE = re.compile(r"^([AM][0-9]+)\t(\S+) ([TREN][0-9]+)(?: (\S+))?\s*$")
_NOTE_LINE = re.compile(r"^(#[0-9]+)\t\S+ ([TRENAM*][0-9]*)(?:\t(.*))?$")
_E_LINE = re.compile(r"^(E[0-9]+)\t\S+?:(T[0-9]+)")
_LEFT_OUT_KINDS = {"E": "event", "N": "normalisation", "*": "equivalence"}
TITLE_MAX_WORDS = 30


def import_pair(
    text: str, ann: str, *, name: str = "", ann_name: str = "the .ann file", options: ImportOptions | None = None,
    conf: str | None = None, raw_text: str | None = None,
) -> ArgumentMap:
    """One document from its ``.txt`` (as the file holds it: a BOM, CRLF line ends) and ``.ann`` contents.

    The map's text has neither (line ends become ``\\n``); the .ann offsets are read the way
    that makes every T line's text match (``_readings``): counting ``\\r`` and the BOM as brat's
    server does (it reads the bytes as they are), or not (tools that read with universal newlines)."""
    options = options or ImportOptions()
    raw_text = text if raw_text is None else raw_text
    text = normalise_text(raw_text)
    pieces = split_paragraphs(text)
    if not pieces:
        raise FormatError("the .txt file is empty", where=ann_name.replace(".ann", ".txt"))
    t_lines: list[tuple[int, str, str, str, list[tuple[int, int]]]] = []
    attributes: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
    notes: dict[str, list[str]] = {}
    raw_relations: list[tuple[int, str, str, str, str, str, str]] = []
    triggers: dict[str, str] = {}  # T id of an event's trigger → the event id
    events: set[str] = set()
    lines = ann.lstrip("\ufeff").replace("\r\n", "\n").split("\n")
    check_span_count(sum(1 for line in lines if line.startswith("T")), options, where=ann_name)
    for line_number, line in enumerate(lines, start=1):
        where = f"{ann_name}, line {line_number}"
        if not line.strip():
            continue
        if match := _T_LINE.match(line):
            t_id, entity_type, offsets, shown = match.groups()
            shown = shown or ""
            fragments = [tuple(map(int, part.split())) for part in offsets.split(";")]
            t_lines.append((line_number, t_id, entity_type, shown, fragments))
        elif match := _R_LINE.match(line):
            raw_relations.append((line_number, *match.groups()))
        elif match := _A_LINE.match(line):
            attribute_id, attribute, target, value = match.groups()
            attributes[target].append((attribute_id, attribute, value or ""))
        elif match := _NOTE_LINE.match(line):
            notes.setdefault(match.group(2), []).append(match.group(3) or "")
        elif line[0] in _LEFT_OUT_KINDS:
            if match := _E_LINE.match(line):
                events.add(match.group(1))
                triggers[match.group(2)] = match.group(1)
            options.leave_out(f"brat {_LEFT_OUT_KINDS[line[0]]} annotations are not argument spans: {shorten(line, 40)!r}",
                              where=where)
        elif line[0] in "TRAM#":
            raise FormatError(f"cannot read this annotation: {shorten(line)!r}", where=where)
        else:
            raise FormatError(f"not a brat standoff line: {shorten(line)!r}", where=where)

    reading = _reading_for(raw_text, t_lines, ann_name=ann_name)
    entities: dict[str, tuple[int, str, list[tuple[int, int]], list[tuple[int, int]]]] = {}
    for line_number, t_id, entity_type, _shown, fragments in t_lines:
        if t_id in entities:
            raise FormatError(f"{t_id} is defined twice", where=f"{ann_name}, line {line_number}")
        normalised = [(reading.to_text[a], reading.to_text[b]) for a, b in fragments]
        entities[t_id] = (line_number, entity_type, fragments, normalised)

    spans, kept_spans, left_out = [], {}, set()
    for t_id, (line_number, entity_type, fragments, normalised) in entities.items():
        where = f"{ann_name}, line {line_number} ({t_id})"
        if t_id in triggers and entity_type.strip().lower() not in options.label_map:
            left_out.add(t_id)
            options.left_out.append(f"{where}: the trigger of event {triggers[t_id]}, left out with it")
            continue
        label, named_by = _named(entity_type, attributes.get(t_id, []), where=where, options=options,
                                 read=label_from_name)
        if label is None:
            left_out.add(t_id)
            options.left_out.append(f"{where}: {named_by or f'type {entity_type!r}'} mapped to be left out")
            continue
        stance = next((value.lower() for _id, attribute, value in attributes.get(t_id, []) if attribute.lower() == "stance"), "")
        if label == "claim" and stance == "against":
            label = "counterclaim"
        span = span_at(pieces, text, min(a for a, _ in normalised), max(b for _, b in normalised), id=t_id,
                       label=label, where=where, note="\n".join(notes.get(t_id, [])))
        spans.append(span)
        start = pieces[span.paragraph].start + span.start
        kept_spans[t_id] = {"id": t_id, "type": entity_type, "argmap_label": label, "start": start,
                            "end": start + len(span.quote),
                            "fragments": [list(f) for f in fragments],
                            "attributes": [list(a) for a in attributes.get(t_id, [])]}
    for target in notes:
        if target not in kept_spans:
            options.left_out.append(f"{ann_name}: the note on {target} (not an imported span) is left out")
    relations, kept_relations = [], {}
    for line_number, r_id, relation_type, role1, source, role2, target in raw_relations:
        where = f"{ann_name}, line {line_number} ({r_id})"
        for role, t_id in ((role1, source), (role2, target)):
            if t_id not in entities and t_id not in events:
                raise FormatError(f"{role} {t_id} is not a text annotation of this file", where=where)
        if {source, target} & events:
            options.left_out.append(f"{where}: relation links an event, left out")
            continue
        kind, named_by = _named(relation_type, attributes.get(r_id, []), where=where, options=options,
                                read=kind_from_name)
        if kind is None and not kind_is_mapped(named_by.partition("=")[2] or relation_type, options.label_map):
            options.leave_out(f"relation {kind_left_out(named_by.partition('=')[2] or relation_type)}", where=where)
            continue
        if kind is None or {source, target} & left_out:
            why = f"{named_by or f'type {relation_type!r}'} mapped to be left out" if kind is None else \
                "links a span that was left out"
            options.left_out.append(f"{where}: relation {why}")
            continue
        if source == target:
            raise FormatError(f"{source} cannot support or attack itself", where=where)
        relations.append(MapRelation(id=r_id, kind=kind, source=source, target=target))
        kept_relations[r_id] = {"id": r_id, "type": relation_type, "argmap_kind": kind, "roles": [role1, role2],
                                "attributes": [list(a) for a in attributes.get(r_id, [])]}
    for target, found in attributes.items():
        if target not in kept_spans and target not in kept_relations:
            what = "an event" if target in events else (
                "a relation left out" if target.startswith("R") else "a span left out")
            for attribute_id, attribute, _value in found:
                options.left_out.append(f"{ann_name}: attribute {attribute_id} ({attribute}) is on {target}, {what}; left out")

    title = _title_line(pieces, spans)
    provenance = {"format": "brat", "stem": name, "conf": conf, "spans": kept_spans, "relations": kept_relations}
    if raw_text != text:
        provenance["raw_text"] = raw_text
    if reading.name != "text":
        provenance["offsets"] = reading.name
    argument_map = map_of_text(text, pieces, title=title or name, spans=spans,
                               relations=relations, provenance=provenance, where=ann_name)
    if title is not None:
        argument_map.paragraphs[0].kind = "heading"
    return argument_map


# A type named with its package, as DKPro Core and INCEpTION write UIMA types ("webanno-custom-Claim",
# "de-tudarmstadt-ukp-dkpro-core-api-ner-type-Organization"): lower-case segments, then the name.
_PACKAGED_TYPE = re.compile(r"(?:[a-z][a-z0-9]*[.-])+([A-Za-z][\w]*)")


def _named(type_name: str, attributes: list[tuple[str, str, str]], *, where: str, options: ImportOptions,
           read) -> tuple[str | None, str]:
    """The argmap label (``read=label_from_name``) or kind (``kind_from_name``) of a T or R line: its type,
    the type without its package, else the one attribute value that names one, as INCEpTION and DKPro Core
    export a layer whose feature holds the label (``T1 Span 0 5`` + ``A1 label T1 Claim``). Returns it (None
    when mapped away) and what named it (``"attribute label=Claim"``, or "" for the type itself)."""
    try:
        return read(type_name, where=where, label_map=options.label_map), ""
    except FormatError as error:
        refusal = error
    packaged = _PACKAGED_TYPE.fullmatch(type_name)
    if packaged:
        try:
            return read(packaged.group(1), where=where, label_map=options.label_map), ""
        except FormatError:
            pass
    found = {}
    for _attribute_id, attribute, value in attributes:
        if not value:
            continue
        try:
            found.setdefault(read(value, where=where, label_map=options.label_map), f"attribute {attribute}={value}")
        except FormatError:
            continue
    if len(found) == 1:
        (answer, named_by), = found.items()
        return answer, named_by
    if len(found) > 1:
        raise FormatError(f"its attributes name different ones ({', '.join(found.values())}); map the ones to use",
                          where=where)
    raise FormatError(refusal.problem + " (or name it in an attribute, as INCEpTION does: A1<TAB>label T1 Claim)",
                      where=refusal.where)


def normalise_text(raw_text: str) -> str:
    """The text argmap keeps of a brat ``.txt``: no BOM, every line end (CRLF, CR) a ``\\n``."""
    return raw_text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


@dataclass(frozen=True)
class _Reading:
    """One way of counting offsets in a ``.txt``: ``view`` is the text those offsets index, and
    ``to_text[i]`` the offset in the normalised text of offset ``i`` (-1 for the BOM itself).

    A ``utf16`` reading counts UTF-16 code units, as brat's JavaScript side, Java tools (INCEpTION,
    WebAnno and other UIMA-based converters) and JavaScript converters do: a character outside the
    BMP (an emoji, 𝑥) is two units, so its ``view`` holds the two surrogates."""

    name: str  # "text" (normalised), "bytes" (BOM and CR counted), "crlf" (CR counted), "bom"; "utf16-…" in code units
    view: str
    to_text: list[int]

    def at(self, start: int, end: int) -> str:
        """The text between two offsets of this reading (a surrogate cut in half reads as U+FFFD)."""
        piece = self.view[start:end]
        if self.name.startswith("utf16"):
            piece = piece.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
        return piece

    def from_text(self) -> dict[int, int]:
        """Normalised offset → this reading's offset (the first that maps to it)."""
        back: dict[int, int] = {}
        for index, offset in enumerate(self.to_text):
            back.setdefault(offset, index)
        return back


def _reading(raw_text: str, name: str) -> _Reading:
    counting = name.removeprefix("utf16-") if name.startswith("utf16-") else ("text" if name == "utf16" else name)
    in_units = name.startswith("utf16")
    keep_bom, keep_cr = counting in ("bytes", "bom"), counting in ("bytes", "crlf")
    view, to_text, position = [], [], 0
    rest = raw_text
    if rest.startswith("\ufeff"):
        rest = rest[1:]
        if keep_bom:
            view.append("\ufeff")
            to_text.append(-1)
    index = 0
    while index < len(rest):
        char = rest[index]
        if char == "\r" and rest[index + 1 : index + 2] == "\n":
            if keep_cr:
                view.append(char)
                to_text.append(position)
            index += 1
            continue
        char = "\n" if char == "\r" and not keep_cr else char
        if in_units and ord(char) > 0xFFFF:  # two code units: the surrogate pair
            code = ord(char) - 0x10000
            view += [chr(0xD800 + (code >> 10)), chr(0xDC00 + (code & 0x3FF))]
            to_text += [position, position]
        else:
            view.append(char)
            to_text.append(position)
        position += 1
        index += 1
    to_text.append(position)
    return _Reading(name=name, view="".join(view), to_text=to_text)


def readings_of(raw_text: str) -> list[_Reading]:
    """The ways a tool may have counted the offsets of ``raw_text``, the usual one first: code points
    of the normalised text, then counting ``\\r`` and the BOM, then all of these in UTF-16 code units
    (only when the text has a character outside the BMP, the one place the two countings differ)."""
    names = ["text"]
    has_bom, has_crlf = raw_text.startswith("\ufeff"), "\r\n" in raw_text
    if has_crlf:
        names.append("crlf")
    if has_bom:
        names.append("bom")
    if has_bom and has_crlf:
        names.append("bytes")
    if any(ord(char) > 0xFFFF for char in raw_text):
        names += ["utf16" if name == "text" else f"utf16-{name}" for name in names]
    return [_reading(raw_text, name) for name in names]


def _reading_for(raw_text: str, t_lines, *, ann_name: str) -> _Reading:
    """The reading under which every T line's offsets fit and give its text; else the error of the
    first line that does not fit under the reading most lines fit."""
    best, best_bad = None, None
    for reading in readings_of(raw_text):
        bad = None
        for line_number, _t_id, _type, shown, fragments in t_lines:
            problem = _fragment_problem(reading, shown, fragments)
            if problem:
                bad = (line_number, problem)
                break
        if bad is None:
            return reading
        fitted = next(i for i, line in enumerate(t_lines) if line[0] == bad[0])
        if best is None or fitted > best[0]:
            best, best_bad = (fitted, reading), bad
    raise FormatError(best_bad[1], where=f"{ann_name}, line {best_bad[0]}")


def _fragment_problem(reading: _Reading, shown: str, fragments: list[tuple[int, int]]) -> str:
    offsets = ";".join(f"{a} {b}" for a, b in fragments)
    start, end = min(a for a, _ in fragments), max(b for _, b in fragments)
    if any(a >= b for a, b in fragments) or end > len(reading.view):
        return (f"offsets {offsets} do not fit the text ({reading.to_text[-1]} characters); "
                "upload the .txt this .ann was annotated on, unchanged")
    if not shown.strip():  # no text to compare: the offsets as they are
        return ""
    expected = " ".join(reading.at(a, b) for a, b in fragments)
    whole = reading.at(start, end)
    if shown != expected and _one_line(shown) != _one_line(whole) and _one_line(shown) != _one_line(expected):
        return (f"the text {shorten(shown)!r} does not match the .txt at {offsets}: {shorten(expected)!r}; "
                "upload the .txt this .ann was annotated on, unchanged")
    return ""


def _title_line(pieces: list[TextPiece], spans: list[MapSpan]) -> str | None:
    """The first paragraph when it reads as a title: one short line, no span in it, text after it,
    and not a sentence that runs on (a question or no closing full stop)."""
    if len(pieces) < 2:
        return None
    first = pieces[0].text
    if "\n" in first or any(span.paragraph == 0 for span in spans):
        return None
    words = first.split()
    if not words or len(words) > TITLE_MAX_WORDS:
        return None
    body = [len(piece.text) for piece in pieces[1:]]
    if first.endswith(".") and not first.endswith("...") and len(first) * 2 > sum(body) / len(body):
        return None  # a sentence as long as the body's paragraphs: the text's first paragraph
    return first


def import_zip(data: bytes, *, what: str = "the zip", options: ImportOptions | None = None) -> list[ArgumentMap]:
    options = options or ImportOptions()
    with open_zip(data, what=what, max_members=options.max_members,
                  max_unpacked_bytes=options.max_unpacked_bytes) as archive:
        files = [(member.name, member) for member in archive.members]
        wanted = [member for name, member in files if name.endswith((".ann", ".txt")) or member.base_name == CONF_NAME]
        if not any(member.name.endswith(".ann") for member in wanted):
            raise FormatError(f"{what} holds no .ann file" + (
                f" (skipped {len(archive.skipped)} hidden entries)" if archive.skipped else ""))
        contents = {member.name: archive.read(member.name) for member in wanted}
    return _maps_from_files(contents, options=options, container=what)


def _maps_from_files(contents: dict[str, bytes], *, options: ImportOptions, container: str = "") -> list[ArgumentMap]:
    """Pair ``x.txt`` with ``x.ann`` (same folder); each pair gets the nearest ``annotation.conf``."""
    def label(name: str) -> str:
        return f"{container}: {name}" if container else name

    confs = {}
    for name, data in contents.items():
        if name.rsplit("/", 1)[-1] == CONF_NAME:
            confs[name.rpartition("/")[0]] = decode_utf8(data, what=label(name))
    ann_names = sorted(name for name in contents if name.endswith(".ann"))
    txt_names = {name for name in contents if name.endswith(".txt")}
    maps = []
    for ann_name in ann_names:
        txt_name = ann_name[: -len(".ann")] + ".txt"
        if txt_name not in txt_names:
            raise FormatError(f"{ann_name} has no {txt_name.rsplit('/', 1)[-1]} next to it", where=container or "")
        raw_text = decode_utf8(contents[txt_name], what=label(txt_name))
        if contents[txt_name].startswith(codecs.BOM_UTF8):
            raw_text = "\ufeff" + raw_text  # brat counts it as a character; _reading_for decides
        ann = decode_utf8(contents[ann_name], what=label(ann_name))
        folder = ann_name.rpartition("/")[0]
        conf = next((confs[f] for f in _folders_up(folder) if f in confs), None)
        stem = ann_name.rsplit("/", 1)[-1][: -len(".ann")]
        argument_map = import_pair(raw_text, ann, name=stem, ann_name=label(ann_name), options=options, conf=conf)
        argument_map.source_name = label(ann_name)
        maps.append(argument_map)
        check_span_count(sum(len(m.spans) for m in maps), options, where=container)
    for txt_name in sorted(txt_names - {name[: -len(".ann")] + ".txt" for name in ann_names}):
        options.leave_out("a .txt without its .ann (no annotations), left out", where=label(txt_name))
    return maps


def _folders_up(folder: str) -> list[str]:
    parts = folder.split("/") if folder else []
    return ["/".join(parts[:length]) for length in range(len(parts), -1, -1)]


def import_files(files: list[tuple[str, bytes]], *, options: ImportOptions) -> list[ArgumentMap]:
    """Zips (each a corpus) and loose ``.txt`` / ``.ann`` / ``annotation.conf`` files, paired by name."""
    maps, loose = [], {}
    for name, data in files:
        base = name.replace("\\", "/").rsplit("/", 1)[-1]
        if is_hidden(name):
            continue
        if is_zip(data) or name.lower().endswith(".zip"):
            try:
                maps.extend(import_zip(data, what=name, options=options))
            except ArchiveError:
                raise
            except FormatError as error:
                raise FormatError(error.problem, where=error.where or name) from None
        elif base.endswith((".txt", ".ann")) or base == CONF_NAME:
            loose[name.replace("\\", "/")] = data
        elif base.endswith(".conf"):
            continue  # visual.conf, tools.conf: display settings, nothing to import
        else:
            raise FormatError(
                "not a brat file; brat import takes a .zip, or .txt and .ann files (with annotation.conf)",
                where=name,
            )
    if loose:
        if not any(name.endswith(".ann") for name in loose):
            raise FormatError("brat import needs the .ann file next to each .txt (none was given)")
        maps.extend(_maps_from_files(loose, options=options))
    return maps


def import_upload(data: bytes, *, name: str = "", options: ImportOptions | None = None) -> list[ArgumentMap]:
    """One uploaded file: a zip, or a lone .txt/.ann."""
    return import_files([(name or "upload.zip", data)], options=options or ImportOptions())


FORMAT = MapFormat(name="brat", title="brat standoff (zip)", extension="brat.zip", content_type="application/zip",
                   write=export_zip, read=import_upload, read_files=import_files)

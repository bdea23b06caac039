"""brat standoff: ``.txt`` + ``.ann`` + ``annotation.conf`` (and ``visual.conf``) in a zip.

Export: the ``.txt`` is the document (paragraphs separated by a blank line); each span is
a text-bound annotation ``T1<TAB>Claim 120 180<TAB>quote`` with document offsets (code
points, as brat counts them); each relation is ``R1<TAB>Supports Arg1:T2 Arg2:T1``
(Arg1 supports/attacks Arg2); a note becomes ``#1<TAB>AnnotatorNotes T1<TAB>note``.
A quote that spans a line break is written as brat's fragments (``120 130;131 150``).

Import reads our own files and the Argument Annotated Essays (Stab & Gurevych) scheme:
``MajorClaim`` → major_claim, ``Claim`` → claim (or counterclaim with an attribute
``A1<TAB>Stance T3 Against``), ``Premise`` → evidence, relations ``supports`` /
``attacks`` in any case. The ``.txt`` is cut into paragraphs on blank lines (or on line
breaks when it has no blank lines, as in the essays) and offsets are mapped into them.
Input is a zip with one or more ``name.txt`` + ``name.ann`` pairs (``import_pair`` takes
the two texts directly).
"""
from __future__ import annotations

import io
import re
import zipfile

from annotations.argument_map import ArgumentMap, MapRelation, MapSpan
from annotations.formats.base import (
    FormatError,
    MapFormat,
    check_map,
    decode_utf8,
    document_offsets,
    kind_from_name,
    label_from_name,
    labels_in_use,
    locate_in_pieces,
    paragraphs_from_pieces,
    shorten,
    slugify,
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


# --- export --------------------------------------------------------------------------


def export_files(argument_map: ArgumentMap) -> dict[str, str]:
    """File name → content for one document (``<slug>.txt``, ``<slug>.ann``, the confs)."""
    stem = slugify(argument_map.title) or "document"
    text = argument_map.document_text
    lines, brat_id = [], {}
    note_number = 0
    for number, span in enumerate(spans_in_document_order(argument_map), start=1):
        brat_id[span.id] = f"T{number}"
        start, end = document_offsets(argument_map, span)
        fragments = _fragments(text, start, end)
        offsets = ";".join(f"{a} {b}" for a, b in fragments)
        shown = " ".join(text[a:b] for a, b in fragments)
        lines.append(f"T{number}\t{ENTITY_TYPES[span.label]} {offsets}\t{shown}")
        if span.note:
            note_number += 1
            lines.append(f"#{note_number}\tAnnotatorNotes T{number}\t{_one_line(span.note)}")
    for number, relation in enumerate(argument_map.relations, start=1):
        lines.append(
            f"R{number}\t{RELATION_TYPES[relation.kind]} Arg1:{brat_id[relation.source]} Arg2:{brat_id[relation.target]}\t"
        )
    return {
        f"{stem}.txt": text,
        f"{stem}.ann": "\n".join(lines) + ("\n" if lines else ""),
        "annotation.conf": annotation_conf(),
        "visual.conf": visual_conf(),
    }


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
    return re.sub(r"\s+", " ", text).strip()


# --- import --------------------------------------------------------------------------

_T_LINE = re.compile(r"^(T\d+)\t(\S+) (\d+ \d+(?:;\d+ \d+)*)\t(.*)$")
_R_LINE = re.compile(r"^(R\d+)\t(\S+) Arg1:(T\d+) Arg2:(T\d+)\s*$")
_A_LINE = re.compile(r"^([AM]\d+)\t(\S+) (T\d+)(?: (\S+))?\s*$")
_NOTE_LINE = re.compile(r"^(#\d+)\tAnnotatorNotes (T\d+)\t(.*)$")


def import_pair(text: str, ann: str, *, name: str = "", ann_name: str = "the .ann file") -> ArgumentMap:
    """One document from its ``.txt`` and ``.ann`` contents."""
    text = text.replace("\r\n", "\n")
    pieces = split_paragraphs(text)
    if not pieces:
        raise FormatError("the .txt file is empty")
    entities: dict[str, tuple[int, str, int, int]] = {}  # brat id → (line, type, start, end)
    stances: dict[str, str] = {}
    notes: dict[str, list[str]] = {}
    raw_relations: list[tuple[int, str, str, str, str]] = []
    for line_number, line in enumerate(ann.replace("\r\n", "\n").split("\n"), start=1):
        where = f"{ann_name}, line {line_number}"
        if not line.strip():
            continue
        if match := _T_LINE.match(line):
            brat_id, entity_type, offsets, shown = match.groups()
            fragments = [tuple(map(int, part.split())) for part in offsets.split(";")]
            start, end = min(a for a, _ in fragments), max(b for _, b in fragments)
            if any(a >= b for a, b in fragments) or end > len(text):
                raise FormatError(f"offsets {offsets} do not fit the text ({len(text)} characters)", where=where)
            expected = " ".join(text[a:b] for a, b in fragments)
            if shown != expected and _squash(shown) != _squash(text[start:end]):
                raise FormatError(
                    f"the text {shorten(shown)!r} does not match the .txt at {offsets}: {shorten(expected)!r}",
                    where=where,
                )
            if brat_id in entities:
                raise FormatError(f"{brat_id} is defined twice", where=where)
            entities[brat_id] = (line_number, entity_type, start, end)
        elif match := _R_LINE.match(line):
            raw_relations.append((line_number, *match.groups()))
        elif match := _A_LINE.match(line):
            _attribute_id, attribute, target, value = match.groups()
            if attribute.lower() == "stance":
                stances[target] = (value or "").lower()
        elif match := _NOTE_LINE.match(line):
            notes.setdefault(match.group(2), []).append(match.group(3))
        elif line[0] in "TRAMNE*#":
            raise FormatError(f"cannot read this annotation: {shorten(line)!r}", where=where)
        else:
            raise FormatError(f"not a brat standoff line: {shorten(line)!r}", where=where)

    spans = []
    for brat_id, (line_number, entity_type, start, end) in entities.items():
        where = f"{ann_name}, line {line_number} ({brat_id})"
        label = label_from_name(entity_type, where=where)
        if label == "claim" and stances.get(brat_id) == "against":
            label = "counterclaim"
        start, end = _trim(text, start, end)
        index, paragraph_start, paragraph_end = locate_in_pieces(pieces, start, end, where=where)
        quote = pieces[index].text[paragraph_start:paragraph_end]
        spans.append(
            MapSpan(id=brat_id, paragraph=index, start=paragraph_start, end=paragraph_end, quote=quote,
                    label=label, note="\n".join(notes.get(brat_id, [])))
        )
    relations = []
    for line_number, relation_id, relation_type, source, target in raw_relations:
        where = f"{ann_name}, line {line_number} ({relation_id})"
        kind = kind_from_name(relation_type, where=where)
        for role, brat_id in (("Arg1", source), ("Arg2", target)):
            if brat_id not in entities:
                raise FormatError(f"{role} {brat_id} is not a text annotation of this file", where=where)
        relations.append(MapRelation(id=relation_id, kind=kind, source=source, target=target))
    argument_map = ArgumentMap(
        title=name or pieces[0].text[:120],
        paragraphs=paragraphs_from_pieces(pieces),
        spans=spans,
        relations=relations,
        labels=labels_in_use(spans),
    )
    check_map(argument_map)
    return argument_map


MAX_UNZIPPED_BYTES = 100 * 1024 * 1024  # all .txt and .ann files together, as the zip declares them


def import_zip(data: bytes) -> list[ArgumentMap]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise FormatError("not a zip file; brat import takes a zip with name.txt and name.ann files") from None
    with archive:
        names = {info.filename: info for info in archive.infolist() if not info.is_dir()}
        ann_names = sorted(name for name in names if name.endswith(".ann"))
        if not ann_names:
            raise FormatError("the zip holds no .ann file")
        unzipped = sum(info.file_size for name, info in names.items() if name.endswith((".ann", ".txt")))
        if unzipped > MAX_UNZIPPED_BYTES:
            raise FormatError(
                f"the zip's .txt and .ann files unpack to {unzipped / 1_048_576:.0f} MB; "
                f"the limit is {MAX_UNZIPPED_BYTES / 1_048_576:.0f} MB: split it into several zips"
            )
        maps = []
        for ann_name in ann_names:
            txt_name = ann_name[: -len(".ann")] + ".txt"
            if txt_name not in names:
                raise FormatError(f"{ann_name} has no {txt_name} next to it in the zip")
            text = decode_utf8(archive.read(txt_name), what=txt_name)
            ann = decode_utf8(archive.read(ann_name), what=ann_name)
            stem = ann_name.rsplit("/", 1)[-1][: -len(".ann")]
            maps.append(import_pair(text, ann, name=stem, ann_name=ann_name))
        return maps


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


class BratFormat(MapFormat):
    name = "brat"
    title = "brat standoff (zip)"
    extension = "brat.zip"
    content_type = "application/zip"
    can_import = True

    def export(self, argument_map: ArgumentMap) -> bytes:
        return export_zip(argument_map)

    def import_(self, data: bytes, *, name: str = "") -> list[ArgumentMap]:
        return import_zip(data)

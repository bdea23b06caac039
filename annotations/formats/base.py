"""The strategy interface every argument-map format implements, and helpers they share.

A format is a ``MapFormat``: its ``name``, ``title``, ``extension`` and ``content_type``, and
the module's pure functions that write it (``write(argument_map) -> bytes``) and, for a format
that can be read back, read it (``read(data, *, name, options) -> list[ArgumentMap]``: a file
may hold several documents, e.g. doccano JSONL). Each format module ends with its ``FORMAT``. Formats are pure: no ORM, no
network, no clock except where a format itself needs a timestamp (AIF).

Bad input raises ``FormatError`` with a message that names the line or the item
(``line 3: ...``, ``span 'T4': ...``) so a person can find and fix it.
"""
from __future__ import annotations

import dataclasses
import json
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field

from annotations import json_input
from annotations.argument_map import LABELS, RELATION_KINDS, ArgumentMap, MapParagraph, MapRelation, MapSpan


class FormatError(ValueError):
    """Input that a format cannot read, or a map that a format cannot write.

    ``where`` names the place (``"line 3"``, ``"span 'T4'"``, ``"edge 12"``); the message
    reads ``"<where>: <problem>"`` when it is given.
    """

    def __init__(self, problem: str, *, where: str = "") -> None:
        self.problem = problem
        self.where = where
        super().__init__(f"{where}: {problem}" if where else problem)


@dataclass
class ImportOptions:
    """How an import reads its files, and where it reports what it left out.

    ``label_map``: another tool's label or relation type (lower case) → an argmap label or
    relation kind, or ``""`` to leave those annotations out (``--map ORG=claim``, ``--map PER=-``).
    ``strict``: refuse a file instead of leaving out what cannot be imported (AIF propositions
    that are not in the text, doccano records without text). The limits bound what one import
    may unpack and store. A format appends one line per thing it left out to ``left_out``.
    """

    label_map: dict[str, str] = field(default_factory=dict)
    strict: bool = False
    max_members: int = 10_000
    max_unpacked_bytes: int = 100 * 1024 * 1024
    max_spans: int = 50_000
    left_out: list[str] = field(default_factory=list)
    # What was stored with a value the file does not give, one line each (a GraphML edge naming no kind).
    assumed: list[str] = field(default_factory=list)
    # Another tool's label ids → its label names, from a label file given with the import (doccano's).
    label_names: dict[str, str] = field(default_factory=dict)

    def leave_out(self, message: str, *, where: str = "") -> None:
        """Record something not imported, or refuse the file when ``strict``."""
        if self.strict:
            message = message.removesuffix(", left out")
            raise FormatError(f"{message} (a strict import leaves nothing out, so the file is refused)", where=where)
        self.left_out.append(f"{where}: {message}" if where else message)


def parse_label_map(items) -> dict[str, str]:
    """``["ORG=claim", "PER=-", "Premise=evidence"]`` (or one comma-separated string) → a label map.

    The target must be an argmap label, a relation kind (supports, attacks) or ``-`` (leave out).
    """
    if isinstance(items, str):
        items = [items]
    mapping: dict[str, str] = {}
    for item in items or []:
        for pair in str(item).split(","):
            if not pair.strip():
                continue
            source, equals, target = pair.partition("=")
            source, target = source.strip(), target.strip()
            if not equals or not source:
                raise FormatError(f"label mapping {pair.strip()!r} is not FROM=TO (e.g. ORG=claim, PER=-)")
            target_key = target.lower().replace(" ", "_")
            if target in ("", "-"):
                mapping[source.lower()] = ""
            elif target_key in LABELS or target_key in RELATION_KINDS:
                mapping[source.lower()] = target_key
            elif target.lower() in _LABEL_ALIASES:
                mapping[source.lower()] = _LABEL_ALIASES[target.lower()]
            else:
                raise FormatError(
                    f"label mapping {pair.strip()!r}: {target!r} is not an argmap label; map to one of "
                    f"{', '.join(LABELS)}, supports, attacks, or - to leave them out"
                )
    return mapping


@dataclass(frozen=True, eq=False, repr=False)
class MapFormat:
    """One export/import format: its names and the functions that write and read it."""

    name: str
    title: str  # what a person sees in the Export menu
    extension: str  # without the dot
    content_type: str
    write: Callable[[ArgumentMap], bytes]
    read: Callable[..., list[ArgumentMap]] | None = None  # (data, *, name, options)
    # Formats whose documents span several files (brat's .txt + .ann): (files, *, options).
    read_files: Callable[..., list[ArgumentMap]] | None = None

    @property
    def can_import(self) -> bool:
        return self.read is not None

    def export(self, argument_map: ArgumentMap) -> bytes:
        return self.write(argument_map)

    def import_(self, data: bytes, *, name: str = "", options: ImportOptions | None = None) -> list[ArgumentMap]:
        if self.read is None:
            raise FormatError(f"the {self.name} format can be exported but cannot be imported")
        return self.read(data, name=name, options=options)

    def import_files(self, files: list[tuple[str, bytes]], *, options: ImportOptions) -> list[ArgumentMap]:
        """Every map in ``files`` ((name, bytes) pairs); FormatError names the file first."""
        if self.read_files is not None:
            return self.read_files(files, options=options)
        return import_each(self.import_, files, options=options)

    def file_name(self, argument_map: ArgumentMap) -> str:
        """A download name such as ``the-continuing-saga.argdown``."""
        return f"{slugify(argument_map.title) or 'argument-map'}.{self.extension}"

    def __repr__(self) -> str:
        return f"<MapFormat {self.name!r}>"


def import_each(read: Callable[..., list[ArgumentMap]], files: list[tuple[str, bytes]], *,
                options: ImportOptions) -> list[ArgumentMap]:
    """``read(data, name=, options=)`` over each file, its name put in front of its messages."""
    maps = []
    for name, data in files:
        reported, assumed = len(options.left_out), len(options.assumed)
        try:
            found = read(data, name=name, options=options)
        except FormatError as error:
            raise FormatError(str(error), where=name) from None
        options.left_out[reported:] = [f"{name}, {line}" for line in options.left_out[reported:]]
        options.assumed[assumed:] = [f"{name}, {line}" for line in options.assumed[assumed:]]
        for argument_map in found:
            argument_map.source_name = argument_map.source_name or name
        maps.extend(found)
    return maps


# Letters that NFKD does not split into an ASCII letter and an accent: written as they are spelt out.
_SPELT_OUT = str.maketrans({"ß": "ss", "ẞ": "SS", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "ø": "o", "Ø": "O",
                            "ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "ð": "d", "Ð": "D", "þ": "th", "Þ": "Th", "ı": "i"})


def slugify(text: str, max_length: int = 60) -> str:
    """``"Close the Königstraße"`` → ``"close-the-konigstrasse"``: ASCII letters and digits joined by hyphens."""
    ascii_text = unicodedata.normalize("NFKD", text.translate(_SPELT_OUT)).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:max_length].rstrip("-")


def decode_utf8(data: bytes, *, what: str = "file") -> str:
    """Bytes to text, refusing anything that is not UTF-8 (a BOM is dropped)."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise FormatError(
            f"the {what} is not UTF-8 text (bad byte at position {error.start}); save it as UTF-8"
        ) from None


def load_json(data: bytes, *, what: str):
    """The JSON document in ``data`` (UTF-8, parsed as untrusted: ``json_input``); a syntax
    error names its line and column."""
    text = decode_utf8(data, what=what)
    try:
        return json_input.loads(text)
    except json.JSONDecodeError as error:
        raise FormatError(f"not valid JSON: {error.msg}", where=f"line {error.lineno}, column {error.colno}") from None
    except RecursionError:
        raise FormatError("the JSON is nested too deeply") from None


# --- offsets -------------------------------------------------------------------------

def trim_span(text: str, start: int, end: int) -> tuple[int, int]:
    """``[start, end)`` of ``text`` without white space at either end."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end



def document_offsets(argument_map: ArgumentMap, span: MapSpan) -> tuple[int, int]:
    """``[start, end)`` of a span in ``argument_map.document_text``."""
    paragraph_start = argument_map.paragraph_starts[span.paragraph]
    return paragraph_start + span.start, paragraph_start + span.end


@dataclass(frozen=True)
class TextPiece:
    """A paragraph cut out of a plain text, with the offset where it starts."""

    start: int
    text: str


_BLANK_LINE = r"\n[ \t\r\f\v]*\n"
HARD_WRAP_WIDTH = 90  # lines shorter than this on average are hard-wrapped prose, not paragraphs


def split_paragraphs(text: str) -> list[TextPiece]:
    """Cut a plain text into paragraphs, keeping where each one starts.

    Blank lines separate paragraphs (our own exports, most articles), unless the text
    mostly uses single line breaks between long lines: then every line is a paragraph
    (the Argument Annotated Essays: a title, a blank line, one paragraph per line).
    Hard-wrapped prose (short lines) keeps its line breaks inside paragraphs.
    Leading and trailing whitespace of a paragraph is left outside it.
    """
    blank_lines = len(re.findall(_BLANK_LINE, text))
    single_breaks = len(re.findall(r"(?<!\n)\n(?![ \t\r\f\v]*\n)", text.rstrip()))
    lines = [line for line in text.split("\n") if line.strip()]
    average_line = sum(len(line) for line in lines) / max(len(lines), 1)
    one_per_line = single_breaks > blank_lines and average_line >= HARD_WRAP_WIDTH
    separator = r"\n\s*" if one_per_line or not blank_lines else _BLANK_LINE + r"\s*"
    pieces, position = [], 0
    for match in [*re.finditer(separator, text), None]:
        end = match.start() if match else len(text)
        chunk = text[position:end]
        stripped_left = len(chunk) - len(chunk.lstrip())
        body = chunk.strip()
        if body:
            pieces.append(TextPiece(position + stripped_left, body))
        if match:
            position = match.end()
    return pieces


def paragraphs_from_pieces(pieces: list[TextPiece]) -> list[MapParagraph]:
    return [MapParagraph(position=index, text=piece.text) for index, piece in enumerate(pieces)]


def locate_in_pieces(
    pieces: list[TextPiece], start: int, end: int, *, where: str
) -> tuple[int, int, int]:
    """Map document offsets onto (paragraph index, start, end) within one paragraph."""
    for index, piece in enumerate(pieces):
        piece_end = piece.start + len(piece.text)
        if piece.start <= start < piece_end or (start == end == piece_end):
            if end > piece_end:
                raise FormatError(
                    f"offsets {start}-{end} run past the end of paragraph {index + 1} "
                    f"(which ends at {piece_end}); a span must stay inside one paragraph",
                    where=where,
                )
            return index, start - piece.start, end - piece.start
    raise FormatError(
        f"offsets {start}-{end} do not fall inside any paragraph of the text", where=where
    )


def span_at(
    pieces: list[TextPiece], text: str, start: int, end: int, *, id: str, label: str, where: str, note: str = "",
    empty: str = "covers only whitespace",
) -> MapSpan:
    """The span of ``text``'s document offsets ``[start, end)``, white space trimmed off both ends, as
    offsets into the one paragraph (piece) it lies in; ``empty``: the refusal when nothing is left."""
    start, end = trim_span(text, start, end)
    if start >= end:
        raise FormatError(empty, where=where)
    index, paragraph_start, paragraph_end = locate_in_pieces(pieces, start, end, where=where)
    return MapSpan(id=id, paragraph=index, start=paragraph_start, end=paragraph_end,
                   quote=pieces[index].text[paragraph_start:paragraph_end], label=label, note=note)


# --- labels --------------------------------------------------------------------------

_LABEL_ALIASES = {
    "majorclaim": "major_claim",
    "major_claim": "major_claim",
    "major claim": "major_claim",
    "claim": "claim",
    "evidence": "evidence",
    "premise": "evidence",
    "counterclaim": "counterclaim",
    "counter_claim": "counterclaim",
    "counter-claim": "counterclaim",
    "rebuttal": "rebuttal",
}
# Other tools' relation types, by their name folded (``kind_key``: lower case, ``_`` and ``-`` as spaces).
# argmap has two kinds; every kind of attack (a rebuttal, an undercut, a partial attack, AIF's conflict) is
# stored as ``attacks`` and every kind of support (AIF's inference, an example, CDCP's reason and evidence) as ``supports``.
_KIND_ALIASES = {
    **dict.fromkeys(("supports", "support", "supporting", "pro", "for", "+", "sup", "exa", "example",
                     "default inference", "inference", "ra", "reason", "evidence"), "supports"),
    **dict.fromkeys(("attacks", "attack", "attacking", "con", "contra", "against", "-", "rebut", "rebuts", "rebuttal",
                     "rebutter", "reb", "undercut", "undercuts", "undercutter", "und", "undermine", "undermines",
                     "partial attack", "partialattack", "default conflict", "conflict", "ca", "contradicts",
                     "contradiction", "objection", "refutes", "opposes"), "attacks"),
}
# Relations that are neither support nor attack (a rephrase, two pieces of one unit, a linked premise): left
# out and said so by default, kept with --map NAME=supports / NAME=attacks.
UNMAPPED_KINDS = {
    **dict.fromkeys(("default rephrase", "rephrase", "ma", "restatement", "restates"), "a rephrase"),
    **dict.fromkeys(("same", "semantically same", "equivalent", "parts of same", "part of same", "same unit"),
                    "a link between two pieces of one statement"),
    **dict.fromkeys(("add", "linked", "joint"), "a premise added to another (a linked argument)"),
    **dict.fromkeys(("sequence", "detail", "background", "elaboration"), "a discourse relation, not support or attack"),
}


def kind_key(name: str) -> str:
    """``"Partial-Attack"``, ``"partial_attack"`` → ``"partial attack"``: how relation type names are compared."""
    return re.sub(r"[\s_-]+", " ", name.strip().lower()).strip() or name.strip()


def kind_left_out(name: str, *, label_map: dict[str, str] | None = None) -> str:
    """Why a relation of type ``name`` that ``kind_from_name`` gave no kind for is left out."""
    key = kind_key(name)
    if _mapped_kind(name, label_map)[0]:
        return f"type {name!r} mapped to be left out"
    what = UNMAPPED_KINDS.get(key, "not a kind argmap has")
    return (f"type {name!r} is {what}, which argmap has no relation for: left out (--map "
            f"'{name.strip()}=supports' or '{name.strip()}=attacks' keeps them)")


_MAP_HINT = "or map it with --map FROM=TO (the import form's label mapping field), e.g. {name}=claim, or {name}=- to leave it out"


def label_from_name(name: str, *, where: str, label_map: dict[str, str] | None = None) -> str | None:
    """argmap label for a label name used by another tool (``Premise`` → ``evidence``).

    ``label_map`` (see ``parse_label_map``) is consulted first; ``None`` means "leave it out".
    """
    return _from_name(
        name, where=where, label_map=label_map, what="label", allowed=LABELS, aliases=_LABEL_ALIASES,
        mapped_wrong="a relation kind, not a label", placeholder="LABEL", example="claim",
        knows=f"{', '.join(LABELS)} (and MajorClaim, Claim, Premise from the Argument Annotated Essays)",
    )


def kind_from_name(name: str, *, where: str, label_map: dict[str, str] | None = None) -> str | None:
    """argmap relation kind for another tool's relation type (``Partial-Attack`` → ``attacks``); ``None``: left
    out, mapped so (``--map X=-``) or a type that is neither support nor attack (``UNMAPPED_KINDS``:
    ``kind_left_out`` says why). The label map is looked up first, by the folded name too
    (``--map partial_attack=supports`` names ``Partial-Attack``)."""
    mapped, target = _mapped_kind(name, label_map)
    if mapped:
        if target and target not in RELATION_KINDS:
            raise FormatError(f"relation type {name!r} is mapped to {target!r}, which is a label, not supports/attacks",
                              where=where)
        return target or None
    key = kind_key(name)
    if key in _KIND_ALIASES:
        return _KIND_ALIASES[key]
    if key in UNMAPPED_KINDS:
        return None
    return _from_name(
        name, where=where, label_map=None, what="relation type", allowed=RELATION_KINDS, aliases=_KIND_ALIASES,
        mapped_wrong="", placeholder="TYPE", example="supports",
        knows="supports and attacks (and their names in other tools: support, pro, con, rebut, undercut, partial attack, "
              "AIF's inference and conflict)",
    )


def kind_is_mapped(name: str, label_map: dict[str, str] | None) -> bool:
    """Whether the label map names relation type ``name`` (by its folded name too)."""
    return _mapped_kind(name, label_map)[0]


def _mapped_kind(name: str, label_map: dict[str, str] | None) -> tuple[bool, str]:
    """(whether the label map names this relation type, what it maps it to)."""
    if not label_map:
        return False, ""
    key = kind_key(name)
    for candidate, target in label_map.items():
        if candidate == name.strip().lower() or kind_key(candidate) == key:
            return True, target
    return False, ""


def _from_name(name: str, *, where: str, label_map, what: str, allowed, aliases: dict[str, str], mapped_wrong: str,
               placeholder: str, example: str, knows: str) -> str | None:
    """``name`` looked up in ``label_map`` (checked against ``allowed``), then in ``aliases``."""
    key = name.strip().lower()
    if label_map and key in label_map:
        target = label_map[key]
        if target and target not in allowed:
            raise FormatError(f"{what} {name!r} is mapped to {target!r}, which is {mapped_wrong}", where=where)
        return target or None
    found = aliases.get(key)
    if found is None:
        hint = _MAP_HINT.format(name=name.strip() or placeholder).replace("=claim", f"={example}")
        raise FormatError(f"unknown {what} {name!r}; argmap knows {knows}, {hint}", where=where)
    return found


def check_span_count(count: int, options: ImportOptions | None, *, where: str = "") -> None:
    """Refuse a file with more spans than one import may store."""
    limit = options.max_spans if options else ImportOptions.max_spans
    if count > limit:
        raise FormatError(
            f"holds {count:,} annotations; one import stores at most {limit:,} (ARGMAP_IMPORT_MAX_SPANS): split it",
            where=where,
        )


def labels_in_use(spans: list[MapSpan], base: tuple[str, ...] = ("claim", "evidence", "counterclaim")) -> list[str]:
    """The document's label list: the usual three plus any other label the spans use."""
    used = set(base) | {span.label for span in spans}
    return [label for label in LABELS if label in used]


# --- checking a whole map -----------------------------------------------------------


_UNSTORABLE = re.compile(r"[\x00\ud800-\udfff]")


def check_storable(text: str, *, what: str, where: str) -> None:
    """PostgreSQL text holds neither NUL characters nor lone surrogates (``"\\ud800"`` in JSON)."""
    match = _UNSTORABLE.search(text)
    if match:
        character = "a NUL character" if match.group() == "\x00" else f"a lone surrogate (U+{ord(match.group()):04X})"
        raise FormatError(
            f"its {what} contains {character} at position {match.start()}, which is not text; remove it and save the file again",
            where=where,
        )


def check_map(argument_map: ArgumentMap) -> None:
    """Raise FormatError at the first thing in a map that argmap could not store."""
    paragraph_text = {}
    for paragraph in argument_map.paragraphs:
        if paragraph.position in paragraph_text:
            raise FormatError("appears twice", where=f"paragraph {paragraph.position}")
        check_storable(paragraph.text, what="text", where=f"paragraph {paragraph.position}")
        paragraph_text[paragraph.position] = paragraph.text
    check_storable(argument_map.title, what="title", where="the map")
    span_ids = set()
    for span in argument_map.spans:
        where = f"span {span.id!r}"
        if not span.id:
            raise FormatError("a span has an empty id")
        if span.id in span_ids:
            raise FormatError("the id is used by two spans", where=where)
        span_ids.add(span.id)
        if span.label not in LABELS:
            raise FormatError(f"unknown label {span.label!r}; use one of {', '.join(LABELS)}", where=where)
        text = paragraph_text.get(span.paragraph)
        if text is None:
            raise FormatError(f"refers to paragraph {span.paragraph}, which does not exist", where=where)
        if not 0 <= span.start < span.end <= len(text):
            raise FormatError(
                f"offsets {span.start}-{span.end} do not fit paragraph {span.paragraph} "
                f"({len(text)} characters)",
                where=where,
            )
        for what, value in (("note", span.note), ("author", span.author)):
            check_storable(value, what=what, where=where)
        if text[span.start : span.end] != span.quote:
            raise FormatError(
                f"the quote {shorten(span.quote)!r} does not match the text at "
                f"{span.start}-{span.end}: {shorten(text[span.start:span.end])!r}",
                where=where,
            )
    relation_ids = set()
    for relation in argument_map.relations:
        where = f"relation {relation.id!r}"
        if relation.id in relation_ids:
            raise FormatError("the id is used by two relations", where=where)
        relation_ids.add(relation.id)
        if relation.kind not in RELATION_KINDS:
            raise FormatError(f"unknown kind {relation.kind!r}; use supports or attacks", where=where)
        for end_name, span_id in (("source", relation.source), ("target", relation.target)):
            if span_id not in span_ids:
                raise FormatError(f"its {end_name} {span_id!r} is not a span of this map", where=where)
        if relation.source == relation.target:
            raise FormatError("a span cannot support or attack itself", where=where)
    _check_all_storable(argument_map)


def _check_all_storable(value, where: str = "the map", what: str = "text") -> None:
    """Every other string the map carries (ids, authors, names, labels, cues, the provenance kept
    for a round trip, its keys too) reaches the database: none may hold a NUL or a lone surrogate."""
    if isinstance(value, str):
        check_storable(value, what=what, where=where)
    elif isinstance(value, dict):
        for key, item in value.items():
            check_storable(str(key), what=f"{what} key", where=where)
            _check_all_storable(item, where=where, what=what)
    elif isinstance(value, (list, tuple)):
        for item in value:
            _check_all_storable(item, where=where, what=what)
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        if isinstance(value, (MapSpan, MapRelation)):
            where = f"{'span' if isinstance(value, MapSpan) else 'relation'} {value.id!r}"
        for item in dataclasses.fields(value):
            _check_all_storable(getattr(value, item.name), where=where, what=item.name.replace("_", " "))


def shorten(text: str, width: int = 60) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def spans_in_document_order(argument_map: ArgumentMap) -> list[MapSpan]:
    order = {paragraph.position: index for index, paragraph in enumerate(argument_map.paragraphs)}
    return sorted(
        argument_map.spans,
        key=lambda span: (order.get(span.paragraph, len(order)), span.start, span.end, span.id),
    )


# --- giving another tool its own text back ----------------------------------------


def source_text_provenance(text: str, pieces: list[TextPiece]) -> dict:
    """What ``source_text_of`` needs to write a map back with the file's own text and offsets."""
    return {"text": text, "paragraph_starts": [piece.start for piece in pieces]}


def map_of_text(
    text: str, pieces: list[TextPiece], *, title: str, spans: list[MapSpan], relations: list[MapRelation],
    provenance: dict, where: str,
) -> ArgumentMap:
    """The map of a plain text cut into ``pieces`` (``split_paragraphs``), titled by the start of its
    first paragraph when ``title`` is empty, its labels those in use, and the text and its
    paragraphs' offsets kept with ``provenance`` (``source_text_of`` gives them back); checked by
    ``check_map``, a problem named at ``where`` (the file, the line)."""
    argument_map = ArgumentMap(
        title=title or shorten(pieces[0].text, 120),
        paragraphs=paragraphs_from_pieces(pieces),
        spans=spans,
        relations=relations,
        labels=labels_in_use(spans),
        provenance={**provenance, **source_text_provenance(text, pieces)},
    )
    try:
        check_map(argument_map)
    except FormatError as error:
        raise FormatError(str(error), where=where) from None
    return argument_map


def source_text_of(argument_map: ArgumentMap, format_name: str) -> tuple[str, dict[int, int]] | None:
    """(original text, document offset of each paragraph by position) when the map came from
    ``format_name`` and its paragraphs are still exactly where they were in that text; else None."""
    provenance = argument_map.provenance or {}
    if provenance.get("format") != format_name or not isinstance(provenance.get("text"), str):
        return None
    text, starts = provenance["text"], provenance.get("paragraph_starts") or []
    if len(starts) != len(argument_map.paragraphs):
        return None
    offsets = {}
    for paragraph, start in zip(argument_map.paragraphs, starts):
        if not isinstance(start, int) or text[start : start + len(paragraph.text)] != paragraph.text:
            return None
        offsets[paragraph.position] = start
    return text, offsets

"""Storing imported argument maps: documents, spans and relations in one layer, all or nothing.

An imported map's text either matches a document already in the project — the same
paragraph texts in the same order (kinds are ignored: brat and doccano files have no
headings) — and the spans attach to that document, or it becomes a new document
(``source_format="import"``, content hash computed as for uploaded articles). New
documents need a curator or owner, like any upload; annotators can import their own
layer onto documents the project already has.

The spans go into the importer's own layer, or the consensus or answer-key layer
(curators and owners only). A layer that already has spans on a document is refused
unless ``replace=True``, which first deletes that layer's spans and relations there.
Every map of one import is stored in ONE transaction: on any error nothing is stored.
Imported spans keep their label, offsets, quote and note; their origin is ``import``
(spaCy provenance is not restored: the suggestion rows belong to another database); their
author is the project member with the span's author name, else the importer.

Two maps of one text in one import (a corpus with the same essay twice) go into ONE document
as one merged map: spans on the same stretch with the same label are one span; the same
stretch with two labels, or the same pair of spans with two relation kinds, refuses the
import naming both files. What a format kept from the file (brat types and attributes, AIF
speakers) is stored as the document and layer's ``MapProvenance``. The summary counts the
rows stored, read back after writing, and lists what the files held that was left out.
"""
from __future__ import annotations

import copy
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Count, Q

from annotations.argument_map import ArgumentMap
from annotations.errors import Conflict, InvalidInput, NotPermitted
from annotations.formats.base import FormatError, ImportOptions, check_map, parse_label_map, shorten
from annotations.formats.registry import get_import_format, import_formats
from annotations.formats.sniff import AUTO, sniff
from annotations.ingest import Block, ParsedArticle
from annotations.models import Annotation, Document, Layer, MapProvenance, Membership, Paragraph, Project, Relation
from annotations.permissions import CURATOR_ROLES, WRITER_ROLES, can_add_documents, can_edit_layer, role_in
from annotations.services.layers import layer_get_or_create_personal, layer_get_or_create_shared
from annotations.services.suggestions import suggestions_queue_for_new_document
from annotations.services.text import check_paragraph_length, check_storable_text, clean_note

IMPORT_LAYERS = ("own", Layer.Kind.CONSENSUS.value, Layer.Kind.ANSWER_KEY.value)
OPERATOR = "operator"  # the role of a command run without a user


@dataclass
class ImportedDocument:
    document: Document
    created: bool  # False: the spans were attached to a document the project already had
    spans: int
    relations: int


@dataclass
class MapImportResult:
    layer: Layer
    documents: list[ImportedDocument] = field(default_factory=list)
    left_out: list[str] = field(default_factory=list)  # what the files held that was not imported, and why
    merged: list[str] = field(default_factory=list)  # maps of one text that went into one document
    assumed: list[str] = field(default_factory=list)  # stored with a value the file does not give (a kind)

    @property
    def summary(self) -> str:
        created = sum(1 for item in self.documents if item.created)
        spans = sum(item.spans for item in self.documents)
        relations = sum(item.relations for item in self.documents)
        text = (
            f"{len(self.documents)} document(s) imported into layer {self.layer.name!r}: "
            f"{created} new, {len(self.documents) - created} existing; "
            f"{spans} spans, {relations} relations stored"
        )
        if self.assumed:
            text += f" ({'; '.join(self.assumed)})"
        if self.merged:
            text += f"; {len(self.merged)} map(s) merged into the document of the same text"
        if self.left_out:
            text += f"; {len(self.left_out)} item(s) left out"
        return text


def argument_map_import(
    *, project: Project, user, maps: list[ArgumentMap], layer: str = "own", replace: bool = False,
    source_name: str = "",
) -> MapImportResult:
    """Store ``maps`` in ``project``: each map's document (found or created), spans and relations.

    ``layer`` is ``"own"`` (the importer's personal layer), ``"consensus"`` or ``"answer_key"``.
    ``user=None`` is an operator command: it may create documents and write the shared layers,
    but has no personal layer. Raises InvalidInput, NotPermitted or Conflict; stores nothing then.
    """
    check_may_import(project=project, user=user, layer=layer)
    if not maps:
        raise InvalidInput("The file holds no argument map.")
    for index, argument_map in enumerate(maps):
        _check_importable(argument_map, project, where=_map_name(argument_map, index, len(maps)))
    maps, merged = _merge_same_texts(maps)
    authors = _members_by_username(project, maps)
    try:
        with transaction.atomic():
            target = _target_layer(project, user, layer)
            result = MapImportResult(layer=target, merged=merged)
            provenances = []
            known = _ProjectTexts.read(project, maps)
            for index, argument_map in enumerate(maps):
                where = _map_name(argument_map, index, len(maps))
                document, created, paragraph_ids = _document_for(project, user, argument_map, source_name, known,
                                                                 where=where)
                stored, provenance = _store_spans(document, created, target, user, argument_map, authors, replace,
                                                  paragraph_ids, where=where)
                result.documents.append(stored)
                if provenance is not None:
                    provenances.append(provenance)
            MapProvenance.objects.filter(layer=target, document__in=[item.document for item in result.documents]).delete()
            MapProvenance.objects.bulk_create(provenances)
            _count_stored(result)
    except IntegrityError as error:  # a concurrent import or edit won a race on a constraint
        raise Conflict(f"The import clashed with a concurrent change ({error.__cause__ or error}); try again.") from None
    return result


def _count_stored(result: MapImportResult) -> None:
    """Replace the counts with the rows the layer holds on each document now (two queries)."""
    documents = [item.document.pk for item in result.documents]
    spans = dict(Annotation.objects.filter(layer=result.layer, document_id__in=documents)
                 .values_list("document_id").annotate(count=Count("id")).values_list("document_id", "count"))
    relations = dict(Relation.objects.filter(layer=result.layer, document_id__in=documents)
                     .values_list("document_id").annotate(count=Count("id")).values_list("document_id", "count"))
    for item in result.documents:
        item.spans, item.relations = spans.get(item.document.pk, 0), relations.get(item.document.pk, 0)


def _file_of(argument_map: ArgumentMap, index: int) -> str:
    return argument_map.source_name or argument_map.title or f"map {index + 1}"


def _merge_same_texts(maps: list[ArgumentMap]) -> tuple[list[ArgumentMap], list[str]]:
    """One map per text: later maps of the same paragraph texts are merged into the first.

    Refuses (naming both files) a stretch of text with two labels or a pair of spans with
    two relation kinds: argmap would have to drop one of them.
    """
    first_of: dict[tuple[str, ...], int] = {}
    result: list[ArgumentMap] = []
    copied: set[int] = set()
    merged: list[str] = []
    for index, argument_map in enumerate(maps):
        key = tuple(paragraph.text for paragraph in argument_map.paragraphs)
        if key not in first_of:
            first_of[key] = len(result)
            result.append(argument_map)
            continue
        slot = first_of[key]
        if slot not in copied:  # merge into a copy: the caller's maps stay as they were read
            result[slot] = copy.deepcopy(result[slot])
            copied.add(slot)
        target = result[slot]
        _merge_into(target, argument_map, first=_file_of(target, slot), second=_file_of(argument_map, index))
        merged.append(f"{_file_of(argument_map, index)} has the same text as {_file_of(target, slot)}: merged into one document")
    return result, merged


def _merge_into(target: ArgumentMap, other: ArgumentMap, *, first: str, second: str) -> None:
    position_of = {p.position: i for i, p in enumerate(other.paragraphs)}
    target_position = [p.position for p in target.paragraphs]
    by_stretch = {(s.paragraph, s.start, s.end): s for s in target.spans}
    taken = {s.id for s in target.spans}
    id_of: dict[str, str] = {}
    kept_spans = target.provenance.setdefault("spans", {}) if target.provenance else None
    for span in other.spans:
        paragraph = target_position[position_of[span.paragraph]]
        existing = by_stretch.get((paragraph, span.start, span.end))
        if existing is not None:
            if existing.label != span.label:
                raise InvalidInput(
                    f"{first} and {second} have the same text but tag {shorten(span.quote)!r} differently "
                    f"({existing.label} and {span.label}); import them separately, into different layers."
                )
            id_of[span.id] = existing.id
            if span.note and span.note not in existing.note:
                existing.note = f"{existing.note}\n{span.note}".strip()
            continue
        new_id = span.id if span.id not in taken else f"{second}#{span.id}"
        taken.add(new_id)
        id_of[span.id] = new_id
        moved = copy.deepcopy(span)
        moved.id, moved.paragraph = new_id, paragraph
        target.spans.append(moved)
        by_stretch[(paragraph, span.start, span.end)] = moved
        if kept_spans is not None and other.provenance.get("format") == target.provenance.get("format"):
            kept = other.provenance.get("spans", {}).get(span.id)
            if kept is not None:
                kept_spans[new_id] = kept
    kinds = {(r.source, r.target): r for r in target.relations}
    relation_ids = {r.id for r in target.relations}
    for relation in other.relations:
        source, end = id_of[relation.source], id_of[relation.target]
        existing = kinds.get((source, end))
        if existing is not None:
            if existing.kind != relation.kind:
                raise InvalidInput(
                    f"{first} and {second} have the same text but link the same two spans differently "
                    f"({existing.kind} and {relation.kind}); import them separately, into different layers."
                )
            continue
        moved = copy.deepcopy(relation)
        moved.id = relation.id if relation.id not in relation_ids else f"{second}#{relation.id}"
        moved.source, moved.target = source, end
        relation_ids.add(moved.id)
        target.relations.append(moved)
        kinds[(source, end)] = moved
    for label in other.labels:
        if label not in target.labels:
            target.labels.append(label)


def check_may_import(*, project: Project, user, layer: str) -> None:
    """Refuse before reading any file: unknown layer, viewers, annotators aiming at a shared layer."""
    if layer not in IMPORT_LAYERS:
        raise InvalidInput(f"Unknown layer {layer!r} to import into; choose one of: {', '.join(IMPORT_LAYERS)}.")
    role = role_in(project, user) if user is not None else OPERATOR
    if role is None:
        raise NotPermitted("Only members of the project can import into it.")
    if role not in WRITER_ROLES and role != OPERATOR:
        raise NotPermitted("Viewers cannot import maps; ask the project's owner for the annotator role.")
    if layer != "own" and role not in CURATOR_ROLES and role != OPERATOR:
        raise NotPermitted(f"Only curators and the owner can import into the {layer.replace('_', ' ')} layer.")
    if layer == "own" and user is None:
        raise InvalidInput("An import without a user needs a shared layer: consensus or answer_key.")


def _map_name(argument_map: ArgumentMap, index: int, count: int) -> str:
    title = argument_map.title or argument_map.source_name or "untitled"
    return f"map {index + 1} ({title!r})" if count > 1 else f"map {title!r}"


def _check_importable(argument_map: ArgumentMap, project: Project, *, where: str) -> None:
    """Everything that can be checked before touching the database, with the item named."""
    try:
        check_map(argument_map)
    except FormatError as error:
        raise InvalidInput(f"{where}, {error}") from None
    if not argument_map.paragraphs:
        raise InvalidInput(f"{where}: has no text.")
    if any(not paragraph.text.strip() for paragraph in argument_map.paragraphs):
        raise InvalidInput(f"{where}: has an empty paragraph.")
    _check_map_text(argument_map, where=where)
    for span in argument_map.spans:
        if span.label not in project.labels:
            raise InvalidInput(
                f"{where}, span {span.id!r}: label {span.label!r} is not used in project {project.slug!r}, "
                f"which tags with {', '.join(project.labels)}; add the label to the project or change the span."
            )
    seen_spans: dict[tuple, str] = {}
    for span in argument_map.spans:
        key = (span.paragraph, span.start, span.end)
        if key in seen_spans:
            raise InvalidInput(
                f"{where}, span {span.id!r}: covers the same text as span {seen_spans[key]!r}; "
                "a layer holds one span per stretch of text."
            )
        seen_spans[key] = span.id
    seen_pairs: dict[tuple, str] = {}
    for relation in argument_map.relations:
        key = (relation.source, relation.target)
        if key in seen_pairs:
            raise InvalidInput(
                f"{where}, relation {relation.id!r}: links the same two spans as relation {seen_pairs[key]!r}."
            )
        seen_pairs[key] = relation.id


def _check_map_text(argument_map: ArgumentMap, *, where: str) -> None:
    """Titles, paragraphs, notes and names hold no NUL or lone surrogate; notes are within their limit."""
    try:
        check_storable_text(argument_map.title or "", what="The title")
        for paragraph in argument_map.paragraphs:
            check_storable_text(paragraph.text, what=f"Paragraph {paragraph.position}")
            check_paragraph_length(paragraph.text, what=f"Paragraph {paragraph.position}")
        for span in argument_map.spans:
            try:
                clean_note(span.note)
                check_storable_text(span.author or "", what="The author's name")
            except InvalidInput as error:
                raise InvalidInput(f"span {span.id!r}: {error.message}") from None
    except InvalidInput as error:
        raise InvalidInput(f"{where}, {error.message[0].lower()}{error.message[1:]}") from None


def _members_by_username(project: Project, maps: list[ArgumentMap]) -> dict[str, object]:
    names = {span.author for argument_map in maps for span in argument_map.spans if span.author}
    names |= {relation.author for argument_map in maps for relation in argument_map.relations if relation.author}
    if not names:
        return {}
    members = get_user_model().objects.filter(
        username__in=names, pk__in=Membership.objects.filter(project=project).values("user_id")
    )
    return {member.get_username(): member for member in members}


def _target_layer(project: Project, user, layer: str) -> Layer:
    if layer == "own":
        target = layer_get_or_create_personal(project=project, user=user)
    else:
        target = layer_get_or_create_shared(project=project, kind=layer)
    if user is not None and not can_edit_layer(target, user):
        raise NotPermitted(f"You cannot write layer {target.name!r}; viewers cannot import.")
    return target


def content_hash_of(argument_map: ArgumentMap) -> str:
    """The hash an uploaded article with these paragraphs would get (see ``ingest.ParsedArticle``)."""
    blocks = [Block(kind=paragraph.kind, text=paragraph.text) for paragraph in argument_map.paragraphs]
    return ParsedArticle(title="", source_format="import", blocks=blocks).content_hash


@dataclass
class _ProjectTexts:
    """The project's documents that an import's maps could match, read in three queries for the whole import."""

    by_texts: dict[tuple[str, ...], Document]
    by_hash: dict[str, Document]

    @classmethod
    def read(cls, project: Project, maps: list[ArgumentMap]) -> _ProjectTexts:
        first_texts = {argument_map.paragraphs[0].text for argument_map in maps if argument_map.paragraphs}
        candidates = set(Paragraph.objects.filter(document__project=project, position=0, text__in=first_texts)
                         .values_list("document_id", flat=True))
        texts: dict[int, list[str]] = {}
        for document_id, text in (Paragraph.objects.filter(document_id__in=candidates)
                                  .order_by("document_id", "position").values_list("document_id", "text")):
            texts.setdefault(document_id, []).append(text)
        hashes = [content_hash_of(argument_map) for argument_map in maps]
        documents = {document.pk: document for document in Document.objects.filter(
            Q(pk__in=candidates) | Q(project=project, content_hash__in=hashes)).order_by("-id")}
        by_texts = {tuple(texts[pk]): documents[pk] for pk in sorted(texts, reverse=True) if pk in documents}
        by_hash = {document.content_hash: document for document in documents.values()}
        return cls(by_texts=by_texts, by_hash=by_hash)


def _document_for(project: Project, user, argument_map: ArgumentMap, source_name: str, known: _ProjectTexts, *,
                  where: str):
    """(document, created, paragraph ids or None): the project's document with the same paragraph texts, or a new one."""
    existing = known.by_texts.get(tuple(paragraph.text for paragraph in argument_map.paragraphs))
    if existing is not None:
        return existing, False, None
    if user is not None and not can_add_documents(project, user):
        raise NotPermitted(
            f"{where}: its text is not a document of this project yet, and only the owner and curators can "
            "add documents; ask them to upload the article first, then import your map onto it."
        )
    content_hash = content_hash_of(argument_map)
    clash = known.by_hash.get(content_hash)
    if clash is not None:
        raise Conflict(
            f"{where}: its text is the text of document {clash.pk} ({clash.title!r}) with different paragraph breaks; "
            "split the file's text into paragraphs as that document is, or import it into another project."
        )
    document = Document.objects.create(
        project=project,
        title=(argument_map.title or argument_map.source_name or source_name or "Imported map")[:500],
        source_name=(argument_map.source_name or source_name)[:255],
        source_format=Document.SourceFormat.IMPORT,
        content_hash=content_hash,
        created_by=user,
    )
    paragraphs = Paragraph.objects.bulk_create(
        Paragraph(document=document, position=position, kind=paragraph.kind if paragraph.kind in Paragraph.Kind.values else "body", text=paragraph.text)
        for position, paragraph in enumerate(argument_map.paragraphs)
    )
    suggestions_queue_for_new_document(document=document)  # as for uploads: commits with the document
    known.by_hash[content_hash] = document
    return document, True, {paragraph.position: paragraph.pk for paragraph in paragraphs}


def _store_spans(document, created, layer, user, argument_map, authors, replace, paragraph_ids, *, where):
    """(what was stored, the MapProvenance row to create or None). Called inside the import's transaction."""
    if not created:
        existing = Annotation.objects.filter(document=document, layer=layer)
        if existing.exists():
            if not replace:
                raise Conflict(
                    f"{where}: layer {layer.name!r} already has spans on document {document.pk} "
                    f"({document.title!r}); import with replace to overwrite them, or into another layer."
                )
            Relation.objects.filter(document=document, layer=layer).delete()
            existing.delete()
    if paragraph_ids is None:
        paragraph_ids = dict(Paragraph.objects.filter(document=document).values_list("position", "id"))
    index_of = {paragraph.position: index for index, paragraph in enumerate(argument_map.paragraphs)}
    spans = Annotation.objects.bulk_create(
        Annotation(
            document=document,
            paragraph_id=paragraph_ids[index_of[span.paragraph]],
            layer=layer,
            start=span.start,
            end=span.end,
            quote=span.quote,
            label=span.label,
            note=span.note,
            origin=Annotation.Origin.IMPORT,
            author=authors.get(span.author, user),
        )
        for span in argument_map.spans
    )
    pk_of = {span.id: stored.pk for span, stored in zip(argument_map.spans, spans)}
    relations = Relation.objects.bulk_create(
        Relation(
            document=document,
            layer=layer,
            source_id=pk_of[relation.source],
            target_id=pk_of[relation.target],
            kind=relation.kind,
            author=authors.get(relation.author, user),
        )
        for relation in argument_map.relations
    )
    provenance = None
    if argument_map.provenance:
        relation_pk_of = {relation.id: stored.pk for relation, stored in zip(argument_map.relations, relations)}
        provenance = MapProvenance(
            document=document, layer=layer, format=str(argument_map.provenance.get("format", ""))[:20],
            source_name=(argument_map.source_name or "")[:255],
            data=provenance_for_storage(argument_map.provenance, pk_of, relation_pk_of),
        )
    stored = ImportedDocument(document=document, created=created, spans=len(spans), relations=len(relations))
    return stored, provenance


def provenance_for_storage(provenance: dict, span_pk_of: dict[str, int], relation_pk_of: dict[str, int]) -> dict:
    """The format's provenance with span and relation ids replaced by the stored ones (``s<pk>``, ``r<pk>``),
    as ``selectors.maps`` names them, keeping only entries of what was stored."""
    data = {key: value for key, value in provenance.items() if key not in ("spans", "relations")}
    data["spans"] = {f"s{span_pk_of[key]}": value for key, value in (provenance.get("spans") or {}).items()
                     if key in span_pk_of}
    data["relations"] = {f"r{relation_pk_of[key]}": value for key, value in (provenance.get("relations") or {}).items()
                         if key in relation_pk_of}
    return data


def argument_map_import_files(
    *, project: Project, user, format_name: str, files: list[tuple[str, bytes]], layer: str = "own",
    replace: bool = False, label_map: list[str] | str | dict | None = None, strict: bool = False,
) -> MapImportResult:
    """Read ``files`` ((name, bytes) pairs) in the named format and import every map they hold at once.

    ``label_map``: ``["ORG=claim", "PER=-"]`` (see ``formats.base.parse_label_map``) for labels and
    relation types that are not argmap's. ``strict``: refuse a file rather than leave anything out.
    A file the format cannot read raises InvalidInput naming the file and the line or item.
    """
    automatic = (format_name or "").strip().lower() == AUTO
    map_format = None
    if not automatic:
        try:
            map_format = get_import_format(format_name or "")
        except FormatError:
            readable = ", ".join(f.name for f in import_formats())
            raise InvalidInput(f"Cannot import the format {format_name!r}; argmap imports {readable} (or auto).") from None
    check_may_import(project=project, user=user, layer=layer)
    if not files:
        raise InvalidInput(f"Choose one or more {map_format.name if map_format else ''} files to import.".replace("  ", " "))
    try:
        mapping = label_map if isinstance(label_map, dict) else parse_label_map(label_map or [])
    except FormatError as error:
        raise InvalidInput(f"{error}.") from None
    for name, data in files:
        if len(data) > settings.ARGMAP_MAX_UPLOAD_BYTES:
            raise InvalidInput(
                f"{name} is {len(data) / 1_048_576:.1f} MB; the limit is "
                f"{settings.ARGMAP_MAX_UPLOAD_BYTES / 1_048_576:.0f} MB (ARGMAP_MAX_UPLOAD_MB). Split the file."
            )
    if automatic:
        try:
            map_format = get_import_format(sniff(files))
        except FormatError as error:
            raise InvalidInput(f"{error}.") from None
    options = ImportOptions(
        label_map=mapping, strict=strict, max_members=settings.ARGMAP_ARCHIVE_MAX_MEMBERS,
        max_unpacked_bytes=settings.ARGMAP_ARCHIVE_MAX_BYTES, max_spans=settings.ARGMAP_IMPORT_MAX_SPANS,
    )
    try:
        maps = map_format.import_files(files, options=options)
    except FormatError as error:
        raise InvalidInput(str(error)) from None
    except RecursionError:
        raise InvalidInput("A file is nested too deeply to read.") from None
    total = sum(len(argument_map.spans) for argument_map in maps)
    if total > options.max_spans:
        raise InvalidInput(
            f"The files hold {total:,} spans; one import stores at most {options.max_spans:,} "
            "(ARGMAP_IMPORT_MAX_SPANS): import them in several parts."
        )
    source_name = files[0][0] if len(files) == 1 else ""
    result = argument_map_import(project=project, user=user, maps=maps, layer=layer, replace=replace,
                                 source_name=source_name)
    result.left_out, result.assumed = list(options.left_out), list(options.assumed)
    if automatic:
        result.assumed.insert(0, f"format {map_format.name}, told from the files' content")
    return result

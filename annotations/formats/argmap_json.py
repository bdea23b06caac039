"""argmap's own JSON format: everything in a map, versioned, validated, lossless.

The file follows ``schema/argmap-map-1.schema.json`` (``"format": "argmap-map"``,
``"version": 1``). Export is deterministic (spans in document order, relations by id,
sorted keys, two-space indent, UTF-8 without escapes), so export → import → export gives
the same bytes. Import validates against the schema first, then checks what a schema
cannot: quotes match the text, offsets fit, relations point at spans of the file.
"""
from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path

import jsonschema

from annotations.argument_map import (
    ArgumentMap,
    MapParagraph,
    MapRelation,
    MapSpan,
    MapSuggestionSource,
)
from annotations.formats.archive import is_zip, open_zip
from annotations.formats.base import (
    FormatError, ImportOptions, MapFormat, check_map, check_span_count, load_json, spans_in_document_order,
)

SCHEMA_PATH = Path(__file__).parent / "schema" / "argmap-map-1.schema.json"
FORMAT_MARK = "argmap-map"
VERSION = 1


@lru_cache(maxsize=1)
def _validator() -> jsonschema.protocols.Validator:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    validator_class = jsonschema.validators.validator_for(schema)
    validator_class.check_schema(schema)
    return validator_class(schema)


def map_to_dict(argument_map: ArgumentMap) -> dict:
    spans = spans_in_document_order(argument_map)
    relations = sorted(argument_map.relations, key=lambda relation: _natural_key(relation.id))
    return {
        "format": FORMAT_MARK,
        "version": VERSION,
        "document": {
            "title": argument_map.title,
            "source_name": argument_map.source_name,
            "paragraphs": [
                {"position": p.position, "kind": p.kind, "text": p.text} for p in argument_map.paragraphs
            ],
        },
        "layer": {"name": argument_map.layer_name, "kind": argument_map.layer_kind},
        "labels": list(argument_map.labels),
        "spans": [
            {
                "id": span.id,
                "paragraph": span.paragraph,
                "start": span.start,
                "end": span.end,
                "quote": span.quote,
                "label": span.label,
                "author": span.author,
                "note": span.note,
                "origin": span.origin,
                "suggestion": None
                if span.suggestion is None
                else {
                    "pipeline": span.suggestion.pipeline,
                    "version": span.suggestion.version,
                    "score": span.suggestion.score,
                    "cues": list(span.suggestion.cues),
                },
            }
            for span in spans
        ],
        "relations": [
            {
                "id": relation.id,
                "kind": relation.kind,
                "source": relation.source,
                "target": relation.target,
                "author": relation.author,
            }
            for relation in relations
        ],
    }


def export_map(argument_map: ArgumentMap) -> bytes:
    text = json.dumps(map_to_dict(argument_map), ensure_ascii=False, indent=2, sort_keys=True)
    return (text + "\n").encode("utf-8")


def map_from_dict(document: dict) -> ArgumentMap:
    """Validate one decoded file and build the map (FormatError names the item)."""
    errors = sorted(_validator().iter_errors(document), key=lambda error: list(error.absolute_path))
    if errors:
        error = min(errors, key=lambda e: (len(e.absolute_path), list(map(str, e.absolute_path))))
        raise FormatError(_schema_message(error), where=_json_path(error.absolute_path))
    info = document["document"]
    argument_map = ArgumentMap(
        title=info["title"],
        source_name=info["source_name"],
        paragraphs=[MapParagraph(position=p["position"], text=p["text"], kind=p["kind"]) for p in info["paragraphs"]],
        layer_name=document["layer"]["name"],
        layer_kind=document["layer"]["kind"],
        labels=list(document["labels"]),
    )
    for index, item in enumerate(document["spans"]):
        suggestion = item["suggestion"]
        argument_map.spans.append(
            MapSpan(
                id=item["id"],
                paragraph=item["paragraph"],
                start=item["start"],
                end=item["end"],
                quote=item["quote"],
                label=item["label"],
                author=item["author"],
                note=item["note"],
                origin=item["origin"],
                suggestion=None
                if suggestion is None
                else MapSuggestionSource(
                    pipeline=suggestion["pipeline"],
                    version=suggestion["version"],
                    score=suggestion["score"],
                    cues=list(suggestion["cues"]),
                ),
            )
        )
        if item["label"] not in argument_map.labels:
            raise FormatError(
                f"label {item['label']!r} is not in the file's labels ({', '.join(argument_map.labels)})",
                where=f"spans[{index}] (id {item['id']!r})",
            )
    argument_map.relations = [
        MapRelation(id=r["id"], kind=r["kind"], source=r["source"], target=r["target"], author=r["author"])
        for r in document["relations"]
    ]
    check_map(argument_map)
    return argument_map


def import_maps(data: bytes) -> list[ArgumentMap]:
    document = load_json(data, what="argmap JSON file")
    if isinstance(document, dict) and document.get("format") == FORMAT_MARK and document.get("version") not in (None, VERSION):
        raise FormatError(
            f"this is version {document.get('version')!r} of the argmap format; this argmap reads version {VERSION}"
        )
    return [map_from_dict(document)]


def _json_path(path) -> str:
    text = "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in path)
    return text.lstrip(".") or "the file"


def _schema_message(error: jsonschema.ValidationError) -> str:
    if error.validator == "additionalProperties":
        return error.message.replace("Additional properties are not allowed", "unknown field(s)")
    if error.validator == "oneOf" and error.absolute_path and error.absolute_path[-1] == "suggestion":
        return "must be null or an object with pipeline, version, score and cues"
    return error.message


def _natural_key(identifier: str) -> tuple:
    # ASCII digits only: "²".isdigit() is true and int("²") fails.
    return (0, int(identifier), "") if re.fullmatch(r"[0-9]+", identifier) else (1, 0, identifier)


def import_file(data: bytes, *, name: str = "", options=None) -> list[ArgumentMap]:
    """One map, or every ``.argmap.json`` inside a zip (a project export), opened by ``archive.open_zip``."""
    if not is_zip(data):
        return import_maps(data)
    options = options or ImportOptions()
    maps = []
    with open_zip(data, what=name or "the zip", max_members=options.max_members,
                  max_unpacked_bytes=options.max_unpacked_bytes) as archive:
        members = [member for member in archive.members if member.name.endswith(".argmap.json")]
        if not members:
            raise FormatError(f"{name or 'the zip'} holds no .argmap.json file (a project export made with --formats json)")
        for member in members:
            try:
                found = import_maps(archive.read(member.name))
            except FormatError as error:
                raise FormatError(str(error), where=member.name) from None
            for argument_map in found:
                argument_map.source_name = f"{name}: {member.name}" if name else member.name
            maps.extend(found)
            check_span_count(sum(len(m.spans) for m in maps), options, where=member.name)
    return maps


FORMAT = MapFormat(name="json", title="argmap JSON", extension="argmap.json", content_type="application/json",
                   write=export_map, read=import_file)

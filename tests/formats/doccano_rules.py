"""A checker of our own that applies the rules doccano's importer applies to a JSONL file.

Read from doccano's sources (doccano/doccano: ``backend/data_import/pipeline/factories.py``
``create_builder``, ``builders.py`` ``ColumnBuilder``, ``labels.py`` ``SpanLabel`` /
``RelationLabel``, ``catalog.py``); no code copied, only the rules:

- one JSON object a line; the text is the ``text`` column (a non-empty string);
- a sequence-labelling project reads its label column (``label`` unless the person changes it):
  each span is ``[start, end, label]`` or ``{"start_offset", "end_offset", "label"}``; a label
  column that is missing is logged and the line imported with no spans;
- a project with relation labelling, importing "JSONL(Relation)", reads ``entities``
  (``{"id", "start_offset", "end_offset", "label"}``) and ``relations``
  (``{"from_id", "to_id", "type"}``, integer ids naming entities of the same line);
- offsets are code points of the text (the backend is Python), ``label`` and ``type`` strings;
- every other key of the line becomes the example's metadata.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field


@dataclass
class Example:
    text: str
    spans: list[tuple[int, int, str]] = field(default_factory=list)
    relations: list[tuple[tuple[int, int, str], str, tuple[int, int, str]]] = field(default_factory=list)
    meta: dict = field(default_factory=dict)


def _span(item, line: int) -> tuple[int, int, str]:
    if isinstance(item, (list, tuple)):
        item = dict(zip(("start_offset", "end_offset", "label"), item))
    if not isinstance(item, dict):
        raise AssertionError(f"line {line}: a span is a list or an object, not {item!r}")
    start, end, label = item.get("start_offset"), item.get("end_offset"), item.get("label")
    if type(start) is not int or type(end) is not int or not isinstance(label, str) or not label:
        raise AssertionError(f"line {line}: span {item!r} needs integer offsets and a label name")
    return start, end, label


def read(data: bytes, *, relations: bool) -> list[Example]:
    """The examples doccano would create from ``data`` in a sequence-labelling project, with relation
    labelling (``relations=True``, JSONL(Relation)) or without (JSONL, label column ``label``)."""
    examples = []
    for line_number, line in enumerate(data.decode("utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        row = json.loads(line)
        text = row.pop("text", None)
        assert isinstance(text, str) and text, f"line {line_number}: text field does not exist or is empty"
        example = Example(text=text)
        if relations:
            by_id = {}
            for item in row.pop("entities", []):
                assert type(item.get("id")) is int, f"line {line_number}: entity id {item.get('id')!r} is not an integer"
                by_id[item["id"]] = _span(item, line_number)
            example.spans = list(by_id.values())
            for item in row.pop("relations", []):
                assert type(item.get("from_id")) is int and type(item.get("to_id")) is int, f"line {line_number}: {item}"
                assert isinstance(item.get("type"), str) and item["type"], f"line {line_number}: {item}"
                example.relations.append((by_id[item["from_id"]], item["type"], by_id[item["to_id"]]))
        else:
            example.spans = [_span(item, line_number) for item in row.pop("label", [])]
        for start, end, _label in example.spans:
            assert 0 <= start < end <= len(text), f"line {line_number}: offsets {start}-{end} outside the text"
        example.meta = row
        examples.append(example)
    return examples

"""Constants shared by the AIF writer and reader: scheme ids and our extension field's schema."""
from __future__ import annotations

from annotations.argument_map import LABELS

EXTENSION_MARK = "argmap-aif-1"
SCHEMES = {  # AIFdb scheme ids
    "RA": ("Default Inference", 72),
    "CA": ("Default Conflict", 71),
    "YA": ("Asserting", 74),
}
KIND_TO_NODE_TYPE = {"supports": "RA", "attacks": "CA"}
_INT = {"type": "integer", "minimum": 0}
_ID = {"type": ["string", "integer"]}
EXTENSION_SCHEMA = {  # the "argmap" field; checked before it is trusted
    "type": "object",
    "required": ["schema", "paragraphs", "spans", "relations"],
    "properties": {
        "title": {"type": "string"},
        "source_name": {"type": "string"},
        "layer": {"type": "object", "properties": {"name": {"type": "string"},
                                                   "kind": {"enum": ["personal", "consensus", "answer_key"]}}},
        "labels": {"type": "array", "items": {"enum": list(LABELS)}},
        "paragraphs": {"type": "array", "minItems": 1, "items": {
            "type": "object", "required": ["position", "start"],
            "properties": {"position": _INT, "start": _INT, "kind": {"enum": ["body", "heading"]}}}},
        "spans": {"type": "array", "items": {
            "type": "object", "required": ["nodeID", "label", "paragraph", "start", "end"],
            "properties": {"nodeID": _ID, "id": _ID, "label": {"type": "string"}, "paragraph": _INT,
                           "start": _INT, "end": _INT, "author": {"type": "string"}, "note": {"type": "string"}}}},
        "relations": {"type": "array", "items": {
            "type": "object", "required": ["nodeID"],
            "properties": {"nodeID": _ID, "id": _ID, "author": {"type": "string"}}}},
    },
}
DEFAULT_SPEAKER = "Unknown Author"  # OVA3 parses a speaker as "Firstname Surname"

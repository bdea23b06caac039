"""A verifier of our own for brat standoff against an ``annotation.conf``, checking what brat's
own verifier checks for text-bound annotations, relations and attributes:

- every ``T`` line: a type the conf declares under ``[entities]``, offsets inside the text,
  the quoted text equal to the text at those offsets (fragments joined by a space);
- every ``R`` line: a relation type under ``[relations]``, its argument roles as declared, and
  each argument's entity type among the types allowed for that role (``<ENTITY>`` = any);
- every ``A``/``M`` line: an attribute under ``[attributes]`` that may apply to its target's
  type, with a value among the declared ones (none for a binary attribute);
- ids unique, references to existing annotations, notes attached to existing annotations.

Returns a list of error strings (empty: the file is valid for that conf).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field


@dataclass
class Conf:
    entities: set[str] = field(default_factory=set)
    relations: dict[str, dict[str, set[str]]] = field(default_factory=dict)  # type → role → allowed types
    attributes: dict[str, tuple[set[str], set[str]]] = field(default_factory=dict)  # name → (targets, values)


def parse_conf(text: str) -> Conf:
    conf, section = Conf(), ""
    for raw in text.splitlines():
        line = raw.split("#", 1)[0].rstrip() if not raw.lstrip().startswith("#") else ""
        if not line.strip():
            continue
        if match := re.fullmatch(r"\s*\[(\w+)\]\s*", line):
            section = match.group(1).lower()
            continue
        name, _, rest = line.strip().partition("\t")
        if not rest:
            name, _, rest = line.strip().partition(" ")
        name = name.lstrip("!").strip()
        if section == "entities":
            conf.entities.add(name)
        elif section == "relations" and not name.startswith("<"):
            roles = {}
            for argument in rest.split(","):
                role, _, types = argument.strip().partition(":")
                if role and not role.startswith("<"):
                    roles[role.strip()] = set(types.strip().split("|"))
            conf.relations[name] = roles
        elif section == "attributes":
            targets, values = set(), set()
            for argument in rest.split(","):
                key, _, items = argument.strip().partition(":")
                if key.strip() == "Arg":
                    targets = set(items.split("|"))
                elif key.strip() == "Value":
                    values = set(items.split("|"))
            conf.attributes[name] = (targets, values)
    return conf


def verify(conf_text: str, text: str, ann: str) -> list[str]:
    conf = parse_conf(conf_text)
    errors, types, ids = [], {}, set()
    lines = [line for line in ann.split("\n") if line.strip()]
    for number, line in enumerate(lines, start=1):
        annotation_id = line.split("\t", 1)[0]
        if annotation_id in ids and not annotation_id.startswith("#"):
            errors.append(f"line {number}: id {annotation_id} used twice")
        ids.add(annotation_id)
        if annotation_id.startswith("T"):
            match = re.fullmatch(r"(T\d+)\t(\S+) ([\d ;]+)\t(.*)", line)
            if not match:
                errors.append(f"line {number}: malformed text-bound annotation")
                continue
            _, entity_type, offsets, shown = match.groups()
            types[annotation_id] = entity_type
            if entity_type not in conf.entities:
                errors.append(f"line {number}: entity type {entity_type!r} is not in the conf")
            fragments = [tuple(map(int, part.split())) for part in offsets.split(";")]
            if any(not 0 <= a < b <= len(text) for a, b in fragments):
                errors.append(f"line {number}: offsets {offsets} outside the text")
            elif " ".join(text[a:b] for a, b in fragments) != shown:
                errors.append(f"line {number}: text {shown!r} does not match the document at {offsets}")
    for number, line in enumerate(lines, start=1):
        annotation_id = line.split("\t", 1)[0]
        if annotation_id.startswith("R"):
            match = re.fullmatch(r"(R\d+)\t(\S+) (\w+):(T\d+) (\w+):(T\d+)\t?", line)
            if not match:
                errors.append(f"line {number}: malformed relation")
                continue
            _, relation_type, role1, arg1, role2, arg2 = match.groups()
            types[annotation_id] = relation_type  # an attribute may follow it (INCEpTION's relation features)
            roles = conf.relations.get(relation_type)
            if roles is None:
                errors.append(f"line {number}: relation type {relation_type!r} is not in the conf")
                continue
            for role, target in ((role1, arg1), (role2, arg2)):
                if target not in types:
                    errors.append(f"line {number}: {role} {target} does not exist")
                elif role not in roles:
                    errors.append(f"line {number}: role {role} is not declared for {relation_type}")
                elif "<ENTITY>" not in roles[role] and types[target] not in roles[role]:
                    errors.append(f"line {number}: {role} of {relation_type} cannot be a {types[target]}")
        elif annotation_id[:1] in "AM" and annotation_id[1:].isdigit():
            match = re.fullmatch(r"([AM]\d+)\t(\S+) ([TR]\d+)(?: (\S+))?", line)
            if not match:
                errors.append(f"line {number}: malformed attribute")
                continue
            _, attribute, target, value = match.groups()
            if attribute not in conf.attributes:
                errors.append(f"line {number}: attribute {attribute!r} is not in the conf")
                continue
            targets, values = conf.attributes[attribute]
            if target not in types:
                errors.append(f"line {number}: attribute target {target} does not exist")
            elif targets and types[target] not in targets and "<ENTITY>" not in targets:
                errors.append(f"line {number}: {attribute} cannot apply to a {types[target]}")
            if values and value not in values:
                errors.append(f"line {number}: {attribute} value {value!r} is not one of {sorted(values)}")
            if not values and value:
                errors.append(f"line {number}: {attribute} is binary but has the value {value!r}")
        elif annotation_id.startswith("#"):
            parts = line.split("\t")
            target = parts[1].split()[-1] if len(parts) > 1 and parts[1].split() else ""
            if target not in ids:
                errors.append(f"line {number}: note on {target!r}, which does not exist")
    return errors

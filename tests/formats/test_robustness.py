"""Importers answer damaged files with FormatError, never with a crash."""
import copy
import json
import random

import pytest

from annotations.formats import FormatError, get_format
from annotations.formats.brat import export_files, import_pair

ODD_VALUES = [None, -1, 0, 10**9, "", "x", [], {}, True, 1.5, "🐉", [1], {"a": 1}]
MUTATIONS = 150


def _paths(value, path=()):
    yield path
    if isinstance(value, dict):
        for key, child in value.items():
            yield from _paths(child, path + (key,))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from _paths(child, path + (index,))


def _mutated(document, rng):
    document = copy.deepcopy(document)
    path = rng.choice(list(_paths(document))[1:])
    parent = document
    for step in path[:-1]:
        parent = parent[step]
    if rng.random() < 0.3:
        del parent[path[-1]]
    else:
        parent[path[-1]] = rng.choice(ODD_VALUES)
    return document


def _only_format_errors(import_function, data):
    try:
        import_function(data)
    except FormatError:
        pass


@pytest.mark.parametrize("name", ["json", "aif", "doccano"])
def test_damaged_json_files_raise_only_format_errors(name, sample_map):
    """Random fields replaced by odd values or removed give FormatError or a valid map."""
    map_format = get_format(name)
    document = json.loads(map_format.export(sample_map).decode().splitlines()[0] if name == "doccano"
                          else map_format.export(sample_map))
    rng = random.Random(name)
    for _ in range(MUTATIONS):
        _only_format_errors(map_format.import_, json.dumps(_mutated(document, rng)).encode())
    if name == "aif":  # the OVA path, without our extension field
        del document["argmap"]
        for _ in range(MUTATIONS):
            _only_format_errors(map_format.import_, json.dumps(_mutated(document, rng)).encode())


def test_damaged_ann_lines_raise_only_format_errors(sample_map):
    """Random characters changed in .ann lines give FormatError or a valid map."""
    files = export_files(sample_map)
    text = next(v for k, v in files.items() if k.endswith(".txt"))
    ann_lines = next(v for k, v in files.items() if k.endswith(".ann")).splitlines()
    rng = random.Random("brat")
    for _ in range(MUTATIONS):
        lines = list(ann_lines)
        index = rng.randrange(len(lines))
        characters = list(lines[index])
        characters[rng.randrange(len(characters))] = rng.choice(["", "\t", " ", "9", "X", ";", ":"])
        lines[index] = "".join(characters)
        _only_format_errors(lambda data: import_pair(text, data), "\n".join(lines))


@pytest.mark.parametrize("name", ["json", "aif", "doccano", "brat"])
def test_garbage_bytes_raise_format_errors(name):
    """Random bytes, empty files and the wrong JSON shape are refused with a message."""
    map_format = get_format(name)
    for data in (b"", b"\x00\x01\xff garbage", b"[]", b"42", b'"text"', b"{}"):
        with pytest.raises(FormatError):
            map_format.import_(data)

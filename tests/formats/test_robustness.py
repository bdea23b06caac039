"""Importers answer damaged files with FormatError, never with a crash."""
import copy
import json
import random

import pytest

from annotations.formats import FormatError, get_format
from annotations.formats.base import check_map
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


def test_argdown_garbage_and_random_text_raise_only_format_errors():
    """Any line of text is an Argdown statement, so only files with none are refused; random Argdown
    markup gives a map or a FormatError, never another exception."""
    import random

    for data in (b"", b"\x00\x01\xff garbage", b"  \n\n", b"// only a comment\n/* and a block */\n"):
        with pytest.raises(FormatError):
            get_format("argdown").import_(data)
    pieces = list("[]<>+-_ \t\n:#*()=/\\ab1.") + ["\x00", "\ud800", "é", "(1) ", "----", "--", "===", "<+ ", "#()", "[A]"]
    generator = random.Random(7)
    for _ in range(3000):
        text = "".join(generator.choice(pieces) for _ in range(generator.randint(0, 50)))
        try:
            get_format("argdown").import_(text.encode("utf-8", "surrogatepass"))
        except FormatError:
            pass


def _string_paths(document):
    """The path of each non-empty string value of a JSON document."""
    for path in _paths(document):
        value = document
        for step in path:
            value = value[step]
        if isinstance(value, str) and value:
            yield path


def _strings_of(argument_map):
    """Every string an imported map carries, provenance and dict keys included."""
    import dataclasses

    stack, found = [argument_map], []
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            found.append(item)
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, (list, tuple)):
            stack.extend(item)
        elif dataclasses.is_dataclass(item):
            stack.extend(getattr(item, f.name) for f in dataclasses.fields(item))
    return found


@pytest.mark.parametrize("name", ["json", "aif", "doccano"])
@pytest.mark.parametrize("bad", ["\x00", "\ud800"])
def test_no_string_of_an_imported_map_holds_a_nul_or_a_lone_surrogate(name, bad, sample_map):
    """A NUL or lone surrogate in any string of the file (a relation's author or id, a cue) is a
    FormatError by the time the import service checks the map, never a map whose provenance or
    names PostgreSQL would refuse (a 500)."""
    map_format = get_format(name)
    exported = map_format.export(sample_map).decode()
    document = json.loads(exported.splitlines()[0] if name == "doccano" else exported)
    for path in _string_paths(document):
        damaged = copy.deepcopy(document)
        parent = damaged
        for step in path[:-1]:
            parent = parent[step]
        parent[path[-1]] = parent[path[-1]][:1] + bad + parent[path[-1]][1:]
        data = json.dumps(damaged).encode()  # ensure_ascii: the file holds "\u0000" / "\ud800" escapes
        try:
            maps = map_format.import_(data)
            for argument_map in maps:  # what the import service checks before storing anything
                check_map(argument_map)
        except FormatError:
            continue
        for text in (text for argument_map in maps for text in _strings_of(argument_map)):
            assert "\x00" not in text and not any("\ud800" <= c <= "\udfff" for c in text), (path, text[:80])

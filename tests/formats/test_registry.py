"""The registry lists every format once and finds them by name."""
import pytest

from annotations.formats import FormatError, export_formats, get_format, import_formats
from annotations.formats.registry import get_import_format


def test_every_format_has_a_unique_name_extension_and_content_type():
    """Each format declares name, extension and content type; names are unique."""
    names = [f.name for f in export_formats()]
    assert len(names) == len(set(names))
    assert set(names) == {"json", "aif", "argdown", "brat", "doccano", "csv", "graphml", "kialo", "svg", "png", "pdf", "spacy"}
    for map_format in export_formats():
        assert map_format.extension and "/" in map_format.content_type and map_format.title


def test_importable_formats_are_json_aif_argdown_brat_doccano_graphml_kialo():
    """Exactly the formats argmap reads back are marked importable."""
    assert {f.name for f in import_formats()} == {"json", "aif", "argdown", "brat", "doccano", "graphml", "kialo"}


def test_lookup_is_case_insensitive_and_unknown_names_are_refused():
    """get_format finds 'AIF' and names the known formats when a name is wrong."""
    assert get_format("AIF").name == "aif"
    with pytest.raises(FormatError, match="unknown format 'yaml'.*argdown"):
        get_format("yaml")


def test_export_only_format_refuses_import():
    """Importing through an export-only format gives a clear error, not a crash."""
    with pytest.raises(FormatError, match="cannot be imported"):
        get_import_format("csv")
    with pytest.raises(FormatError, match="cannot be imported"):
        get_format("svg").import_(b"<svg/>")


def test_file_name_uses_the_title(sample_map):
    """Download names are the slugged title plus the extension."""
    assert get_format("argdown").file_name(sample_map) == "the-continuing-saga-of-russia-china-relations.argdown"
    assert get_format("brat").file_name(sample_map).endswith(".brat.zip")


def test_every_format_exports_a_map_without_spans(tiny_map):
    """A document nobody has annotated yet still exports in every format."""
    tiny_map.spans, tiny_map.relations = [], []
    for map_format in export_formats():
        data = map_format.export(tiny_map)
        assert isinstance(data, bytes) and data, map_format.name
        if map_format.name in ("argdown", "graphml", "kialo"):  # statements / nodes / claims only, no source text
            with pytest.raises(FormatError, match="defines no statement|no node with a text|holds no numbered claims"):
                map_format.import_(data, name="Pets")
        elif map_format.can_import:
            (back,) = map_format.import_(data, name="Pets")
            assert back.spans == [] and [p.text for p in back.paragraphs] == [p.text for p in tiny_map.paragraphs]

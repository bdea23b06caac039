"""brat standoff: .txt/.ann/.conf in a zip, read back by our importer, essays scheme included."""
import io
import zipfile

import pytest

from annotations.formats import FormatError
from annotations.formats.brat import export_files, export_zip, import_pair, import_zip

from tests.fixtures.sample_map import relation_tuples, span_tuples


def test_zip_holds_txt_ann_and_confs(sample_map):
    """The zip has the document text, its annotations and brat's configuration files."""
    names = set(zipfile.ZipFile(io.BytesIO(export_zip(sample_map))).namelist())
    stem = "the-continuing-saga-of-russia-china-relations"
    assert names == {f"{stem}.txt", f"{stem}.ann", "annotation.conf", "visual.conf"}


def test_t_lines_hold_document_offsets_into_the_text(sample_map):
    """Each T line's offsets cut its quoted text out of the .txt, emoji included."""
    files = export_files(sample_map)
    text = next(v for k, v in files.items() if k.endswith(".txt"))
    ann = next(v for k, v in files.items() if k.endswith(".ann"))
    assert text == sample_map.document_text
    t_lines = [line.split("\t") for line in ann.splitlines() if line.startswith("T")]
    assert len(t_lines) == len(sample_map.spans)
    for _brat_id, type_and_offsets, quote in t_lines:
        _type, start, end = type_and_offsets.split(" ")
        assert text[int(start):int(end)] == quote
    assert any(quote == "the bear 🐻 and the dragon 🐉 are friends" for *_, quote in t_lines)
    r_lines = [line for line in ann.splitlines() if line.startswith("R")]
    assert len(r_lines) == len(sample_map.relations)
    assert r_lines[0].startswith("R1\tSupports Arg1:T")


def test_annotation_conf_declares_every_type(sample_map):
    """annotation.conf lists the entity types and both relations with their arguments."""
    conf = export_files(sample_map)["annotation.conf"]
    for name in ("MajorClaim", "Claim", "Evidence", "Counterclaim", "Rebuttal"):
        assert f"\n{name}\n" in conf
    assert "Supports\tArg1:<ENTITY>, Arg2:<ENTITY>" in conf and "[attributes]" in conf


def test_round_trip_keeps_spans_relations_and_notes(sample_map):
    """export → import gives the same paragraphs, spans, labels, relations and notes."""
    (imported,) = import_zip(export_zip(sample_map))
    assert [p.text for p in imported.paragraphs] == [p.text for p in sample_map.paragraphs]
    assert span_tuples(imported) == span_tuples(sample_map)
    assert relation_tuples(imported) == relation_tuples(sample_map)
    notes = {s.quote: s.note for s in imported.spans}
    assert notes["China is the world’s number one energy consumer while Russia is one of the largest energy exporters"] == (
        'numbers: "number one" & <largest>')


ESSAY_TXT = (
    "Should students be taught to compete or to cooperate?\n\n"
    "It is always said that competition can effectively promote the development of economy. "
    "In my opinion, we should attach more importance to cooperation during primary education.\n"
    "First of all, through cooperation, children can learn about interpersonal skills which are significant in the future life.\n"
    "Some people argue that competition makes children work harder.\n"
)
ESSAY_ANN = """T1\tMajorClaim 177 229\twe should attach more importance to cooperation
T2\tClaim 265 320\tthrough cooperation, children can learn about interpersonal skills
T3\tPremise 321 376\twhich are significant in the future life
T4\tClaim 378 440\tSome people argue that competition makes children work harder
A1\tStance T2 For
A2\tStance T4 Against
R1\tsupports Arg1:T3 Arg2:T2\t
R2\tattacks Arg1:T4 Arg2:T1\t
"""


def _essay_offsets():
    """The essay annotations with offsets computed from the text (so the fixture stays honest)."""
    lines = []
    for line in ESSAY_ANN.splitlines():
        if line.startswith("T"):
            brat_id, type_offsets, quote = line.split("\t")
            start = ESSAY_TXT.index(quote)
            lines.append(f"{brat_id}\t{type_offsets.split()[0]} {start} {start + len(quote)}\t{quote}")
        else:
            lines.append(line)
    return "\n".join(lines) + "\n"


def test_argument_annotated_essays_scheme_maps_onto_argmap_labels():
    """MajorClaim → major_claim, Claim For → claim, Claim Against → counterclaim, Premise → evidence."""
    essay = import_pair(ESSAY_TXT, _essay_offsets(), name="essay001")
    assert [p.text for p in essay.paragraphs][0] == "Should students be taught to compete or to cooperate?"
    labels = {s.quote: s.label for s in essay.spans}
    assert labels == {
        "we should attach more importance to cooperation": "major_claim",
        "through cooperation, children can learn about interpersonal skills": "claim",
        "which are significant in the future life": "evidence",
        "Some people argue that competition makes children work harder": "counterclaim",
    }
    assert relation_tuples(essay) == {
        ("which are significant in the future life", "supports",
         "through cooperation, children can learn about interpersonal skills"),
        ("Some people argue that competition makes children work harder", "attacks",
         "we should attach more importance to cooperation"),
    }
    assert essay.title == "Should students be taught to compete or to cooperate?" and "major_claim" in essay.labels
    assert essay.paragraphs[0].kind == "heading"
    # Essays have no blank lines between body paragraphs: each line is a paragraph.
    paragraph_of = {s.quote: s.paragraph for s in essay.spans}
    assert paragraph_of["we should attach more importance to cooperation"] == 1
    assert paragraph_of["Some people argue that competition makes children work harder"] == 3


def test_zip_with_several_documents_gives_several_maps(sample_map, tiny_map):
    """A zip of two .txt/.ann pairs imports as two maps."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for prefix, argument_map in (("a/", sample_map), ("b/", tiny_map)):
            for name, content in export_files(argument_map).items():
                archive.writestr(prefix + name, content)
    maps = import_zip(buffer.getvalue())
    assert [len(m.spans) for m in maps] == [len(sample_map.spans), len(tiny_map.spans)]


@pytest.mark.parametrize(
    "text, ann, message",
    [
        # a line that is not brat standoff is reported with its line number
        pytest.param("Cats purr.", "T1\tClaim 0 4\tCats\nhello there\n", r"the .ann file, line 2: not a brat standoff line",
                     id="malformed_line_names_the_line"),
        # a T line with missing offsets is reported, not skipped
        pytest.param("Cats purr.", "T1\tClaim zero four\tCats\n", r"line 1: cannot read this annotation",
                     id="broken_t_line_names_the_line"),
        # a T line whose text differs from the .txt at its offsets names the line and both texts
        pytest.param("Cats purr.", "T1\tClaim 0 4\tDogs\n", r"line 1: the text 'Dogs' does not match the .txt at 0 4: 'Cats'",
                     id="offsets_that_do_not_match_the_text_are_refused"),
        # offsets beyond the end of the .txt are reported with the text's length
        pytest.param("Cats purr.", "T1\tClaim 0 40\tCats\n", r"line 1: offsets 0 40 do not fit the text \(10 characters\)",
                     id="offsets_past_the_text_are_refused"),
        # a relation whose argument is not a T annotation names the line and the missing id
        pytest.param("Cats purr.", "T1\tClaim 0 4\tCats\nR1\tSupports Arg1:T1 Arg2:T9\t\n",
                     r"line 2 \(R1\): Arg2 T9 is not a text annotation", id="relation_to_unknown_span_is_refused"),
        # an entity type argmap cannot map names the line and lists the known labels
        pytest.param("Cats purr.", "T1\tOpinion 0 4\tCats\n", r"line 1 \(T1\): unknown label 'Opinion'; argmap knows",
                     id="unknown_label_is_refused"),
        # a relation type other than supports/attacks is named
        pytest.param("Cats purr.", "T1\tClaim 0 4\tCats\nT2\tPremise 5 9\tpurr\nR1\tCauses Arg1:T2 Arg2:T1\t\n",
                     r"line 3 \(R1\): unknown relation type 'Causes'", id="unknown_relation_type_is_refused"),
        # offsets in Arabic-Indic digits are not offsets ("٤" is a Unicode digit that int() reads as 4)
        pytest.param("Cats purr.", "T1\tClaim \u0660 \u0664\tCats\n", r"line 1: cannot read this annotation",
                     id="unicode_digit_offsets_are_refused"),
        # a span that runs from one paragraph into the next is reported (argmap spans stay in one)
        pytest.param("Cats purr.\n\nDogs bark.", "T1\tClaim 0 10;12 15\tCats purr. Dog\n",
                     r"line 1 \(T1\): offsets 0-15 run past the end of paragraph 1", id="span_across_paragraphs_is_refused"),
    ],
)
def test_bad_standoff_is_refused_naming_the_line(text, ann, message):
    """Each mistake in a .txt/.ann pair is a FormatError that names the line and what is wrong."""
    with pytest.raises(FormatError, match=message):
        import_pair(text, ann)


def test_not_a_zip_and_missing_txt_are_refused():
    """Garbage bytes and an .ann without its .txt get clear messages."""
    with pytest.raises(FormatError, match="not a zip file"):
        import_zip(b"T1\tClaim 0 4\tCats")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("doc.ann", "T1\tClaim 0 4\tCats\n")
    with pytest.raises(FormatError, match="doc.ann has no doc.txt"):
        import_zip(buffer.getvalue())


def test_span_across_a_line_break_becomes_fragments_and_comes_back(tiny_map):
    """A quote with a line break inside its paragraph is written as brat fragments and read back whole."""
    tiny_map.paragraphs[0].text = "Cats are the best\npets. They purr."
    tiny_map.spans[0].quote = "Cats are the best\npets"
    tiny_map.spans[1].start, tiny_map.spans[1].end = 24, 33
    ann = next(v for k, v in export_files(tiny_map).items() if k.endswith(".ann"))
    assert "T1\tClaim 0 17;18 22\tCats are the best pets" in ann.splitlines()
    (imported,) = import_zip(export_zip(tiny_map))
    assert span_tuples(imported) == span_tuples(tiny_map)


def test_zip_that_unpacks_too_big_is_refused():
    """A zip whose files unpack past the limit is refused before reading them (zip bombs)."""
    import annotations.formats.brat as brat
    from annotations.formats.base import ImportOptions

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("big.txt", "a" * 5000)
        archive.writestr("big.ann", "")
    with pytest.raises(FormatError, match="unpacks to more than 1,000 bytes"):
        brat.import_zip(buffer.getvalue(), options=ImportOptions(max_unpacked_bytes=1000))

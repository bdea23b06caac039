"""Shared helpers: cutting plain text into paragraphs, checking maps, naming labels."""
import pytest

from annotations.formats.base import FormatError, check_map, label_from_name, split_paragraphs


def test_blank_lines_separate_paragraphs_and_offsets_point_into_the_text():
    """Paragraphs split on blank lines keep the offset where each starts."""
    text = "  First para.\n\nSecond para\nstill second.\n \n\nThird."
    pieces = split_paragraphs(text)
    assert [p.text for p in pieces] == ["First para.", "Second para\nstill second.", "Third."]
    assert all(text[p.start:p.start + len(p.text)] == p.text for p in pieces)


def test_essay_layout_gives_one_paragraph_per_line():
    """Title, blank line, then long lines: every line is a paragraph (Argument Annotated Essays)."""
    body = "A long paragraph line that goes on and on about cooperation and competition in schools. " * 2
    text = f"Title of the essay\n\n{body}\n{body}\n{body}\n"
    assert len(split_paragraphs(text)) == 4


def test_hard_wrapped_prose_keeps_its_paragraphs():
    """Short wrapped lines between blank lines stay inside one paragraph."""
    text = "one short\nwrapped line\nhere\n\nand another\nwrapped one\n"
    assert [p.text for p in split_paragraphs(text)] == ["one short\nwrapped line\nhere", "and another\nwrapped one"]


def test_label_aliases_and_unknown_labels():
    """Other tools' names map onto argmap's labels; an unknown one is refused with the place."""
    assert label_from_name("Premise", where="x") == "evidence"
    assert label_from_name("MajorClaim", where="x") == "major_claim"
    with pytest.raises(FormatError, match="line 4: unknown label 'Fact'"):
        label_from_name("Fact", where="line 4")


def test_check_map_accepts_the_sample_and_refuses_a_self_relation(sample_map):
    """The hand-made map is valid; a span supporting itself is not."""
    check_map(sample_map)
    sample_map.relations[0].target = sample_map.relations[0].source
    with pytest.raises(FormatError, match="relation '1': a span cannot support or attack itself"):
        check_map(sample_map)

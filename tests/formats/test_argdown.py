"""Argdown: the export parses with the real Argdown parser and keeps statements and relations."""
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from annotations.argument_map import ArgumentMap, MapParagraph, MapRelation, MapSpan
from annotations.formats.argdown import escape_text, export_text, statement_titles

from tests.fixtures.sample_map import REPO_ROOT

PARSER_SCRIPT = Path(__file__).with_name("argdown_parse.mjs")

pytestmark = pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")


def parse_with_argdown(text: str, tmp_path: Path) -> dict:
    """Run @argdown/core on the text; fail the test on any lexer or parser error."""
    source = tmp_path / "map.argdown"
    source.write_text(text, encoding="utf-8")
    result = subprocess.run(["node", str(PARSER_SCRIPT), str(source)], capture_output=True, text=True,
                            cwd=REPO_ROOT, timeout=120)
    assert result.returncode == 0, f"Argdown parser failed:\n{result.stderr}\n--- input ---\n{text}"
    return json.loads(result.stdout)


def test_export_parses_and_keeps_every_statement(sample_map, tmp_path):
    """Each span is one statement whose text is the quote, including the emoji one."""
    parsed = parse_with_argdown(export_text(sample_map), tmp_path)
    titles = statement_titles(sample_map)
    texts = {s["title"]: s["text"] for s in parsed["statements"]}
    assert texts == {titles[s.id]: s.quote for s in sample_map.spans}


def test_export_keeps_every_relation_with_its_direction(sample_map, tmp_path):
    """Supports and attacks come back from the parser as support/attack from source to target."""
    parsed = parse_with_argdown(export_text(sample_map), tmp_path)
    titles = statement_titles(sample_map)
    expected = {(f"[{titles[r.source]}]", f"[{titles[r.target]}]", r.kind.rstrip("s")) for r in sample_map.relations}
    got = {(r["from"], r["to"], r["type"]) for r in parsed["relations"]}
    assert got == expected
    assert len(parsed["relations"]) == len(sample_map.relations)


def test_evidence_and_counterclaims_sit_under_their_claim(sample_map):
    """Claims are top-level statements; evidence uses <+ and counterclaims <- beneath them."""
    lines = export_text(sample_map).splitlines()
    assert lines[0] == "# The Continuing Saga of Russia-China Relations"
    assert "[Claim 3]: the Russo-Sino partnership will likely continue to flourish" in lines
    assert "        <+ [Evidence 1]: facilitated by international sanctions on Russia" in lines
    assert "            <- [Rebuttal 1]: Moscow and Beijing realize that they can gain more from cooperation" in lines


TRICKY = [
    "U.S. policy [sic] #1 costs $5.5bn: *really* <not> {yes} @home // no comment",
    "back\\slash and _under_ and 10:30:45 and .shortcode. and :smile: ;-) (a) - b + c",
    "line\nbreak and a tab\there, then 🐉 and 中文 «quotes» “curly” ‘single’",
]


def test_markup_characters_are_escaped_so_quotes_survive(tmp_path):
    """Quotes full of Argdown markup come back from the parser unchanged (whitespace collapsed)."""
    text = " ".join(TRICKY)
    spans, start = [], 0
    for index, quote in enumerate(TRICKY):
        start = text.index(quote, start)
        spans.append(MapSpan(id=str(index), paragraph=0, start=start, end=start + len(quote), quote=quote,
                             label="claim" if index == 0 else "evidence"))
    relations = [MapRelation(id="r1", kind="supports", source="1", target="0"),
                 MapRelation(id="r2", kind="attacks", source="2", target="0")]
    argument_map = ArgumentMap(title="Title with [brackets] & #tags", paragraphs=[MapParagraph(0, text)],
                               spans=spans, relations=relations)
    parsed = parse_with_argdown(export_text(argument_map), tmp_path)
    assert sorted(s["text"] for s in parsed["statements"]) == sorted(" ".join(q.split()) for q in TRICKY)
    assert len(parsed["relations"]) == 2


def test_a_span_acting_on_two_targets_is_defined_once_and_referenced(tiny_map, tmp_path):
    """A shared premise is written once with text, then referred to by title; cycles end."""
    tiny_map.relations.append(MapRelation(id="3", kind="supports", source="b", target="c"))
    tiny_map.relations.append(MapRelation(id="4", kind="attacks", source="a", target="c"))  # a ↔ c cycle
    text = export_text(tiny_map)
    assert text.count("[Evidence 1]: They purr") == 1
    parsed = parse_with_argdown(text, tmp_path)
    assert len(parsed["statements"]) == 3
    assert len(parsed["relations"]) == 4


def test_escape_text_leaves_plain_prose_alone():
    """Ordinary sentences are not littered with backslashes."""
    assert escape_text("Russia keeps forging new partnerships, most importantly, China.") == (
        "Russia keeps forging new partnerships, most importantly, China.")
    assert escape_text("U.S. [x]") == "U\\.S. \\[x\\]"


def test_parser_script_fails_on_bad_argdown(tmp_path):
    """The checker itself rejects broken Argdown, so the tests above can fail."""
    source = tmp_path / "bad.argdown"
    source.write_text("[A]: a\n<+ [B]: b\n", encoding="utf-8")
    result = subprocess.run(["node", str(PARSER_SCRIPT), str(source)], capture_output=True, text=True, cwd=REPO_ROOT)
    assert result.returncode == 1 and "parser error" in result.stderr


# --- import ---------------------------------------------------------------------------

HAND_WRITTEN = """===
title: Close the Königstraße
author: Jan
===

# Close the Königstraße to cars

// A comment line
/* a block
   comment */

[Closure]: The council should make the closure of the Königstraße permanent. #policy
\t+ [Footfall]: Footfall rose by 18 % on the Sundays the street was closed.
\t+ <Safety>: Children walk to school there; the crossing is dangerous.
\t- [Trade]: Shops will lose trade if drivers cannot stop outside. #objection
\t\t- [Figures]: The bakery sold more bread, not less.
\t<+ Noise at night fell below 45 dB.
\t<- [Elderly]: Elderly customers depend on their cars. #claim

[Trade]
  +> [Closure bad]: The closure is bad for the town. // a comment after a statement
  -> [Figures]

[Figures]
  >< [Trade]
"""


def test_hand_written_argdown_imports_what_the_argdown_parser_reads(tmp_path):
    """Front matter, a heading, comments, tabs, #tags, titled and untitled statements, an argument, + - <+ <- +> ->
    and ><: the statements and relations are the ones @argdown/core finds (a contradiction attacks both ways)."""
    from annotations.formats.argdown import import_text
    from annotations.formats.base import ImportOptions

    parsed = parse_with_argdown(HAND_WRITTEN, tmp_path)
    (argument_map,) = import_text(HAND_WRITTEN.encode(), name="post", options=ImportOptions())
    key_of = {span.id: span.note.removeprefix("Argdown ") for span in argument_map.spans}
    text_of = {span.note.removeprefix("Argdown "): span.quote for span in argument_map.spans}
    for statement in parsed["statements"]:
        without_tags = re.sub(r" #\w+", "", statement["text"].split(" | ")[0]).strip()
        assert text_of[f"[{statement['title']}]"] == without_tags
    expected = set()
    for relation in parsed["relations"]:
        kind = {"support": "supports", "attack": "attacks", "contradictory": "attacks"}[relation["type"]]
        expected.add((relation["from"], kind, relation["to"]))
        if relation["type"] == "contradictory":
            expected.add((relation["to"], kind, relation["from"]))
    assert {(key_of[r.source], r.kind, key_of[r.target]) for r in argument_map.relations} == expected
    labels = {key_of[span.id]: span.label for span in argument_map.spans}
    assert labels["[Closure]"] == "claim" and labels["[Footfall]"] == "evidence" and labels["<Safety>"] == "evidence"
    assert labels["[Trade]"] == "counterclaim" and labels["[Figures]"] == "rebuttal" and labels["[Elderly]"] == "claim"
    assert argument_map.title == "Close the Königstraße"
    assert text_of["[Closure bad]"] == "The closure is bad for the town."


def test_our_export_imports_back_with_labels_and_links(sample_map):
    from annotations.formats.argdown import import_text
    from annotations.formats.base import ImportOptions

    (back,) = import_text(export_text(sample_map).encode(), options=ImportOptions())
    assert sorted((s.label, " ".join(s.quote.split())) for s in back.spans) == \
        sorted((s.label, " ".join(s.quote.split())) for s in sample_map.spans)
    quote = {s.id: " ".join(s.quote.split()) for s in sample_map.spans}
    back_quote = {s.id: s.quote for s in back.spans}
    assert {(back_quote[r.source], r.kind, back_quote[r.target]) for r in back.relations} == \
        {(quote[r.source], r.kind, quote[r.target]) for r in sample_map.relations}


@pytest.mark.parametrize("text, message", [
    ("+ [A]: a lone relation\n", r"line 1: the relation '\+' has no statement above it"),
    ("===\ntitle: x\n\n[A]: a\n", r"line 1: the front matter opened with === is never closed"),
    ("# Only a heading\n\n[A]\n", r"defines no statement with a text"),
])
def test_argdown_that_cannot_be_read_names_the_line(text, message):
    from annotations.formats.argdown import import_text
    from annotations.formats.base import FormatError, ImportOptions

    with pytest.raises(FormatError, match=message):
        import_text(text.encode(), options=ImportOptions())


def test_undercuts_and_statements_without_text_are_reported():
    from annotations.formats.argdown import import_text
    from annotations.formats.base import ImportOptions

    options = ImportOptions()
    (argument_map,) = import_text(b"[A]: a claim\n  + [B]\n  - <C>: an objection\n    _> <D>: an undercut\n",
                                  options=options)
    assert [span.quote for span in argument_map.spans] == ["a claim", "an objection", "an undercut"]
    assert any("line 4: an undercut" in line for line in options.left_out)
    assert any("[B] is referred to but never given a text" in line for line in options.left_out)


def test_premise_conclusion_structures_and_lists_as_argdown_reads_them(tmp_path):
    """(1) (2) ---- (3): the numbered statements are statements (as @argdown/core lists them) and the premises
    support the conclusion; '* ' list items are statements; an empty line ends a relation tree."""
    from annotations.formats.argdown import import_text
    from annotations.formats.base import ImportOptions

    text = ("<Health>\n\n(1) [P1]: People walk more.\n(2) Walking is healthy.\n--\nModus ponens\n--\n"
            "(3) [C]: The closure is healthy.\n\n* [L1]: A list item statement.\n* Another list item.\n")
    parsed = parse_with_argdown(text, tmp_path)
    (argument_map,) = import_text(text.encode(), options=ImportOptions())
    assert [span.quote for span in argument_map.spans] == [s["text"] for s in parsed["statements"]]
    quote = {span.id: span.quote for span in argument_map.spans}
    assert {(quote[r.source], r.kind, quote[r.target]) for r in argument_map.relations} == {
        ("People walk more.", "supports", "The closure is healthy."),
        ("Walking is healthy.", "supports", "The closure is healthy.")}


def test_multi_step_arguments_as_argdowns_explode_plugin_reads_them(tmp_path):
    """Each conclusion is supported by the statements back to the previous conclusion (that one included), or by
    the inference's {uses: [...]} list; an argument with no text of its own stands for its main conclusion, so
    its relations start there. The statements are the ones @argdown/core lists."""
    from annotations.formats.argdown import import_text
    from annotations.formats.base import ImportOptions

    text = ("[Ban]: We should ban cars from the centre.\n\n<Safety>\n\n"
            "(1) Children walk to school through the centre.\n(2) Cars endanger walking children.\n"
            "(3) Bikes are fine.\n-- Modus ponens {uses: [1, 2]} --\n(4) [Danger]: Cars endanger children.\n"
            "(5) What endangers children should go.\n----\n(6) [Ban]\n\n"
            "<Trade>\n\n(1) Shops depend on drivers.\n--\nDefault\n--\n(2) [Loss]: Shops would lose trade.\n\n"
            "<Trade>\n  -> [Ban]\n")
    parsed = parse_with_argdown(text, tmp_path)
    options = ImportOptions()
    (argument_map,) = import_text(text.encode(), options=options)
    assert sorted(span.quote for span in argument_map.spans) == sorted(s["text"] for s in parsed["statements"])
    quote = {span.id: span.quote for span in argument_map.spans}
    assert {(quote[r.source], r.kind, quote[r.target]) for r in argument_map.relations} == {
        ("Children walk to school through the centre.", "supports", "Cars endanger children."),
        ("Cars endanger walking children.", "supports", "Cars endanger children."),
        ("Cars endanger children.", "supports", "We should ban cars from the centre."),
        ("What endangers children should go.", "supports", "We should ban cars from the centre."),
        ("Shops depend on drivers.", "supports", "Shops would lose trade."),
        ("Shops would lose trade.", "attacks", "We should ban cars from the centre.")}
    assert options.left_out == []
    labels = {span.quote: span.label for span in argument_map.spans}
    assert labels["Shops would lose trade."] == "counterclaim" and labels["Bikes are fine."] == "claim"


def test_statement_data_in_braces_is_metadata_not_text(tmp_path):
    """{importance: high} after a statement or argument is Argdown's data: the parser leaves it out of the text."""
    from annotations.formats.argdown import import_text
    from annotations.formats.base import ImportOptions

    text = ("===\ntitle: Cars\nmodel:\n    removeTagsFromText: true\n===\n\n"
            "[Ban]: We should ban cars. {importance: high, isInMap: true}\n"
            "  - [Trade]: Shops lose trade. {source: \"report\", pages: {from: 1, to: 2}}\n")
    parsed = parse_with_argdown(text, tmp_path)
    (argument_map,) = import_text(text.encode(), options=ImportOptions())
    assert [span.quote for span in argument_map.spans] == [s["text"].strip() for s in parsed["statements"]] == [
        "We should ban cars.", "Shops lose trade."]
    assert argument_map.title == "Cars" and [r.kind for r in argument_map.relations] == ["attacks"]


# In the shape of Argdown's own examples (examples/legalisation-softdrugs.argdown): arguments whose text is
# hard-wrapped over indented lines with trailing spaces, #pro/#con on the last line, a `//` comment with an
# @<mention>, an undercut `<_`, a reference `-> <No harm>` and a second parent by title.
HARD_WRAPPED = "===\ntitle: Pros and Cons of a Car-Free Centre\nauthor: A teacher\ncolor:\n    colorScheme: colorbrewer-category10\n    tagColors:\n        pro: 0\n        con: 1\n===\n\n/***\n * A straight adaptation of a debater's handbook.\n***/\n\n// Central claim:\n[Car-free centre]: The centre should be car-free. \n    + <No harm>: Streets without cars are safer for \n    children, and the air is cleaner. Nobody is harmed \n    by walking a little further. #pro \n    - <Shops suffer>: Shops in the centre will lose \n    trade when customers cannot park. #con \n        + <Deliveries>: Deliveries become harder, \n        and costs rise. #con \n            -> <No harm>\n    + <Other towns>: Other towns did it and their \n    shops did well. #pro \n        <_ <Different towns>: Those towns are smaller, \n        so the comparison fails. #con // undercuts the @<Other towns>\n    - <Disabled drivers>: People who cannot walk far \n    need their cars. #con \n        + <Deliveries>\n"


def test_hard_wrapped_arguments_tags_on_their_last_line_and_an_undercut(tmp_path):
    """Tags on a statement's continuation lines are tags, not words (they were kept in the quote); the relations
    are those @argdown/core reads, the undercut left out naming --map undercut=attacks, which stores it."""
    from annotations.formats.argdown import import_text
    from annotations.formats.base import ImportOptions, parse_label_map

    parsed = parse_with_argdown(HARD_WRAPPED, tmp_path)
    options = ImportOptions()
    (argument_map,) = import_text(HARD_WRAPPED.encode(), name="soft", options=options)
    assert not any("#" in span.quote for span in argument_map.spans)
    assert argument_map.spans[1].quote == ("Streets without cars are safer for children, and the air is cleaner. "
                                           "Nobody is harmed by walking a little further.")
    key_of = {span.id: span.note.removeprefix("Argdown ") for span in argument_map.spans}
    kinds = {"support": "supports", "attack": "attacks"}
    expected = {(r["from"], kinds[r["type"]], r["to"]) for r in parsed["relations"] if r["type"] != "undercut"}
    assert {(key_of[r.source], r.kind, key_of[r.target]) for r in argument_map.relations} == expected
    assert options.left_out == ["line 27: an undercut (attacks an inference, not a statement), left out (--map "
                                "undercut=attacks stores it as an attack on the statement it undercuts)"]
    options = ImportOptions(label_map=parse_label_map(["undercut=attacks"]))
    (argument_map,) = import_text(HARD_WRAPPED.encode(), name="soft", options=options)
    key_of = {span.id: span.note.removeprefix("Argdown ") for span in argument_map.spans}
    assert ("<Different towns>", "attacks", "<Other towns>") in \
        {(key_of[r.source], r.kind, key_of[r.target]) for r in argument_map.relations}
    assert options.left_out == []

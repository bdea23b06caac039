"""Kialo's discussion export: the one-line shape (``1.1. Pro: text``) and Kialo Edu's newer one (number and
stance on a line, the text under it, ``Thesis:``, footnotes and ``Sources:``), links, refusals by line, our
export read back the same, and the format told from the file's content (``auto``)."""
from __future__ import annotations

import pytest

from annotations.formats import get_format
from annotations.formats.base import FormatError, ImportOptions, parse_label_map
from annotations.formats.kialo import export_text, import_text
from annotations.formats.sniff import guess, sniff
from tests.formats.conftest import REPO_ROOT

DATA = REPO_ROOT / "tests" / "formats" / "data"
CLASSIC = (DATA / "kialo-classic.txt").read_bytes()
EDU = (DATA / "kialo-edu.txt").read_bytes()


def read(data: bytes, **options):
    options = ImportOptions(**options)
    (argument_map,) = import_text(data, name="discussion.txt", options=options)
    return argument_map, options


def triples(argument_map):
    quote = {span.id: span.quote for span in argument_map.spans}
    return sorted((quote[r.source][:25], r.kind, quote[r.target][:25]) for r in argument_map.relations)


def test_classic_export_claims_labels_relations_and_links():
    """Each claim a paragraph and a span; Pro supports, Con attacks; labels from the tree; '-> See 1.1.' a
    relation from claim 1.1, a link to another discussion left out by line; escapes removed."""
    argument_map, options = read(CLASSIC)
    assert argument_map.title == "Should the school day start later?"
    assert argument_map.paragraphs[0].kind == "heading" and argument_map.paragraphs[0].text == argument_map.title
    labels = {span.id: span.label for span in argument_map.spans}
    assert labels == {"1": "claim", "1.1": "claim", "1.1.1": "evidence", "1.1.2": "counterclaim",
                      "1.1.2.1": "counterclaim", "1.2": "counterclaim", "1.2.1": "evidence", "1.3": "evidence"}
    assert len(argument_map.paragraphs) == 1 + 8  # the title and one per claim; links make no paragraph
    for span in argument_map.spans:
        paragraph = argument_map.paragraphs[span.paragraph]
        assert (span.start, span.end, span.quote) == (0, len(paragraph.text), paragraph.text)
    assert "(for example at [sleepfoundation.org](https://www.sleepfoundation.org))" in \
        next(span.quote for span in argument_map.spans if span.id == "1.1.1")
    kinds = {(r.source, r.target): r.kind for r in argument_map.relations}
    assert kinds == {("1.1", "1"): "supports", ("1.1.1", "1.1"): "supports", ("1.1.2", "1.1"): "attacks",
                     ("1.1.2.1", "1.1.2"): "attacks", ("1.2", "1"): "attacks", ("1.2.1", "1.2"): "supports",
                     ("1.1", "1.2"): "attacks", ("1.3", "1"): "supports"}
    assert options.left_out == ["line 12: the link '-> See discussion 4821.' names no claim of this file (a link to "
                                "another discussion); left out"]


def test_kialo_edu_export_with_theses_text_under_the_number_footnotes_and_crlf():
    """The newer shape, saved on Windows: text lines under 'N. Pro:' (two lines kept as one claim), 'Thesis:',
    footnotes' sources as notes of the citing claims, an uncited source counted as left out."""
    for data in (EDU, EDU.replace(b"\n", b"\r\n"), b"\xef\xbb\xbf" + EDU):
        argument_map, options = read(data)
        quotes = [span.quote for span in argument_map.spans]
        assert quotes == ["Phones should be banned in class.", "Phones distract pupils from the lesson [1].",
                          "Teachers can set rules without a ban.\nA ban punishes everyone for a few.",
                          "Parents want to reach their children in an emergency [2]."]
        assert "\r" not in "".join(p.text for p in argument_map.paragraphs)
        assert [span.label for span in argument_map.spans] == ["claim", "claim", "counterclaim", "counterclaim"]
        assert {span.id: span.note for span in argument_map.spans if span.note} == {
            "1.1": "[1] Beland and Murphy, Ill Communication, 2016.", "1.2": "[2] A survey of parents, 2019."}
        assert ("Teachers can set rules wi", "supports", "Parents want to reach the") in triples(argument_map)
        assert len(argument_map.relations) == 4
        assert options.left_out == ["line 22: source [3] is cited by no claim, left out: 'A source nobody cites.'"]


def test_multi_thesis_discussion_keeps_the_question_as_a_heading():
    """'1. question' with '1.1. Thesis: …' children: the question is a heading without a span, each thesis a
    claim that neither supports nor attacks it."""
    data = (b"Discussion Title: Traffic\n\n1. What should the city do about traffic?\n1.1. Thesis: Build bike lanes.\n"
            b"1.1.1. Pro: Cyclists are safer on their own lanes.\n1.2. Thesis: Make buses free.\n"
            b"1.2.1. Con: Free buses cost the city money.\n")
    argument_map, _options = read(data)
    assert [(p.kind, p.text) for p in argument_map.paragraphs][:2] == [
        ("heading", "Traffic"), ("heading", "What should the city do about traffic?")]
    assert [(s.label, s.quote) for s in argument_map.spans] == [
        ("claim", "Build bike lanes."), ("evidence", "Cyclists are safer on their own lanes."),
        ("claim", "Make buses free."), ("counterclaim", "Free buses cost the city money.")]
    assert len(argument_map.relations) == 2
    marked = data.replace(b"1. What should", b"1. Question:\nWhat should")  # Kialo Edu marks the question
    again, _options = read(marked)
    assert [(s.label, s.quote) for s in again.spans] == [(s.label, s.quote) for s in argument_map.spans]
    assert again.paragraphs[1].kind == "heading"


@pytest.mark.parametrize("text, message", [
    (b"Discussion Title: T\n\n1. Thesis.\n1.1. It has no stance.\n", r"line 4: claim 1\.1\. says neither 'Pro:' nor 'Con:'"),
    (b"1. Thesis.\n1.2.1. Pro: Orphan.\n", r"line 2: claim 1\.2\.1\. has no parent claim 1\.2\. in the file"),
    (b"1. Thesis.\n1.1. Pro: One.\n1.1. Con: Two.\n", r"line 3: claim 1\.1\. is numbered like the claim on line 2"),
    (b"1. Thesis.\n1.1. Pro:\n\n1.2. Con: Two.\n", r"line 2: claim 1\.1\. has no text"),
    (b"Discussion Title: Nothing here\n\nJust some words.\n", r"holds no numbered claims; a Kialo export reads"),
    (b"1. Thesis \xff\n", r"not UTF-8"),
])
def test_bad_files_are_refused_naming_the_line_and_what_to_do(text, message):
    """Each refusal names the line and says what to write."""
    with pytest.raises(FormatError, match=message):
        import_text(text, name="bad.txt", options=ImportOptions())


def test_label_map_by_stance_and_leaving_cons_out():
    """--map pro=claim labels every Pro a claim; con=- leaves the Cons out, each counted with its line, and
    the relations to them too."""
    argument_map, options = read(CLASSIC, label_map=parse_label_map(["pro=claim", "con=-"]))
    assert {span.label for span in argument_map.spans} == {"claim"}
    assert len(argument_map.spans) == 5
    assert sum("mapped to be left out" in line for line in options.left_out) == 3
    assert any("links a claim that was left out" in line for line in options.left_out)


def test_strict_refuses_the_link_to_another_discussion():
    with pytest.raises(FormatError, match=r"line 12: the link '-> See discussion 4821\.' .*strict import"):
        read(CLASSIC, strict=True)


@pytest.mark.parametrize("data", [CLASSIC, EDU])
def test_export_reads_back_with_the_same_claims_labels_relations_and_sources(data):
    """Our export is Kialo's one-line shape; read back it gives the same spans (text, label, note) and relations."""
    argument_map, _options = read(data)
    text = export_text(argument_map)
    assert text.startswith(f"Discussion Title: {argument_map.title}\n\n1. ")
    back, _options = read(text.encode())
    assert [(s.quote, s.label, s.note) for s in back.spans] == [(s.quote, s.label, s.note) for s in argument_map.spans]
    assert triples(back) == triples(argument_map)


def test_export_of_an_essay_map_is_a_tree_with_links_for_second_parents(tiny_map, sample_map):
    """A map not from Kialo: claims that act on nothing are the theses, what supports them Pro, what attacks Con;
    a span acting on two spans is written once and linked under the second."""
    tiny_map.relations.append(type(tiny_map.relations[0])(id="3", kind="attacks", source="c", target="b"))
    text = export_text(tiny_map)
    assert text == ("Discussion Title: Pets\n\n1. Cats are the best pets\n1.1. Pro: They purr\n"
                    "1.1.1. Con: -> See 1.2.\n1.2. Con: Dogs 🐶 disagree loudly\n")
    back, _options = read(text.encode())
    assert triples(back) == triples(tiny_map)
    sample = export_text(sample_map)
    back, _options = read(sample.encode())
    assert len(back.spans) == len(sample_map.spans) and triples(back) == triples(sample_map)


def test_export_of_a_cycle_writes_every_relation():
    """Spans that attack each other: one becomes the root, the other relation a link."""
    from annotations.argument_map import ArgumentMap, MapParagraph, MapRelation, MapSpan
    paragraphs = [MapParagraph(0, "Tea is better."), MapParagraph(1, "Coffee is better.")]
    spans = [MapSpan("a", 0, 0, 14, "Tea is better.", "claim"), MapSpan("b", 1, 0, 17, "Coffee is better.", "claim")]
    cycle = ArgumentMap(title="Drinks", paragraphs=paragraphs, spans=spans,
                        relations=[MapRelation("1", "attacks", "a", "b"), MapRelation("2", "attacks", "b", "a")])
    text = export_text(cycle)
    assert text == "Discussion Title: Drinks\n\n1. Tea is better.\n1.1. Con: Coffee is better.\n1.1.1. Con: -> See 1.\n"
    back, _options = read(text.encode())
    assert triples(back) == triples(cycle)


def test_the_format_is_told_from_the_content():
    """auto: Kialo text by its numbered Pro/Con lines, whatever the file is called; a plain .txt alone is not."""
    assert guess("discussion.txt", CLASSIC) == "kialo" and guess("export", EDU) == "kialo"
    assert sniff([("x.txt", EDU.replace(b"\n", b"\r\n"))]) == "kialo"
    assert get_format("kialo").file_name(read(CLASSIC)[0]) == "should-the-school-day-start-later.kialo.txt"
    with pytest.raises(FormatError, match="plain text without a .ann file"):
        sniff([("essay.txt", b"Cars should be banned from the centre.\n")])


def test_auto_tells_each_tool_from_its_content():
    """Zips by their members (a project export with brat files beside its JSON is read as JSON), JSON by its keys,
    GraphML by its root, Argdown by its marks; files in two formats are refused naming each."""
    import io
    import json
    import zipfile

    def zipped(**members):
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            for member, text in members.items():
                archive.writestr(member.replace("__", "/").replace("_dot_", "."), text)
        return buffer.getvalue()

    assert guess("p.zip", zipped(a_dot_argmap_dot_json="{}", a_dot_ann="", a_dot_txt="")) == "json"
    assert guess("c.zip", zipped(essays__e1_dot_ann="", essays__e1_dot_txt="")) == "brat"
    assert guess("d.zip", zipped(admin_dot_jsonl="{}")) == "doccano"
    assert guess("n.zip", zipped(nodeset12_dot_json="{}")) == "aif"
    assert guess("m.json", json.dumps({"AIF": {"version": "1"}, "nodes": []}).encode()) == "aif"
    assert guess("m.json", json.dumps({"format": "argmap-map", "version": 1}).encode()) == "json"
    assert guess("d.jsonl", b'{"text": "a", "label": []}\n{"text": "b", "label": []}\n') == "doccano"
    for name in ("doccano-pretty.jsonl", "doccano-array.json", "ova3-dialogical.json"):  # records pretty-printed too
        assert guess(name, (DATA / name).read_bytes()) == ("aif" if name.startswith("ova3") else "doccano")
    assert guess("g.xml", b"<?xml version='1.0'?><graphml xmlns='http://graphml.graphdrawing.org/xmlns'/>") == "graphml"
    assert guess("map", b"[Cars out]: The centre should be car-free.\n  + <Safety>: Safer streets.\n") == "argdown"
    assert sniff([("e.txt", b"Cars should go.\n"), ("e.ann", b"T1\tClaim 0 4\tCars\n")]) == "brat"
    with pytest.raises(FormatError, match=r"different formats \(school\.txt: kialo; d\.jsonl: doccano\)"):
        sniff([("school.txt", CLASSIC), ("d.jsonl", b'{"text": "a", "label": []}\n')])


def test_odd_sources_and_footnotes_are_read_or_counted_never_a_crash():
    """A source line that is only '[1]', a footnote number too long to be one, a source line without a number."""
    data = (b"1. Cars should go [1].\n1.1. Pro: Safer [" + b"9" * 5000 + b"].\n\nSources:\n[1]\nsee the town's report\n")
    argument_map, options = read(data)
    assert [span.note for span in argument_map.spans] == ["[1]", ""]
    assert options.left_out == ["line 6: a source without its [number], left out: \"see the town's report\""]

"""Pictures: Graphviz draws a readable map; the SVG is checked as XML, PNG and PDF by signature."""
import xml.etree.ElementTree as ElementTree

import pytest

from annotations.argument_map import ArgumentMap, MapParagraph, MapRelation, MapSpan
from annotations.formats.pictures import MAX_LINES, WRAP_WIDTH, PDF, PNG, choose_layout, wrap
from annotations.formats.pictures import SVG as SVG_FORMAT

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def sample_svg():
    from tests.fixtures.sample_map import build_sample_map

    return ElementTree.fromstring(SVG_FORMAT.export(build_sample_map()))


def _groups(root, css_class):
    return [g for g in root.iter(f"{SVG}g") if g.get("class") == css_class]


def test_svg_has_one_node_per_span_and_a_legend(sample_svg, sample_map):
    """The SVG parses as XML and has a node for every span; the legend is in the title block."""
    nodes = _groups(sample_svg, "node")
    assert len(nodes) == len(sample_map.spans)
    texts = " ".join(t.text or "" for t in sample_svg.iter(f"{SVG}text"))
    assert "Legend" in texts and "COUNTERCLAIM" in texts and "unprecedented level" in texts


def test_supports_and_attacks_are_drawn_differently(sample_svg, sample_map):
    """Supports are solid green, attacks dashed red; one drawn edge per relation."""
    edges = _groups(sample_svg, "edge")
    assert len(edges) == len(sample_map.relations)
    styles = []
    for edge in edges:
        path = edge.find(f"{SVG}path")
        styles.append((path.get("stroke"), path.get("stroke-dasharray") is not None))
    assert styles.count(("#2e7d32", False)) == 6
    assert styles.count(("#c62828", True)) == 4


def test_each_label_has_its_own_colour(sample_svg):
    """Claims, evidence, counterclaims and rebuttals are filled with four different colours."""
    fills = set()
    for node in _groups(sample_svg, "node"):
        shape = next((element for element in node.iter() if element.tag in (f"{SVG}polygon", f"{SVG}path")), None)
        if shape is not None and shape.get("fill") not in (None, "none", "white", "transparent"):
            fills.add(shape.get("fill"))
    assert {"#cfe2f3", "#d9ead3", "#fce5cd", "#ead1dc"} <= fills


def test_long_text_is_wrapped_and_cut_with_an_ellipsis():
    """Text wraps at 40 characters and stops after 6 lines with …"""
    lines = wrap("word " * 200)
    assert len(lines) == MAX_LINES and all(len(line) <= WRAP_WIDTH for line in lines)
    assert lines[-1].endswith("…")
    assert wrap("short text") == ["short text"]


def test_png_and_pdf_are_rendered(sample_map):
    """PNG and PDF come out with their file signatures."""
    assert PNG.export(sample_map).startswith(b"\x89PNG\r\n\x1a\n")
    assert PDF.export(sample_map).startswith(b"%PDF-")


def test_markup_in_quotes_is_escaped(tiny_map):
    """Quotes with <, > and & do not break Graphviz's HTML labels."""
    tiny_map.title = "Pets <&> \"quotes\""
    tiny_map.paragraphs[0].text = "Cats & <dogs> are best. They purr."
    tiny_map.spans[0].quote = "Cats & <dogs> are best"
    root = ElementTree.fromstring(SVG_FORMAT.export(tiny_map))
    assert "Cats & <dogs> are best" in " ".join(t.text or "" for t in root.iter(f"{SVG}text"))


@pytest.mark.parametrize("quote", [
    "<b>bold</b>",  # starts with < and ends with >: Graphviz read it as an HTML string (a syntax error)
    'C:\\temp\\',  # a trailing backslash escaped the closing quote (a syntax error)
    '<x> ]; z [image="/etc/passwd"]; y [label=<y>',  # DOT attributes injected into the graph
])
def test_a_quote_never_becomes_dot_syntax(tiny_map, quote):
    """A span's quote is the node's tooltip as plain text: the picture is drawn, with no node or
    attribute (an image read from the server's disk) that the quote wrote."""
    tiny_map.paragraphs[0].text = quote + " They purr."
    tiny_map.spans[0].quote, tiny_map.spans[0].end = quote, len(quote)
    tiny_map.spans[1].start = len(quote) + 1
    tiny_map.spans[1].end = len(quote) + 10
    tiny_map.spans[1].quote = "They purr"
    root = ElementTree.fromstring(SVG_FORMAT.export(tiny_map))
    assert not list(root.iter(f"{SVG}image"))
    assert len([g for g in root.iter(f"{SVG}g") if g.get("class") == "node"]) == len(tiny_map.spans)
    titles = [a.get("{http://www.w3.org/1999/xlink}title") for a in root.iter(f"{SVG}a")]
    assert quote in titles


def _svg_ratio(root) -> float:
    return float(root.get("width").removesuffix("pt")) / float(root.get("height").removesuffix("pt"))


def test_sample_map_fits_a_slide(sample_svg):
    """The sample article's map is at most about 2.3 times as wide as it is high (a 16:9 slide is 1.78)."""
    assert 1.2 <= _svg_ratio(sample_svg) <= 2.3


def test_many_pieces_of_evidence_stack_beside_their_claim():
    """A claim with eight pieces of evidence is laid out left to right, the evidence in a column."""
    sentences = [f"Reason number {n} is a fairly long sentence that supports the claim." for n in range(8)]
    text = "The claim holds. " + " ".join(sentences)
    spans = [MapSpan(id="c", paragraph=0, start=0, end=15, quote="The claim holds", label="claim")]
    for n, sentence in enumerate(sentences):
        start = text.index(sentence)
        spans.append(MapSpan(id=f"e{n}", paragraph=0, start=start, end=start + len(sentence), quote=sentence, label="evidence"))
    relations = [MapRelation(id=str(n), kind="supports", source=f"e{n}", target="c") for n in range(8)]
    many = ArgumentMap(title="Many reasons", paragraphs=[MapParagraph(position=0, text=text)], spans=spans, relations=relations)
    assert choose_layout(many)[0] == "LR"
    assert _svg_ratio(ElementTree.fromstring(SVG_FORMAT.export(many))) < 2.3


def test_a_chain_of_claims_stays_top_down():
    """A deep chain (claim ← claim ← evidence ← ...) is taller than wide, so it is drawn top-down."""
    words = ["alpha", "beta", "gamma", "delta", "epsilon", "zeta"]
    text = " ".join(f"{word} matters." for word in words)
    spans = []
    for n, word in enumerate(words):
        start = text.index(f"{word} matters")
        spans.append(MapSpan(id=word, paragraph=0, start=start, end=start + len(word) + 8, quote=f"{word} matters",
                             label="claim" if n == 0 else "evidence"))
    relations = [MapRelation(id=str(n), kind="supports", source=words[n + 1], target=words[n]) for n in range(5)]
    chain = ArgumentMap(title="Chain", paragraphs=[MapParagraph(position=0, text=text)], spans=spans, relations=relations)
    assert choose_layout(chain)[0] == "TB"

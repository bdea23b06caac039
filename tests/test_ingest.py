"""Parsing uploads into a title and paragraphs (pure, no database)."""
from __future__ import annotations

import docx
import pytest

from annotations.ingest import IngestError, parse_article
from tests.hostile import docx_bytes
from tests.paths import REPOSITORY

FIXTURES = REPOSITORY / "fixtures"
SAMPLE = (FIXTURES / "russia-china-relations.txt").read_bytes()

SAMPLE_HEADINGS = [
    "Context of the relations",
    "Arms Trade: A friend in need is a friend indeed?",
    "From “constructive partnership” to the strategic alliance?",
    "Economy and asymmetrical dependence",
    "Region of shared interest: Russia’s Far East and Asia-Pacific integration",
    "Region of shared interest: Common security threats in Central Asia",
    "Region of shared interest: Plans for the Arctic",
    "Conclusion?",
]


def test_sample_article_has_headline_as_title():
    """The headline becomes the title, without the glued-on "11 min read"."""
    article = parse_article(SAMPLE, "russia-china-relations.txt")
    assert article.title == "The Continuing Saga of Russia-China Relations: Can the Bear and the Dragon Be Friends?"


def test_sample_article_headings_are_headings():
    """Every section heading of the sample article is a heading, in order, and nothing else is."""
    article = parse_article(SAMPLE, "russia-china-relations.txt")
    assert [b.text for b in article.blocks if b.kind == "heading"] == SAMPLE_HEADINGS


def test_sample_article_page_furniture_dropped():
    """Category line, reading time and "Recommended Posts" are not body text."""
    article = parse_article(SAMPLE, "russia-china-relations.txt")
    texts = [b.text for b in article.blocks]
    assert "In Analysis, Politics, Russia" not in texts
    assert "Recommended Posts" not in texts
    assert not any("min read" in text for text in texts)
    assert len([b for b in article.blocks if b.kind == "body"]) == 20
    assert texts[0].startswith("Since 2014, Russo-Chinese bilateral cooperation")
    assert texts[-1].startswith("National narratives of friendship are far from reality")


def test_text_is_not_rewritten_only_whitespace_folded():
    """Words and punctuation stay exactly as written; runs of whitespace become one space."""
    article = parse_article(SAMPLE, "russia-china-relations.txt")
    second_context = next(b.text for b in article.blocks if b.text.startswith("Since Vladimir Putin"))
    assert "humanitarian grounds.Moreover, their current leaders" in second_context
    source = SAMPLE.decode("utf-8")
    for block in article.blocks:
        assert " ".join(block.text.split()) == block.text
        assert block.text.split()[0] in source


def test_markdown_headings_and_inline_markup():
    """Markdown: the first H1 is the title, ## headings stay headings, emphasis markers go."""
    text = b"# My title\n\n5 min read\n\n## Why\n\nCats are *clearly* better, as\nthe `data` shows.\n\n- A list item that argues.\n"
    article = parse_article(text, "cats.md")
    assert article.title == "My title"
    assert [(b.kind, b.text) for b in article.blocks] == [
        ("heading", "Why"),
        ("body", "Cats are clearly better, as the data shows."),
        ("body", "A list item that argues."),
    ]


def test_html_main_content_extracted():
    """HTML: navigation, scripts and footer are dropped; headings kept; title from the page."""
    html = b"""<html><head><title>Cats win</title></head><body>
    <nav><a href="/">Home</a><a href="/about">About us</a></nav>
    <article><h1>Cats win</h1><p>Cats are better pets than dogs for people who live in small flats, as many owners report.</p>
    <h2>Evidence</h2><p>A 2020 survey of four thousand owners found that cats needed less care than dogs did.</p></article>
    <script>trackEverything()</script><footer>Copyright 2024 Example Media</footer></body></html>"""
    article = parse_article(html, "cats.html")
    assert article.title == "Cats win"
    assert [b.kind for b in article.blocks] == ["body", "heading", "body"]
    assert article.blocks[1].text == "Evidence"
    assert not any("trackEverything" in b.text or "Copyright" in b.text or "About us" in b.text for b in article.blocks)


def test_docx_headings_and_title():
    """.docx: the Title style is the title, Heading styles are headings."""
    document = docx.Document()
    document.add_heading("Cats win", level=0)
    document.add_paragraph("Cats are better pets than dogs.")
    document.add_heading("Evidence", level=1)
    document.add_paragraph("A 2020   survey says so.")
    article = parse_article(docx_bytes(document), "cats.docx")
    assert article.title == "Cats win"
    assert [(b.kind, b.text) for b in article.blocks] == [
        ("body", "Cats are better pets than dogs."), ("heading", "Evidence"), ("body", "A 2020 survey says so."),
    ]


def test_windows_1252_text_is_decoded():
    """Text that is clearly Windows-1252 is decoded, not refused."""
    text = "Café owners say “cats” are better.\n\nThe naïve view is wrong, according to the 2020 survey.".encode("cp1252")
    article = parse_article(text, "cafe.txt")
    assert article.blocks[0].text == "Café owners say “cats” are better."


def test_utf16_with_bom_is_decoded():
    """UTF-16 with a byte-order mark is decoded."""
    article = parse_article("Cats are better.\n\nDogs are loud.".encode("utf-16"), "cats.txt")
    assert [b.text for b in article.blocks] == ["Cats are better.", "Dogs are loud."]


@pytest.mark.parametrize(
    ("data", "filename", "message"),
    [
        (b"", "empty.txt", "empty.txt is empty"),
        (b"   \n\n  ", "blank.txt", "blank.txt is empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200), "picture.txt", "looks like a binary file"),
        (bytes(range(128, 256)) * 4, "garbled.txt", "is not UTF-8 (byte 0x80 at position 0 is not UTF-8)"),
        (b"<html><body><nav><a href='/'>Home</a></nav><script>x()</script></body></html>", "empty.html", "no main content"),
        (b"not a zip at all", "report.docx", "is not a Word .docx file"),
        (b"some text", "slides.pptx", "files ending in .pptx are not supported"),
        (b"Recommended Posts\n\n11 min read", "furniture.txt", "has no body text"),
    ],
)
def test_bad_input_is_refused_with_a_clear_message(data, filename, message):
    """Each bad file gets an IngestError whose message says what is wrong."""
    with pytest.raises(IngestError) as error:
        parse_article(data, filename)
    assert message in str(error.value)


def test_file_over_the_size_limit_is_refused():
    """A file over the limit is refused with its size and the limit."""
    with pytest.raises(IngestError, match=r"big.txt is 2.0 MB; the limit is 1 MB"):
        parse_article(b"word " * (2 * 1024 * 1024 // 5), "big.txt", max_bytes=1024 * 1024)


def test_english_with_stray_bytes_is_refused_not_guessed():
    """UTF-8 English with a few invalid bytes is refused naming the first one, not stored as mojibake."""
    from tests import hostile

    with pytest.raises(IngestError, match=r"stray-bytes.txt is UTF-8 with damaged bytes \(byte 0x81 at position 438"):
        parse_article(*reversed(hostile.english_with_invalid_bytes()))


@pytest.mark.parametrize(
    "data",
    [
        b"Cats are better pets than dogs. They need less care \xd5 according to a survey.\n",  # a lone letter
        b"Cats are better pets than dogs \x81\x8d\x90 says the survey.\n",  # bytes Windows-1252 does not define
        "Кошки лучше собак, согласно опросу.".encode("cp1251"),  # not clearly anything argmap decodes
    ],
)
def test_text_of_no_clear_encoding_is_refused(data):
    """Text that is not UTF-8 and not clearly Windows-1252 is refused with what to do."""
    with pytest.raises(IngestError, match="its encoding could not be recognised; save it as UTF-8"):
        parse_article(data, "unclear.txt")


def test_windows_1252_with_quotes_and_dashes_is_decoded():
    """Typographic quotes, dashes and accented letters in Windows-1252 still decode."""
    text = "It’s a “fair” point – the café’s owner agrees… Señor Müller too.\n\nA second paragraph."
    article = parse_article(text.encode("cp1252"), "quotes.txt")
    assert article.blocks[0].text == "It’s a “fair” point – the café’s owner agrees… Señor Müller too."


def test_utf16_with_nul_characters_is_refused():
    """UTF-16 text holding NUL characters is refused as binary (PostgreSQL cannot store them)."""
    with pytest.raises(IngestError, match="looks like a binary file"):
        parse_article("Cats are\x00 better.\n\nDogs.".encode("utf-16"), "nul.txt")


BLOG_POST_TXT = """Close the Königstraße to cars

The case rests on three observations:
- Footfall rose by 18 % on the Sundays
  the street was closed.
- Children walk to school there.
* Noise at night fell below 45 dB.

1. First, the trial.
2) Then, the vote.

A line - with a dash - is not a list.
"""


def test_plain_text_list_items_are_paragraphs_of_their_own():
    """A .txt list (two or more lines starting '-', '*', '1.' ...) gives one paragraph per item, marker kept;
    a wrapped item's next line stays in it; a lone dash line is ordinary text."""
    article = parse_article(BLOG_POST_TXT.encode(), "post.txt")
    assert [block.text for block in article.blocks] == [
        "The case rests on three observations:",
        "- Footfall rose by 18 % on the Sundays the street was closed.",
        "- Children walk to school there.",
        "* Noise at night fell below 45 dB.",
        "1. First, the trial.",
        "2) Then, the vote.",
        "A line - with a dash - is not a list.",
    ]

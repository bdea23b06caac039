"""Hostile uploads are refused before the expensive parse, with a message naming the limit (pure, no database)."""
from __future__ import annotations

import io
import struct
import zipfile

import pytest

from annotations.ingest import IngestError, IngestLimits, parse_article
from tests import hostile


def _refusal(filename: str, data: bytes, limits: IngestLimits | None = None) -> str:
    with pytest.raises(IngestError) as error:
        parse_article(data, filename, limits=limits)
    return str(error.value)


@pytest.mark.parametrize(
    "make, names",
    [
        # 5 million empty paragraphs in a small .docx: refused by the paragraph count, not parsed.
        pytest.param(hostile.docx_empty_paragraphs, "more paragraphs than the limit of 20,000 (ARGMAP_MAX_PARAGRAPHS): 5,000,001 counted",
                     id="millions_of_empty_paragraphs_refused_by_count"),
        # A .docx with 100,000 real paragraphs is over the paragraph limit.
        pytest.param(hostile.docx_many_paragraphs, "the limit of 20,000 (ARGMAP_MAX_PARAGRAPHS): 100,000 counted",
                     id="hundred_thousand_paragraphs_refused"),
        # Without settings, 64 MB unpacked is over the default 50 MB.
        pytest.param(lambda: hostile.docx_bomb(inflated_bytes=64 * 1024 * 1024), "unpacks to more than 50 MB (the limit)",
                     id="default_unpacked_limit_is_fifty_megabytes"),
        # 20,000 members in a .docx: refused from the zip's end record with the count and the limit.
        pytest.param(hostile.docx_many_members, "many-members.docx has 20,003 parts inside; the limit for a .docx is 1,000",
                     id="too_many_zip_members_refused_before_reading_the_directory"),
        # A document part that is not well-formed XML is refused naming the part, not a crash.
        pytest.param(hostile.docx_malformed_xml, "malformed.docx is damaged: word/document.xml inside it is not well-formed XML",
                     id="malformed_docx_xml_is_an_ingest_error"),
        # A document part nested 100,000 deep is refused by the XML parser's depth limit.
        pytest.param(hostile.docx_deep_nesting, "deep.docx is damaged",
                     id="deeply_nested_docx_xml_is_an_ingest_error"),
        # A text file of a million blank-line separated paragraphs is over the limit.
        pytest.param(hostile.text_many_lines, "many-lines.txt has more paragraphs than the limit of 20,000",
                     id="millions_of_text_paragraphs_refused"),
        # A Markdown list of 50,000 items is refused by the block count before markdown-it parses it.
        pytest.param(lambda: ("list.md", b"- item\n" * 50_000), "list.md has more paragraphs than the limit of 20,000",
                     id="markdown_blocks_counted_before_markdown_it"),
        # An HTML page with 200,000 paragraphs is refused by its element count before extraction.
        pytest.param(hostile.html_huge, "huge.html has more HTML elements than the limit of 100,000: 200,005 counted",
                     id="huge_html_refused_by_element_count"),
        # An HTML page within the element limit but with 30,000 paragraphs is over the paragraph limit.
        pytest.param(lambda: hostile.html_huge(30_000), "has more paragraphs than the limit of 20,000",
                     id="html_paragraphs_counted"),
        # HTML nested 200,000 deep gets a refusal, not a crash.
        pytest.param(hostile.html_deep_nesting, "deep.html",
                     id="deep_html_is_a_clear_refusal"),
        # One line of 2 million characters (no blank line in a 10 MB file) is one paragraph spaCy would refuse
        # (its max_length is 1,000,000): refused at upload naming the paragraph and the limit.
        pytest.param(lambda: ("one-line.txt", b"Cats purr. " + b"word " * 400_000),
                     "one-line.txt: paragraph 1 has 2,000,010 characters; a paragraph holds at most 100,000 (ARGMAP_MAX_PARAGRAPH_CHARS)",
                     id="overlong_paragraph_refused"),
        # Markdown quotes nested 100,000 deep get a refusal, not a crash.
        pytest.param(hostile.markdown_deep_nesting, "deep.md",
                     id="deep_markdown_is_a_clear_refusal"),
    ],
)
def test_hostile_file_refused_with_a_message_naming_the_limit(make, names):
    """Each hostile file (``make()`` gives its name and bytes) is an IngestError whose message says ``names``."""
    assert names in _refusal(*make())


def test_paragraph_limit_is_configurable():
    """The limit comes from IngestLimits (ARGMAP_MAX_PARAGRAPHS): 3 paragraphs pass a limit of 3, 4 do not."""
    data = hostile.docx_with_paragraphs(["One point.", "Two points.", "Three points."])
    assert len(parse_article(data, "three.docx", limits=IngestLimits(max_paragraphs=3)).blocks) == 3
    data = hostile.docx_with_paragraphs(["One point.", "Two points.", "Three points.", "Four points."])
    assert "the limit of 3 " in _refusal("four.docx", data, IngestLimits(max_paragraphs=3))


def test_zip_bomb_refused_from_its_directory():
    """A .docx that unpacks past the limit is refused from the sizes its zip declares, before inflating."""
    filename, data = hostile.docx_bomb(inflated_bytes=64 * 1024 * 1024)
    message = _refusal(filename, data, IngestLimits(max_unpacked_bytes=32 * 1024 * 1024))
    assert "bomb.docx unpacks to more than 32 MB (the limit)" in message and "ARGMAP_MAX_UNPACKED_MB" in message


def _declare_size(package: bytes, member: str, size: int) -> bytes:
    """The package with ``member``'s unpacked size rewritten to ``size`` in both zip headers (no zip64)."""
    data = bytearray(package)
    for signature, size_offset, name_length_offset, name_offset in ((b"PK\x03\x04", 22, 26, 30), (b"PK\x01\x02", 24, 28, 46)):
        position = data.find(signature)
        while position >= 0:
            (name_length,) = struct.unpack("<H", data[position + name_length_offset:position + name_length_offset + 2])
            if data[position + name_offset:position + name_offset + name_length] == member.encode():
                data[position + size_offset:position + size_offset + 4] = struct.pack("<I", size)
            position = data.find(signature, position + 4)
    return bytes(data)


def test_zip_that_lies_about_its_sizes_is_refused_as_damaged():
    """A document part that declares 1 KB but inflates to megabytes is cut at 1 KB and fails its check: a 4xx."""
    honest = hostile.docx_with_paragraphs([f"Point {index} is argued." for index in range(15_000)])
    lying = _declare_size(honest, "word/document.xml", 1024)
    with zipfile.ZipFile(io.BytesIO(lying)) as package:
        assert package.getinfo("word/document.xml").file_size == 1024
    assert "lying.docx is damaged: word/document.xml inside it cannot be unpacked" in _refusal("lying.docx", lying)


def test_encrypted_and_lzma_docx_members_refused():
    """A password-flagged member and an LZMA member are refused with what to do."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_LZMA) as package:
        package.writestr("[Content_Types].xml", hostile.CONTENT_TYPES)
        package.writestr("_rels/.rels", hostile.PACKAGE_RELS)
        package.writestr("word/document.xml", hostile.BODY_OPEN + hostile.paragraph_xml("Cats.") + hostile.BODY_CLOSE)
    assert "inside lzma.docx is compressed with LZMA, which argmap does not unpack" in _refusal("lzma.docx", buffer.getvalue())
    data = bytearray(hostile.docx_with_paragraphs(["Cats."]))
    position = data.find(b"PK\x01\x02")
    data[position + 8] |= 0x1  # the central directory's "encrypted" flag
    assert "inside locked.docx is encrypted" in _refusal("locked.docx", bytes(data))


def test_docx_text_read_like_python_docx():
    """Runs, hyperlinks, tabs and breaks give the text python-docx gives; styles by name; tables skipped."""
    import docx

    document = docx.Document()
    document.add_heading("The title", level=0)
    paragraph = document.add_paragraph("Cats ")
    paragraph.add_run("are").bold = True
    paragraph.add_run("\tbetter.")
    document.add_heading("A section", level=2)
    document.add_table(rows=1, cols=1).cell(0, 0).text = "In a table."
    document.add_paragraph("Dogs bark.", style="List Bullet")
    article = parse_article(hostile.docx_bytes(document), "styled.docx")
    assert article.title == "The title"
    assert [(block.kind, block.text) for block in article.blocks] == [
        ("body", "Cats are better."), ("heading", "A section"), ("body", "Dogs bark."),
    ]


def test_text_paragraph_count_matches_the_parse():
    """Blank lines with spaces, tabs and CRLF separate paragraphs for the count as for the parser: 30 pass a limit
    of 30 and 31 do not."""
    separators = ["\n\n", "\n \n", "\r\n\t\r\n", "\n\n\n\n"]
    text = "".join(f"Point {index} is argued here.{separators[index % 4]}" for index in range(31))
    assert "x.txt has more paragraphs than the limit of 30" in _refusal("x.txt", text.encode(), IngestLimits(max_paragraphs=30))
    article = parse_article(text.encode(), "x.txt", limits=IngestLimits(max_paragraphs=31))
    assert len(article.blocks) == 31

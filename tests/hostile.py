"""Hostile and malformed upload files, made in memory for the tests and ``bench/bench_hostile.py``.

Pure (no Django). Each maker returns ``(filename, bytes)``. The .docx files are real Word
packages (content types, relationships, ``word/document.xml``) so that a parser that does
not check limits first really does the expensive work.
"""
from __future__ import annotations

import io
import zipfile

W_NAMESPACE = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    "</Types>"
)
PACKAGE_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="word/document.xml"/></Relationships>'
)
BODY_OPEN = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="{W_NAMESPACE}"><w:body>'
BODY_CLOSE = "</w:body></w:document>"


def paragraph_xml(text: str) -> str:
    return f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>"


def docx_package(document_xml: bytes, *, extra_members: dict[str, bytes] | None = None) -> bytes:
    """A minimal Word package around ``document_xml`` (deflated)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as package:
        package.writestr("[Content_Types].xml", CONTENT_TYPES)
        package.writestr("_rels/.rels", PACKAGE_RELS)
        package.writestr("word/document.xml", document_xml)
        for name, data in (extra_members or {}).items():
            package.writestr(name, data)
    return buffer.getvalue()


def docx_with_paragraphs(texts: list[str]) -> bytes:
    return docx_package((BODY_OPEN + "".join(paragraph_xml(text) for text in texts) + BODY_CLOSE).encode())


def docx_bytes(document) -> bytes:
    """A python-docx ``Document`` saved as the bytes of a .docx file."""
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def docx_empty_paragraphs(count: int = 5_000_000) -> tuple[str, bytes]:
    """Millions of empty paragraphs: a few hundred KB on the wire."""
    xml = BODY_OPEN.encode() + b"<w:p/>" * count + paragraph_xml("The end.").encode() + BODY_CLOSE.encode()
    return "empty-paragraphs.docx", docx_package(xml)


def docx_many_paragraphs(count: int = 100_000) -> tuple[str, bytes]:
    """A hundred thousand short, distinct paragraphs."""
    return "many-paragraphs.docx", docx_with_paragraphs([f"Claim number {index}." for index in range(count)])


def docx_bomb(inflated_bytes: int = 2 * 1024**3) -> tuple[str, bytes]:
    """A .docx whose one extra member inflates to ``inflated_bytes`` (2 GB by default) of zeros.

    Written in chunks so that making it costs no more memory than the compressed result.
    """
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as package:
        package.writestr("[Content_Types].xml", CONTENT_TYPES)
        package.writestr("_rels/.rels", PACKAGE_RELS)
        package.writestr("word/document.xml", BODY_OPEN + paragraph_xml("Cats are better.") + BODY_CLOSE)
        chunk = b"\0" * (16 * 1024 * 1024)
        with package.open("word/media/padding.bin", "w", force_zip64=True) as member:
            for _ in range(inflated_bytes // len(chunk)):
                member.write(chunk)
    return "bomb.docx", buffer.getvalue()


def docx_many_members(count: int = 20_000) -> tuple[str, bytes]:
    """A package with tens of thousands of tiny members."""
    members = {f"word/media/image{index}.bin": b"x" for index in range(count)}
    return "many-members.docx", docx_package(
        (BODY_OPEN + paragraph_xml("Cats are better.") + BODY_CLOSE).encode(), extra_members=members
    )


def docx_malformed_xml() -> tuple[str, bytes]:
    """A Word package whose document part is not well-formed XML."""
    return "malformed.docx", docx_package(BODY_OPEN.encode() + b"<w:p><w:r><w:t>Cats</w:r></w:p>")


def docx_deep_nesting(depth: int = 100_000) -> tuple[str, bytes]:
    """A document part nested a hundred thousand elements deep."""
    xml = BODY_OPEN + "<w:sdt>" * depth + paragraph_xml("Deep.") + "</w:sdt>" * depth + BODY_CLOSE
    return "deep.docx", docx_package(xml.encode())


def text_many_lines(count: int = 1_000_000) -> tuple[str, bytes]:
    """Millions of one-word paragraphs separated by blank lines (a few MB)."""
    return "many-lines.txt", b"".join(b"w%d\n\n" % index for index in range(count))


def html_huge(paragraphs: int = 200_000) -> tuple[str, bytes]:
    """An HTML page with hundreds of thousands of paragraphs (several MB)."""
    body = b"".join(b"<p>Point %d is argued here.</p>" % index for index in range(paragraphs))
    return "huge.html", b"<html><head><title>Huge</title></head><body><article>" + body + b"</article></body></html>"


def html_deep_nesting(depth: int = 200_000) -> tuple[str, bytes]:
    """HTML nested two hundred thousand elements deep."""
    return "deep.html", b"<html><body>" + b"<div>" * depth + b"<p>Deep point.</p>" + b"</div>" * depth + b"</body></html>"


def markdown_deep_nesting(depth: int = 100_000) -> tuple[str, bytes]:
    """Markdown quotes nested a hundred thousand deep."""
    return "deep.md", b">" * depth + b" Deep point.\n"


def english_with_invalid_bytes() -> tuple[str, bytes]:
    """English in UTF-8 with a few stray bytes that are neither UTF-8 nor meant as anything else."""
    text = (
        "Cats are better pets than dogs. They need less care, according to a 2020 survey. "
        "Dogs, however, are more loyal companions, \xe2\x80\x9cmost owners say\xe2\x80\x9d. "
    ).encode("latin-1")
    return "stray-bytes.txt", text * 3 + b"\x81\x8d\x9d broken \x90 end.\n"


def all_hostile_uploads() -> list[tuple[str, tuple[str, bytes]]]:
    """(description, (filename, bytes)) for every hostile article upload, as the bench sends them."""
    return [
        ("docx, 5 million empty paragraphs", docx_empty_paragraphs()),
        ("docx, 100,000 paragraphs", docx_many_paragraphs()),
        ("docx, inflates to 2 GB", docx_bomb()),
        ("docx, 20,000 zip members", docx_many_members()),
        ("docx, malformed XML", docx_malformed_xml()),
        ("docx, nested 100,000 deep", docx_deep_nesting()),
        ("text, 1 million paragraphs", text_many_lines()),
        ("HTML, 200,000 paragraphs", html_huge()),
        ("HTML, nested 200,000 deep", html_deep_nesting()),
        ("Markdown, quotes nested 100,000 deep", markdown_deep_nesting()),
        ("text, UTF-8 with stray bytes", english_with_invalid_bytes()),
    ]

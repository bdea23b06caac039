"""Turn an uploaded article (plain text, Markdown, HTML, .docx) into a title and clean paragraphs.

Pure functions, no database: ``parse_article(data, filename)`` returns a ``ParsedArticle``
or raises ``IngestError`` with a message a person can act on. The service
``document_import`` stores the result.

Rules:
- The text is never rewritten: whitespace is normalised within a paragraph only, so
  offsets into ``Paragraph.text`` point at what the author wrote.
- Headings stay headings. Page furniture is dropped: reading-time lines ("11 min read"),
  category and byline lines, "Recommended Posts", share and subscribe prompts.
- Bad input (empty, binary, undecodable, too large, HTML with no main content) is refused.
"""
from __future__ import annotations

import hashlib
import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import PurePath

MARKDOWN_EXTENSIONS = {".md", ".markdown", ".mdown"}
HTML_EXTENSIONS = {".html", ".htm", ".xhtml"}
TEXT_EXTENSIONS = {".txt", ".text", ""}
DOCX_EXTENSIONS = {".docx"}
SUPPORTED_EXTENSIONS = MARKDOWN_EXTENSIONS | HTML_EXTENSIONS | TEXT_EXTENSIONS | DOCX_EXTENSIONS

READING_TIME = re.compile(r"\s*\b\d{1,3}\s*(?:min|mins|minutes?)\.?\s+read\b\.?\s*$", re.IGNORECASE)
CATEGORY_LINE = re.compile(
    r"^(?:in|filed under|posted in|categories|category|tags?)\s*:?\s+[\w&'’ -]+(?:\s*[,|/·]\s*[\w&'’ -]+)*$",
    re.IGNORECASE,
)
BYLINE = re.compile(r"^(?:by|written by|posted by|author:)\s+[\w.'’ -]+(?:,\s*[\w.'’ -]+)*$", re.IGNORECASE)
FURNITURE_LINES = {
    "recommended posts", "related posts", "related articles", "you may also like", "read more",
    "share this", "share this article", "share", "subscribe", "subscribe to our newsletter",
    "advertisement", "leave a comment", "comments", "tweet", "print", "email",
}
SENTENCE_END = (".", ",", ";", ":", "!", "…", "\"", "”")


class IngestError(ValueError):
    """The file cannot become an article; the message says why and what to do."""


@dataclass
class Block:
    kind: str  # "heading" or "body"
    text: str


@dataclass
class ParsedArticle:
    title: str
    source_format: str  # "text", "markdown", "html" or "docx"
    blocks: list[Block] = field(default_factory=list)

    @property
    def content_hash(self) -> str:
        joined = "\n\n".join(f"{block.kind}:{block.text}" for block in self.blocks)
        return hashlib.sha256(joined.encode("utf-8")).hexdigest()


def parse_article(data: bytes, filename: str, *, max_bytes: int = 10 * 1024 * 1024) -> ParsedArticle:
    """Parse an uploaded file into a title and paragraphs, or raise IngestError."""
    name = PurePath(filename).name or "the file"
    if len(data) > max_bytes:
        raise IngestError(
            f"{name} is {len(data) / 1_048_576:.1f} MB; the limit is {max_bytes / 1_048_576:.0f} MB "
            "(ARGMAP_MAX_UPLOAD_MB). Split the article or raise the limit."
        )
    if not data.strip():
        raise IngestError(f"{name} is empty: there is no text to load.")
    extension = PurePath(filename).suffix.lower()
    if extension not in SUPPORTED_EXTENSIONS:
        raise IngestError(
            f"{name}: files ending in {extension} are not supported; upload .txt, .md, .html or .docx."
        )
    if extension in DOCX_EXTENSIONS:
        article = _parse_docx(data, name)
    else:
        text = decode_text(data, name)
        if extension in MARKDOWN_EXTENSIONS:
            article = _parse_markdown(text)
        elif extension in HTML_EXTENSIONS:
            article = _parse_html(text, name)
        else:
            article = _parse_plain_text(text)
    article.blocks = _drop_furniture(article.blocks)
    if not article.title:
        article.title = _title_from_filename(name)
    if not any(block.kind == "body" for block in article.blocks):
        raise IngestError(f"{name} has no body text once headings and page furniture are removed.")
    return article


def decode_text(data: bytes, name: str = "the file") -> str:
    """Decode UTF-8 (with or without BOM), UTF-16 with a BOM, or a clearly recognised legacy encoding."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise IngestError(f"{name} starts like UTF-16 text but does not decode as UTF-16.") from None
    if b"\x00" in data or _control_share(data) > 0.05:
        raise IngestError(f"{name} looks like a binary file, not text; upload .txt, .md, .html or .docx.")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        utf8_problem = f"byte 0x{data[error.start]:02x} at position {error.start} is not UTF-8"
    import charset_normalizer

    matches = list(charset_normalizer.from_bytes(data))
    best = min(matches, key=lambda match: match.percent_chaos, default=None)
    if best is None or best.percent_chaos > 10:
        raise IngestError(
            f"{name} is not UTF-8 ({utf8_problem}) and its encoding could not be recognised; "
            "save it as UTF-8 and upload it again."
        )
    # Single-byte Western text is almost always Windows-1252: prefer it among equally clean readings.
    for match in matches:
        if match.encoding == "cp1252" and match.percent_chaos <= best.percent_chaos + 1:
            return data.decode("cp1252")
    return str(best)


def _control_share(data: bytes) -> float:
    sample = data[:8192]
    controls = sum(1 for byte in sample if byte < 32 and byte not in (9, 10, 12, 13))
    return controls / max(len(sample), 1)


def normalise_whitespace(text: str) -> str:
    """Fold runs of whitespace into one space and trim: the only change ever made to text."""
    return " ".join(text.split())


def _title_from_filename(name: str) -> str:
    stem = PurePath(name).stem.replace("_", " ").replace("-", " ").strip()
    return stem[:1].upper() + stem[1:] if stem else "Untitled"


def _looks_like_heading(text: str) -> bool:
    words = text.split()
    return (
        0 < len(words) <= 14
        and len(text) <= 120
        and not text.endswith(SENTENCE_END)
        and any(character.isalpha() for character in text)
    )


def _parse_plain_text(text: str) -> ParsedArticle:
    raw_blocks = [normalise_whitespace(chunk) for chunk in re.split(r"\n\s*\n", text.replace("\r\n", "\n"))]
    raw_blocks = [block for block in raw_blocks if block]
    title = ""
    if raw_blocks:
        first = READING_TIME.sub("", raw_blocks[0]).strip()
        if first and _looks_like_heading(first) and len(raw_blocks) > 1:
            title, raw_blocks = first, raw_blocks[1:]
    blocks = []
    for index, chunk in enumerate(raw_blocks):
        is_last = index == len(raw_blocks) - 1
        heading = _looks_like_heading(chunk) and not is_last and not _is_furniture(chunk)
        blocks.append(Block("heading" if heading else "body", chunk))
    return ParsedArticle(title=title, source_format="text", blocks=blocks)


def _parse_markdown(text: str) -> ParsedArticle:
    from markdown_it import MarkdownIt

    tokens = MarkdownIt("commonmark").parse(text)
    blocks: list[Block] = []
    title = ""
    kind = "body"
    for index, token in enumerate(tokens):
        if token.type == "heading_open":
            kind = "heading"
        elif token.type == "heading_close":
            kind = "body"
        elif token.type == "inline":
            plain = normalise_whitespace(_markdown_inline_text(token))
            if not plain:
                continue
            if kind == "heading" and tokens[index - 1].tag == "h1" and not blocks and not title:
                title = READING_TIME.sub("", plain).strip()
                continue
            blocks.append(Block(kind, plain))
        elif token.type in ("code_block", "fence"):
            continue  # code is not argument text
    return ParsedArticle(title=title, source_format="markdown", blocks=blocks)


def _markdown_inline_text(token) -> str:
    parts = []
    for child in token.children or []:
        if child.type in ("text", "code_inline", "html_inline"):
            parts.append(child.content if child.type != "html_inline" else "")
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif child.type == "image":
            parts.append(child.content)
    return "".join(parts)


def _parse_html(text: str, name: str) -> ParsedArticle:
    import trafilatura
    from lxml import etree

    extracted = trafilatura.extract(
        text, output_format="xml", include_comments=False, include_tables=False, include_images=False,
        favor_recall=True,
    )
    if not extracted:
        raise IngestError(
            f"{name}: no main content was found in this HTML page (only navigation, scripts or "
            "boilerplate); save the article's text as .txt or .md and upload that."
        )
    root = etree.fromstring(extracted.encode("utf-8"))
    main = root.find("main")
    blocks: list[Block] = []
    for element in (main if main is not None else root).iter("head", "p", "item", "quote"):
        if element.tag == "quote" and element.find("p") is not None:
            continue
        plain = normalise_whitespace("".join(element.itertext()))
        if plain:
            blocks.append(Block("heading" if element.tag == "head" else "body", plain))
    metadata = trafilatura.extract_metadata(text)
    title = normalise_whitespace(metadata.title) if metadata is not None and metadata.title else ""
    if blocks and blocks[0].kind == "heading" and (not title or blocks[0].text == title or title.startswith(blocks[0].text)):
        title = READING_TIME.sub("", blocks[0].text).strip()
        blocks = blocks[1:]
    if not any(block.kind == "body" for block in blocks):
        raise IngestError(f"{name}: no main content was found in this HTML page, only headings or boilerplate; save the article's text as .txt or .md and upload that.")
    return ParsedArticle(title=title, source_format="html", blocks=blocks)


def _parse_docx(data: bytes, name: str) -> ParsedArticle:
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise IngestError(f"{name} is not a Word .docx file (it is not a zip package); save it as .docx again.")
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, KeyError, ValueError, zipfile.BadZipFile) as error:
        raise IngestError(f"{name} could not be read as a Word document ({error}).") from None
    title = ""
    blocks: list[Block] = []
    for paragraph in document.paragraphs:
        plain = normalise_whitespace(paragraph.text)
        if not plain:
            continue
        style = (paragraph.style.name if paragraph.style is not None else "").lower()
        if style == "title" and not title and not blocks:
            title = plain
        elif style.startswith("heading") or style == "title" or style == "subtitle":
            if style == "heading 1" and not title and not blocks:
                title = plain
            else:
                blocks.append(Block("heading", plain))
        else:
            blocks.append(Block("body", plain))
    return ParsedArticle(title=title, source_format="docx", blocks=blocks)


def _is_furniture(text: str) -> bool:
    lowered = text.lower().strip(" :.!|")
    if lowered in FURNITURE_LINES:
        return True
    if READING_TIME.fullmatch(text) or re.fullmatch(r"\d{1,3}\s*(?:min|minutes?)\s+read", lowered):
        return True
    short = len(text.split()) <= 8
    return short and bool(CATEGORY_LINE.match(text) or BYLINE.match(text))


def _drop_furniture(blocks: list[Block]) -> list[Block]:
    return [block for block in blocks if not _is_furniture(block.text)]

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
- Hostile input is refused before the expensive parse, naming the limit (``IngestLimits``):
  a .docx is checked from its zip directory (entries, unpacked size, encryption, method)
  before anything is inflated, and paragraphs and markup elements are counted on the raw
  bytes before a parser builds anything. The .docx text is read with lxml directly (no
  python-docx object per paragraph), so a document just under the limits is still fast.
"""
from __future__ import annotations

import hashlib
import re
import struct
import unicodedata
from dataclasses import dataclass, field
from pathlib import PurePath

from annotations.formats.archive import ArchiveError, open_zip

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


@dataclass(frozen=True)
class IngestLimits:
    """What one uploaded article may hold; each is checked before the parse that it protects."""

    max_bytes: int = 10 * 1024 * 1024  # the file as uploaded (ARGMAP_MAX_UPLOAD_MB)
    max_unpacked_bytes: int = 50 * 1024 * 1024  # a .docx's members together, unpacked (ARGMAP_MAX_UNPACKED_MB)
    max_members: int = 1_000  # entries in a .docx package
    max_paragraphs: int = 20_000  # paragraphs, headings and list items (ARGMAP_MAX_PARAGRAPHS)
    max_elements: int = 100_000  # markup elements in an HTML page
    max_paragraph_characters: int = 100_000  # the longest paragraph (ARGMAP_MAX_PARAGRAPH_CHARS)

    def too_many_paragraphs(self, name: str, count: int) -> IngestError:
        return IngestError(
            f"{name} has more paragraphs than the limit of {self.max_paragraphs:,} (ARGMAP_MAX_PARAGRAPHS): "
            f"{count:,} counted. Split the article into several files."
        )


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


def parse_article(
    data: bytes, filename: str, *, max_bytes: int | None = None, limits: IngestLimits | None = None
) -> ParsedArticle:
    """Parse an uploaded file into a title and paragraphs, or raise IngestError."""
    limits = limits or IngestLimits()
    if max_bytes is not None:
        limits = IngestLimits(**{**limits.__dict__, "max_bytes": max_bytes})
    name = PurePath(filename).name or "the file"
    if len(data) > limits.max_bytes:
        raise IngestError(
            f"{name} is {len(data) / 1_048_576:.1f} MB; the limit is {limits.max_bytes / 1_048_576:.0f} MB "
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
        article = _parse_docx(data, name, limits)
    else:
        text = decode_text(data, name)
        if extension in MARKDOWN_EXTENSIONS:
            article = _parse_markdown(text, name, limits)
        elif extension in HTML_EXTENSIONS:
            article = _parse_html(text, name, limits)
        else:
            article = _parse_plain_text(text, name, limits)
    if len(article.blocks) > limits.max_paragraphs:
        raise limits.too_many_paragraphs(name, len(article.blocks))
    for position, block in enumerate(article.blocks):
        if len(block.text) > limits.max_paragraph_characters:
            raise IngestError(
                f"{name}: paragraph {position + 1} has {len(block.text):,} characters; a paragraph holds at most "
                f"{limits.max_paragraph_characters:,} (ARGMAP_MAX_PARAGRAPH_CHARS). Break it into paragraphs with "
                "blank lines."
            )
    article.blocks = _drop_furniture(article.blocks)
    if not article.title:
        article.title = _title_from_filename(name)
    if not any(block.kind == "body" for block in article.blocks):
        raise IngestError(f"{name} has no body text once headings and page furniture are removed.")
    return article


UTF8_MULTIBYTE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|\xe0[\xa0-\xbf][\x80-\xbf]|[\xe1-\xec\xee\xef][\x80-\xbf]{2}|\xed[\x80-\x9f][\x80-\xbf]"
    rb"|\xf0[\x90-\xbf][\x80-\xbf]{2}|[\xf1-\xf3][\x80-\xbf]{3}|\xf4[\x80-\x8f][\x80-\xbf]{2}"
)
# Non-letters that Windows-1252 text uses: typographic quotes and dashes, currency, signs.
NON_ASCII = re.compile(r"[^\x00-\x7f]")
NOT_ASCII_LETTERS = bytes(byte for byte in range(256) if not chr(byte).isascii() or not chr(byte).isalpha())
WINDOWS_1252_SIGNS = set("‘’‚“”„–—…•·‹›«»€£¥¢©®™°±§¶×÷¡¿ ½¼¾²³¹‰†‡ªº")


def decode_text(data: bytes, name: str = "the file") -> str:
    """Decode UTF-8 (with or without BOM), UTF-16 with a BOM, or text that is clearly Windows-1252.

    Anything else is refused rather than guessed: a guess turns a few stray bytes in English
    text into mojibake that offsets then point into.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            raise IngestError(f"{name} starts like UTF-16 text but does not decode as UTF-16.") from None
        if "\x00" in text or _control_share(text) > 0.05:
            raise IngestError(f"{name} looks like a binary file, not text; upload .txt, .md, .html or .docx.")
        return text
    if b"\x00" in data or _control_share(data) > 0.05:
        raise IngestError(f"{name} looks like a binary file, not text; upload .txt, .md, .html or .docx.")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        utf8_problem = f"byte 0x{data[error.start]:02x} at position {error.start} is not UTF-8"
    invalid = data.decode("utf-8", errors="replace").count("\ufffd")
    if len(UTF8_MULTIBYTE.findall(data)) >= invalid:
        raise IngestError(
            f"{name} is UTF-8 with damaged bytes ({utf8_problem}); save it as UTF-8 once more and upload it again."
        )
    text = _clearly_windows_1252(data)
    if text is None:
        raise IngestError(
            f"{name} is not UTF-8 ({utf8_problem}) and its encoding could not be recognised; "
            "save it as UTF-8 and upload it again."
        )
    return text


def _clearly_windows_1252(data: bytes) -> str | None:
    """The text if it reads as Windows-1252 with every non-ASCII character a letter within a word
    or a sign such text uses, and a minority of accented letters; otherwise None (bytes 0x81,
    0x8d, 0x8f, 0x90, 0x9d are not Windows-1252)."""
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        return None
    accented = sum(1 for match in NON_ASCII.finditer(text) if match.group().isalpha())
    if accented > 0.25 * max(1, len(data.translate(None, NOT_ASCII_LETTERS)) + accented):
        return None  # Western languages accent a few letters; text made of them is another script
    for match in NON_ASCII.finditer(text):
        character, index = match.group(), match.start()
        if character in WINDOWS_1252_SIGNS:
            continue
        if not character.isalpha() or "LATIN" not in unicodedata.name(character, ""):
            return None
        before = text[index - 1] if index else " "
        after = text[index + 1] if index + 1 < len(text) else " "
        if not (before.isalpha() or after.isalpha()):
            return None
    return text


def _control_share(data: bytes | str) -> float:
    sample = data[:8192]
    if isinstance(sample, str):
        sample = [ord(character) for character in sample]
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


MARKDOWN_BLOCK_MARKERS = [b"\n" + marker for marker in (b"-", b"*", b"+", b"#", b">", b"|", *(b"%d" % digit for digit in range(10)))]


_ALL_BUT_NEWLINE_TO_A = bytes(10 if byte == 10 else 97 for byte in range(256))


def _count_blocks(text: str, name: str, limits: IngestLimits, *, markdown: bool = False) -> None:
    """Refuse text with more paragraphs than the limit, counted before any parser runs.

    Blank lines separate paragraphs; in Markdown a line starting with a list, heading, quote
    or table marker also starts a block. Counted with bytes operations only (a regular
    expression costs a microsecond per match, a second for a million paragraphs), and only
    when the text has more lines than the limit, since it cannot have more paragraphs.
    """
    if text.count("\n") < limits.max_paragraphs:
        return
    squeezed = text.encode("utf-8", errors="surrogatepass").translate(None, b" \t\r\f\v")
    # Every other byte becomes "a": a paragraph break is then "a" followed by two or more newlines.
    count = 1 + squeezed.translate(_ALL_BUT_NEWLINE_TO_A).rstrip(b"\n").count(b"a\n\n")
    if markdown:
        count += sum(squeezed.count(marker) for marker in MARKDOWN_BLOCK_MARKERS)
    if count > limits.max_paragraphs:
        raise limits.too_many_paragraphs(name, count)


def _parse_plain_text(text: str, name: str = "the file", limits: IngestLimits | None = None) -> ParsedArticle:
    _count_blocks(text, name, limits or IngestLimits())
    chunks = re.split(r"\n\s*\n", text.replace("\r\n", "\n"))
    chunks = [item for chunk in chunks for item in _list_items(chunk)]
    raw_blocks = [normalise_whitespace(chunk) for chunk in chunks]
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


_LIST_ITEM = re.compile(r"[ \t]*(?:[-*+•–]|[0-9]{1,3}[.)])[ \t]+\S")


def _list_items(chunk: str) -> list[str]:
    """A plain-text list (lines starting with ``-``, ``*``, ``•``, ``1.`` ...; at least two of them)
    as one paragraph per item, its marker kept; a line that starts no item continues the one before."""
    lines = chunk.split("\n")
    if sum(1 for line in lines if _LIST_ITEM.match(line)) < 2:
        return [chunk]
    items: list[list[str]] = []
    for line in lines:
        if _LIST_ITEM.match(line) or not items:
            items.append([line])
        else:
            items[-1].append(line)
    return ["\n".join(item) for item in items]


def _parse_markdown(text: str, name: str = "the file", limits: IngestLimits | None = None) -> ParsedArticle:
    from markdown_it import MarkdownIt

    _count_blocks(text, name, limits or IngestLimits(), markdown=True)

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


HTML_START_TAG = re.compile(r"<[A-Za-z]")
HTML_BLOCK_TAG = re.compile(r"<(?:p|li|h[1-6]|blockquote|dd|dt|tr|div|br)\b", re.IGNORECASE)


def _parse_html(text: str, name: str, limits: IngestLimits | None = None) -> ParsedArticle:
    import trafilatura
    from lxml import etree

    limits = limits or IngestLimits()
    elements = HTML_START_TAG.subn("", text)[1]
    if elements > limits.max_elements:
        raise IngestError(
            f"{name} has more HTML elements than the limit of {limits.max_elements:,}: {elements:,} counted. "
            "Save the article's text as .txt or .md and upload that."
        )
    blocks_counted = HTML_BLOCK_TAG.subn("", text)[1]
    if blocks_counted > limits.max_paragraphs:
        raise limits.too_many_paragraphs(name, blocks_counted)

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


W_NAMESPACE = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
RELATIONSHIPS_NAMESPACE = "http://schemas.openxmlformats.org/package/2006/relationships"
_W = f"{{{W_NAMESPACE}}}"
_RUN_CONTENT = (
    "w:r/w:t | w:r/w:tab | w:r/w:ptab | w:r/w:br | w:r/w:cr | w:r/w:noBreakHyphen"
    " | w:hyperlink/w:r/w:t | w:hyperlink/w:r/w:tab | w:hyperlink/w:r/w:ptab | w:hyperlink/w:r/w:br"
    " | w:hyperlink/w:r/w:cr | w:hyperlink/w:r/w:noBreakHyphen"
)


def _parse_docx(data: bytes, name: str, limits: IngestLimits | None = None) -> ParsedArticle:
    """Body paragraphs of a Word package, in order, with their style names (as python-docx reads them).

    The zip is checked from its directory, the paragraphs are counted on the raw XML, and
    only then is the XML parsed (by lxml, with entities, network and huge trees off).
    """
    limits = limits or IngestLimits()
    package = _open_docx_package(data, name, limits)
    with package:
        document_part = _main_document_part(package, name)
        document_xml = _read_member(package, document_part, name)
        prefix = _namespace_prefix(document_xml)
        paragraphs = sum(document_xml.count(f"<{prefix}p{end}".encode()) for end in (">", " ", "/", "\n", "\t"))
        if paragraphs > limits.max_paragraphs:
            raise limits.too_many_paragraphs(name, paragraphs)
        styles_part = document_part.rsplit("/", 1)[0] + "/styles.xml" if "/" in document_part else "styles.xml"
        styles_xml = _read_member(package, styles_part, name) if styles_part in package.names() else None
    body = _parse_xml(document_xml, name, document_part).find(f"{_W}body")
    style_names, default_style = _style_names(_parse_xml(styles_xml, name, styles_part) if styles_xml else None)
    from lxml import etree

    run_content = etree.XPath(_RUN_CONTENT, namespaces={"w": W_NAMESPACE})
    title = ""
    blocks: list[Block] = []
    for paragraph in body.iterchildren(f"{_W}p") if body is not None else ():
        plain = normalise_whitespace("".join(_run_text(element) for element in run_content(paragraph)))
        if not plain:
            continue
        style_id = paragraph.find(f"{_W}pPr/{_W}pStyle")
        style = style_names.get(style_id.get(f"{_W}val") if style_id is not None else None, default_style)
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


def _open_docx_package(data: bytes, name: str, limits: IngestLimits):
    """The .docx as a checked zip (``formats.archive.open_zip``): nothing is inflated yet.

    The entry count in the zip's end record is checked first, so a package of a hundred
    thousand tiny entries is refused before Python reads its directory.
    """
    declared = _declared_zip_entries(data)
    if declared is None:
        raise IngestError(f"{name} is not a Word .docx file (it is not a zip package); save it as .docx again.")
    if declared > limits.max_members:
        raise _too_many_members(name, declared, limits)
    try:
        return open_zip(data, what=name, max_members=limits.max_members, max_unpacked_bytes=limits.max_unpacked_bytes)
    except ArchiveError as error:
        raise _docx_refusal(error, limits) from None


def _docx_refusal(error, limits: IngestLimits) -> IngestError:
    """An archive refusal said for a Word document: the fact, then what to do and which limits apply."""
    fact = str(error).split("; ")[0]
    return IngestError(
        f"{fact}. Open it in Word and save it again, or split the document "
        f"(limits: {limits.max_unpacked_bytes / 1_048_576:,.0f} MB unpacked, ARGMAP_MAX_UNPACKED_MB; "
        f"{limits.max_members:,} parts)."
    )


def _too_many_members(name: str, count: int, limits: IngestLimits) -> IngestError:
    return IngestError(
        f"{name} has {count:,} parts inside; the limit for a .docx is {limits.max_members:,}. "
        "Open it in Word and save it again, or split the document."
    )


def _declared_zip_entries(data: bytes) -> int | None:
    """The entry count in the zip's end record (read before zipfile parses the directory), or None."""
    end = data.rfind(b"PK\x05\x06", max(0, len(data) - 65_557))
    if end < 0 or len(data) < end + 22:
        return None
    (entries,) = struct.unpack("<H", data[end + 10:end + 12])
    if entries == 0xFFFF:  # zip64: the real count is in the zip64 end record
        locator = data.rfind(b"PK\x06\x07", max(0, end - 20), end)
        if locator >= 0:
            (record,) = struct.unpack("<Q", data[locator + 8:locator + 16])
            if data[record:record + 4] == b"PK\x06\x06" and len(data) >= record + 40:
                (entries,) = struct.unpack("<Q", data[record + 32:record + 40])
    return entries


def _main_document_part(package, name: str) -> str:
    """The document part named in the package relationships (``word/document.xml`` as a rule)."""
    names = set(package.names())
    if "_rels/.rels" in names:
        relationships = _parse_xml(_read_member(package, "_rels/.rels", name), name, "_rels/.rels")
        for relationship in relationships.iter(f"{{{RELATIONSHIPS_NAMESPACE}}}Relationship"):
            if relationship.get("Type", "").endswith("/officeDocument"):
                target = relationship.get("Target", "").lstrip("/")
                if target in names:
                    return target
    if "word/document.xml" in names:
        return "word/document.xml"
    raise IngestError(f"{name} is a zip but not a Word document (it has no document part); save it as .docx again.")


def _read_member(package, member: str, name: str) -> bytes:
    try:
        return package.read(member)
    except ArchiveError:
        raise IngestError(f"{name} is damaged: {member} inside it cannot be unpacked. Open it in Word and save it again.") from None


def _namespace_prefix(xml: bytes) -> str:
    """The prefix the document binds to the WordprocessingML namespace ("w:" as a rule, "" if default)."""
    head = xml[:4096]
    match = re.search(rb'xmlns:([A-Za-z_][\w.-]*)="' + re.escape(W_NAMESPACE.encode()) + rb'"', head)
    if match:
        return match.group(1).decode() + ":"
    return "" if f'xmlns="{W_NAMESPACE}"'.encode() in head else "w:"


def _parse_xml(xml: bytes, name: str, member: str):
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    try:
        root = etree.fromstring(xml, parser)
    except etree.XMLSyntaxError as error:
        raise IngestError(
            f"{name} is damaged: {member} inside it is not well-formed XML ({error}). "
            "Open it in Word and save it again."
        ) from None
    if root is None:
        raise IngestError(f"{name} is damaged: {member} inside it is empty. Open it in Word and save it again.")
    return root


def _style_names(styles) -> tuple[dict[str, str], str]:
    """Paragraph style id -> lower-case style name, and the default paragraph style's name."""
    names, default = {}, "normal"
    if styles is None:
        return names, default
    for style in styles.iterchildren(f"{_W}style"):
        if style.get(f"{_W}type", "paragraph") != "paragraph":
            continue
        name_element = style.find(f"{_W}name")
        style_name = (name_element.get(f"{_W}val") if name_element is not None else "") or ""
        names[style.get(f"{_W}styleId")] = style_name.lower()
        if style.get(f"{_W}default") in ("1", "true", "on"):
            default = style_name.lower()
    return names, default


def _run_text(element) -> str:
    tag = element.tag
    if tag == f"{_W}t":
        return element.text or ""
    if tag in (f"{_W}tab", f"{_W}ptab"):
        return "\t"
    if tag == f"{_W}noBreakHyphen":
        return "-"
    if tag == f"{_W}br" and element.get(f"{_W}type") not in (None, "textWrapping"):
        return ""  # a page or column break
    return "\n"


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

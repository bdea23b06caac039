"""Argdown (``.argdown``): the map as statements and support/attack relations.

Every span becomes one statement, ``[Claim 1]: <quote>``, titled by its label and its
number in document order. The tree starts from the spans that support or attack nothing
(claims, usually; major claims first); under each statement come the spans that act on
it: ``<+ [Evidence 2]: ...`` for a span that supports it, ``<- [Counterclaim 1]: ...`` for
one that attacks it, recursively (a rebuttal sits under the counterclaim it attacks).
A span that acts on several statements is written out the first time and referred to by
its title (``<+ [Claim 2]``) after that, so cycles and shared premises stay finite.

Quotes are written on one line with whitespace collapsed and every character that
Argdown's lexer would read as markup (``[ ] < > { } # * _ @ / \\``, and ``.``/``:`` that
could start a ``.shortcode.``) escaped with a backslash, so the parser gives the quote
back. Tests run the export through the real parser (``@argdown/core``).
"""
from __future__ import annotations

import re
from collections import defaultdict

from annotations.argument_map import ArgumentMap, MapParagraph, MapRelation, MapSpan
from annotations.formats.base import (
    FormatError,
    ImportOptions,
    MapFormat,
    check_map,
    check_span_count,
    decode_utf8,
    kind_from_name,
    kind_is_mapped,
    label_from_name,
    labels_in_use,
    spans_in_document_order,
)

STATEMENT_TITLES = {
    "major_claim": "Major claim",
    "claim": "Claim",
    "evidence": "Evidence",
    "counterclaim": "Counterclaim",
    "rebuttal": "Rebuttal",
}
ROOT_ORDER = {"major_claim": 0, "claim": 1, "counterclaim": 2, "evidence": 3, "rebuttal": 4}
RELATION_SYMBOLS = {"supports": "<+", "attacks": "<-"}
_ALWAYS_ESCAPED = set("\\[]<>{}#*_@/")
INDENT = "    "


def escape_text(text: str) -> str:
    """One line of Argdown statement text that the parser reads back as ``text``."""
    flat = re.sub(r"\s+", " ", text).strip()
    escaped = []
    for index, character in enumerate(flat):
        following = flat[index + 1] if index + 1 < len(flat) else " "
        if character in _ALWAYS_ESCAPED or (character in ".:" and not following.isspace()):
            escaped.append("\\" + character)
        else:
            escaped.append(character)
    return "".join(escaped)


def statement_titles(argument_map: ArgumentMap) -> dict[str, str]:
    """Span id → ``"Claim 2"``: label and number in document order."""
    counts: dict[str, int] = defaultdict(int)
    titles = {}
    for span in spans_in_document_order(argument_map):
        counts[span.label] += 1
        titles[span.id] = f"{STATEMENT_TITLES[span.label]} {counts[span.label]}"
    return titles


def export_text(argument_map: ArgumentMap) -> str:
    spans = spans_in_document_order(argument_map)
    titles = statement_titles(argument_map)
    order = {span.id: index for index, span in enumerate(spans)}
    acting_on: dict[str, list] = defaultdict(list)  # target id → relations into it
    sources = set()
    for relation in argument_map.relations:
        acting_on[relation.target].append(relation)
        sources.add(relation.source)
    for relations in acting_on.values():
        relations.sort(key=lambda relation: (order[relation.source], relation.kind))

    lines = [f"# {escape_text(argument_map.title) or 'Argument map'}", ""]
    if argument_map.source_name:
        source = re.sub(r"\s+", " ", argument_map.source_name)
        lines += [f"// source: {source}", ""]
    written: set[str] = set()

    def write(span: MapSpan, depth: int, symbol: str) -> None:
        prefix = INDENT * depth + (f"{symbol} " if symbol else "")
        if span.id in written:
            lines.append(f"{prefix}[{titles[span.id]}]")
            return
        written.add(span.id)
        lines.append(f"{prefix}[{titles[span.id]}]: {escape_text(span.quote)}")
        for relation in acting_on.get(span.id, []):
            write(span_by_id[relation.source], depth + 1, RELATION_SYMBOLS[relation.kind])

    span_by_id = {span.id: span for span in spans}
    roots = sorted(
        (span for span in spans if span.id not in sources),
        key=lambda span: (ROOT_ORDER[span.label], order[span.id]),
    )
    for span in roots:
        write(span, 0, "")
        lines.append("")
    for span in spans:  # spans only reachable through a cycle
        if span.id not in written:
            write(span, 0, "")
            lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"




# --- import --------------------------------------------------------------------------
# Argdown as people write it (and as the Argdown editor and our export write it): an optional
# ``===`` front matter (``title:``), ``#`` headings, ``//`` and ``/* */`` comments, statements
# ``[Title]: text`` (defined once, referred to as ``[Title]``), arguments ``<Title>: text``,
# untitled statements, ``#tags``, and relations by indentation (tabs or spaces) with
# ``+`` / ``<+`` (the child supports its parent), ``-`` / ``<-`` (attacks), ``+>`` / ``->`` (the
# parent supports / attacks the child) and ``><`` (contradiction: each attacks the other).
# An Argdown file holds no source text: each statement becomes a paragraph, its span the whole
# paragraph. Labels: a ``#tag`` naming one (``#claim``, ``#premise``, or mapped), else a title such
# as our export writes (``Evidence 2``), else the structure (attacking → counterclaim, a rebuttal
# when it attacks a counterclaim; supporting → evidence; else claim). Premise-conclusion structures
# (``(1) … ---- (3) …``) as Argdown's ExplodeArgumentsPlugin reads them: a conclusion's premises are
# the inference's ``{uses: [..]}`` or the statements back to the previous conclusion; an argument
# with no text of its own stands for its main conclusion. Undercuts (``_>``, ``<_``)
# and statements only referred to, never given a text, are left out and reported.

_RELATION = re.compile(r"(<\+|<-|<_|\+>|->|_>|><|\+|-|_)\s+")
_ELEMENT = re.compile(r"(?:(?P<kind>[\[<])(?P<title>(?:\\.|[^\]>\\])+)[\]>])(?::\s*(?P<text>.*))?$")
_TAG = re.compile(r"(?<!\\)#(?:\(([^)]*)\)|([\w-]+))")
_TITLE_LABEL = re.compile(r"(major claim|claim|evidence|counterclaim|rebuttal|premise)\s+\d+", re.IGNORECASE)
_ARGDOWN_HEADING = re.compile(r"#{1,6}\s+(.*)")
_NUMBERED = re.compile(r"\([0-9]+\)\s+")  # a premise or conclusion of a premise-conclusion structure
_INFERENCE = re.compile(r"-{2,}\s*|--.*--\s*")  # the inference line between premises and conclusion
_LIST_ITEM = re.compile(r"(\*|[0-9]+\.)\s")


def _strip_comments(text: str) -> str:
    """Comments out, line breaks kept (so line numbers hold): ``/* ... */`` and an unescaped ``//`` to
    the line's end, as Argdown's lexer reads them (so ``https://`` ends a statement there too)."""
    text = re.sub(r"(?<!\\)/\*.*?\*/", lambda match: "\n" * match.group().count("\n"), text, flags=re.DOTALL)
    return re.sub(r"(?<!\\)//.*$", "", text, flags=re.MULTILINE)


def _unescape(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text)


# A statement's or argument's YAML data at the end of its text (``{importance: high}``), which Argdown's
# parser takes as metadata, not words; one level of nested braces.
_DATA = re.compile(r"(?<!\\)\{(?:[^{}]|\{[^{}]*\})*\}\s*$")


def _plain(text: str) -> tuple[str, list[str]]:
    """A statement's text without its ``#tags`` (returned apart), its trailing ``{data}`` and escapes,
    white space folded."""
    text = _DATA.sub("", text)
    tags = [(match.group(1) or match.group(2) or "").strip() for match in _TAG.finditer(text)]
    return re.sub(r"\s+", " ", _unescape(_TAG.sub("", text))).strip(), tags


def import_text(data: bytes, *, name: str = "", options: ImportOptions | None = None) -> list[ArgumentMap]:
    options = options or ImportOptions()
    source = decode_utf8(data, what="Argdown file").replace("\r\n", "\n").replace("\r", "\n")
    lines = _strip_comments(source).split("\n")
    title, first_line = "", 0
    if lines and lines[0].strip() == "===":
        end = next((i for i in range(1, len(lines)) if lines[i].strip() == "==="), None)
        if end is None:
            raise FormatError("the front matter opened with === is never closed", where="line 1")
        for line in lines[1:end]:
            key, _, value = line.partition(":")
            if key.strip().lower() == "title":
                title = value.strip().strip("\"'")
        first_line = end + 1
    nodes: dict[str, dict] = {}  # "[Title]" / "<Title>" → {text, tags, line, order}
    relations: list[tuple[int, str, str, str]] = []  # (line, kind, source key, target key)
    undercuts: list[tuple[int, str, str]] = []  # (line, undercutter, what it undercuts)
    stack: list[tuple[int, str]] = []  # (indent, node key) of the open lines
    untitled = 0
    last_key = None
    pcs = _Pcs()  # the premise-conclusion structure being read
    argument_line: str | None = None  # the last top-level <Argument> line: the owner of a PCS after it
    conclusion_of: dict[str, str] = {}  # an argument → the main conclusion of its PCS
    for number in range(first_line, len(lines)):
        raw = lines[number]
        line_number = number + 1
        if pcs.in_rule:  # "--", the inference rule's name and metadata, "--"
            pcs.in_rule = raw.strip() != "--"
            pcs.inference += " " + raw
            continue
        if not raw.strip():
            stack, last_key = [], None  # an empty line ends the paragraph, and its relation tree
            continue
        expanded = raw.expandtabs(4)
        indent = len(expanded) - len(expanded.lstrip())
        content = expanded.strip()
        if heading := _ARGDOWN_HEADING.fullmatch(content):
            title = title or _plain(heading.group(1))[0]
            stack, last_key = [], None
            pcs.close(conclusion_of)
            continue
        if _INFERENCE.fullmatch(content) or content == "--":
            pcs.in_rule, pcs.after_inference, pcs.inference = content == "--", True, content
            last_key = None
            continue
        numbered = _NUMBERED.match(content)
        if numbered:
            content = content[numbered.end():]
        elif _LIST_ITEM.match(content):
            content = content[2:].lstrip()
        relation = None if numbered else _RELATION.match(content)
        symbol = relation.group(1) if relation else ""
        body = content[relation.end():] if relation else content
        if not relation and last_key is not None and indent > 0 and not body.startswith(("[", "<")):
            plain, tags = _plain(body)  # a statement running on: its #tags and escapes read as on its first line
            nodes[last_key]["text"] = f"{nodes[last_key]['text']} {plain}".strip()
            nodes[last_key]["tags"] += tags
            continue
        element = _ELEMENT.match(body)
        if element:
            key = f"{'[' if element.group('kind') == '[' else '<'}{_unescape(element.group('title')).strip()}"
            key += "]" if key[0] == "[" else ">"
            text = element.group("text")
        else:
            untitled += 1
            key, text = f"[Untitled {untitled}]", body
        node = nodes.setdefault(key, {"text": "", "tags": [], "line": line_number, "order": len(nodes)})
        if text is not None and text.strip():
            plain, tags = _plain(text)
            if not node["text"]:
                node["text"], node["line"] = plain, line_number
            node["tags"] += tags
        if numbered:
            if not pcs.keys:
                pcs.owner, argument_line = argument_line, None
            relations += [(line_number, "supports", premise, key) for premise in pcs.add(key, line_number)]
        else:
            pcs.close(conclusion_of)
            if indent == 0 and not relation:  # a PCS belongs to the argument named on the line before it
                argument_line = key if key.startswith("<") else None
        while stack and stack[-1][0] >= indent:
            stack.pop()
        parent = stack[-1][1] if stack else None
        if symbol:
            if parent is None:
                raise FormatError(f"the relation {symbol!r} has no statement above it to attach to (indent it "
                                  "under one, with no empty line between them)", where=f"line {line_number}")
            if "_" in symbol:
                undercuts.append((line_number, key, parent) if symbol in ("<_", "_") else (line_number, parent, key))
            elif symbol == "><":
                relations += [(line_number, "attacks", key, parent), (line_number, "attacks", parent, key)]
            elif symbol in ("+", "<+", "-", "<-"):
                relations.append((line_number, "supports" if "+" in symbol else "attacks", key, parent))
            else:
                relations.append((line_number, "supports" if "+" in symbol else "attacks", parent, key))
        stack.append((indent, key))
        last_key = key if text is not None or not element else None
    pcs.close(conclusion_of)
    # An argument with no text of its own stands for the main conclusion of its PCS, as Argdown's
    # ExplodeArgumentsPlugin moves the argument's relations to its last inferential step.
    stands_for = {argument: conclusion for argument, conclusion in conclusion_of.items()
                  if not nodes[argument]["text"] and nodes[conclusion]["text"]}
    relations = [(line_number, kind, stands_for.get(source, source), stands_for.get(target, target))
                 for line_number, kind, source, target in relations]
    for argument in stands_for:
        del nodes[argument]
    undercut_kind = kind_from_name("undercut", where="--map undercut", label_map=options.label_map) \
        if kind_is_mapped("undercut", options.label_map) else None
    for line_number, source, target in undercuts:
        if undercut_kind:  # mapped: the undercutter attacks the premise (argument) whose inference it undercuts
            relations.append((line_number, undercut_kind, source, target))
        else:
            options.leave_out("an undercut (attacks an inference, not a statement), left out (--map undercut=attacks "
                              "stores it as an attack on the statement it undercuts)", where=f"line {line_number}")
    kept = [key for key, node in sorted(nodes.items(), key=lambda item: item[1]["order"]) if node["text"]]
    for key in nodes:
        if not nodes[key]["text"]:
            options.leave_out(f"{key} is referred to but never given a text, left out", where=f"line {nodes[key]['line']}")
    if not kept:
        raise FormatError("the file defines no statement with a text ([Title]: text)")
    check_span_count(len(kept), options)
    ids = {key: f"s{index + 1}" for index, key in enumerate(kept)}
    links, pairs = [], set()
    for line_number, kind, source_key, target_key in relations:
        if source_key not in ids or target_key not in ids:
            options.leave_out("a relation with a statement that has no text, left out", where=f"line {line_number}")
            continue
        pair = (ids[source_key], ids[target_key])
        if pair[0] == pair[1] or pair in pairs:
            continue
        pairs.add(pair)
        links.append(MapRelation(id=f"r{len(links) + 1}", kind=kind, source=pair[0], target=pair[1]))
    labels = _labels(kept, nodes, ids, links, options)
    paragraphs = [MapParagraph(position=index, text=nodes[key]["text"]) for index, key in enumerate(kept)]
    spans = [MapSpan(id=ids[key], paragraph=index, start=0, end=len(nodes[key]["text"]), quote=nodes[key]["text"],
                     label=labels[ids[key]], note=f"Argdown {key}") for index, key in enumerate(kept)]
    argument_map = ArgumentMap(title=title or name or "Argdown import", paragraphs=paragraphs, spans=spans,
                               relations=links, labels=labels_in_use(spans))
    check_map(argument_map)
    return [argument_map]


_USES = re.compile(r"\b(?:uses|from)\s*:\s*\[([0-9,\s]*)\]")


class _Pcs:
    """A premise-conclusion structure as Argdown reads it: numbered statements; a conclusion after each
    inference line (``----``, ``-- rule --``, or ``--`` rule lines ``--``). Its premises are the statements
    listed in the inference's ``{uses: [1, 2]}`` (or ``from``), else those back to the previous conclusion,
    that conclusion included (Argdown's ExplodeArgumentsPlugin)."""

    def __init__(self) -> None:
        self.keys: list[str] = []
        self.conclusions: list[int] = []
        self.owner: str | None = None
        self.after_inference, self.in_rule, self.inference = False, False, ""

    def add(self, key: str, line_number: int) -> list[str]:
        """Add a numbered statement; the premises that support it when it is a conclusion."""
        premises: list[str] = []
        if self.after_inference:
            uses = _USES.search(self.inference)
            if uses:
                numbers = [int(n) for n in re.findall(r"[0-9]+", uses.group(1))]
                bad = [n for n in numbers if not 1 <= n <= len(self.keys)]
                if bad:
                    raise FormatError(f"the inference uses statement ({bad[0]}), but the argument has "
                                      f"{len(self.keys)} statements before it", where=f"line {line_number}")
                premises = [self.keys[n - 1] for n in numbers]
            else:
                start = self.conclusions[-1] if self.conclusions else 0
                premises = self.keys[start:]
            self.conclusions.append(len(self.keys))
            self.after_inference, self.inference = False, ""
        self.keys.append(key)
        return [premise for premise in premises if premise != key]

    def close(self, conclusion_of: dict[str, str]) -> None:
        if self.owner and self.conclusions:
            conclusion_of[self.owner] = self.keys[self.conclusions[-1]]
        self.__init__()


def _labels(kept, nodes, ids, links, options) -> dict[str, str]:
    """Span id → label: a tag naming one, a title like ``Evidence 2``, else the structure."""
    found = {}
    for key in kept:
        for tag in nodes[key]["tags"]:
            try:
                label = label_from_name(tag, where="", label_map=options.label_map)
            except FormatError:
                continue
            if label:
                found[ids[key]] = label
                break
        else:
            if title := _TITLE_LABEL.fullmatch(key[1:-1]):
                found[ids[key]] = label_from_name(title.group(1), where="") or "claim"
    structural = {}
    for relation in links:
        if relation.kind == "attacks":
            structural[relation.source] = "counterclaim"
    for relation in links:
        if relation.kind == "attacks" and structural.get(relation.target) == "counterclaim" and \
                found.get(relation.target, "counterclaim") == "counterclaim":
            structural[relation.source] = "rebuttal"
        elif relation.kind == "supports" and relation.source not in structural:
            structural[relation.source] = "evidence"
    return {ids[key]: found.get(ids[key]) or structural.get(ids[key], "claim") for key in kept}


FORMAT = MapFormat(name="argdown", title="Argdown", extension="argdown", content_type="text/plain; charset=utf-8",
                   write=lambda argument_map: export_text(argument_map).encode("utf-8"), read=import_text)

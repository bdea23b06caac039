"""Pictures of the map (SVG, PNG, PDF) drawn by Graphviz ``dot``.

Layered top-down with claims on top: each relation is laid out from its target down to
its source (``dir=back`` keeps the arrow pointing at the target), so evidence and
counterclaims sit under the claim they act on and rebuttals under their counterclaim.
Each label has its own colour and shape; supports are solid green arrows, attacks
dashed red lines ending in a bar (``tee``). Node text is wrapped at 40 characters and cut
with an ellipsis after 6 lines. A legend shows the labels in use and both relations.
Needs the Debian ``graphviz`` package (``dot``) and the ``graphviz`` Python package.
"""
from __future__ import annotations

import html
import textwrap

import graphviz

from annotations.argument_map import LABELS, ArgumentMap
from annotations.formats.base import FormatError, MapFormat, spans_in_document_order

WRAP_WIDTH = 40
MAX_LINES = 6
FONT = "DejaVu Sans"

SHAPE_MARGINS = {"hexagon": "0.02,0.04", "parallelogram": "0.0,0.04", "doubleoctagon": "0.03,0.04"}
LABEL_STYLES = {  # label → (name shown, shape, fill colour, border colour)
    "major_claim": ("Major claim", "doubleoctagon", "#fff2cc", "#b45f06"),
    "claim": ("Claim", "box", "#cfe2f3", "#1c4587"),
    "evidence": ("Evidence", "note", "#d9ead3", "#274e13"),
    "counterclaim": ("Counterclaim", "hexagon", "#fce5cd", "#b45f06"),
    "rebuttal": ("Rebuttal", "parallelogram", "#ead1dc", "#741b47"),
}
SHAPE_WORDS = {
    "doubleoctagon": "double octagon",
    "box": "box",
    "note": "folded note",
    "hexagon": "hexagon",
    "parallelogram": "slanted box",
}
RELATION_STYLES = {
    "supports": {"color": "#2e7d32", "style": "solid", "arrowtail": "normal", "penwidth": "2"},
    "attacks": {"color": "#c62828", "style": "dashed", "arrowtail": "tee", "penwidth": "2"},
}


def wrap(text: str, width: int = WRAP_WIDTH, max_lines: int = MAX_LINES) -> list[str]:
    """Lines of at most ``width`` characters; past ``max_lines`` the last line ends in …"""
    lines = textwrap.wrap(" ".join(text.split()), width=width, break_long_words=True) or [""]
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = textwrap.shorten(lines[-1] + " …", width=width, placeholder=" …")
        if not lines[-1].endswith("…"):
            lines[-1] = lines[-1][: width - 1] + "…"
    return lines


def _node_label(label: str, text: str) -> str:
    name = LABEL_STYLES[label][0]
    body = "<BR/>".join(html.escape(line) for line in wrap(text))
    return f'<<FONT POINT-SIZE="9"><B>{html.escape(name.upper())}</B></FONT><BR/>{body}>'


def map_to_graph(argument_map: ArgumentMap) -> graphviz.Digraph:
    graph = graphviz.Digraph(name="argument_map")
    graph.attr(
        rankdir="TB",
        label=html.escape(argument_map.title),
        labelloc="t",
        fontname=FONT,
        fontsize="20",
        nodesep="0.35",
        ranksep="0.6",
        newrank="true",
    )
    graph.attr("node", fontname=FONT, fontsize="11", style="filled", margin="0.15,0.08")
    graph.attr("edge", dir="back", arrowsize="1.1")
    spans = spans_in_document_order(argument_map)
    node_name = {span.id: f"s{index}" for index, span in enumerate(spans)}
    for span in spans:
        _name, shape, fill, border = LABEL_STYLES[span.label]
        graph.node(node_name[span.id], label=_node_label(span.label, span.quote), shape=shape,
                   fillcolor=fill, color=border, tooltip=span.quote, margin=SHAPE_MARGINS.get(shape, "0.15,0.08"))
    with graph.subgraph(name="top") as top:  # claims that nothing points from go on the top rank
        top.attr(rank="min")
        sources = {relation.source for relation in argument_map.relations}
        for span in spans:
            if span.label in ("major_claim", "claim") and span.id not in sources:
                top.node(node_name[span.id])
    for relation in argument_map.relations:
        graph.edge(node_name[relation.target], node_name[relation.source], **RELATION_STYLES[relation.kind])
    _add_legend(graph, [label for label in LABELS if any(span.label == label for span in spans)])
    return graph


def _add_legend(graph: graphviz.Digraph, labels: list[str]) -> None:
    """A table beside the map: a swatch per label in use, then both relation styles."""
    rows = []
    for label in labels:
        name, shape, fill, border = LABEL_STYLES[label]
        rows.append(
            f'<TR><TD BGCOLOR="{fill}" COLOR="{border}" BORDER="1" WIDTH="28"> </TD>'
            f'<TD ALIGN="LEFT">{html.escape(name)} ({SHAPE_WORDS[shape]})</TD></TR>'
        )
    for kind, words in (("supports", "solid green arrow"), ("attacks", "dashed red, bar end")):
        colour = RELATION_STYLES[kind]["color"]
        sample = "——▶" if kind == "supports" else "- - -┤"
        rows.append(f'<TR><TD><FONT COLOR="{colour}"><B>{sample}</B></FONT></TD>'
                    f'<TD ALIGN="LEFT">{kind} ({words})</TD></TR>')
    table = (
        '<<TABLE BORDER="1" CELLBORDER="0" CELLSPACING="4" CELLPADDING="2" COLOR="#999999">'
        '<TR><TD COLSPAN="2"><B>Legend</B></TD></TR>' + "".join(rows) + "</TABLE>>"
    )
    graph.node("legend", label=table, shape="plaintext", style="", fontsize="10")


def render(argument_map: ArgumentMap, output_format: str) -> bytes:
    graph = map_to_graph(argument_map)
    if output_format == "png":
        graph.attr(dpi="150")
    try:
        return graph.pipe(format=output_format)
    except graphviz.ExecutableNotFound:
        raise FormatError("Graphviz's dot program is not installed (Debian package graphviz)") from None
    except graphviz.CalledProcessError as error:
        raise FormatError(f"Graphviz could not draw the map: {error.stderr.decode(errors='replace')[:300]}") from None


class SvgFormat(MapFormat):
    name = "svg"
    title = "Picture (SVG)"
    extension = "svg"
    content_type = "image/svg+xml"

    def export(self, argument_map: ArgumentMap) -> bytes:
        return render(argument_map, "svg")


class PngFormat(MapFormat):
    name = "png"
    title = "Picture (PNG)"
    extension = "png"
    content_type = "image/png"

    def export(self, argument_map: ArgumentMap) -> bytes:
        return render(argument_map, "png")


class PdfFormat(MapFormat):
    name = "pdf"
    title = "Picture (PDF)"
    extension = "pdf"
    content_type = "application/pdf"

    def export(self, argument_map: ArgumentMap) -> bytes:
        return render(argument_map, "pdf")

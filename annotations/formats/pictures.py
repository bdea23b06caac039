"""Pictures of the map (SVG, PNG, PDF) drawn by Graphviz ``dot``, shaped to fit a slide.

Each relation is laid out from its target to its source (``dir=back`` keeps the arrow
pointing at the target), so evidence and counterclaims sit next to the claim they act on
and rebuttals next to their counterclaim. The map is laid out both top-down (claims on
top) and left-to-right (claims on the left, their reasons in a column to the right); the
layout whose width:height is nearer a 16:9 slide wins (``choose_layout``), so a claim with
many pieces of evidence stacks them instead of spreading one long row.

Each label has its own colour and a rectangular shape (no pointed polygons: Graphviz
inflates those by about 40–100 % around wrapped text): major claim double box, claim box,
evidence folded note, counterclaim arrow box, rebuttal rounded box. Supports are solid
green arrows, attacks dashed red lines ending in a bar (``tee``). Node text is wrapped
(30 characters top-down, 36 left-to-right) and cut with an ellipsis after 6 lines. A
legend shows the labels in use and both relations.
Needs the Debian ``graphviz`` package (``dot``) and the ``graphviz`` Python package.
"""
from __future__ import annotations

import html
import math
import re
import textwrap
from concurrent.futures import ThreadPoolExecutor

import graphviz

from annotations.argument_map import LABELS, ArgumentMap
from annotations.formats.base import FormatError, MapFormat, spans_in_document_order

WRAP_WIDTH = 40  # the most characters a line ever has
WRAP_WIDTHS = {"TB": 30, "LR": 36}  # per layout: narrow nodes top-down, wider ones in columns
MAX_LINES = 6
FONT = "DejaVu Sans"
SLIDE_RATIO = 16 / 9

LABEL_STYLES = {  # label → (name shown, shape, fill colour, border colour)
    "major_claim": ("Major claim", "double box", "#fff2cc", "#b45f06"),
    "claim": ("Claim", "box", "#cfe2f3", "#1c4587"),
    "evidence": ("Evidence", "note", "#d9ead3", "#274e13"),
    "counterclaim": ("Counterclaim", "larrow", "#fce5cd", "#b45f06"),
    "rebuttal": ("Rebuttal", "rounded box", "#ead1dc", "#741b47"),
}
SHAPE_ATTRIBUTES = {  # our shape names → Graphviz node attributes
    "double box": {"shape": "box", "peripheries": "2"},
    "box": {"shape": "box"},
    "note": {"shape": "note"},
    "larrow": {"shape": "larrow", "margin": "0.14,0.11"},
    "rounded box": {"shape": "box", "style": "rounded,filled"},
}
SHAPE_WORDS = {
    "double box": "double box",
    "box": "box",
    "note": "folded note",
    "larrow": "arrow box",
    "rounded box": "rounded box",
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


def _node_label(label: str, text: str, width: int) -> str:
    name = LABEL_STYLES[label][0]
    body = "<BR/>".join(html.escape(line) for line in wrap(text, width))
    return f'<<FONT POINT-SIZE="9"><B>{html.escape(name.upper())}</B></FONT><BR/>{body}>'


def map_to_graph(argument_map: ArgumentMap, *, rankdir: str = "TB") -> graphviz.Digraph:
    """The map as a Graphviz graph laid out ``TB`` (claims on top) or ``LR`` (claims on the left)."""
    width = WRAP_WIDTHS.get(rankdir, WRAP_WIDTH)
    graph = graphviz.Digraph(name="argument_map")
    spans = spans_in_document_order(argument_map)
    labels_used = [label for label in LABELS if any(span.label == label for span in spans)]
    graph.attr(
        rankdir=rankdir,
        label=_title_and_legend(argument_map.title, labels_used),
        labelloc="t",
        fontname=FONT,
        fontsize="11",
        nodesep="0.25" if rankdir == "LR" else "0.3",
        ranksep="0.5" if rankdir == "LR" else "0.45",
        newrank="true",
    )
    graph.attr("node", fontname=FONT, fontsize="11", style="filled", margin="0.12,0.06")
    graph.attr("edge", dir="back", arrowsize="1.1")
    node_name = {span.id: f"s{index}" for index, span in enumerate(spans)}
    for span in spans:
        _name, shape, fill, border = LABEL_STYLES[span.label]
        graph.node(node_name[span.id], label=_node_label(span.label, span.quote, width),
                   fillcolor=fill, color=border, tooltip=graphviz.escape(span.quote), **SHAPE_ATTRIBUTES[shape])
    with graph.subgraph(name="top") as top:  # claims that nothing points from go on the first rank
        top.attr(rank="min")
        sources = {relation.source for relation in argument_map.relations}
        for span in spans:
            if span.label in ("major_claim", "claim") and span.id not in sources:
                top.node(node_name[span.id])
    for relation in argument_map.relations:
        graph.edge(node_name[relation.target], node_name[relation.source], **RELATION_STYLES[relation.kind])
    return graph


LAYOUTS = ("TB", "LR")


def _drawing_size(output_format: str, data: bytes) -> tuple[float, float]:
    """Width and height of an SVG or PDF drawing in points, read from its header."""
    pattern = rb'<svg width="([\d.]+)pt" height="([\d.]+)pt"' if output_format == "svg" else rb"/MediaBox \[\s*0 0 ([\d.]+) ([\d.]+)\s*\]"
    found = re.search(pattern, data)
    if found is None:
        raise FormatError(f"cannot read the size of Graphviz's {output_format} output")
    return float(found.group(1)), float(found.group(2))


def _slide_misfit(width: float, height: float) -> float:
    return abs(math.log(max(width, 0.01) / max(height, 0.01) / SLIDE_RATIO))


def choose_layout(argument_map: ArgumentMap, output_format: str = "svg") -> tuple[str, bytes]:
    """(rankdir, drawing) of the layout whose shape is nearer a 16:9 slide; top-down unless clearly worse.

    Both layouts are drawn at once (two ``dot`` processes in parallel) as SVG or PDF, then one
    is kept; a PNG (slow to rasterize) is drawn only for the chosen layout.
    """
    trial_format = output_format if output_format in ("svg", "pdf") else "svg"

    def draw(rankdir: str, drawing_format: str) -> bytes:
        graph = map_to_graph(argument_map, rankdir=rankdir)
        if drawing_format == "png":
            graph.attr(dpi="150")
        return graph.pipe(format=drawing_format)

    with ThreadPoolExecutor(max_workers=len(LAYOUTS)) as pool:
        drawings = dict(zip(LAYOUTS, pool.map(draw, LAYOUTS, [trial_format] * len(LAYOUTS))))
    misfit = {rankdir: _slide_misfit(*_drawing_size(trial_format, data)) for rankdir, data in drawings.items()}
    rankdir = "LR" if misfit["LR"] < misfit["TB"] - 0.05 else "TB"
    if trial_format != output_format:
        return rankdir, draw(rankdir, output_format)
    return rankdir, drawings[rankdir]


LEGEND_ITEMS_PER_ROW = 4


def _title_and_legend(title: str, labels: list[str]) -> str:
    """The graph's label: the title, and under it a legend strip (a swatch per label in use,
    then both relation styles), so the legend adds height rather than another column."""
    items = []
    for label in labels:
        name, shape, fill, border = LABEL_STYLES[label]
        items.append(
            f'<TD BGCOLOR="{fill}" COLOR="{border}" BORDER="1" WIDTH="24"> </TD>'
            f'<TD ALIGN="LEFT">{html.escape(name)} ({SHAPE_WORDS[shape]})</TD>'
        )
    for kind, words in (("supports", "solid green arrow"), ("attacks", "dashed red, bar end")):
        colour = RELATION_STYLES[kind]["color"]
        sample = "——▶" if kind == "supports" else "- - -┤"
        items.append(f'<TD><FONT COLOR="{colour}"><B>{sample}</B></FONT></TD><TD ALIGN="LEFT">{kind} ({words})</TD>')
    rows = [items[index:index + LEGEND_ITEMS_PER_ROW] for index in range(0, len(items), LEGEND_ITEMS_PER_ROW)]
    legend_rows = "".join(
        f'<TR>{"<TD><B>Legend</B></TD>" if index == 0 else "<TD></TD>"}{"".join(row)}</TR>'
        for index, row in enumerate(rows)
    )
    title_lines = "<BR/>".join(html.escape(line) for line in textwrap.wrap(title, 70) or [""])
    return (
        '<<TABLE BORDER="0" CELLSPACING="0" CELLPADDING="3">'
        f'<TR><TD><FONT POINT-SIZE="20">{title_lines}</FONT></TD></TR>'
        '<TR><TD><FONT POINT-SIZE="10"><TABLE BORDER="1" CELLBORDER="0" CELLSPACING="3" CELLPADDING="2" COLOR="#999999">'
        f'{legend_rows}</TABLE></FONT></TD></TR></TABLE>>'
    )


def render(argument_map: ArgumentMap, output_format: str) -> bytes:
    try:
        return choose_layout(argument_map, output_format)[1]
    except graphviz.ExecutableNotFound:
        raise FormatError("Graphviz's dot program is not installed (Debian package graphviz)") from None
    except graphviz.CalledProcessError as error:
        raise FormatError(f"Graphviz could not draw the map: {error.stderr.decode(errors='replace')[:300]}") from None


def picture_format(output_format: str, content_type: str) -> MapFormat:
    """The map drawn by Graphviz in one output format (SVG, PNG or PDF)."""
    return MapFormat(name=output_format, title=f"Picture ({output_format.upper()})", extension=output_format,
                     content_type=content_type, write=lambda argument_map: render(argument_map, output_format))


SVG = picture_format("svg", "image/svg+xml")
PNG = picture_format("png", "image/png")
PDF = picture_format("pdf", "application/pdf")

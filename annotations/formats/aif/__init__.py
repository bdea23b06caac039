"""AIF JSON (Argument Interchange Format) as OVA3 and AIFdb read and write it.

Export (``writer.py``) writes the OVA3 shape: ``{"AIF": {nodes, edges, schemefulfillments, participants,
locutions, ...}, "text": ..., "OVA": {...}, "argmap": {...}}``.

- Each span is an I-node (its quote as text). Each I-node is anchored, as in OVA's
  dialogical analyses, by an L-node (``"<speaker>: <quote>"``) and a YA node
  ("Asserting"); the L-node has a locution entry.
- Each ``supports`` relation is an RA node (Default Inference), each ``attacks`` relation
  a CA node (Default Conflict): premise I → RA/CA → conclusion I. There is never an edge
  from an I-node straight to an I-node.
- ``text`` is the source text as OVA keeps it: HTML, ``<br>`` for line breaks, each span
  wrapped in ``<span class="highlighted" id="node<L-node id>">``.
- ``argmap`` is our extension field: offsets (paragraph and document), labels, ids,
  authors, notes and paragraph kinds, so an argmap → AIF → argmap round trip keeps them.

Import (``reader.py``) reads that shape, the plain AIFdb shape (nodes/edges/locutions at the top level),
the xaif library's (highlights by bare node id) and OVA2 (``analysis.txt``). Without the extension,
offsets come from the highlighted spans in the text, and failing that from finding the I-node's
text in the source text (a text that holds none of them is kept as a first paragraph, each
proposition a paragraph after it); labels are inferred: a premise of a CA is a counterclaim (a
rebuttal when it attacks a counterclaim), a premise of an RA is evidence, anything else a claim.
An RA/CA without premise or single conclusion is left out by node, the rest imported.
"""
from __future__ import annotations

from annotations.formats.aif.reader import import_maps, map_from_aif
from annotations.formats.aif.writer import export_map, highlighted_text
from annotations.formats.base import MapFormat

__all__ = ["FORMAT", "export_map", "highlighted_text", "import_maps", "map_from_aif"]


FORMAT = MapFormat(name="aif", title="AIF JSON (OVA3, AIFdb)", extension="aif.json", content_type="application/json",
                   write=export_map, read=import_maps)

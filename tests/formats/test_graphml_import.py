"""GraphML import: yEd's own files (y:ShapeNode labels, edge labels and line colours, group nodes),
Gephi-style node labels, keys declared for nodes, edges, the graph and all, our own export back, and
files that cannot be read (a DOCTYPE, broken XML, an edge to no node) refused naming the place."""
from __future__ import annotations

import pytest

from annotations.formats.base import FormatError, ImportOptions, parse_label_map
from annotations.formats.graphml import export_text, import_graph

YED = """<?xml version="1.0" encoding="UTF-8" standalone="no"?>
<graphml xmlns="http://graphml.graphdrawing.org/xmlns" xmlns:java="http://www.yworks.com/xml/yfiles-common/1.0/java"
  xmlns:sys="http://www.yworks.com/xml/yfiles-common/markup/primitives/2.0" xmlns:x="http://www.yworks.com/xml/yfiles-common/markup/2.0"
  xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:y="http://www.yworks.com/xml/graphml"
  xmlns:yed="http://www.yworks.com/xml/yed/3"
  xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns http://www.yworks.com/xml/schema/graphml/1.1/ygraphml.xsd">
  <!--Created by yEd 3.23.2-->
  <key attr.name="Description" attr.type="string" for="graph" id="d0"/>
  <key for="port" id="d1" yfiles.type="portgraphics"/>
  <key attr.name="url" attr.type="string" for="node" id="d3"/>
  <key attr.name="description" attr.type="string" for="node" id="d4"/>
  <key for="node" id="d5" yfiles.type="nodegraphics"/>
  <key for="graphml" id="d6" yfiles.type="resources"/>
  <key attr.name="url" attr.type="string" for="edge" id="d7"/>
  <key attr.name="description" attr.type="string" for="edge" id="d8"/>
  <key for="edge" id="d9" yfiles.type="edgegraphics"/>
  <graph edgedefault="directed" id="G">
    <data key="d0" xml:space="preserve"/>
    <node id="n0">
      <data key="d5">
        <y:ShapeNode>
          <y:Geometry height="60.0" width="180.0" x="100.0" y="40.0"/>
          <y:Fill color="#FFCC00" transparent="false"/>
          <y:BorderStyle color="#000000" raised="false" type="line" width="1.0"/>
          <y:NodeLabel alignment="center" autoSizePolicy="content" fontFamily="Dialog" fontSize="12" fontStyle="plain"
            hasBackgroundColor="false" hasLineColor="false" height="32" horizontalTextPosition="center" iconTextGap="4"
            modelName="custom" textColor="#000000" verticalTextPosition="bottom" visible="true" width="160" x="10" y="14">Close the
Königstraße to cars<y:LabelModel><y:SmartNodeLabelModel distance="4.0"/></y:LabelModel></y:NodeLabel>
          <y:Shape type="roundrectangle"/>
        </y:ShapeNode>
      </data>
    </node>
    <node id="n1">
      <data key="d5"><y:ShapeNode><y:NodeLabel>Footfall rose by 18 %</y:NodeLabel><y:Shape type="rectangle"/></y:ShapeNode></data>
    </node>
    <node id="n2">
      <data key="d4">an objection</data>
      <data key="d5"><y:GenericNode configuration="com.yworks.flowchart.process"><y:NodeLabel>Shops will lose trade</y:NodeLabel></y:GenericNode></data>
    </node>
    <node id="n3">
      <data key="d5"><y:ShapeNode><y:NodeLabel>The bakery sold more bread</y:NodeLabel></y:ShapeNode></data>
    </node>
    <node id="n4" yfiles.foldertype="group">
      <data key="d5"><y:ProxyAutoBoundsNode><y:Realizers active="0"><y:GroupNode><y:NodeLabel>Evidence group</y:NodeLabel></y:GroupNode></y:Realizers></y:ProxyAutoBoundsNode></data>
      <graph edgedefault="directed" id="n4:">
        <node id="n4::n0"><data key="d5"><y:ShapeNode><y:NodeLabel>Noise fell below 45 dB</y:NodeLabel></y:ShapeNode></data></node>
      </graph>
    </node>
    <edge id="e0" source="n1" target="n0">
      <data key="d9"><y:PolyLineEdge><y:LineStyle color="#000000" type="line" width="1.0"/><y:Arrows source="none" target="standard"/>
        <y:EdgeLabel>supports</y:EdgeLabel></y:PolyLineEdge></data>
    </edge>
    <edge id="e1" source="n2" target="n0">
      <data key="d9"><y:PolyLineEdge><y:LineStyle color="#FF0000" type="line" width="1.0"/><y:Arrows source="none" target="standard"/></y:PolyLineEdge></data>
    </edge>
    <edge id="e2" source="n3" target="n2">
      <data key="d9"><y:PolyLineEdge><y:LineStyle color="#000000" type="dashed" width="1.0"/></y:PolyLineEdge></data>
    </edge>
    <edge id="e3" source="n4::n0" target="n0">
      <data key="d9"><y:PolyLineEdge><y:LineStyle color="#008000" type="line" width="1.0"/></y:PolyLineEdge></data>
    </edge>
    <edge id="e4" source="n4" target="n0"/>
  </graph>
  <data key="d6"><y:Resources/></data>
</graphml>
"""


def quotes(argument_map):
    quote = {span.id: span.quote for span in argument_map.spans}
    return quote, {(quote[r.source], r.kind, quote[r.target]) for r in argument_map.relations}


def test_a_yed_diagram_imports_its_labels_and_links():
    options = ImportOptions()
    (argument_map,) = import_graph(YED.encode(), name="diagram", options=options)
    quote, links = quotes(argument_map)
    assert [span.quote for span in argument_map.spans] == [
        "Close the Königstraße to cars", "Footfall rose by 18 %", "Shops will lose trade", "The bakery sold more bread",
        "Noise fell below 45 dB"]
    assert links == {("Footfall rose by 18 %", "supports", "Close the Königstraße to cars"),
                     ("Shops will lose trade", "attacks", "Close the Königstraße to cars"),
                     ("The bakery sold more bread", "attacks", "Shops will lose trade"),
                     ("Noise fell below 45 dB", "supports", "Close the Königstraße to cars")}
    assert {span.quote: span.label for span in argument_map.spans}["The bakery sold more bread"] == "rebuttal"
    assert any("node 'n4': a group node" in line for line in options.left_out)
    assert any("edge 'e4': links a node that was left out" in line for line in options.left_out)
    assert argument_map.title == "diagram"


def test_gephi_labels_keys_for_all_and_unlabelled_edges():
    """Gephi/Cytoscape: a node's 'label' is its text; 'type' names the argmap label; a key for="all";
    an edge with no kind is a support, and the summary says so."""
    data = """<?xml version="1.0" encoding="UTF-8"?>
<graphml xmlns="http://graphml.graphdrawing.org/xmlns">
  <key id="label" for="all" attr.name="label" attr.type="string"/>
  <key id="type" for="node" attr.name="type" attr.type="string"/>
  <key id="interaction" for="edge" attr.name="interaction" attr.type="string"/>
  <graph edgedefault="directed">
    <node id="a"><data key="label">Cats are better pets</data><data key="type">Claim</data></node>
    <node id="b"><data key="label">They sleep a lot</data><data key="type">Premise</data></node>
    <node id="c"><data key="label">Dogs are loyal</data></node>
    <node id="d"><data key="label">Dogs need walks</data></node>
    <edge source="b" target="a"><data key="interaction">pro</data></edge>
    <edge source="c" target="a"><data key="label">con</data></edge>
    <edge source="d" target="a"/>
  </graph>
</graphml>"""
    options = ImportOptions()
    (argument_map,) = import_graph(data.encode(), options=options)
    labels = {span.quote: span.label for span in argument_map.spans}
    assert labels == {"Cats are better pets": "claim", "They sleep a lot": "evidence", "Dogs are loyal": "counterclaim",
                      "Dogs need walks": "evidence"}
    assert quotes(argument_map)[1] == {("They sleep a lot", "supports", "Cats are better pets"),
                                       ("Dogs are loyal", "attacks", "Cats are better pets"),
                                       ("Dogs need walks", "supports", "Cats are better pets")}
    assert options.left_out == [] and options.assumed == [
        "1 edge(s) name neither supports nor attacks (no kind, label or red/green line) and were stored as supports: "
        "edge 3; map (none)=attacks, or (none)=- to leave them out"]
    for mapping, kind in (("(none)=attacks", "attacks"), ("(none)=-", None)):
        options = ImportOptions(label_map=parse_label_map([mapping]))
        (argument_map,) = import_graph(data.encode(), options=options)
        assert options.assumed == [] and {r.kind for r in argument_map.relations if r.source == "s4"} == (
            {kind} if kind else set())
        assert options.left_out == ([] if kind else ["edge 3: names no kind; (none)=- leaves such edges out"])
    with pytest.raises(FormatError, match=r"edge 3: names neither supports nor attacks .*give it a kind"):
        import_graph(data.encode(), options=ImportOptions(strict=True))


def test_our_export_imports_back(sample_map):
    (back,) = import_graph(export_text(sample_map).encode(), options=ImportOptions())
    assert sorted((s.label, s.quote) for s in back.spans) == sorted((s.label, s.quote) for s in sample_map.spans)
    quote = {s.id: s.quote for s in sample_map.spans}
    assert quotes(back)[1] == {(quote[r.source], r.kind, quote[r.target]) for r in sample_map.relations}
    assert back.title == sample_map.title


@pytest.mark.parametrize("data, message", [
    (b'<?xml version="1.0"?><!DOCTYPE graphml [<!ENTITY x "y">]><graphml/>', "declares a DOCTYPE or entities"),
    (b"<graphml><graph><node id='a'></graph></graphml>", r"line 1: not well-formed XML"),
    (b"<svg/>", r"the root element is <svg>"),
    (b"<graphml xmlns='http://graphml.graphdrawing.org/xmlns'><graph><node id='a'><data key='text'>t</data></node>"
     b"<edge source='a' target='zz'/></graph></graphml>", r"edge 1: its target 'zz' is not a node"),
    (b"<graphml><graph><node id='a'/><node id='a'/></graph></graphml>", r"node 'a': the id is used by two nodes"),
    (b"<graphml><graph/></graphml>", "no node with a text"),
])
def test_graphml_that_cannot_be_read_names_the_place(data, message):
    with pytest.raises(FormatError, match=message):
        import_graph(data, options=ImportOptions())

/**
 * The argument map: claims, evidence and counterclaims as nodes (shape + colour per label),
 * "supports" (solid, arrow) and "attacks" (dashed, bar end) as edges, laid out in layers by
 * dagre with claims on top. Kept in step with the text both ways through the store's
 * selection: tapping a node selects its span (the text scrolls to it); selecting a span
 * selects and centres its node.
 *
 * Cytoscape.js and cytoscape-dagre are vendored (../vendor, see its README). The map is built
 * after the text is interactive and re-laid out when idle, so it never delays tagging.
 * Keyboard: the map is one tab stop; arrow keys walk the nodes in text order, Enter selects.
 * For tests and plugins the Cytoscape instance is reachable as `element.argmapCy`.
 */
import cytoscape from "../vendor/cytoscape-3.35.0/cytoscape.esm.min.js";
import cytoscapeDagre from "../vendor/cytoscape-dagre-4.0.1/cytoscape-dagre.esm.js";
import { LABEL_MARKERS, LABEL_NAMES, short } from "./store.js";

cytoscape.use(cytoscapeDagre);

export const LABEL_STYLE = {
  major_claim: { color: "#5b21b6", shape: "round-rectangle" },
  claim: { color: "#1d4ed8", shape: "round-rectangle" },
  evidence: { color: "#047857", shape: "ellipse" },
  counterclaim: { color: "#b91c1c", shape: "hexagon" },
  rebuttal: { color: "#9a3412", shape: "tag" },
};

const idle = window.requestIdleCallback ? (fn) => window.requestIdleCallback(fn, { timeout: 1000 }) : (fn) => setTimeout(fn, 100);

function nodeData(span) {
  return { id: span.key, label: `${LABEL_MARKERS[span.label] || "?"}: ${short(span.quote, 40)}`, kind: span.label, paragraph: span.paragraph, start: span.start };
}

export class ArgumentMapView {
  constructor({ root, store, announce }) {
    this.root = root;
    this.store = store;
    this.announce = announce;
    this.cy = null;
    this._layoutTimer = null;
    this._pendingLayout = false;
  }

  /** Build the graph (call when the page is otherwise ready). */
  start() {
    const store = this.store;
    const elements = [];
    for (const span of store.annotations.values()) elements.push({ group: "nodes", data: nodeData(span) });
    for (const relation of store.relations.values()) elements.push({ group: "edges", data: { id: relation.key, source: relation.source, target: relation.target, kind: relation.kind } });
    const styles = [
      {
        selector: "node",
        style: {
          label: "data(label)", "text-wrap": "wrap", "text-max-width": "124px", "font-size": "13px", color: "#111",
          "text-valign": "center", "text-halign": "center", width: "136px", height: "64px", "background-opacity": 0.14,
          "border-width": 2, "text-outline-width": 0,
        },
      },
      ...Object.entries(LABEL_STYLE).map(([label, style]) => ({
        selector: `node[kind = "${label}"]`,
        style: { "background-color": style.color, "border-color": style.color, shape: style.shape },
      })),
      { selector: 'node[kind = "evidence"]', style: { "border-style": "dashed" } },
      { selector: 'node[kind = "counterclaim"]', style: { "border-style": "double", "border-width": 4 } },
      { selector: "node:selected", style: { "border-width": 5, "border-color": "#b45309", "border-style": "solid", "background-opacity": 0.3, "z-index": 10 } },
      { selector: "edge", style: { width: 2, "curve-style": "bezier", "target-arrow-shape": "triangle", "arrow-scale": 1.2, label: "data(kind)", "font-size": "9px", "text-background-color": "#fff", "text-background-opacity": 1, "text-rotation": "autorotate" } },
      { selector: 'edge[kind = "supports"]', style: { "line-color": "#047857", "target-arrow-color": "#047857", color: "#065f46" } },
      { selector: 'edge[kind = "attacks"]', style: { "line-color": "#b91c1c", "target-arrow-color": "#b91c1c", "line-style": "dashed", "target-arrow-shape": "tee", color: "#991b1b" } },
    ];
    this.cy = cytoscape({
      container: this.root,
      elements,
      style: styles,
      layout: { name: "preset" },
      minZoom: 0.1,
      maxZoom: 2.5,
      boxSelectionEnabled: false,
      selectionType: "single",
    });
    this.root.argmapCy = this.cy;
    this.layout();
    this.cy.on("tap", "node", (event) => {
      const key = event.target.id();
      if (store.pick) {
        if (store.completePick(key)) this.announce("Linked.");
        return;
      }
      store.select(key, "map");
    });
    this.cy.on("tap", (event) => {
      if (event.target === this.cy) store.select(null, "map");
    });
    store.addEventListener("selection:changed", (event) => this._showSelection(event.detail));
    store.addEventListener("annotation:added", (event) => {
      this.cy.add({ group: "nodes", data: nodeData(event.detail.annotation) });
      this.scheduleLayout();
    });
    store.addEventListener("annotation:changed", (event) => {
      const node = this.cy.getElementById(event.detail.annotation.key);
      if (node.nonempty()) node.data(nodeData(event.detail.annotation));
    });
    store.addEventListener("annotation:removed", (event) => {
      this.cy.getElementById(event.detail.annotation.key).remove();
      this.scheduleLayout();
    });
    store.addEventListener("relation:added", (event) => {
      const relation = event.detail.relation;
      if (this.cy.getElementById(relation.key).empty()) {
        this.cy.add({ group: "edges", data: { id: relation.key, source: relation.source, target: relation.target, kind: relation.kind } });
      }
      this.scheduleLayout();
    });
    store.addEventListener("relation:removed", (event) => {
      this.cy.getElementById(event.detail.relation.key).remove();
      this.scheduleLayout();
    });
    this.root.addEventListener("keydown", (event) => this._onKey(event));
    if (store.selectedKey) this._showSelection({ key: store.selectedKey, origin: "store" });
    this.root.dataset.mapReady = "true";
  }

  scheduleLayout() {
    clearTimeout(this._layoutTimer);
    this._layoutTimer = setTimeout(() => idle(() => this.layout()), 300);
  }

  layout() {
    if (!this.cy) return;
    const started = performance.now();
    this.cy.layout({
      name: "dagre", rankDir: "BT", nodeSep: 14, rankSep: 60, edgeSep: 10, fit: true, padding: 16, animate: false,
      // Unlinked spans sit in the bottom row; order nodes by their place in the text.
      sort: (a, b) => a.data("paragraph") - b.data("paragraph") || a.data("start") - b.data("start"),
    }).run();
    this.root.dataset.layoutMs = String(Math.round(performance.now() - started));
    this.root.dataset.nodes = String(this.cy.nodes().length);
    this.root.dataset.edges = String(this.cy.edges().length);
    if (this.store.selectedKey) this._centreOn(this.store.selectedKey);
  }

  _showSelection({ key, origin }) {
    if (!this.cy) return;
    this.cy.batch(() => {
      this.cy.$(":selected").unselect();
      if (key) this.cy.getElementById(key).select();
    });
    if (key && origin !== "map") this._centreOn(key);
  }

  _centreOn(key) {
    const node = this.cy.getElementById(key);
    if (node.empty()) return;
    if (this.cy.zoom() < 0.6) this.cy.zoom({ level: 0.8, position: node.position() });
    this.cy.center(node);
  }

  _onKey(event) {
    if (!["ArrowRight", "ArrowLeft", "ArrowDown", "ArrowUp", "Enter", "+", "-", "0"].includes(event.key)) return;
    event.preventDefault();
    if (event.key === "+" || event.key === "-") {
      this.cy.zoom({ level: this.cy.zoom() * (event.key === "+" ? 1.25 : 0.8), renderedPosition: { x: this.root.clientWidth / 2, y: this.root.clientHeight / 2 } });
      return;
    }
    if (event.key === "0") {
      this.cy.fit(undefined, 16);
      return;
    }
    const nodes = this.cy.nodes().sort((a, b) => a.data("paragraph") - b.data("paragraph") || a.data("start") - b.data("start"));
    if (!nodes.length) return;
    const current = this.store.selectedKey;
    let index = nodes.toArray().findIndex((node) => node.id() === current);
    if (event.key === "Enter") {
      if (current) {
        if (this.store.pick) this.store.completePick(current);
        else this.store.select(current, "outline");
      }
      return;
    }
    const step = event.key === "ArrowRight" || event.key === "ArrowDown" ? 1 : -1;
    index = index < 0 ? 0 : (index + step + nodes.length) % nodes.length;
    const key = nodes[index].id();
    this.store.select(key, "map");
    this._centreOn(key);
    const span = this.store.annotations.get(key);
    this.announce(`${LABEL_NAMES[span.label] || span.label}: ${short(span.quote, 100)}`);
  }
}

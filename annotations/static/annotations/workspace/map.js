/**
 * The argument map: claims, evidence and counterclaims as nodes (shape + colour per label),
 * "supports" (solid, arrow) and "attacks" (dashed, bar end) as edges, laid out in layers
 * with claims on top. Kept in step with the text both ways through the store's selection:
 * tapping a node selects its span (the text scrolls to it); selecting a span selects and
 * centres its node.
 *
 * How it stays quick on long documents: the graph is split into its connected parts
 * (union-find over the store's spans and relations). Each part is laid out once and cached
 * by its content: a lone span trivially, a claim with the spans that support/attack it by
 * hand (what dagre would draw), anything else by dagre in a small scratch graph. Parts are
 * placed in rows in text order, lone spans last. The drawn Cytoscape graph holds only what
 * is shown: everything on short documents; on long ones (over WINDOW_THRESHOLD spans) the
 * parts touching the paragraphs around the screen, following the scrolling ("Whole map"
 * shows all). Changes reach the map after the text is redrawn, batched, as a diff.
 *
 * Cytoscape.js and cytoscape-dagre are vendored (../vendor, see its README).
 * Keyboard: the map is one tab stop; arrow keys walk the shown nodes in text order, Enter
 * selects, + / - zoom, 0 fits. For tests and plugins the Cytoscape instance is reachable as
 * `element.argmapCy`.
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

const NODE_WIDTH = 136;
const NODE_HEIGHT = 64;
const ROW_GAP = 60; // between a target and the row of spans supporting/attacking it
const NODE_GAP = 14;
const PART_GAP = 28;
const WINDOW_THRESHOLD = 300; // spans; above this the map follows the text
const WINDOW_MARGIN = 12; // paragraphs each side of the screen
const ADD_SLICE = 40; // elements added to the drawn graph per task

const STYLES = [
  {
    selector: "node",
    style: {
      label: "data(label)", "text-wrap": "wrap", "text-max-width": `${NODE_WIDTH - 12}px`, "font-size": "13px", color: "#111",
      "text-valign": "center", "text-halign": "center", width: `${NODE_WIDTH}px`, height: `${NODE_HEIGHT}px`, "background-opacity": 0.14,
      "border-width": 2, "min-zoomed-font-size": 7,
    },
  },
  ...Object.entries(LABEL_STYLE).map(([label, style]) => ({
    selector: `node[kind = "${label}"]`,
    style: { "background-color": style.color, "border-color": style.color, shape: style.shape },
  })),
  { selector: 'node[kind = "evidence"]', style: { "border-style": "dashed" } },
  { selector: 'node[kind = "counterclaim"]', style: { "border-style": "double", "border-width": 4 } },
  { selector: "node:selected", style: { "border-width": 5, "border-color": "#b45309", "border-style": "solid", "background-opacity": 0.3, "z-index": 10 } },
  { selector: "edge", style: { width: 2, "curve-style": "bezier", "target-arrow-shape": "triangle", "arrow-scale": 1.2, label: "data(kind)", "font-size": "9px", "text-background-color": "#fff", "text-background-opacity": 1, "text-rotation": "autorotate", "min-zoomed-font-size": 6 } },
  { selector: 'edge[kind = "supports"]', style: { "line-color": "#047857", "target-arrow-color": "#047857", color: "#065f46" } },
  { selector: 'edge[kind = "attacks"]', style: { "line-color": "#b91c1c", "target-arrow-color": "#b91c1c", "line-style": "dashed", "target-arrow-shape": "tee", color: "#991b1b" } },
];

export class ArgumentMapView {
  /**
   * `visibleParagraphIds(margin)` says which paragraphs are on screen (text.js); `caption`
   * and `wholeButton` are optional elements for the "what is shown" line and its toggle.
   */
  constructor({ root, store, announce, visibleParagraphIds = null, caption = null, wholeButton = null }) {
    this.root = root;
    this.store = store;
    this.announce = announce;
    this.visibleParagraphIds = visibleParagraphIds;
    this.caption = caption;
    this.wholeButton = wholeButton;
    this.showWhole = false;
    this.cy = null;
    this._scratch = null;
    this._partLayouts = new Map(); // part signature -> {positions: Map key -> {x, y}, width, height, single}
    this._parts = [];
    this._placed = new Map(); // key -> {x, y}
    this._timer = null;
    this._paragraphIndex = new Map(store.paragraphOrder.map((id, index) => [id, index]));
  }

  /** Build and draw the map (call when the text is interactive). Resolves once drawn. */
  start() {
    const store = this.store;
    this.cy = cytoscape({
      container: this.root,
      style: STYLES,
      layout: { name: "preset" },
      minZoom: 0.05,
      maxZoom: 2.5,
      boxSelectionEnabled: false,
      selectionType: "single",
    });
    this.root.argmapCy = this.cy;
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
    for (const name of ["annotation:added", "annotation:changed", "annotation:removed", "relation:added", "relation:removed"]) {
      store.addEventListener(name, () => this.schedule());
    }
    this.root.addEventListener("keydown", (event) => this._onKey(event));
    // The map sits in a sticky panel, so it moves on screen when the page scrolls; Cytoscape
    // caches where its canvas is, and a stale cache makes clicks miss the nodes.
    const forgetPlace = () => {
      const renderer = this.cy.renderer && this.cy.renderer();
      if (renderer && renderer.invalidateContainerClientCoordsCache) renderer.invalidateContainerClientCoordsCache();
    };
    window.addEventListener("scroll", forgetPlace, { passive: true });
    this.root.parentElement.addEventListener("pointerdown", forgetPlace, { capture: true });
    if (this.visibleParagraphIds) {
      let timer = null;
      window.addEventListener("scroll", () => {
        if (!this.windowed) return;
        clearTimeout(timer);
        timer = setTimeout(() => this.refresh({ fit: "if-changed", relayout: false }), 250);
      }, { passive: true });
    }
    if (this.wholeButton) {
      this.wholeButton.addEventListener("click", () => {
        this.showWhole = !this.showWhole;
        this.refresh({ fit: true, relayout: false });
      });
    }
    // Lay out and draw in the next task, so creating the canvas and drawing are two short tasks.
    return new Promise((resolve) => setTimeout(() => {
      this.refresh({ fit: true });
      if (store.selectedKey) this._showSelection({ key: store.selectedKey, origin: "store" });
      this.root.dataset.mapReady = "true";
      resolve();
    }, 0));
  }

  /** Refresh soon, after the text's redraw and any further changes in the same moment. */
  schedule() {
    clearTimeout(this._timer);
    this._timer = setTimeout(() => this.refresh({ fit: "if-grown" }), 120);
  }

  /** Re-lay out what changed (cached parts are reused), then draw the shown parts as a diff. */
  refresh({ fit = false, relayout = true } = {}) {
    if (!this.cy) return;
    const started = performance.now();
    if (relayout || !this._parts.length) {
      this._parts = this._computeParts();
      const used = new Set();
      for (const part of this._parts) {
        used.add(part.signature);
        if (!this._partLayouts.has(part.signature)) this._partLayouts.set(part.signature, this._layoutPart(part));
      }
      for (const signature of [...this._partLayouts.keys()]) if (!used.has(signature)) this._partLayouts.delete(signature);
      this._placed = this._place(this._parts);
    }
    const before = this._shownCount || 0;
    const changed = this._draw();
    this._shownCount = (this._shownNodeKeys || []).length;
    // New nodes must not fall off the edges: when the map grows, or a change of layout moved a
    // node out of view, it is fitted to what is shown.
    if (fit === "if-grown" && (this._shownCount > before || this._anyOutside())) this._fitPlaced([...this._shownNodeKeys]);
    else if (fit === true || (fit === "if-changed" && changed)) this._fitShown();
    else if (this.store.selectedKey) this._centreOn(this.store.selectedKey);
    performance.measure("argmap:map-refresh", { start: started });
    this.root.dataset.nodes = String(this.store.annotations.size);
    this.root.dataset.edges = String(this.store.relations.size);
  }

  get windowed() {
    return Boolean(this.visibleParagraphIds) && !this.showWhole && this.store.annotations.size > WINDOW_THRESHOLD;
  }

  /** Connected parts of the store's graph: [{keys (text order), relations, signature}], in text order. */
  _computeParts() {
    const parent = new Map();
    const find = (key) => {
      let root = key;
      while (parent.get(root) !== root) root = parent.get(root);
      for (let at = key; parent.get(at) !== root;) {
        const next = parent.get(at);
        parent.set(at, root);
        at = next;
      }
      return root;
    };
    for (const key of this.store.annotations.keys()) parent.set(key, key);
    const relations = [...this.store.relations.values()].filter((r) => parent.has(r.source) && parent.has(r.target));
    for (const relation of relations) {
      const a = find(relation.source);
      const b = find(relation.target);
      if (a !== b) parent.set(a, b);
    }
    const groups = new Map();
    for (const key of this.store.annotations.keys()) {
      const root = find(key);
      if (!groups.has(root)) groups.set(root, { keys: [], relations: [] });
      groups.get(root).keys.push(key);
    }
    for (const relation of relations) groups.get(find(relation.source)).relations.push(relation);
    const parts = [...groups.values()];
    const rank = new Map();
    for (const [key, span] of this.store.annotations) rank.set(key, (this._paragraphIndex.get(span.paragraph) ?? 0) * 1e7 + span.start);
    const byRank = (a, b) => rank.get(a) - rank.get(b);
    for (const part of parts) {
      part.keys.sort(byRank);
      part.signature = [
        ...part.keys,
        ...part.relations.map((r) => `${r.source}>${r.target}`).sort(),
      ].join(" ");
    }
    parts.sort((a, b) => byRank(a.keys[0], b.keys[0]));
    return parts;
  }

  _layoutPart(part) {
    const positions = new Map();
    if (part.keys.length === 1) {
      positions.set(part.keys[0], { x: NODE_WIDTH / 2, y: NODE_HEIGHT / 2 });
      return { positions, width: NODE_WIDTH, height: NODE_HEIGHT, single: true };
    }
    return this._starLayout(part) || this._dagreLayout(part);
  }

  /**
   * The common part: one span with others that each only support or attack it. Laid out
   * as dagre would (target above, sources in a row below, in text order), without its cost.
   */
  _starLayout(part) {
    const target = part.relations[0].target;
    const sources = new Set();
    for (const relation of part.relations) {
      if (relation.target !== target || relation.source === target || sources.has(relation.source)) return null;
      sources.add(relation.source);
    }
    if (sources.size !== part.keys.length - 1) return null;
    const row = part.keys.filter((key) => key !== target);
    const width = row.length * NODE_WIDTH + (row.length - 1) * NODE_GAP;
    const positions = new Map();
    positions.set(target, { x: width / 2, y: NODE_HEIGHT / 2 });
    row.forEach((key, index) => positions.set(key, { x: NODE_WIDTH / 2 + index * (NODE_WIDTH + NODE_GAP), y: NODE_HEIGHT * 1.5 + ROW_GAP }));
    return { positions, width, height: NODE_HEIGHT * 2 + ROW_GAP, single: false };
  }

  /** Anything else: dagre (bottom to top: what supports/attacks sits below its target). */
  _dagreLayout(part) {
    if (!this._scratch) this._scratch = cytoscape({ headless: true, styleEnabled: true, style: STYLES });
    const scratch = this._scratch;
    const order = new Map(part.keys.map((key, index) => [key, index]));
    const added = scratch.add([
      ...part.keys.map((key) => ({ group: "nodes", data: { id: key, order: order.get(key) } })),
      ...part.relations.map((relation) => ({ group: "edges", data: { id: relation.key, source: relation.source, target: relation.target } })),
    ]);
    added.layout({
      name: "dagre", rankDir: "BT", nodeSep: NODE_GAP, rankSep: ROW_GAP, edgeSep: 10, fit: false, animate: false,
      sort: (a, b) => a.data("order") - b.data("order"),
    }).run();
    let minX = Infinity;
    let minY = Infinity;
    let maxX = -Infinity;
    let maxY = -Infinity;
    const raw = new Map();
    added.nodes().forEach((node) => {
      const { x, y } = node.position();
      raw.set(node.id(), { x, y });
      minX = Math.min(minX, x - NODE_WIDTH / 2);
      minY = Math.min(minY, y - NODE_HEIGHT / 2);
      maxX = Math.max(maxX, x + NODE_WIDTH / 2);
      maxY = Math.max(maxY, y + NODE_HEIGHT / 2);
    });
    added.remove();
    const positions = new Map();
    for (const [key, { x, y }] of raw) positions.set(key, { x: x - minX, y: y - minY });
    return { positions, width: maxX - minX, height: maxY - minY, single: false };
  }

  /**
   * Linked parts (trees) in rows in text order, then the lone spans in a grid below them, in
   * text order; rows as wide as the map's shape asks, so neither makes a thin strip.
   * Returns key -> position.
   */
  _place(parts) {
    const layouts = parts.map((part) => this._partLayouts.get(part.signature));
    const area = layouts.reduce((sum, layout) => sum + (layout.width + PART_GAP) * (layout.height + PART_GAP), 0);
    const aspect = this.cy && this.cy.width() > 0 && this.cy.height() > 0 ? Math.min(4, Math.max(0.5, this.cy.width() / this.cy.height())) : 1.6;
    const widest = layouts.reduce((most, layout) => Math.max(most, layout.width), 0);
    const rowWidth = Math.max(4 * (NODE_WIDTH + PART_GAP), widest, Math.sqrt(area * aspect));
    const placed = new Map();
    let x = 0;
    let y = 0;
    let rowHeight = 0;
    const put = (layout) => {
      if (x > 0 && x + layout.width > rowWidth) {
        x = 0;
        y += rowHeight + PART_GAP * 2;
        rowHeight = 0;
      }
      for (const [key, position] of layout.positions) placed.set(key, { x: x + position.x, y: y + position.y });
      x += layout.width + PART_GAP;
      rowHeight = Math.max(rowHeight, layout.height);
    };
    const linked = layouts.filter((layout) => !layout.single);
    const single = layouts.filter((layout) => layout.single);
    linked.forEach(put);
    if (linked.length && single.length) {
      x = 0;
      y += rowHeight + PART_GAP * 3;
      rowHeight = 0;
    }
    single.forEach(put);
    return placed;
  }

  /**
   * Make the drawn graph hold exactly the shown parts, at their places (add/remove/update
   * only what differs). Returns whether the set of shown parts changed.
   */
  _draw() {
    let shownParts = this._parts;
    let range = null;
    if (this.windowed) {
      const ids = this.visibleParagraphIds(WINDOW_MARGIN);
      const near = new Set(ids);
      shownParts = this._parts.filter((part) => part.keys.some((key) => near.has(this.store.annotations.get(key).paragraph)));
      const positions = ids.map((id) => this.store.paragraphs.get(id).position + 1);
      range = [Math.min(...positions), Math.max(...positions)];
    }
    const wantNodes = new Map();
    const wantEdges = new Map();
    for (const part of shownParts) {
      for (const key of part.keys) wantNodes.set(key, this.store.annotations.get(key));
      for (const relation of part.relations) wantEdges.set(relation.key, relation);
    }
    const cy = this.cy;
    cy.batch(() => {
      cy.edges().forEach((edge) => {
        const relation = wantEdges.get(edge.id());
        if (!relation || edge.data("source") !== relation.source || edge.data("target") !== relation.target) edge.remove();
      });
      cy.nodes().forEach((node) => {
        if (!wantNodes.has(node.id())) node.remove();
      });
      const additions = [];
      for (const [key, span] of wantNodes) {
        const node = cy.getElementById(key);
        const data = this._nodeData(span);
        const position = { ...this._placed.get(key) };
        if (node.empty()) {
          additions.push({ group: "nodes", data, position });
        } else {
          if (node.data("label") !== data.label || node.data("kind") !== data.kind) node.data(data);
          const at = node.position();
          if (at.x !== position.x || at.y !== position.y) node.position(position);
        }
      }
      for (const [key, relation] of wantEdges) {
        if (cy.getElementById(key).empty()) additions.push({ group: "edges", data: { id: key, source: relation.source, target: relation.target, kind: relation.kind } });
      }
      this._addInSlices(additions);
    });
    const total = this.store.annotations.size;
    if (this.caption) {
      this.caption.textContent = range
        ? `Showing the argument around paragraphs ${range[0]}–${range[1]} (${wantNodes.size} of ${total} spans); it follows the text as you scroll.`
        : `${total} span${total === 1 ? "" : "s"}, ${this.store.relations.size} link${this.store.relations.size === 1 ? "" : "s"}.`;
    }
    if (this.wholeButton) {
      this.wholeButton.hidden = total <= WINDOW_THRESHOLD;
      this.wholeButton.textContent = this.showWhole ? "Follow the text" : "Whole map";
      this.wholeButton.setAttribute("aria-pressed", String(this.showWhole));
    }
    this.root.dataset.shownNodes = String(wantNodes.size);
    this._shownNodeKeys = [...wantNodes.keys()];
    const shownKey = shownParts.map((part) => part.keys[0]).join(" ");
    const changed = shownKey !== this._shownKey;
    this._shownKey = shownKey;
    return changed;
  }

  /**
   * Add elements a slice per task (Cytoscape styles each new element, ~1 ms apiece), so
   * scrolling to a new part of a long document never blocks the page. Nodes come before
   * edges in `additions`; a newer draw cancels the rest of an older one.
   */
  _addInSlices(additions) {
    const generation = (this._generation = (this._generation || 0) + 1);
    const step = () => {
      if (generation !== this._generation) return;
      const slice = additions.splice(0, ADD_SLICE);
      this.cy.batch(() => {
        for (const element of slice) {
          if (element.group === "edges" && (this.cy.getElementById(element.data.source).empty() || this.cy.getElementById(element.data.target).empty())) continue;
          if (this.cy.getElementById(element.data.id).empty()) this.cy.add(element);
        }
      });
      if (additions.length) {
        setTimeout(step, 0);
        return;
      }
      if (this.store.selectedKey) {
        const node = this.cy.getElementById(this.store.selectedKey);
        if (node.nonempty() && !node.selected()) node.select();
      }
      this.root.dataset.drawn = String(generation);
    };
    step();
  }

  _nodeData(span) {
    return {
      id: span.key, label: `${LABEL_MARKERS[span.label] || "?"}: ${short(span.quote, 40)}`, kind: span.label,
      paragraphIndex: this._paragraphIndex.get(span.paragraph) ?? 0, start: span.start,
    };
  }

  /** Whether a shown node's box lies (partly) outside the visible part of the map. */
  _anyOutside() {
    const view = this.cy.extent();
    for (const key of this._shownNodeKeys || []) {
      const at = this._placed.get(key);
      if (!at) continue;
      if (at.x - NODE_WIDTH / 2 < view.x1 || at.x + NODE_WIDTH / 2 > view.x2 || at.y - NODE_HEIGHT / 2 < view.y1 || at.y + NODE_HEIGHT / 2 > view.y2) return true;
    }
    return false;
  }

  _fitShown() {
    if (this.store.selectedKey && this.cy.getElementById(this.store.selectedKey).nonempty()) {
      this._centreOn(this.store.selectedKey);
      return;
    }
    this._fitPlaced([...this._shownNodeKeys || []]);
  }

  /**
   * Zoom and pan to show these nodes. Computed from the known places and the fixed node
   * size: Cytoscape's own fit() measures every label first, which is slow on big graphs.
   */
  _fitPlaced(keys) {
    if (!keys.length) return;
    let minX = Infinity;
    let minY = Infinity;
    let maxX = -Infinity;
    let maxY = -Infinity;
    for (const key of keys) {
      const at = this._placed.get(key);
      if (!at) continue;
      minX = Math.min(minX, at.x - NODE_WIDTH / 2);
      maxX = Math.max(maxX, at.x + NODE_WIDTH / 2);
      minY = Math.min(minY, at.y - NODE_HEIGHT / 2);
      maxY = Math.max(maxY, at.y + NODE_HEIGHT / 2);
    }
    const padding = 16;
    const width = this.cy.width();
    const height = this.cy.height();
    const zoom = Math.max(this.cy.minZoom(), Math.min(1.25, (width - 2 * padding) / (maxX - minX), (height - 2 * padding) / (maxY - minY)));
    this.cy.viewport({ zoom, pan: { x: (width - zoom * (minX + maxX)) / 2, y: (height - zoom * (minY + maxY)) / 2 } });
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
      this._fitPlaced(this._shownNodeKeys || []);
      return;
    }
    const nodes = this.cy.nodes().sort((a, b) => a.data("paragraphIndex") - b.data("paragraphIndex") || a.data("start") - b.data("start"));
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

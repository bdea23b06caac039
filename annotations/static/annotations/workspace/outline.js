/**
 * The outline panel: each claim (major claims first) with the evidence that supports it and
 * the counterclaims (and rebuttals) that attack it, then spans not linked to any claim.
 * Every item is a button: it selects the span and scrolls the text to it.
 *
 * Redrawn as a whole, at most once per idle period, so tagging never waits for it.
 */
import { LABEL_MARKERS, LABEL_NAMES, short } from "./store.js";

const idle = window.requestIdleCallback ? (fn) => window.requestIdleCallback(fn, { timeout: 300 }) : (fn) => setTimeout(fn, 50);

export class Outline {
  constructor({ root, store }) {
    this.root = root;
    this.store = store;
    this._scheduled = false;
    this._stale = true;
    for (const name of ["annotation:added", "annotation:changed", "annotation:removed", "relation:added", "relation:removed"]) {
      store.addEventListener(name, () => this.schedule());
    }
    store.addEventListener("selection:changed", (event) => this._markCurrent(event.detail.key));
  }

  /** Redraw when idle if the panel is shown; otherwise when it is next shown (see main.js). */
  schedule() {
    this._stale = true;
    if (this._hidden()) return;
    if (this._scheduled) return;
    this._scheduled = true;
    idle(() => {
      this._scheduled = false;
      if (!this._hidden()) this.render(); // else drawn when next shown
    });
  }

  _hidden() {
    const panel = this.root.closest("[hidden]");
    return Boolean(panel);
  }

  /** The panel became visible: draw it if anything changed meanwhile. */
  shown() {
    if (this._stale) this.render();
  }

  _item(key, prefix = "") {
    const span = this.store.annotations.get(key);
    const button = document.createElement("button");
    button.type = "button";
    button.className = `outline-item label-text-${span.label}`;
    button.dataset.outlineKey = key;
    const badge = document.createElement("span");
    badge.className = `badge label-${span.label}`;
    badge.setAttribute("aria-hidden", "true");
    badge.textContent = LABEL_MARKERS[span.label] || "?";
    button.append(badge, ` ${prefix}${short(span.quote, 90)}`);
    button.setAttribute("aria-label", `${prefix}${LABEL_NAMES[span.label] || span.label}: ${short(span.quote, 90)}`);
    button.addEventListener("click", () => this.store.select(key, "outline"));
    return button;
  }

  render() {
    this._stale = false;
    const started = performance.now();
    const store = this.store;
    const byTarget = new Map();
    const linked = new Set();
    for (const relation of store.relations.values()) {
      if (!byTarget.has(relation.target)) byTarget.set(relation.target, []);
      byTarget.get(relation.target).push(relation);
    }
    const order = new Map(store.paragraphOrder.map((id, index) => [id, index]));
    const all = [...store.annotations.values()].sort((a, b) => order.get(a.paragraph) - order.get(b.paragraph) || a.start - b.start);
    const claims = all.filter((span) => span.label === "major_claim" || span.label === "claim");
    claims.sort((a, b) => (a.label === "major_claim" ? 0 : 1) - (b.label === "major_claim" ? 0 : 1));
    const list = document.createElement("ul");
    list.className = "outline-tree";
    const addChildren = (parentItem, key, depth) => {
      const relations = byTarget.get(key) || [];
      if (!relations.length || depth > 3) return;
      const children = document.createElement("ul");
      for (const relation of relations) {
        if (!store.annotations.has(relation.source)) continue;
        linked.add(relation.source);
        const item = document.createElement("li");
        item.className = `outline-${relation.kind}`;
        item.append(this._item(relation.source, relation.kind === "supports" ? "supports: " : "attacks: "));
        if (store.annotations.get(relation.source).label !== "claim") addChildren(item, relation.source, depth + 1);
        children.append(item);
      }
      parentItem.append(children);
    };
    for (const claim of claims) {
      linked.add(claim.key);
      const item = document.createElement("li");
      item.append(this._item(claim.key));
      addChildren(item, claim.key, 0);
      list.append(item);
    }
    const rest = all.filter((span) => !linked.has(span.key));
    const fragment = document.createDocumentFragment();
    const heading = document.createElement("h3");
    heading.textContent = claims.length ? `Claims (${claims.length})` : "No claims yet";
    fragment.append(heading, list);
    if (rest.length) {
      const restHeading = document.createElement("h3");
      restHeading.textContent = `Not linked to a claim (${rest.length})`;
      const restList = document.createElement("ul");
      restList.className = "outline-tree";
      for (const span of rest) {
        const item = document.createElement("li");
        item.append(this._item(span.key));
        restList.append(item);
      }
      fragment.append(restHeading, restList);
    }
    this.root.replaceChildren(fragment);
    this._markCurrent(store.selectedKey);
    performance.measure("argmap:outline-render", { start: started });
  }

  _markCurrent(key) {
    for (const node of this.root.querySelectorAll(".outline-item.is-current")) node.classList.remove("is-current");
    if (!key) return;
    for (const node of this.root.querySelectorAll(`[data-outline-key="${CSS.escape(key)}"]`)) node.classList.add("is-current");
  }
}

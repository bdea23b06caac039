/**
 * The document text: drawing the person's spans (and plugin overlays) into each paragraph,
 * and reading what the person selected.
 *
 * A paragraph is cut at every span boundary (segments.js); each piece becomes nested
 * <span class="mark"> elements, outermost span first, each carrying its label as class,
 * underline style (colour + solid/dashed/dotted) and stacking level, so nested and
 * overlapping spans stay visible and clickable. The first piece of a span (role=button,
 * an aria-label naming its label and text) shows a label marker (CSS ::before, not part of
 * the text, so offsets stay true).
 *
 * Focus (roving): the text region is one tab stop. No mark is focusable until the keyboard
 * moves to it (focusMark gives it tabindex=-1 and the focus, and takes the tabindex back when
 * it loses it), so pressing the mouse on a mark never moves the focus, redraws or scrolls:
 * a drag that starts inside a span or a suggestion selects text like anywhere else. A click
 * without movement selects the span (or activates the overlay) under the pointer. A redraw
 * gives the focus back to the mark that had it.
 *
 * Text is only ever set with textContent / text nodes, never innerHTML.
 * Only the paragraphs a store event names are redrawn, batched per animation frame.
 */
import { codePointToUtf16, utf16ToCodePoint, isBmpOnly } from "./offsets.js";
import { segment, snapToWords } from "./segments.js";
import { LABEL_NAMES, short } from "./store.js";

/** A selector that finds the same mark again after a redraw, or null. */
function markIdentity(node) {
  const mark = node.closest?.(".mark");
  if (!mark) return null;
  if (mark.dataset.key) return `.mark-first[data-key="${CSS.escape(mark.dataset.key)}"]`;
  if (mark.dataset.overlay) return `.overlay-first[data-overlay="${CSS.escape(mark.dataset.overlay)}"][data-overlay-key="${CSS.escape(mark.dataset.overlayKey)}"]`;
  return null;
}

export class TextView {
  constructor({ root, store }) {
    this.root = root;
    this.store = store;
    this.snap = true;
    this._dirty = new Set();
    this._frame = null;
    this._afterDraw = [];
    this.elements = new Map();
    for (const element of root.querySelectorAll("[data-paragraph-id]")) {
      this.elements.set(Number(element.dataset.paragraphId), element);
    }
    store.addEventListener("paragraph:changed", (event) => this.invalidate(event.detail.paragraphId));
    store.addEventListener("selection:changed", (event) => this._showSelected(event.detail));
    root.addEventListener("pointerdown", (event) => (this._down = { x: event.clientX, y: event.clientY }));
    root.addEventListener("click", (event) => this._onClick(event));
    root.addEventListener("focusin", (event) => {
      const mark = event.target.closest?.(".mark[data-key]");
      if (mark && this.store.selectedKey !== mark.dataset.key) this.store.select(mark.dataset.key, "text");
    });
  }

  /**
   * Draw every paragraph that has spans (the server already rendered the plain text): the
   * ones on screen at once, the rest in slices that leave the page responsive.
   * Resolves when all are drawn.
   */
  renderAll() {
    const needs = (paragraphId) => this.store.annotationsIn(paragraphId).length || this.store.overlayMarks(paragraphId).length;
    const first = new Set(this.visibleParagraphIds(2));
    for (const paragraphId of first) if (needs(paragraphId)) this.renderParagraph(paragraphId);
    const rest = this.store.paragraphOrder.filter((paragraphId) => !first.has(paragraphId) && needs(paragraphId));
    return new Promise((resolve) => {
      const slice = () => {
        const until = performance.now() + 8;
        while (rest.length && performance.now() < until) {
          const paragraphId = rest.shift();
          if (!this._dirty.has(paragraphId)) this.renderParagraph(paragraphId);
        }
        if (rest.length) setTimeout(slice, 0);
        else resolve();
      };
      slice();
    });
  }

  invalidate(paragraphId) {
    this._dirty.add(paragraphId);
    if (this._frame === null) this._frame = requestAnimationFrame(() => this.flush());
  }

  /** Redraw the paragraphs marked dirty now (also called by the next animation frame). */
  flush() {
    if (this._frame !== null) cancelAnimationFrame(this._frame);
    this._frame = null;
    const dirty = [...this._dirty];
    this._dirty.clear();
    for (const paragraphId of dirty) this.renderParagraph(paragraphId);
    if (dirty.length && this.store.selectedKey) this._markSelected(this.store.selectedKey, true);
    const callbacks = this._afterDraw.splice(0);
    for (const callback of callbacks) callback(dirty);
  }

  /** Call `callback(drawnParagraphIds)` after the next redraw. */
  afterNextDraw(callback) {
    this._afterDraw.push(callback);
  }

  renderParagraph(paragraphId) {
    const element = this.elements.get(paragraphId);
    const paragraph = this.store.paragraphs.get(paragraphId);
    if (!element || !paragraph) return;
    const text = paragraph.text;
    const bmp = isBmpOnly(text);
    const toUnits = (offset) => (bmp ? offset : codePointToUtf16(text, offset));
    const marks = [];
    for (const span of this.store.annotationsIn(paragraphId)) {
      marks.push({ key: span.key, start: toUnits(span.start), end: toUnits(span.end), span });
    }
    for (const overlay of this.store.overlayMarks(paragraphId)) {
      marks.push({ key: `${overlay.overlay}:${overlay.key}`, start: toUnits(overlay.start), end: toUnits(overlay.end), overlay });
    }
    const active = document.activeElement;
    const refocus = active && active !== element && element.contains(active) ? markIdentity(active) : null;
    const fragment = document.createDocumentFragment();
    if (!marks.length) {
      fragment.append(document.createTextNode(text));
    } else {
      const { pieces, levels } = segment(text.length, marks);
      const maxLevel = Math.max(0, ...levels.values());
      for (const piece of pieces) {
        const content = document.createTextNode(text.slice(piece.start, piece.end));
        if (!piece.covering.length) {
          fragment.append(content);
          continue;
        }
        let outer = null;
        let parent = null;
        for (const { mark, level, first } of piece.covering) {
          const node = this._markElement(mark, level, first);
          if (parent) parent.append(node);
          else outer = node;
          parent = node;
        }
        parent.append(content);
        fragment.append(outer);
      }
      element.style.setProperty("--levels", String(maxLevel + 1));
    }
    element.replaceChildren(fragment);
    element.classList.toggle("has-marks", marks.length > 0);
    if (refocus) {
      const again = element.querySelector(refocus);
      if (again) this.focusMark(again);
    }
  }

  /** Give `node` (a mark's first piece) the focus without scrolling unless it is off screen. */
  focusMark(node) {
    if (!node) return;
    node.tabIndex = -1;
    if (!node.dataset.roving) {
      node.dataset.roving = "1";
      node.addEventListener("blur", () => {
        node.removeAttribute("tabindex");
        delete node.dataset.roving;
      }, { once: true });
    }
    node.focus({ preventScroll: true });
    const rect = node.getBoundingClientRect();
    if (rect.top < 70 || rect.bottom > window.innerHeight - 30) node.scrollIntoView({ block: "center" });
  }

  /**
   * Focus the span `key`, drawing a pending redraw first: the focus moves before this key's
   * handler returns, so the next key (typed within a frame, or on a busy machine) acts on it.
   */
  focusSpan(key) {
    if (this._dirty.size) this.flush();
    this.focusMark(this.firstElementOf(key));
  }

  _markElement(mark, level, first) {
    const node = document.createElement("span");
    node.className = `mark lvl-${Math.min(level, 5)}`;
    if (mark.span) {
      const span = mark.span;
      node.classList.add(`label-${span.label}`);
      node.dataset.key = span.key;
      node.dataset.label = span.label;
      if (span.id) node.dataset.annotationId = String(span.id);
      if (first) {
        node.classList.add("mark-first");
        node.setAttribute("role", "button");
        const links = this.store.relationsOf(span.key);
        const linkText = links.outgoing.length + links.incoming.length ? `, ${links.outgoing.length + links.incoming.length} links` : "";
        node.setAttribute("aria-label", `${LABEL_NAMES[span.label] || span.label}: ${short(span.quote, 80)}${linkText}`);
        if (links.outgoing.length || links.incoming.length) node.classList.add("has-links");
      }
      if (span.note) node.title = `Note: ${span.note}`;
    } else {
      const overlay = mark.overlay;
      node.classList.add("overlay", ...(overlay.className || `overlay-${overlay.overlay}`).split(/\s+/).filter(Boolean));
      if (overlay.label) node.classList.add(`label-${overlay.label}`);
      node.dataset.overlay = overlay.overlay;
      node.dataset.overlayKey = String(overlay.key);
      if (overlay.title) node.title = overlay.title;
      if (first) {
        node.classList.add("overlay-first");
        node.setAttribute("role", "button");
        node.setAttribute("aria-label", overlay.ariaLabel || overlay.title || overlay.overlay);
      }
    }
    return node;
  }

  _onClick(event) {
    let overlay = event.target.closest(".mark.overlay");
    let mark = event.target.closest(".mark[data-key]");
    const selection = window.getSelection();
    if (selection && !selection.isCollapsed && this.root.contains(selection.anchorNode)) return; // a text selection, not a click
    const down = this._down;
    if (down && Math.hypot(event.clientX - down.x, event.clientY - down.y) > 4) return; // the pointer moved: a drag
    // The innermost of a span and an overlay under the pointer is the one meant.
    if (mark && overlay) {
      if (mark.contains(overlay)) mark = null;
      else overlay = null;
    }
    if (mark) {
      let key = mark.dataset.key;
      if (this.store.pick) {
        this.store.completePick(key);
        return;
      }
      // Clicking the selected span again selects the next span enclosing the click point.
      if (this.store.selectedKey === key) {
        const enclosing = [];
        for (let node = mark.parentElement; node && node !== this.root; node = node.parentElement) {
          if (node.dataset && node.dataset.key) enclosing.push(node.dataset.key);
        }
        if (enclosing.length) key = enclosing[0];
      }
      this.store.select(key, "text");
      this.focusMark(this.firstElementOf(key));
    } else if (overlay) {
      this.store.dispatchEvent(new CustomEvent("overlay:activated", { detail: { name: overlay.dataset.overlay, key: overlay.dataset.overlayKey, element: overlay } }));
    }
  }

  _showSelected({ key, previous, origin }) {
    if (previous) this._markSelected(previous, false);
    if (key) {
      this._markSelected(key, true);
      if (origin !== "text") this.scrollTo(key);
    }
  }

  _markSelected(key, on) {
    const annotation = this.store.annotations.get(key);
    const scope = annotation ? this.elements.get(annotation.paragraph) : this.root;
    if (!scope) return;
    for (const node of scope.querySelectorAll(`.mark[data-key="${CSS.escape(key)}"]`)) node.classList.toggle("is-selected", on);
  }

  firstElementOf(key) {
    const annotation = this.store.annotations.get(key);
    const scope = annotation ? this.elements.get(annotation.paragraph) : null;
    return scope ? scope.querySelector(`.mark[data-key="${CSS.escape(key)}"]`) : null;
  }

  scrollTo(key, { focus = false } = {}) {
    const run = () => {
      const node = this.firstElementOf(key);
      if (!node) return;
      node.scrollIntoView({ block: "center", behavior: "auto" });
      if (focus) node.focus({ preventScroll: true });
    };
    if (this._dirty.size) this.flush();
    run();
  }

  /**
   * Ids of the paragraphs on screen, widened by `margin` paragraphs each side, in order.
   * Binary search over the paragraphs' positions, so it is cheap on long documents.
   */
  visibleParagraphIds(margin = 0) {
    const order = this.store.paragraphOrder;
    const top = (index) => this.elements.get(order[index]).getBoundingClientRect();
    let low = 0;
    let high = order.length - 1;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (top(middle).bottom < 0) low = middle + 1;
      else high = middle;
    }
    let last = low;
    while (last + 1 < order.length && top(last + 1).top < window.innerHeight) last += 1;
    return order.slice(Math.max(0, low - margin), Math.min(order.length, last + 1 + margin));
  }

  // ── reading and setting the selection (UTF-16 offsets within one paragraph) ─────────
  paragraphOf(node) {
    const element = (node.nodeType === Node.ELEMENT_NODE ? node : node.parentElement)?.closest("[data-paragraph-id]");
    return element && this.root.contains(element) ? element : null;
  }

  /** Offset (UTF-16) of a DOM point within its paragraph element. */
  offsetIn(paragraphElement, node, offset) {
    const range = document.createRange();
    range.setStart(paragraphElement, 0);
    range.setEnd(node, offset);
    return range.toString().length;
  }

  /**
   * The person's current selection as {paragraphId, start, end} in UTF-16 units, clipped to
   * the paragraph where it starts, or null when nothing in the text is selected.
   */
  currentSelection() {
    const [first] = this._selectedParts();
    return first || null;
  }

  /** Whether the person's selection runs from one paragraph into another (a span may not). */
  selectionCrossesParagraphs() {
    return this._selectedParts().length > 1;
  }

  /**
   * The words the selection holds, paragraph by paragraph ({paragraphId, start, end}, UTF-16), in
   * reading order. A part that is empty or only white space does not count: a drag that overshoots
   * into the gap below a paragraph or onto the next one's first letter, or a triple click (which
   * selects up to the start of the next paragraph), holds words of one paragraph only.
   */
  _selectedParts() {
    const selection = window.getSelection();
    if (!selection || selection.rangeCount === 0 || selection.isCollapsed) return [];
    const range = selection.getRangeAt(0);
    const parts = [];
    const startElement = this.paragraphOf(range.startContainer);
    const endElement = this.paragraphOf(range.endContainer);
    const candidates = startElement && startElement === endElement ? [startElement]
      : [...this.elements.values()].filter((element) => this.root.contains(element) && range.intersectsNode(element));
    for (const element of candidates) {
      const text = this.store.paragraphs.get(Number(element.dataset.paragraphId))?.text;
      if (text === undefined) continue;
      const start = element === startElement ? this.offsetIn(element, range.startContainer, range.startOffset) : 0;
      const end = element === endElement ? this.offsetIn(element, range.endContainer, range.endOffset) : text.length;
      if (end > start && text.slice(start, end).trim()) parts.push({ paragraphId: Number(element.dataset.paragraphId), start, end });
    }
    return parts;
  }

  /**
   * Turn a UTF-16 selection into the API's span: snapped to words when `snap` is on,
   * converted to code points. Returns null for an empty or whitespace-only selection.
   */
  toSpan({ paragraphId, start, end }) {
    const text = this.store.paragraphs.get(paragraphId).text;
    let [s, e] = this.snap ? snapToWords(text, start, end) : [start, end];
    if (!this.snap) {
      while (s < e && /\s/.test(text[s])) s += 1;
      while (e > s && /\s/.test(text[e - 1])) e -= 1;
    }
    if (s >= e) return null;
    return { paragraph: paragraphId, start: utf16ToCodePoint(text, s), end: utf16ToCodePoint(text, e) };
  }

  /** DOM point for a UTF-16 offset within a paragraph. */
  pointAt(paragraphId, offset) {
    const element = this.elements.get(paragraphId);
    const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
    let seen = 0;
    let last = null;
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (offset <= seen + node.length) return { node, offset: offset - seen };
      seen += node.length;
      last = node;
    }
    return last ? { node: last, offset: last.length } : { node: element, offset: 0 };
  }

  setSelection(paragraphId, anchor, focus) {
    const selection = window.getSelection();
    const a = this.pointAt(paragraphId, anchor);
    const f = this.pointAt(paragraphId, focus);
    selection.setBaseAndExtent(a.node, a.offset, f.node, f.offset);
  }
}

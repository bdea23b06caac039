/**
 * Keyboard control of the workspace: a caret in the text, extending a selection, tagging
 * with a label key, acting on the focused span, undo. The keys are listed in the help panel
 * (templates/annotations/document_detail.html); keep both in step.
 *
 * The caret lives in the text region (one tab stop, role=application so screen readers pass
 * arrow keys through). Its position is kept here ({paragraphId, anchor, focus} in UTF-16
 * units) and shown as the browser's own selection, plus a drawn caret bar when collapsed;
 * a mouse selection moves it, so mouse and keyboard can be mixed.
 */
import { nextChar, nextWordBoundary, previousChar, previousWordBoundary } from "./segments.js";
import { utf16ToCodePoint, codePointToUtf16 } from "./offsets.js";
import { LABEL_NAMES, short } from "./store.js";

export const LABEL_KEYS = {
  1: "claim", 2: "evidence", 3: "counterclaim", 4: "major_claim", 5: "rebuttal",
  c: "claim", e: "evidence", x: "counterclaim", m: "major_claim", r: "rebuttal",
};

function isTyping(target) {
  return target instanceof HTMLElement && (target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName));
}

export class Keyboard {
  constructor({ store, text, textRegion, caretBar, announce, tag, inspector }) {
    this.store = store;
    this.text = text;
    this.region = textRegion;
    this.caretBar = caretBar;
    this.announce = announce;
    this.tag = tag;
    this.inspector = inspector;
    this.caret = null;
    this._settingSelection = false;
    document.addEventListener("keydown", (event) => this._onKeyDown(event));
    this._pointerDown = false;
    this.region.addEventListener("pointerdown", () => {
      this._pointerDown = true;
      setTimeout(() => (this._pointerDown = false), 0);
    });
    this.region.addEventListener("focus", () => {
      if (this._pointerDown) return; // the mouse sets the selection itself
      if (!this.caret) this._placeAtStart();
      this._show();
    });
    this.region.addEventListener("blur", () => this.caretBar.hidden = true);
    document.addEventListener("selectionchange", () => this._syncFromDom());
    text.afterNextDraw(() => this._show());
    store.addEventListener("paragraph:changed", () => text.afterNextDraw(() => this._reapply()));
  }

  // ── caret model ──────────────────────────────────────────────────────────────────
  _placeAtStart() {
    const first = this.store.paragraphOrder.find((id) => {
      const element = this.text.elements.get(id);
      return element && element.getBoundingClientRect().bottom > 0;
    }) ?? this.store.paragraphOrder[0];
    this.caret = { paragraphId: first, anchor: 0, focus: 0 };
  }

  _textOf(paragraphId) {
    return this.store.paragraphs.get(paragraphId).text;
  }

  _move(direction, unit, extend) {
    if (!this.caret) this._placeAtStart();
    const caret = this.caret;
    const order = this.store.paragraphOrder;
    const text = this._textOf(caret.paragraphId);
    let focus = caret.focus;
    let paragraphId = caret.paragraphId;
    if (unit === "paragraph") {
      if (extend) {
        focus = direction > 0 ? text.length : 0;
      } else {
        const index = order.indexOf(paragraphId) + direction;
        if (index < 0 || index >= order.length) return;
        paragraphId = order[index];
        focus = 0;
      }
    } else if (unit === "line-edge") {
      focus = direction > 0 ? text.length : 0;
    } else {
      const atEdge = direction > 0 ? focus >= text.length : focus <= 0;
      if (atEdge && !extend) {
        const index = order.indexOf(paragraphId) + direction;
        if (index < 0 || index >= order.length) return;
        paragraphId = order[index];
        focus = direction > 0 ? 0 : this._textOf(paragraphId).length;
      } else if (unit === "word") {
        focus = direction > 0 ? nextWordBoundary(text, focus) : previousWordBoundary(text, focus);
      } else {
        focus = direction > 0 ? nextChar(text, focus) : previousChar(text, focus);
      }
    }
    this.caret = { paragraphId, anchor: extend ? caret.anchor : focus, focus };
    this._show();
    if (extend) {
      const [start, end] = [Math.min(this.caret.anchor, focus), Math.max(this.caret.anchor, focus)];
      this.announce(start === end ? "Nothing selected." : `Selected: ${short(this._textOf(paragraphId).slice(start, end), 120)}`, true);
    } else if (paragraphId !== caret.paragraphId) {
      const paragraph = this.store.paragraphs.get(paragraphId);
      this.announce(`${paragraph.kind === "heading" ? "Heading" : "Paragraph"} ${paragraph.position + 1}: ${short(paragraph.text, 100)}`, true);
    }
  }

  _jumpTo(paragraphId, offset) {
    this.caret = { paragraphId, anchor: offset, focus: offset };
    this._show();
  }

  _show() {
    if (!this.caret) return;
    const { paragraphId, anchor, focus } = this.caret;
    this._settingSelection = true;
    this.text.setSelection(paragraphId, anchor, focus);
    queueMicrotask(() => (this._settingSelection = false));
    const element = this.text.elements.get(paragraphId);
    const rect = element.getBoundingClientRect();
    if (rect.top < 60 || rect.bottom > window.innerHeight) {
      if (rect.height > window.innerHeight || rect.top < 60 || rect.top > window.innerHeight) element.scrollIntoView({ block: "center" });
    }
    this._drawBar();
  }

  _drawBar() {
    const bar = this.caretBar;
    if (!this.caret || document.activeElement !== this.region || this.caret.anchor !== this.caret.focus) {
      bar.hidden = true;
      return;
    }
    const point = this.text.pointAt(this.caret.paragraphId, this.caret.focus);
    const range = document.createRange();
    range.setStart(point.node, point.offset);
    range.collapse(true);
    const rect = range.getClientRects()[0] || this.text.elements.get(this.caret.paragraphId).getBoundingClientRect();
    const host = bar.offsetParent || document.body;
    const hostRect = host.getBoundingClientRect();
    bar.style.left = `${rect.left - hostRect.left + host.scrollLeft}px`;
    bar.style.top = `${rect.top - hostRect.top + host.scrollTop}px`;
    bar.style.height = `${Math.max(rect.height, 16)}px`;
    bar.hidden = false;
  }

  /** After a redraw the DOM nodes are new: put the caret/selection back (offsets are kept as code points). */
  _reapply() {
    if (this.caret && document.activeElement === this.region) this._show();
  }

  _syncFromDom() {
    if (this._settingSelection) return;
    const selection = window.getSelection();
    if (!selection || selection.rangeCount === 0) return;
    const focusElement = this.text.paragraphOf(selection.focusNode);
    const anchorElement = this.text.paragraphOf(selection.anchorNode);
    if (!focusElement || focusElement !== anchorElement) return;
    const paragraphId = Number(focusElement.dataset.paragraphId);
    this.caret = {
      paragraphId,
      anchor: this.text.offsetIn(focusElement, selection.anchorNode, selection.anchorOffset),
      focus: this.text.offsetIn(focusElement, selection.focusNode, selection.focusOffset),
    };
    this._drawBar();
  }

  /** Collapse the caret after the span just made, so tagging can continue from there. */
  collapseAfter(paragraphId, endCodePoint) {
    const text = this._textOf(paragraphId);
    const offset = codePointToUtf16(text, endCodePoint);
    this.caret = { paragraphId, anchor: offset, focus: offset };
  }

  // ── keys ─────────────────────────────────────────────────────────────────────────
  _onKeyDown(event) {
    const target = event.target;
    if (event.key === "Escape") {
      if (this.store.pick) {
        this.store.cancelPick();
        this.announce("Linking cancelled.");
        event.preventDefault();
      }
      return;
    }
    if (isTyping(target)) return;
    if ((event.ctrlKey || event.metaKey) && !event.shiftKey && event.key.toLowerCase() === "z") {
      event.preventDefault();
      const description = this.store.undoDescription;
      if (this.store.undo()) this.announce(`Undone: ${description}.`);
      else this.announce("Nothing to undo.");
      return;
    }
    if (event.ctrlKey && event.key === "Enter" && this.store.selectedKey) {
      event.preventDefault();
      this.inspector.focus();
      return;
    }
    const mark = target instanceof HTMLElement ? target.closest(".mark[data-key]") : null;
    if (mark && this.text.root.contains(mark)) {
      if (this._spanKey(event, mark.dataset.key)) event.preventDefault();
      return;
    }
    if (target === this.region && this._caretKey(event)) {
      event.preventDefault();
      return;
    }
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    const label = LABEL_KEYS[event.key.toLowerCase()];
    if (label && this.store.labels.includes(label) && (target === this.region || target === document.body || this.text.root.contains(target) || target.closest?.("[data-toolbar]"))) {
      const selection = this.text.currentSelection();
      if (selection) {
        event.preventDefault();
        this.tag(label, selection);
      }
    }
  }

  _caretKey(event) {
    const extend = event.shiftKey;
    const byWord = event.ctrlKey || event.altKey;
    switch (event.key) {
      case "ArrowRight":
        this._move(1, byWord ? "word" : "char", extend);
        return true;
      case "ArrowLeft":
        this._move(-1, byWord ? "word" : "char", extend);
        return true;
      case "ArrowDown":
        this._move(1, "paragraph", extend);
        return true;
      case "ArrowUp":
        this._move(-1, "paragraph", extend);
        return true;
      case "Home":
        if (event.ctrlKey && !extend) this._jumpTo(this.store.paragraphOrder[0], 0);
        else this._move(-1, "line-edge", extend);
        return true;
      case "End":
        if (event.ctrlKey && !extend) {
          const last = this.store.paragraphOrder[this.store.paragraphOrder.length - 1];
          this._jumpTo(last, this._textOf(last).length);
        } else this._move(1, "line-edge", extend);
        return true;
      case "]":
      case "[": {
        const key = this._neighbourSpan(event.key === "]" ? 1 : -1);
        if (key) {
          this.store.select(key, "keyboard");
          this.text.scrollTo(key, { focus: true });
        } else {
          this.announce(event.key === "]" ? "No span after the caret." : "No span before the caret.");
        }
        return true;
      }
      case "Enter": {
        const key = this._spanAtCaret();
        if (key) {
          this.store.select(key, "keyboard");
          this.text.scrollTo(key, { focus: true });
          return true;
        }
        return false;
      }
      default:
        return false;
    }
  }

  /** The first span starting after (direction 1) or before (-1) the caret, across paragraphs. */
  _neighbourSpan(direction) {
    if (!this.caret) this._placeAtStart();
    const order = this.store.paragraphOrder;
    const text = this._textOf(this.caret.paragraphId);
    const point = utf16ToCodePoint(text, this.caret.focus);
    let index = order.indexOf(this.caret.paragraphId);
    for (let step = 0; index >= 0 && index < order.length; step += 1, index += direction) {
      const spans = this.store.annotationsIn(order[index]).sort((a, b) => a.start - b.start || b.end - a.end);
      const candidates = step === 0 ? spans.filter((span) => (direction > 0 ? span.start > point || (span.start === point && point === 0) : span.start < point)) : spans;
      if (candidates.length) {
        const span = direction > 0 ? candidates[0] : candidates[candidates.length - 1];
        this.caret = { paragraphId: span.paragraph, anchor: codePointToUtf16(this._textOf(span.paragraph), span.start), focus: codePointToUtf16(this._textOf(span.paragraph), span.start) };
        return span.key;
      }
    }
    return null;
  }

  _spanAtCaret() {
    if (!this.caret) return null;
    const text = this._textOf(this.caret.paragraphId);
    const point = utf16ToCodePoint(text, this.caret.focus);
    const spans = this.store.annotationsIn(this.caret.paragraphId).filter((span) => span.start <= point && point < span.end);
    spans.sort((a, b) => a.end - a.start - (b.end - b.start));
    return spans.length ? spans[0].key : null;
  }

  /** Keys on a focused span. Returns true when handled. */
  _spanKey(event, key) {
    const span = this.store.annotations.get(key);
    if (!span) return false;
    if (event.ctrlKey || event.metaKey || event.altKey) return false;
    const text = this._textOf(span.paragraph);
    const units = (cp) => codePointToUtf16(text, cp);
    const points = (u) => utf16ToCodePoint(text, u);
    const step = (offset, direction) => (direction > 0 ? nextWordBoundary(text, offset) : previousWordBoundary(text, offset));
    const label = LABEL_KEYS[event.key.toLowerCase()];
    if (label && this.store.labels.includes(label)) {
      if (this.store.pick) return false;
      this.store.updateAnnotation(key, { label });
      this.announce(`Now ${LABEL_NAMES[label]}.`);
      this._refocus(key);
      return true;
    }
    switch (event.key) {
      case "Enter":
      case " ":
        if (this.store.pick) {
          this.store.completePick(key);
          this.announce("Linked.");
        } else {
          this.store.select(key, "keyboard");
          this.inspector.focus();
        }
        return true;
      case "Delete":
      case "Backspace":
        this.store.deleteAnnotation(key);
        this.announce(`Deleted. Press Ctrl+Z to undo.`);
        this.region.focus();
        return true;
      case "[":
      case "]": {
        const start = points(step(units(span.start), event.key === "]" ? 1 : -1));
        if (start < span.end) this.store.updateAnnotation(key, { start });
        this._refocus(key);
        return true;
      }
      case "{":
      case "}": {
        let end = points(step(units(span.end), event.key === "}" ? 1 : -1));
        if (end <= span.start) end = span.end;
        this.store.updateAnnotation(key, { end });
        this._refocus(key);
        return true;
      }
      case "s":
      case "a":
        this.store.select(key, "keyboard");
        this.store.startPick(key, event.key === "s" ? "supports" : "attacks");
        this.announce(`Choose the span this ${event.key === "s" ? "supports" : "attacks"}: Tab to it and press Enter, or type in the search box.`);
        return true;
      case "n":
        this.store.select(key, "keyboard");
        this.inspector.focusNote();
        return true;
      case "ArrowRight":
      case "ArrowLeft":
      case "ArrowDown":
      case "ArrowUp":
        this.region.focus();
        return this._caretKey(event);
      default:
        return false;
    }
  }

  _refocus(key) {
    this.text.afterNextDraw(() => {
      const node = this.text.firstElementOf(key);
      if (node) node.focus({ preventScroll: true });
    });
  }
}

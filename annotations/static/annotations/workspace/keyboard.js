/**
 * Keyboard control of the workspace: a caret in the text, extending a selection (by
 * character, word, sentence), tagging with a label key, acting on the focused span, undo.
 * The keys are listed in the help panel (templates/annotations/document_detail.html); keep
 * both in step. Keys act on what has focus (`context()`): the caret, a span, a suggestion
 * (suggestions.js handles its keys), or the page (the keys say where they work instead).
 * `]` / `[` only ever jump between spans; a span's edges move with Alt+arrows.
 *
 * The caret lives in the text region (one tab stop, role=application so screen readers pass
 * arrow keys through). Its position is kept here ({paragraphId, anchor, focus} in UTF-16
 * units) and shown as the browser's own selection, plus a drawn caret bar when collapsed;
 * a mouse selection moves it, so mouse and keyboard can be mixed.
 */
import {
  moveEdge, nextChar, nextWordBoundary, previousChar, previousWordBoundary, sentenceEndAfter, sentenceStartBefore, sentenceStarts,
} from "./segments.js";
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
    this._mouseHeld = false;
    this.region.addEventListener("pointerdown", () => {
      this._pointerDown = true;
      this._mouseHeld = true;
      setTimeout(() => (this._pointerDown = false), 0);
    });
    document.addEventListener("pointerup", () => {
      // The caret follows the mouse at once: selectionchange comes as a later task, and on a busy
      // machine a key pressed right after the click (Shift+→) would otherwise act on the old caret.
      const held = this._mouseHeld;
      this._mouseHeld = false;
      if (held) this._syncFromDom();
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
    // Never while the mouse is making a selection: that selection is the person's.
    if (this.caret && !this._mouseHeld && document.activeElement === this.region) this._show();
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
  /** Where the keys act: "caret" (the text region), "span", "suggestion" (a mark in the text), or "page". */
  context(target = document.activeElement) {
    if (target === this.region) return "caret";
    if (target instanceof HTMLElement && this.text.root.contains(target)) {
      if (target.closest(".mark[data-key]") === target || target.matches(".mark-first[data-key]")) return "span";
      if (target.matches(".mark.overlay")) return "suggestion";
      return "caret";
    }
    return "page";
  }

  _onKeyDown(event) {
    const target = event.target;
    const context = this.context(target);
    if (event.key === "Escape") {
      if (this.store.pick) {
        this.store.cancelPick();
        this.announce("Linking cancelled.");
        event.preventDefault();
        const source = this.store.selectedKey;
        if (source) this.text.focusSpan(source);
      } else if (context === "span" || context === "suggestion") {
        event.preventDefault();
        this._toCaretAt(target);
      }
      return;
    }
    if (isTyping(target)) return;
    if ((event.ctrlKey || event.metaKey) && !event.shiftKey && !event.altKey && event.key.toLowerCase() === "z") {
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
    if (context === "span") {
      if (this._spanKey(event, target.dataset.key)) event.preventDefault();
      return;
    }
    if (context === "suggestion") {
      // The suggestions plugin handles its own keys (a, r, n, p, label keys); arrows go back to the caret.
      if (event.key.startsWith("Arrow") && !event.altKey) {
        event.preventDefault();
        this._toCaretAt(target);
        this._caretKey(event);
      }
      return;
    }
    if (context === "caret" && this._caretKey(event)) {
      event.preventDefault();
      return;
    }
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    const label = LABEL_KEYS[event.key.toLowerCase()];
    if (label && this.store.labels.includes(label) && (context === "caret" || target === document.body || target.closest?.("[data-toolbar]"))) {
      const selection = this.text.currentSelection();
      if (selection) {
        event.preventDefault();
        this.tag(label, selection);
        return;
      }
    }
    if (context === "caret" && (event.key === "a" || event.key === "s")) {
      // At the caret these keys have nothing to act on: say where they work.
      this.announce(`${event.key} links a focused span (and a accepts a focused suggestion): press ] to reach a span, n a suggestion.`);
      return;
    }
    if (context === "page" && (target === document.body || target === document.documentElement) && "asrnp[]".includes(event.key) && event.key.length === 1) {
      // Nothing here takes these keys: say where they work instead of guessing what was meant.
      this.announce(`The key ${event.key} acts on what has focus, and the focus is on the page: Tab into the text first (one tab stop), then n for suggestions, ] for spans.`);
    }
  }

  /** Leave a focused mark for the caret, placed at the mark's start. */
  _toCaretAt(mark) {
    const paragraph = this.text.paragraphOf(mark);
    if (paragraph) this.caret = { paragraphId: Number(paragraph.dataset.paragraphId), anchor: this.text.offsetIn(paragraph, mark, 0), focus: this.text.offsetIn(paragraph, mark, 0) };
    this.region.focus({ preventScroll: true });
    this._show();
  }

  _caretKey(event) {
    const extend = event.shiftKey;
    const byWord = event.ctrlKey;
    if (event.altKey) {
      // Alt+arrows belong to a focused span's edges; at the caret Alt+↓ / Alt+↑ select by sentence.
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        this._sentence(event.key === "ArrowDown" ? 1 : -1, true);
        return true;
      }
      if (event.key === "ArrowLeft" || event.key === "ArrowRight") {
        this.announce("Alt with ← or → moves the edges of a focused span; press ] to reach a span.");
        return true;
      }
      return false;
    }
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
      case ")":
      case "(":
        if (event.ctrlKey || event.metaKey) return false;
        this._sentence(event.key === ")" ? 1 : -1, false);
        return true;
      case "]":
      case "[":
        this._jumpSpan(event.key === "]" ? 1 : -1);
        return true;
      case "Enter": {
        const key = this._spanAtCaret();
        if (key) {
          this.store.select(key, "keyboard");
          this.text.focusSpan(key);
          return true;
        }
        return false;
      }
      default:
        return false;
    }
  }

  /** `)` / `(`: the caret to the next / this or previous sentence start; with `extend`, the selection's end to the sentence's end / start. */
  _sentence(direction, extend) {
    if (!this.caret) this._placeAtStart();
    const order = this.store.paragraphOrder;
    let { paragraphId, anchor, focus } = this.caret;
    const text = this._textOf(paragraphId);
    if (extend) {
      if (anchor === focus) {
        // Start a selection at the word under the caret (never on a space).
        while (focus < text.length && /\s/.test(text[focus])) focus += 1;
        anchor = focus;
      }
      focus = direction > 0 ? sentenceEndAfter(text, focus) : sentenceStartBefore(text, focus);
      this.caret = { paragraphId, anchor, focus };
      this._show();
      const [start, end] = [Math.min(anchor, focus), Math.max(anchor, focus)];
      this.announce(start === end ? "Nothing selected." : `Selected: ${short(text.slice(start, end), 160)}`, true);
      return;
    }
    let target;
    if (direction > 0) {
      target = sentenceStarts(text).find((start) => start > focus);
      if (target === undefined) {
        const index = order.indexOf(paragraphId) + 1;
        if (index >= order.length) return;
        paragraphId = order[index];
        target = sentenceStarts(this._textOf(paragraphId))[0] ?? 0;
      }
    } else if (focus === 0 || sentenceStarts(text)[0] >= focus) {
      const index = order.indexOf(paragraphId) - 1;
      if (index < 0) return;
      paragraphId = order[index];
      const starts = sentenceStarts(this._textOf(paragraphId));
      target = starts.length ? starts[starts.length - 1] : 0;
    } else {
      target = sentenceStartBefore(text, focus);
    }
    this._jumpTo(paragraphId, target);
    const after = this._textOf(paragraphId);
    this.announce(`Sentence: ${short(after.slice(target, sentenceEndAfter(after, target)), 120)}`, true);
  }

  /** `]` / `[`: focus the next / previous span after the caret (or after the focused span). */
  _jumpSpan(direction, fromKey = null) {
    if (fromKey) {
      const span = this.store.annotations.get(fromKey);
      const offset = codePointToUtf16(this._textOf(span.paragraph), span.start);
      this.caret = { paragraphId: span.paragraph, anchor: offset, focus: offset };
    }
    const key = this._neighbourSpan(direction, fromKey);
    if (key) {
      const span = this.store.annotations.get(key);
      if (!this.store.pick) this.store.select(key, "keyboard");
      this.text.focusSpan(key);
      if (this.store.pick) this.announce(`${LABEL_NAMES[span.label]}: ${short(span.quote, 80)}. Enter links to it.`);
    } else {
      this.announce(direction > 0 ? "No span after this one." : "No span before this one.");
    }
  }

  /** The first span starting after (direction 1) or before (-1) the caret, across paragraphs; from
   * a focused span (`fromKey`), the next or previous one in reading order (start, then longer first),
   * so a span at a paragraph's start, or one sharing its start with another, is never its own neighbour. */
  _neighbourSpan(direction, fromKey = null) {
    if (!this.caret) this._placeAtStart();
    const order = this.store.paragraphOrder;
    const text = this._textOf(this.caret.paragraphId);
    const point = utf16ToCodePoint(text, this.caret.focus);
    let index = order.indexOf(this.caret.paragraphId);
    for (let step = 0; index >= 0 && index < order.length; step += 1, index += direction) {
      const spans = this.store.annotationsIn(order[index]).sort((a, b) => a.start - b.start || b.end - a.end);
      const at = step === 0 && fromKey ? spans.findIndex((span) => span.key === fromKey) : -1;
      const candidates = at >= 0 ? (direction > 0 ? spans.slice(at + 1) : spans.slice(0, at))
        : step === 0 ? spans.filter((span) => (direction > 0 ? span.start > point || (span.start === point && point === 0) : span.start < point)) : spans;
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
    if (this.store.readOnly && this._changesSpan(event)) {
      this.store.refusedAsReadOnly();
      return true;
    }
    if (event.altKey && (event.key === "ArrowLeft" || event.key === "ArrowRight")) {
      // Alt+←/→ move the end a word, with Shift the start; with Ctrl as well, a character.
      const edge = event.shiftKey ? "start" : "end";
      const text = this._textOf(span.paragraph);
      const moved = moveEdge(text, codePointToUtf16(text, span.start), codePointToUtf16(text, span.end), edge,
        event.key === "ArrowRight" ? 1 : -1, event.ctrlKey ? "char" : "word");
      if (!moved) {
        this.announce(`The ${edge} cannot move further that way.`);
        return true;
      }
      this.store.updateAnnotation(key, { start: utf16ToCodePoint(text, moved[0]), end: utf16ToCodePoint(text, moved[1]) });
      this.announce(`Now: ${short(this.store.annotations.get(key).quote, 120)}`, true);
      this._refocus(key);
      return true;
    }
    if (event.ctrlKey || event.metaKey || event.altKey) return false;
    const label = LABEL_KEYS[event.key.toLowerCase()];
    if (label && this.store.labels.includes(label) && !this.store.pick) {
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
        } else {
          this.store.select(key, "keyboard");
          this.inspector.focus();
        }
        return true;
      case "Delete":
      case "Backspace": {
        const mark = this.text.firstElementOf(key);
        if (mark) this._toCaretAt(mark);
        this.store.deleteAnnotation(key);
        this.announce("Deleted. Press Ctrl+Z to undo.");
        return true;
      }
      case "[":
      case "]":
        this._jumpSpan(event.key === "]" ? 1 : -1, key);
        return true;
      case "s":
      case "a":
        if (this.store.pick) return true;
        this.store.select(key, "keyboard");
        this.store.startPick(key, event.key === "s" ? "supports" : "attacks", "keyboard");
        this.announce(`This span ${event.key === "s" ? "supports" : "attacks"}… press ] or [ to reach the other span, then Enter (Esc cancels; the Span panel has a search box).`);
        return true;
      case "ArrowRight":
      case "ArrowLeft":
      case "ArrowDown":
      case "ArrowUp": {
        const mark = this.text.firstElementOf(key);
        if (mark) this._toCaretAt(mark);
        return this._caretKey(event);
      }
      default:
        return false;
    }
  }

  /** Whether a key on a focused span would change it (label, edges, delete, a link). */
  _changesSpan(event) {
    if (event.altKey && (event.key === "ArrowLeft" || event.key === "ArrowRight")) return true;
    if (event.ctrlKey || event.metaKey || event.altKey) return false;
    const label = LABEL_KEYS[event.key.toLowerCase()];
    if (label && this.store.labels.includes(label)) return true;
    return ["Delete", "Backspace", "s", "a"].includes(event.key);
  }

  _refocus(key) {
    this.text.focusSpan(key);
  }
}

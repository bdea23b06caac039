/**
 * The span panel: what the selected span is, and everything one can do to it — change the
 * label, move either boundary, write a note, delete it, link it (supports / attacks, target
 * picked by clicking a span or by searching its text), see and remove its links.
 *
 * Built with DOM methods and textContent only. Plugins get an empty slot per span through
 * the store's "inspector:opened" event (e.g. comments).
 */
import { codePointToUtf16, utf16ToCodePoint } from "./offsets.js";
import { moveEdge } from "./segments.js";
import { LABEL_MARKERS, LABEL_NAMES, short } from "./store.js";

function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (name === "text") node.textContent = value;
    else if (name === "class") node.className = value;
    else if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
    else if (value !== null && value !== undefined && value !== false) node.setAttribute(name, value === true ? "" : value);
  }
  node.append(...children);
  return node;
}

export class Inspector {
  constructor({ root, store, text, announce, showTab }) {
    this.root = root;
    this.store = store;
    this.text = text;
    this.announce = announce;
    this.showTab = showTab;
    this._noteTimer = null;
    const refresh = () => this.render();
    store.addEventListener("selection:changed", (event) => {
      this.render();
      if (event.detail.key) this.showTab("span");
    });
    for (const name of ["annotation:changed", "annotation:saved", "relation:added", "relation:removed", "pick:changed"]) {
      store.addEventListener(name, (event) => {
        const detail = event.detail;
        if (name === "annotation:changed" && detail.annotation.key !== store.selectedKey) return;
        if (document.activeElement && this.root.contains(document.activeElement) && document.activeElement.matches("textarea, input[type=search]")) {
          if (name === "pick:changed") refresh();
          else this._refreshLinksOnly();
          return;
        }
        refresh();
      });
    }
    this.render();
  }

  focus() {
    this.showTab("span");
    const first = this.root.querySelector("button, textarea, input");
    if (first) first.focus();
  }

  focusNote() {
    this.showTab("span");
    const note = this.root.querySelector("textarea");
    if (note) note.focus();
  }

  /** Redraw; a control that had focus gets it back (keyboard users keep their place). */
  render() {
    const active = document.activeElement;
    let refocus = null;
    if (active && this.root.contains(active)) {
      const marker = ["data-set-label", "data-move", "data-start-link", "data-delete-span"].find((name) => active.hasAttribute(name));
      if (marker) refocus = `[${marker}="${CSS.escape(active.getAttribute(marker))}"]`;
    }
    this._render();
    if (refocus) {
      const again = this.root.querySelector(refocus);
      if (again) again.focus();
    }
  }

  _render() {
    const key = this.store.selectedKey;
    const span = key ? this.store.annotations.get(key) : null;
    this.root.replaceChildren();
    if (!span) {
      this.root.append(el("p", { class: "muted", text: this.store.readOnly
        ? `${this.store.readOnly} Click a span (or press ] in the text) to see it and its links here.`
        : "Select text and press a label key (1, 2, 3) or a label button to tag it; click a span (or press ] in the text) to edit it here." }));
      return;
    }
    const labelName = LABEL_NAMES[span.label] || span.label;
    this.root.append(
      el("h3", { class: `inspector-title label-text-${span.label}` }, el("span", { class: `badge label-${span.label}`, "aria-hidden": "true", text: LABEL_MARKERS[span.label] || "?" }), ` ${labelName}`),
      el("blockquote", { class: "inspector-quote", "data-inspector-quote": true, text: span.quote }),
      el("p", { class: "muted small", text: span.id ? `Span ${span.id} · version ${span.version}` : "Not saved yet" }),
    );
    if (this.store.readOnly) {
      // Nothing here can change the span: what it is and its links, and why it is locked.
      if (span.note) this.root.append(el("h4", { text: "Note" }), el("p", { class: "inspector-note", "data-note-text": true, text: span.note }));
      this.root.append(el("div", { class: "links", "data-links": true }));
      this._renderLinks(key);
      this.root.append(el("p", { class: "muted small", "data-read-only": true, text: this.store.readOnly }));
      const slot = el("div", { class: "inspector-slot", "data-inspector-slot": true });
      this.root.append(slot);
      this.store.dispatchEvent(new CustomEvent("inspector:opened", { detail: { key, slot } }));
      return;
    }

    const labels = el("fieldset", { class: "label-choice" }, el("legend", { text: "Label" }));
    this.store.labels.forEach((label) => {
      const button = el("button", {
        type: "button", class: `label-button label-${label}`, "aria-pressed": String(label === span.label), "data-set-label": label,
        onclick: () => {
          this.store.updateAnnotation(key, { label });
          this.announce(`Now ${LABEL_NAMES[label]}.`);
        },
      }, LABEL_NAMES[label] || label);
      labels.append(button);
    });
    this.root.append(labels);

    // The note next: in view with the label, above the links and boundaries (which may run long).
    const note = el("textarea", { id: "span-note", rows: "2", "data-note": true });
    note.value = span.note || "";
    const saveNote = () => {
      clearTimeout(this._noteTimer);
      const current = this.store.annotations.get(key);
      if (current && current.note !== note.value) this.store.updateAnnotation(key, { note: note.value });
    };
    note.addEventListener("input", () => {
      clearTimeout(this._noteTimer);
      this._noteTimer = setTimeout(saveNote, 800);
    });
    note.addEventListener("change", saveNote);
    note.addEventListener("blur", saveNote);
    this.root.append(el("label", { for: "span-note", class: "note-label", text: "Note" }), note);

    // The links (and "Supports…" / "Attacks…") come right after the label and the note.
    this.root.append(el("div", { class: "links", "data-links": true }));
    this._renderLinks(key);

    const text = this.store.paragraphs.get(span.paragraph).text;
    const move = (edge, direction, byChar) => {
      const current = this.store.annotations.get(key);
      const moved = moveEdge(text, codePointToUtf16(text, current.start), codePointToUtf16(text, current.end), edge, direction, byChar ? "char" : "word");
      if (moved) this.store.updateAnnotation(key, { start: utf16ToCodePoint(text, moved[0]), end: utf16ToCodePoint(text, moved[1]) });
      else this.announce(`The ${edge} cannot move further that way.`);
    };
    const boundary = (edge, title) => el("div", { class: "boundary" },
      el("span", { class: "boundary-name", text: title }),
      el("button", { type: "button", "data-move": `${edge}-left`, "aria-label": `Move ${edge} one word left (Shift: one character; keys: Alt${edge === "start" ? "+Shift" : ""}+←)`, onclick: (e) => move(edge, -1, e.shiftKey) }, "◀ word"),
      el("button", { type: "button", "data-move": `${edge}-right`, "aria-label": `Move ${edge} one word right (Shift: one character; keys: Alt${edge === "start" ? "+Shift" : ""}+→)`, onclick: (e) => move(edge, 1, e.shiftKey) }, "word ▶"),
    );
    this.root.append(el("div", { class: "boundaries" }, boundary("start", "Start"), boundary("end", "End")));

    this.root.append(
      el("div", { class: "danger-row" },
        el("button", { type: "button", class: "danger", "data-delete-span": true, onclick: () => {
          this.store.deleteAnnotation(key);
          this.announce("Deleted. Press Ctrl+Z to undo.");
        } }, "Delete span")),
    );
    const slot = el("div", { class: "inspector-slot", "data-inspector-slot": true });
    this.root.append(slot);
    this.store.dispatchEvent(new CustomEvent("inspector:opened", { detail: { key, slot } }));
  }

  _refreshLinksOnly() {
    if (this.store.selectedKey) this._renderLinks(this.store.selectedKey);
  }

  _renderLinks(key) {
    const box = this.root.querySelector("[data-links]");
    if (!box) return;
    box.replaceChildren();
    const { outgoing, incoming } = this.store.relationsOf(key);
    const locked = Boolean(this.store.readOnly);
    box.append(el("h4", { text: "Links" }));
    const list = el("ul", { class: "link-list", "data-link-list": true });
    const describe = (otherKey) => {
      const other = this.store.annotations.get(otherKey);
      return other ? `${LABEL_NAMES[other.label] || other.label} “${short(other.quote, 50)}”` : "(removed span)";
    };
    for (const relation of outgoing) {
      list.append(el("li", { class: `relation relation-${relation.kind}`, "data-relation": relation.kind },
        el("span", { class: "relation-kind", text: `${relation.kind} → ` }),
        el("button", { type: "button", class: "link", onclick: () => this.store.select(relation.target, "inspector") }, describe(relation.target)),
        locked ? "" : " ",
        locked ? "" : el("button", { type: "button", class: "small", "aria-label": `Remove link: ${relation.kind} ${describe(relation.target)}`, onclick: () => this.store.deleteRelation(relation.key) }, "Remove"),
      ));
    }
    for (const relation of incoming) {
      list.append(el("li", { class: `relation relation-${relation.kind}`, "data-relation-incoming": relation.kind },
        el("button", { type: "button", class: "link", onclick: () => this.store.select(relation.source, "inspector") }, describe(relation.source)),
        el("span", { class: "relation-kind", text: ` ${relation.kind} this` }),
        locked ? "" : " ",
        locked ? "" : el("button", { type: "button", class: "small", "aria-label": `Remove link from ${describe(relation.source)}`, onclick: () => this.store.deleteRelation(relation.key) }, "Remove"),
      ));
    }
    if (!outgoing.length && !incoming.length) list.append(el("li", { class: "muted", text: "No links yet." }));
    box.append(list);

    const pick = this.store.pick;
    if (locked) return;
    if (pick && pick.source === key) {
      const search = el("input", { type: "search", id: "link-search", placeholder: "Search span text…", "data-link-search": true, autocomplete: "off" });
      const results = el("ul", { class: "search-results", "data-link-results": true });
      const fill = () => {
        const query = search.value.trim().toLowerCase();
        results.replaceChildren();
        let count = 0;
        for (const other of this.store.annotations.values()) {
          if (other.key === key || (query && !other.quote.toLowerCase().includes(query))) continue;
          results.append(el("li", {}, el("button", { type: "button", class: "link", "data-link-target": other.key, onclick: () => {
            this.store.completePick(other.key);
            this.announce("Linked.");
          } }, describe(other.key))));
          if (++count >= 20) break;
        }
        if (!count) results.append(el("li", { class: "muted", text: "No span matches." }));
      };
      search.addEventListener("input", fill);
      fill();
      box.append(
        el("div", { class: "pick", role: "group", "aria-label": "Choose the target" },
          el("p", { class: "pick-help", text: `This span ${pick.kind}… click the target span in the text or the map, or search:` }),
          el("label", { for: "link-search", class: "visually-hidden", text: "Search the target span's text" }),
          search, results,
          el("button", { type: "button", onclick: () => this.store.cancelPick() }, "Cancel (Esc)"),
        ),
      );
      if (pick.origin !== "keyboard") queueMicrotask(() => search.focus());
    } else {
      box.append(el("div", { class: "link-actions" },
        el("button", { type: "button", "data-start-link": "supports", onclick: () => this.store.startPick(key, "supports") }, "Supports…"),
        el("button", { type: "button", "data-start-link": "attacks", onclick: () => this.store.startPick(key, "attacks") }, "Attacks…"),
      ));
    }
  }
}

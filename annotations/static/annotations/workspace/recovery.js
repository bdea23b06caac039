/**
 * Unsaved changes survive a closed or crashed tab: while requests wait in the save queue, a
 * copy is kept in localStorage (per document and person). When the page opens and finds a
 * copy, it offers to apply those changes again (through the store's ordinary actions, so
 * they are saved, undoable and shown like any other) or to discard them.
 */
export class Recovery {
  constructor({ store, banner, storageKey, announce }) {
    this.store = store;
    this.banner = banner;
    this.storageKey = storageKey;
    this.announce = announce;
    this._saved = null;
    try {
      const raw = window.localStorage.getItem(storageKey);
      this._saved = raw ? JSON.parse(raw) : null;
    } catch (failure) {
      this._saved = null;
    }
    if (this._saved && this._saved.length) this._offer();
    store.addEventListener("save:state", () => this._keep());
  }

  _keep() {
    try {
      // While the offer is open, keep the earlier changes too.
      const pending = [...(this._saved || []), ...this.store.pendingSnapshot()];
      if (pending.length) window.localStorage.setItem(this.storageKey, JSON.stringify(pending));
      else window.localStorage.removeItem(this.storageKey);
    } catch (failure) {
      // Storage full or disabled: the save status still shows what is pending.
    }
  }

  _offer() {
    const count = this._saved.length;
    this.banner.replaceChildren();
    const text = document.createElement("p");
    text.textContent = `${count} change${count === 1 ? "" : "s"} from an earlier visit did not reach the server: ${this._saved.map((op) => op.description).slice(0, 3).join("; ")}${count > 3 ? "; …" : ""}`;
    const apply = document.createElement("button");
    apply.type = "button";
    apply.dataset.recoveryApply = "";
    apply.textContent = "Apply them again";
    apply.addEventListener("click", () => this.apply());
    const discard = document.createElement("button");
    discard.type = "button";
    discard.dataset.recoveryDiscard = "";
    discard.textContent = "Discard";
    discard.addEventListener("click", () => this._close("Discarded."));
    this.banner.append(text, apply, " ", discard);
    this.banner.hidden = false;
  }

  _close(message) {
    this._saved = null;
    this.banner.hidden = true;
    this._keep();
    this.announce(message);
  }

  /** Replay the saved operations; keys of spans made in the earlier visit are mapped to new ones. */
  apply() {
    const store = this.store;
    const mapped = new Map();
    const resolve = (key, serverIds) => {
      if (mapped.has(key)) return mapped.get(key);
      const id = serverIds[key];
      if (id != null) return store.keyForServerId(id);
      return store.annotations.has(key) && key.startsWith("a") ? key : null;
    };
    let applied = 0;
    for (const op of this._saved) {
      if (op.type === "annotation:create") {
        const { paragraph, start, end, label, note } = op.payload;
        if (!store.paragraphs.has(paragraph)) continue;
        mapped.set(op.key, store.createAnnotation({ paragraph, start, end, label, note }));
        applied += 1;
      } else if (op.type === "annotation:update") {
        const key = resolve(op.key, op.serverIds);
        if (!key) continue;
        const changes = { ...op.payload };
        delete changes.quote;
        store.updateAnnotation(key, changes);
        applied += 1;
      } else if (op.type === "annotation:delete") {
        const key = resolve(op.key, op.serverIds);
        if (key) {
          store.deleteAnnotation(key);
          applied += 1;
        }
      } else if (op.type === "relation:create") {
        const source = resolve(op.snapshot.source, op.serverIds);
        const target = resolve(op.snapshot.target, op.serverIds);
        if (source && target) {
          store.createRelation({ source, target, kind: op.snapshot.kind });
          applied += 1;
        }
      } else if (op.type === "relation:delete") {
        const id = op.serverIds[op.key];
        const relation = [...store.relations.values()].find((r) => r.id === id);
        if (relation) {
          store.deleteRelation(relation.key);
          applied += 1;
        }
      }
    }
    this._close(`Applied ${applied} earlier change${applied === 1 ? "" : "s"}; saving now.`);
  }
}

/**
 * The workspace's state, its save queue (over the API client of ../api.js), undo, and its event bus.
 *
 * One Store per document page. Every change a person makes goes through an action here
 * (createAnnotation, updateAnnotation, deleteAnnotation, createRelation, deleteRelation,
 * undo): the action changes the local state at once, tells the views through an event,
 * records how to undo it, and queues the request. The queue sends one request at a time,
 * in order; a request that fails for a transient reason (network, 5xx, 408, 429, signed
 * out) stays at
 * the head of the queue and is retried with backoff (1 s, 2 s, 4 s … 30 s) — nothing is
 * dropped silently. A request the server refuses (other 4xx) is rolled back locally and the
 * server's message is shown in the save status ("problems").
 *
 * Keys. Spans and relations are identified by a client key that never changes ("a17" for
 * span 17 loaded with the page, "n3" for the third span made on this page); the server id is
 * looked up at send time (`serverId(key)`), so a span can be edited, linked or deleted before
 * its create has reached the server, and undoing a delete re-creates it under the same key.
 *
 * Offsets in the store are the API's: Unicode code points into the paragraph text.
 * text.js converts to the DOM's UTF-16 offsets with offsets.js.
 *
 * ─── Events (store.addEventListener(name, e => e.detail …)) ────────────────────────────
 *   annotation:added    {annotation, origin}            origin: "local" | "undo" | "remote" | "rollback"
 *   annotation:changed  {annotation, previous, origin}
 *   annotation:removed  {annotation, relations, origin} relations: the ones removed with it
 *   annotation:saved    {annotation}                    the server accepted it (id/version set)
 *   relation:added      {relation, origin}
 *   relation:removed    {relation, origin}
 *   relation:saved      {relation}
 *   paragraph:changed   {paragraphId}                   redraw that paragraph (text.js listens)
 *   selection:changed   {key, previous, origin}         origin: "text" | "map" | "outline" | "inspector" | …
 *   pick:changed        {pick}                          relation target picking: {source, kind} or null
 *   pick:completed      {source, target, kind, relation} a link was made by picking (focus goes back to the source)
 *   save:state          {state, pending, problems, retryInMs}  state: "saved" | "saving" | "failed"
 *   save:rejected       {message, op}
 *   undo:changed        {canUndo, description}
 *   inspector:opened    {key, slot}                     inspector.js: a <div> plugins may fill for this span
 *   overlay:activated   {name, key, element}            text.js: an overlay mark was clicked
 *
 * ─── Hooks for later modules (no need to edit the existing ones) ──────────────────────────
 *   Getting hold of the workspace: registerPlugin(name, (workspace) => …) from plugins.js;
 *     workspace = {store, text, inspector, outline, showTab, announce, pageData, root, canAnnotate, request}.
 *   Suggestions review, other people's layers:
 *     store.registerOverlay(name, provider)   provider(paragraphId) -> [{key, start, end, label,
 *       className, title}] (code points). text.js draws them with the person's spans, with the
 *       given class (e.g. "overlay-suggestion" is drawn dashed; see workspace.css), title as
 *       tooltip. Clicking one emits "overlay:activated" {name, key, element}.
 *     store.refreshParagraphs(ids?)            redraw after your overlay's data changed.
 *     store.unregisterOverlay(name)
 *   Live updates from other sessions:
 *     store.applyRemote({kind: "annotation" | "relation", action: "upsert" | "delete", data})
 *       with `data` shaped like the API's output; changes state and emits events with
 *       origin "remote", queues nothing and records no undo.
 *   Comments (or anything per span): listen to "inspector:opened" and render into detail.slot.
 *   Undo for changes a plugin made on the server itself: store.recordUndo(description, revert).
 *   Reads: store.annotations (Map key -> span), store.relations (Map key -> relation),
 *     store.paragraphs (Map id -> {id, position, kind, text}), store.paragraphOrder (ids),
 *     store.annotationsIn(paragraphId), store.relationsOf(key), store.labels, store.selectedKey.
 */
import { sliceCodePoints } from "./offsets.js";
import { ApiError } from "../api.js";

const RETRY_BASE_MS = 1000;
const RETRY_MAX_MS = 30000;

export const LABEL_NAMES = {
  major_claim: "Major claim",
  claim: "Claim",
  evidence: "Evidence",
  counterclaim: "Counterclaim",
  rebuttal: "Rebuttal",
};

/** One-letter marker per label, shown in the text (CSS), legend, panels and map. */
export const LABEL_MARKERS = { major_claim: "M", claim: "C", evidence: "E", counterclaim: "X", rebuttal: "R" };

export class Store extends EventTarget {
  constructor(pageData, { api }) {
    super();
    this.api = api;
    this.document = pageData.document;
    this.labels = pageData.project.labels;
    this.layerId = pageData.layer;
    this.layerExplicit = Boolean(pageData.layer_explicit);
    this.paragraphs = new Map();
    this.paragraphOrder = [];
    for (const paragraph of pageData.paragraphs) {
      this.paragraphs.set(paragraph.id, paragraph);
      this.paragraphOrder.push(paragraph.id);
    }
    this.annotations = new Map();
    this.relations = new Map();
    this._byParagraph = new Map();
    this._serverIds = new Map();
    this._versions = new Map();
    this._relationServerIds = new Map();
    this._keyOfId = new Map();
    this._relationKeyOfId = new Map();
    this._counter = 0;
    this._queue = [];
    this._problems = [];
    this._undo = [];
    this._recordingUndo = true;
    this._overlays = new Map();
    this._sending = false;
    this._wakeRetry = null;
    this._retryInMs = 0;
    this.selectedKey = null;
    this.pick = null;
    // Why this layer cannot change here (submitted work, a viewer, a student's work the teacher
    // reads), or null. Local actions are then refused with a "readonly:refused" event naming it.
    this.readOnly = null;
    for (const span of pageData.annotations) this._adoptServerAnnotation(span);
    for (const relation of pageData.relations) this._adoptServerRelation(relation);
  }

  // ── reads ────────────────────────────────────────────────────────────────────────
  annotationsIn(paragraphId) {
    const keys = this._byParagraph.get(paragraphId);
    return keys ? [...keys].map((key) => this.annotations.get(key)) : [];
  }

  relationsOf(key) {
    const outgoing = [];
    const incoming = [];
    for (const relation of this.relations.values()) {
      if (relation.source === key) outgoing.push(relation);
      if (relation.target === key) incoming.push(relation);
    }
    return { outgoing, incoming };
  }

  serverId(key) {
    return this._serverIds.get(key) ?? null;
  }

  keyForServerId(id) {
    return this._keyOfId.get(id) ?? null;
  }

  overlayMarks(paragraphId) {
    const marks = [];
    for (const [name, provider] of this._overlays) {
      for (const mark of provider(paragraphId) || []) marks.push({ ...mark, overlay: name });
    }
    return marks;
  }

  get pendingCount() {
    return this._queue.length;
  }

  get pendingDescriptions() {
    return this._queue.map((op) => op.description);
  }

  /**
   * The waiting requests as plain data (for recovery.js to keep a copy in localStorage):
   * each op with the server ids its keys had, so another page can replay it.
   */
  pendingSnapshot() {
    return this._queue.map((op) => {
      const keys = [op.key, op.snapshot?.source, op.snapshot?.target].filter(Boolean);
      const serverIds = {};
      for (const key of keys) {
        const id = op.type.startsWith("relation") && key === op.key ? this._relationServerIds.get(key) : this._serverIds.get(key);
        if (id != null) serverIds[key] = id;
      }
      return { type: op.type, key: op.key, payload: op.payload, snapshot: op.snapshot, description: op.description, serverIds };
    });
  }

  get problems() {
    return [...this._problems];
  }

  // ── hooks ────────────────────────────────────────────────────────────────────────
  registerOverlay(name, provider) {
    this._overlays.set(name, provider);
    this.refreshParagraphs();
  }

  unregisterOverlay(name) {
    this._overlays.delete(name);
    this.refreshParagraphs();
  }

  refreshParagraphs(ids = this.paragraphOrder) {
    for (const paragraphId of ids) this._emit("paragraph:changed", { paragraphId });
  }

  applyRemote({ kind, action, data }) {
    if (kind === "annotation") {
      const key = this._keyOfId.get(data.id);
      if (action === "delete") {
        if (key && this.annotations.has(key)) this._remove(key, "remote");
        return;
      }
      if (key && this.annotations.has(key)) {
        const previous = { ...this.annotations.get(key) };
        this._versions.set(key, data.version);
        this._replace(key, { paragraph: data.paragraph, start: data.start, end: data.end, quote: data.quote, label: data.label, note: data.note, version: data.version }, previous, "remote");
      } else {
        const annotation = this._adoptServerAnnotation(data);
        this._emit("annotation:added", { annotation, origin: "remote" });
        this._emit("paragraph:changed", { paragraphId: annotation.paragraph });
      }
    } else if (kind === "relation") {
      const key = this._relationKeyOfId.get(data.id);
      if (action === "delete") {
        if (key && this.relations.has(key)) this._removeRelationLocal(key, "remote");
        return;
      }
      if (!key) {
        const relation = this._adoptServerRelation(data);
        if (relation) this._emitRelationAdded(relation, "remote");
      }
    }
  }

  // ── selection and relation picking ───────────────────────────────────────────────
  select(key, origin = "text") {
    if (key !== null && !this.annotations.has(key)) key = null;
    const previous = this.selectedKey;
    this.selectedKey = key;
    this._emit("selection:changed", { key, previous, origin });
  }

  /** True (and a "readonly:refused" event) when the layer cannot change here. */
  refusedAsReadOnly() {
    if (!this.readOnly) return false;
    this._emit("readonly:refused", { reason: this.readOnly });
    return true;
  }

  /** Start linking from `source`; `origin` "keyboard" keeps the focus in the text (the panel's search is not focused). */
  startPick(source, kind, origin = "panel") {
    if (this.refusedAsReadOnly()) return;
    this.pick = { source, kind, origin };
    this._emit("pick:changed", { pick: this.pick });
  }

  cancelPick() {
    if (!this.pick) return;
    this.pick = null;
    this._emit("pick:changed", { pick: null });
  }

  /** Finish a pick with the chosen target: creates the relation. Returns its key or null. */
  completePick(target) {
    if (!this.pick) return null;
    const { source, kind } = this.pick;
    if (target === source) {
      // The span being linked from: keep picking (a span cannot support or attack itself).
      this._emit("pick:same", { source });
      return null;
    }
    this.pick = null;
    this._emit("pick:changed", { pick: null });
    const key = this.createRelation({ source, target, kind });
    this._emit("pick:completed", { source, target, kind, relation: key });
    return key;
  }

  /**
   * Put a change made outside the queue on the undo stack (e.g. accepting a suggestion, which
   * the server did at once): Ctrl+Z calls `revert()` like any other undo.
   */
  recordUndo(description, revert) {
    this._record(description, revert);
  }

  // ── actions (each: local change + event + undo record + queued request) ───────────
  createAnnotation({ paragraph, start, end, label, note = "" }) {
    if (this.refusedAsReadOnly()) return null;
    const text = this.paragraphs.get(paragraph).text;
    const existing = this.annotationsIn(paragraph).find((span) => span.start === start && span.end === end);
    if (existing) {
      if (existing.label !== label) this.updateAnnotation(existing.key, { label });
      return existing.key;
    }
    const key = `n${++this._counter}`;
    const annotation = { key, id: null, paragraph, start, end, quote: sliceCodePoints(text, start, end), label, note, version: null };
    this._insert(annotation, "local");
    this._enqueue({ type: "annotation:create", key, payload: this._createPayload(annotation), description: `Tag ${LABEL_NAMES[label] || label} “${short(annotation.quote)}”` });
    this._record(`tag ${LABEL_NAMES[label] || label}`, () => this.deleteAnnotation(key));
    return key;
  }

  updateAnnotation(key, changes) {
    if (this.refusedAsReadOnly()) return;
    const current = this.annotations.get(key);
    if (!current) return;
    const previous = { ...current };
    const next = { ...changes };
    if ("start" in next || "end" in next) {
      const start = next.start ?? current.start;
      const end = next.end ?? current.end;
      const text = this.paragraphs.get(current.paragraph).text;
      if (!(start >= 0 && start < end && end <= [...text].length)) return;
      next.start = start;
      next.end = end;
      next.quote = sliceCodePoints(text, start, end);
    }
    const undoFields = {};
    for (const field of Object.keys(next)) undoFields[field] = current[field];
    delete undoFields.quote;
    this._replace(key, next, previous, "local");
    const payload = { ...next };
    this._enqueue({ type: "annotation:update", key, payload, previous, description: `Change ${Object.keys(next).filter((f) => f !== "quote").join(", ")} of “${short(previous.quote)}”` });
    this._record(`change ${Object.keys(undoFields).join(", ")}`, () => this.updateAnnotation(key, undoFields));
  }

  deleteAnnotation(key) {
    if (this.refusedAsReadOnly()) return;
    const annotation = this.annotations.get(key);
    if (!annotation) return;
    const removedRelations = this._remove(key, "local");
    this._enqueue({ type: "annotation:delete", key, snapshot: annotation, relations: removedRelations, description: `Delete “${short(annotation.quote)}”` });
    this._record(`delete “${short(annotation.quote)}”`, () => this._restore(annotation, removedRelations));
  }

  createRelation({ source, target, kind }) {
    if (this.refusedAsReadOnly()) return null;
    if (source === target || !this.annotations.has(source) || !this.annotations.has(target)) return null;
    for (const relation of this.relations.values()) {
      if (relation.source === source && relation.target === target) {
        if (relation.kind === kind) return relation.key;
        this.deleteRelation(relation.key);
        break;
      }
    }
    const key = `rn${++this._counter}`;
    const relation = { key, id: null, source, target, kind };
    this.relations.set(key, relation);
    this._emitRelationAdded(relation, "local");
    this._enqueue({ type: "relation:create", key, snapshot: relation, description: `Link: ${kind} “${short(this.annotations.get(target).quote)}”` });
    this._record(`link (${kind})`, () => this.deleteRelation(key));
    return key;
  }

  deleteRelation(key) {
    if (this.refusedAsReadOnly()) return;
    const relation = this.relations.get(key);
    if (!relation) return;
    this._removeRelationLocal(key, "local");
    this._enqueue({ type: "relation:delete", key, snapshot: relation, description: `Unlink (${relation.kind})` });
    this._record(`unlink (${relation.kind})`, () => this._restoreRelation(relation));
  }

  undo() {
    const entry = this._undo.pop();
    if (!entry) return false;
    this._recordingUndo = false;
    try {
      entry.revert();
    } finally {
      this._recordingUndo = true;
    }
    this._emitUndo();
    return true;
  }

  get canUndo() {
    return this._undo.length > 0;
  }

  /** What undo() would revert, e.g. "tag Claim", or null. */
  get undoDescription() {
    return this._undo.length ? this._undo[this._undo.length - 1].description : null;
  }

  /** Try every waiting request now instead of at the end of the backoff. */
  retryNow() {
    if (this._wakeRetry) this._wakeRetry();
  }

  dismissProblems() {
    this._problems = [];
    this._emitSaveState();
  }

  // ── local state ──────────────────────────────────────────────────────────────────
  _adoptServerAnnotation(span) {
    const key = `a${span.id}`;
    const annotation = {
      key, id: span.id, paragraph: span.paragraph, start: span.start, end: span.end, quote: span.quote,
      label: span.label, note: span.note || "", version: span.version,
    };
    this._serverIds.set(key, span.id);
    this._versions.set(key, span.version);
    this._keyOfId.set(span.id, key);
    this.annotations.set(key, annotation);
    this._index(annotation);
    return annotation;
  }

  _adoptServerRelation(data) {
    const source = this._keyOfId.get(data.source);
    const target = this._keyOfId.get(data.target);
    if (!source || !target) return null;
    const key = `r${data.id}`;
    const relation = { key, id: data.id, source, target, kind: data.kind };
    this.relations.set(key, relation);
    this._relationServerIds.set(key, data.id);
    this._relationKeyOfId.set(data.id, key);
    return relation;
  }

  _index(annotation) {
    if (!this._byParagraph.has(annotation.paragraph)) this._byParagraph.set(annotation.paragraph, new Set());
    this._byParagraph.get(annotation.paragraph).add(annotation.key);
  }

  _insert(annotation, origin) {
    this.annotations.set(annotation.key, annotation);
    this._index(annotation);
    this._emit("annotation:added", { annotation, origin });
    this._emit("paragraph:changed", { paragraphId: annotation.paragraph });
  }

  _replace(key, changes, previous, origin) {
    const annotation = this.annotations.get(key);
    Object.assign(annotation, changes);
    this._emit("annotation:changed", { annotation, previous, origin });
    this._emit("paragraph:changed", { paragraphId: annotation.paragraph });
  }

  _remove(key, origin) {
    const annotation = this.annotations.get(key);
    const removed = [];
    for (const relation of [...this.relations.values()]) {
      if (relation.source === key || relation.target === key) {
        this.relations.delete(relation.key);
        removed.push(relation);
        this._emit("relation:removed", { relation, origin });
      }
    }
    this.annotations.delete(key);
    this._byParagraph.get(annotation.paragraph)?.delete(key);
    if (this.selectedKey === key) this.select(null, "store");
    this._emit("annotation:removed", { annotation, relations: removed, origin });
    this._emit("paragraph:changed", { paragraphId: annotation.paragraph });
    for (const relation of removed) this._touchRelationParagraphs(relation);
    return removed;
  }

  _restore(snapshot, relations) {
    const annotation = { ...snapshot, id: null, version: null };
    this._insert(annotation, "undo");
    this._enqueue({ type: "annotation:create", key: annotation.key, payload: this._createPayload(annotation), description: `Restore “${short(annotation.quote)}”` });
    for (const relation of relations) this._restoreRelation(relation);
  }

  _restoreRelation(snapshot) {
    if (!this.annotations.has(snapshot.source) || !this.annotations.has(snapshot.target)) return;
    const relation = { ...snapshot, id: null };
    this.relations.set(relation.key, relation);
    this._emitRelationAdded(relation, "undo");
    this._enqueue({ type: "relation:create", key: relation.key, snapshot: relation, description: `Restore link (${relation.kind})` });
  }

  _removeRelationLocal(key, origin) {
    const relation = this.relations.get(key);
    this.relations.delete(key);
    this._emit("relation:removed", { relation, origin });
    this._touchRelationParagraphs(relation);
  }

  _emitRelationAdded(relation, origin) {
    this._emit("relation:added", { relation, origin });
    this._touchRelationParagraphs(relation);
  }

  _touchRelationParagraphs(relation) {
    const ids = new Set();
    for (const key of [relation.source, relation.target]) {
      const annotation = this.annotations.get(key);
      if (annotation) ids.add(annotation.paragraph);
    }
    for (const paragraphId of ids) this._emit("paragraph:changed", { paragraphId });
  }

  _createPayload(annotation) {
    const payload = { paragraph: annotation.paragraph, start: annotation.start, end: annotation.end, quote: annotation.quote, label: annotation.label, note: annotation.note };
    // An exercise page writes to the exercise's layer, not the person's own.
    if (this.layerExplicit) payload.layer = this.layerId;
    return payload;
  }

  _record(description, revert) {
    if (!this._recordingUndo) return;
    this._undo.push({ description, revert });
    if (this._undo.length > 200) this._undo.shift();
    this._emitUndo();
  }

  _emitUndo() {
    const top = this._undo[this._undo.length - 1];
    this._emit("undo:changed", { canUndo: Boolean(top), description: top ? top.description : null });
  }

  _emit(name, detail) {
    this.dispatchEvent(new CustomEvent(name, { detail }));
  }

  // ── save queue ───────────────────────────────────────────────────────────────────
  _enqueue(op) {
    this._queue.push(op);
    this._emitSaveState();
    this._pump();
  }

  _emitSaveState(error = null) {
    const state = this._queue.length === 0 ? "saved" : error ? "failed" : "saving";
    this._emit("save:state", { state, pending: this._queue.length, problems: this.problems, retryInMs: this._retryInMs, error });
  }

  async _pump() {
    if (this._sending) return;
    this._sending = true;
    let failures = 0;
    try {
      while (this._queue.length) {
        const op = this._queue[0];
        try {
          await this._send(op);
          this._queue.shift();
          failures = 0;
          this._retryInMs = 0;
          this._emitSaveState();
        } catch (failure) {
          if (!(failure instanceof ApiError)) throw failure;
          if (failure.retryable) {
            failures += 1;
            this._retryInMs = Math.min(RETRY_MAX_MS, RETRY_BASE_MS * 2 ** (failures - 1));
            this._emitSaveState(failure.message);
            await this._sleep(this._retryInMs);
            this._retryInMs = 0;
            this._emitSaveState();
          } else {
            this._queue.shift();
            this._rollback(op, failure);
            this._emitSaveState();
          }
        }
      }
    } finally {
      this._sending = false;
    }
  }

  _sleep(ms) {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this._wakeRetry = () => {
        this._wakeRetry = null;
        done();
      };
    });
  }

  async _send(op) {
    const api = this.api;
    switch (op.type) {
      case "annotation:create": {
        let data;
        try {
          data = await api("POST", "annotations/", op.payload);
        } catch (failure) {
          // A retried create whose first attempt did reach the server: adopt that span.
          if (failure.status === 409 && failure.data.annotation_id) data = await api("GET", `annotations/${failure.data.annotation_id}/`);
          else throw failure;
        }
        this._saved(op.key, data);
        return;
      }
      case "annotation:update": {
        const id = this._serverIds.get(op.key);
        if (id == null) return; // its create was refused; nothing to update
        const data = await api("PATCH", `annotations/${id}/`, { ...op.payload, version: this._versions.get(op.key) });
        this._saved(op.key, data);
        return;
      }
      case "annotation:delete": {
        const id = this._serverIds.get(op.key);
        if (id == null) return;
        await this._delete(`annotations/${id}/`);
        this._serverIds.delete(op.key);
        this._keyOfId.delete(id);
        for (const relation of op.relations) this._forgetRelationId(relation.key);
        return;
      }
      case "relation:create": {
        const source = this._serverIds.get(op.snapshot.source);
        const target = this._serverIds.get(op.snapshot.target);
        if (source == null || target == null) return;
        let data;
        try {
          data = await api("POST", "relations/", { source, target, kind: op.snapshot.kind });
        } catch (failure) {
          if (failure.status === 409 && failure.data.relation_id) data = { id: failure.data.relation_id };
          else throw failure;
        }
        this._relationServerIds.set(op.key, data.id);
        this._relationKeyOfId.set(data.id, op.key);
        const relation = this.relations.get(op.key);
        if (relation) {
          relation.id = data.id;
          this._emit("relation:saved", { relation });
        }
        return;
      }
      case "relation:delete": {
        const id = this._relationServerIds.get(op.key);
        if (id == null) return;
        await this._delete(`relations/${id}/`);
        this._forgetRelationId(op.key);
        return;
      }
      default:
        throw new Error(`unknown operation ${op.type}`);
    }
  }

  // A delete that finds the row already gone (404: deleted elsewhere, or by an earlier attempt) has done its job.
  async _delete(path) {
    try {
      await this.api("DELETE", path);
    } catch (failure) {
      if (failure.status !== 404) throw failure;
    }
  }

  _forgetRelationId(key) {
    const id = this._relationServerIds.get(key);
    this._relationServerIds.delete(key);
    if (id != null) this._relationKeyOfId.delete(id);
  }

  _saved(key, data) {
    this._serverIds.set(key, data.id);
    this._versions.set(key, data.version);
    this._keyOfId.set(data.id, key);
    const annotation = this.annotations.get(key);
    if (annotation) {
      annotation.id = data.id;
      annotation.version = data.version;
      this._emit("annotation:saved", { annotation });
    }
  }

  _rollback(op, failure) {
    let message = failure.message;
    switch (op.type) {
      case "annotation:create":
        if (this.annotations.has(op.key)) this._remove(op.key, "rollback");
        message = `Not saved: ${op.description}. ${failure.message}`;
        break;
      case "annotation:update": {
        const current = failure.data.current;
        if (failure.status === 409 && current) {
          this._versions.set(op.key, current.version);
          if (this.annotations.has(op.key)) {
            const previous = { ...this.annotations.get(op.key) };
            this._replace(op.key, { start: current.start, end: current.end, quote: current.quote, label: current.label, note: current.note, version: current.version }, previous, "rollback");
          }
          message = `${failure.message} The span now shows its current version.`;
        } else {
          if (this.annotations.has(op.key)) {
            const fields = {};
            for (const field of Object.keys(op.payload)) fields[field] = op.previous[field];
            this._replace(op.key, fields, { ...this.annotations.get(op.key) }, "rollback");
          }
          message = `Not saved: ${op.description}. ${failure.message}`;
        }
        break;
      }
      case "annotation:delete":
        if (!this.annotations.has(op.key)) {
          this._insert({ ...op.snapshot }, "rollback");
          for (const relation of op.relations) {
            this.relations.set(relation.key, { ...relation });
            this._emitRelationAdded(relation, "rollback");
          }
        }
        message = `Not deleted: ${failure.message}`;
        break;
      case "relation:create":
        if (this.relations.has(op.key)) this._removeRelationLocal(op.key, "rollback");
        message = `Link not saved: ${failure.message}`;
        break;
      case "relation:delete":
        if (!this.relations.has(op.key)) {
          this.relations.set(op.key, { ...op.snapshot });
          this._emitRelationAdded(op.snapshot, "rollback");
        }
        message = `Link not removed: ${failure.message}`;
        break;
      default:
        break;
    }
    this._problems.push(message);
    this._emit("save:rejected", { message, op });
  }
}

export function short(text, length = 60) {
  const flat = (text || "").replace(/\s+/g, " ").trim();
  return flat.length > length ? `${flat.slice(0, length - 1)}…` : flat;
}

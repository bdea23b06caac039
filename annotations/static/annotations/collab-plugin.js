/**
 * collab-plugin.js — plugs the collaboration features into the document page's store
 * through the store's documented hooks (no edits to the workspace modules needed):
 *
 *   import { connectCollaboration } from "../collab-plugin.js";
 *   const collab = connectCollaboration(store, {
 *     documentId, cursor: pageData.changes_cursor, ownLayerId: pageData.layer, username: pageData.user.username,
 *   });
 *   await collab.showLayer(layerId);   // draw another layer's spans as an overlay (own marker style per layer)
 *   collab.hideLayer(layerId);
 *   collab.shownLayers                 // ids currently shown
 *   collab.addEventListener("layers", (e) => e.detail.added)   // layers that appeared since the page loaded
 *   collab.stop();
 *
 * What it does:
 * - Live: follows the changes feed (live.js). Changes to the person's own layer (from
 *   another tab or device) go to `store.applyRemote({kind, action: "upsert" | "delete", data})`,
 *   skipped when the store already holds that span at the same or a newer version, so the
 *   page's own saves coming back through the feed change nothing. Changes to a shown layer
 *   update its overlay and redraw only the paragraphs concerned.
 * - New layers: a change in a layer the page has not heard of (a colleague's first span, or
 *   the person's own first span made in another tab while this page had no layer yet) makes it
 *   ask for the document's layers once (`GET /api/documents/<id>/layers/`); changes that
 *   arrive meanwhile wait and are then applied in order. The person's own personal layer
 *   ("mine") becomes `ownLayerId` (so its spans reach the store); other layers are announced
 *   with a "layers" event `{added: [{id, name, kind, owner}]}` (collab-connect.js adds their
 *   checkboxes). Layers the person may not read are never listed, and their changes never
 *   reach the page.
 * - Layers: `showLayer` loads the layer (`GET /api/documents/<id>/layers/<layer>/`) and
 *   registers an overlay "layer-<id>" whose marks carry classes
 *   `overlay-layer overlay-layer-<n>` (n = 0..5, one style per shown layer; argmap.css) and
 *   a tooltip "<layer name>: <label>". The marks are passive (a reading aid): a click on one
 *   of the person's own spans under a colleague's mark selects that span (its panel, its
 *   comments), and picking a link target by clicking works through them.
 * - Comments: on the store's "inspector:opened" {key, slot} it renders the span's thread
 *   into `slot` (text only), with a reply box (@username mentions; not for viewers,
 *   `canComment: false`) and resolve/reopen buttons; live comment events refresh an open
 *   thread. `showOverlaySpan(layerId, spanId, slot)` renders a shown layer's span (its layer,
 *   label, quote) with its thread the same way (collab-connect.js calls it when such a mark
 *   is clicked where the person has no span).
 *
 * Store interface used: addEventListener, registerOverlay, unregisterOverlay,
 * refreshParagraphs, applyRemote, keyForServerId, serverId, annotations (Map key → {version, …}).
 */
import { startLive } from "./live.js";
import * as api from "./collab-api.js";

const STYLE_COUNT = 6;

export function connectCollaboration(store, { documentId, cursor = null, ownLayerId = null, layers = [], username = "", canComment = true, target = globalThis.document, fetchImpl, live = true } = {}) {
  const options = fetchImpl ? { fetchImpl } : {};
  const shown = new Map(); // layer id -> {name, style, spans: Map id -> span}
  const announcer = new EventTarget();
  // Layers the page knows: its own and those it was loaded with (pageData.layers).
  const known = new Set(layers.map((layer) => Number(layer.id)));
  if (ownLayerId !== null && ownLayerId !== undefined) known.add(Number(ownLayerId));
  let openThread = null; // {annotationId, slot}

  // ── other layers as overlays ───────────────────────────────────────────────────────
  function overlayProvider(layerId) {
    return (paragraphId) => {
      const layer = shown.get(layerId);
      if (!layer) return [];
      const marks = [];
      for (const span of layer.spans.values()) {
        if (span.paragraph !== paragraphId) continue;
        marks.push({
          key: span.id, start: span.start, end: span.end, label: span.label,
          className: `overlay-layer overlay-layer-${layer.style}`, title: `${layer.name}: ${span.label}`, passive: true,
        });
      }
      return marks;
    };
  }

  function freeStyle() {
    const used = new Set([...shown.values()].map((layer) => layer.style));
    for (let style = 0; style < STYLE_COUNT; style += 1) if (!used.has(style)) return style;
    return shown.size % STYLE_COUNT;
  }

  async function showLayer(layerId) {
    layerId = Number(layerId);
    if (shown.has(layerId)) return shown.get(layerId);
    const data = await api.loadLayer(documentId, layerId, options);
    const layer = { name: data.layer.name, style: freeStyle(), spans: new Map(data.annotations.map((span) => [span.id, span])) };
    shown.set(layerId, layer);
    store.registerOverlay(`layer-${layerId}`, overlayProvider(layerId));
    return layer;
  }

  function hideLayer(layerId) {
    layerId = Number(layerId);
    if (!shown.delete(layerId)) return;
    store.unregisterOverlay(`layer-${layerId}`);
  }

  // ── live changes ─────────────────────────────────────────────────────────────────────
  function applyOwn(change) {
    const data = change.data;
    if (change.kind === "annotation" && change.action !== "deleted") {
      const key = store.keyForServerId(data.id);
      const current = key ? store.annotations.get(key) : null;
      if (current && Number(current.version) >= Number(data.version)) return; // our own save, or older news
    }
    if (change.kind === "relation" && change.action !== "deleted" && store.relations) {
      for (const relation of store.relations.values()) if (relation.id === data.id) return;
    }
    store.applyRemote({ kind: change.kind, action: change.action === "deleted" ? "delete" : "upsert", data });
  }

  function applyShown(change) {
    const layer = shown.get(change.layer);
    if (!layer || change.kind !== "annotation") return;
    const before = layer.spans.get(change.object_id);
    if (change.action === "deleted") layer.spans.delete(change.object_id);
    else layer.spans.set(change.object_id, change.data);
    const paragraphs = new Set([before?.paragraph, change.data.paragraph].filter((id) => id !== undefined && id !== null));
    store.refreshParagraphs([...paragraphs]);
  }

  function apply(change) {
    if (ownLayerId !== null && change.layer === Number(ownLayerId)) applyOwn(change);
    else applyShown(change);
  }

  // ── layers that appear while the page is open ───────────────────────────────────────────
  let waiting = null; // changes held while the layer list is fetched, in feed order
  const unlisted = new Set(); // layers the list did not name (not readable here): never asked about again
  async function learnLayers() {
    let listed = null;
    try {
      listed = (await api.listLayers(documentId, options)).layers || [];
    } catch {
      listed = null; // the next change in an unknown layer asks again
    }
    const added = [];
    for (const layer of listed || []) {
      const id = Number(layer.id);
      if (known.has(id)) continue;
      known.add(id);
      if (layer.mine && layer.kind === "personal" && (ownLayerId === null || ownLayerId === undefined)) {
        ownLayerId = id;
        store.layerId = id;
      } else {
        added.push(layer);
      }
    }
    const held = waiting;
    waiting = null;
    if (listed) for (const change of held) if (!known.has(change.layer)) unlisted.add(change.layer);
    if (added.length) announcer.dispatchEvent(new CustomEvent("layers", { detail: { added } }));
    for (const change of held) apply(change);
  }

  function onChange(event) {
    const change = event.detail;
    if (change.kind === "comment") {
      if (openThread && change.data.annotation === openThread.annotationId) renderThread(openThread.annotationId, openThread.slot);
      return;
    }
    if (waiting) {
      waiting.push(change);
      return;
    }
    if (change.layer !== null && change.layer !== undefined && !known.has(change.layer) && !unlisted.has(change.layer)) {
      waiting = [change];
      learnLayers();
      return;
    }
    apply(change);
  }

  const eventNames = [];
  for (const kind of ["annotation", "relation", "comment"]) {
    for (const action of ["created", "updated", "deleted"]) eventNames.push(`argmap:${kind}-${action}`);
  }
  const listenOn = target || new EventTarget();
  for (const name of eventNames) listenOn.addEventListener(name, onChange);
  const follower = live ? startLive({ documentId, cursor, target: listenOn, fetchImpl }) : null;

  // ── comment threads in the span inspector ────────────────────────────────────────────────
  function element(doc, tag, text, className) {
    const node = doc.createElement(tag);
    if (text !== undefined) node.textContent = text;
    if (className) node.className = className;
    return node;
  }

  async function renderThread(annotationId, slot) {
    const doc = slot.ownerDocument;
    let comments = [];
    try {
      comments = (await api.listComments(documentId, { annotation: annotationId, ...options })).comments;
    } catch (error) {
      slot.replaceChildren(element(doc, "p", error.message, "error"));
      return;
    }
    const box = element(doc, "section", undefined, "thread");
    box.dataset.thread = String(annotationId);
    box.append(element(doc, "h3", comments.length ? `Comments (${comments.length})` : "Comments"));
    const list = element(doc, "ol", undefined, "comments");
    for (const comment of comments) {
      const item = element(doc, "li", undefined, comment.resolved ? "comment resolved" : "comment");
      item.dataset.comment = String(comment.id);
      item.append(element(doc, "p", `${comment.author ?? "someone"}${comment.resolved ? " · resolved" : ""}`, "meta"));
      item.append(element(doc, "p", comment.body, "comment-body"));
      const toggle = element(doc, "button", comment.resolved ? "Reopen" : "Resolve", "link");
      toggle.type = "button";
      toggle.addEventListener("click", async () => {
        try {
          await api.setResolved(comment.id, !comment.resolved, options);
          await renderThread(annotationId, slot);
        } catch (error) {
          item.append(element(doc, "p", error.message, "error"));
        }
      });
      item.append(toggle);
      list.append(item);
    }
    box.append(list);
    if (!canComment) {
      box.append(element(doc, "p", "Viewers read comments but do not write them; ask the project's owner for the annotator role.", "muted small"));
      slot.replaceChildren(box);
      return;
    }
    const form = element(doc, "form", undefined, "stack");
    const fieldId = `comment-${annotationId}`;
    const label = element(doc, "label", "Comment (mention someone with @username)");
    label.htmlFor = fieldId;
    const field = element(doc, "textarea");
    field.id = fieldId;
    field.rows = 2;
    field.maxLength = 5000;
    const submit = element(doc, "button", "Post");
    submit.type = "submit";
    const status = element(doc, "p", "", "error");
    status.setAttribute("role", "status");
    form.append(label, field, submit, status);
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      if (!field.value.trim()) return;
      try {
        await api.postComment(annotationId, field.value, options);
        await renderThread(annotationId, slot);
      } catch (error) {
        status.textContent = error.message;
      }
    });
    box.append(form);
    slot.replaceChildren(box);
  }

  /** A shown layer's span (clicked in the text where the person has none): what it is and its thread. */
  function showOverlaySpan(layerId, spanId, slot) {
    const layer = shown.get(Number(layerId));
    const span = layer?.spans.get(Number(spanId));
    if (!span) return false;
    const doc = slot.ownerDocument;
    const box = element(doc, "section", undefined, "overlay-span");
    box.dataset.overlaySpan = String(span.id);
    box.append(element(doc, "h3", `${layer.name}: ${span.label.replace("_", " ")}`));
    box.append(element(doc, "blockquote", span.quote, "inspector-quote"));
    box.append(element(doc, "p", `In ${layer.name}'s layer, shown over yours; you can read it and comment on it here.`, "muted small"));
    const thread = element(doc, "div");
    box.append(thread);
    slot.replaceChildren(box);
    openThread = { annotationId: span.id, slot: thread };
    renderThread(span.id, thread);
    return true;
  }

  const onInspector = (event) => {
    const annotationId = store.serverId(event.detail.key);
    if (!annotationId || !event.detail.slot) return;
    openThread = { annotationId, slot: event.detail.slot };
    renderThread(annotationId, event.detail.slot);
  };
  store.addEventListener("inspector:opened", onInspector);

  return {
    showLayer,
    hideLayer,
    get shownLayers() { return [...shown.keys()]; },
    get ownLayerId() { return ownLayerId; },
    showOverlaySpan,
    addEventListener: (...args) => announcer.addEventListener(...args),
    removeEventListener: (...args) => announcer.removeEventListener(...args),
    renderThread,
    stop() {
      follower?.stop();
      for (const name of eventNames) listenOn.removeEventListener(name, onChange);
      store.removeEventListener?.("inspector:opened", onInspector);
      for (const layerId of [...shown.keys()]) hideLayer(layerId);
    },
  };
}

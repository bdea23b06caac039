/**
 * live.js — follow other people's edits on a document page without reloading.
 *
 * Polls GET /api/documents/<id>/changes/?since=<cursor> every ~1.5 s (backing off to 10 s
 * while the server fails, pausing while the tab is hidden) and dispatches one DOM
 * CustomEvent per change on the target element (default: document). It never touches
 * the page itself: the document page listens and applies the changes it cares about, so
 * local unsaved edits are never overwritten by this module.
 *
 * Usage (ES module, no globals):
 *   import { startLive } from "./live.js";
 *   const live = startLive({ documentId: 12, cursor: pageData.changes_cursor });
 *   document.addEventListener("argmap:annotation-created", (e) => addSpan(e.detail.data));
 *   live.stop();
 * Or declaratively: any element with data-live-document="<id>" (and optionally
 * data-live-cursor="<cursor>") starts polling when this module is loaded; events are
 * dispatched on that element and bubble up to document.
 *
 * Events (all bubble; `detail` is the change as the API returns it):
 *   argmap:annotation-created  argmap:annotation-updated  argmap:annotation-deleted
 *   argmap:relation-created    argmap:relation-deleted
 *   argmap:comment-created     argmap:comment-updated     argmap:comment-deleted
 * detail = {
 *   id,          // the change's id (also the new cursor)
 *   kind,        // "annotation" | "relation" | "comment"
 *   action,      // "created" | "updated" | "deleted"
 *   object_id,   // id of the span / relation / comment
 *   layer,       // layer id (for comments: the commented span's layer)
 *   actor,       // username of whoever made the change (may be you, from another tab)
 *   at,          // ISO time
 *   data,        // the object after the change:
 *                //   span: {id, document, paragraph, layer, start, end, quote, label, note, origin, version, author}
 *                //   relation: {id, document, layer, source, target, kind, author}
 *                //   comment: {id, document, annotation, author, body, mentions[], resolved, resolved_by, resolved_at, created_at, updated_at}
 *                // after a deletion only {id, layer, paragraph | annotation}
 * }
 * Offsets in span data are Unicode code points (convert to UTF-16 before using them on DOM text).
 * A span's relations and comments are deleted with it: "annotation-deleted" is preceded by
 * "relation-deleted" for its relations; its comments get no separate event.
 * Apply a span change only when detail.data.version is newer than what the page holds
 * (your own saves come back through the feed too).
 *
 * Also dispatched: argmap:live-status with detail {state: "live" | "retrying" | "paused" | "gone", cursor}
 * and argmap:live-batch with detail {cursor, count} after each non-empty poll. "gone" (with
 * {status, message}) means the server answered 404: the person can no longer see the document
 * (removed from its project, or the document was deleted); polling stops, since asking again
 * cannot help until the page is reloaded.
 */

import { makeClient } from "./api.js";

const DEFAULT_INTERVAL_MS = 1500;
const MAX_BACKOFF_MS = 10000;

export function startLive({ documentId, cursor = null, target = globalThis.document, intervalMs = DEFAULT_INTERVAL_MS, fetchImpl } = {}) {
  if (!documentId) throw new Error("startLive needs a documentId");
  const request = makeClient(fetchImpl ? { fetchImpl } : {});
  let current = cursor === null || cursor === undefined || cursor === "" ? null : Number(cursor);
  let timer = null;
  let stopped = false;
  let failures = 0;
  let inFlight = false;

  const emit = (name, detail) => target.dispatchEvent(new CustomEvent(name, { detail, bubbles: true }));

  async function poll() {
    if (stopped || inFlight) return;
    if (globalThis.document && globalThis.document.hidden) {
      emit("argmap:live-status", { state: "paused", cursor: current });
      schedule(intervalMs);
      return;
    }
    inFlight = true;
    let more = false;
    try {
      const url = `/api/documents/${encodeURIComponent(documentId)}/changes/` + (current === null ? "" : `?since=${current}`);
      const body = await request("GET", url);
      for (const change of body.events) {
        emit(`argmap:${change.kind}-${change.action}`, change);
      }
      if (body.events.length) emit("argmap:live-batch", { cursor: body.cursor, count: body.events.length });
      current = body.cursor;
      more = Boolean(body.more);
      if (failures) emit("argmap:live-status", { state: "live", cursor: current });
      failures = 0;
    } catch (error) {
      if (error && error.status === 404) {
        stopped = true;
        emit("argmap:live-status", { state: "gone", cursor: current, status: 404, message: error.message });
        return;
      }
      failures += 1;
      emit("argmap:live-status", { state: "retrying", cursor: current, error: String(error) });
    } finally {
      inFlight = false;
    }
    schedule(more ? 0 : failures ? Math.min(MAX_BACKOFF_MS, intervalMs * 2 ** failures) : intervalMs);
  }

  function schedule(delay) {
    if (stopped) return;
    clearTimeout(timer);
    timer = setTimeout(poll, delay);
  }

  schedule(0);
  return {
    stop() { stopped = true; clearTimeout(timer); },
    pollNow() { schedule(0); },
    get cursor() { return current; },
  };
}

if (typeof document !== "undefined" && document.querySelectorAll) {
  for (const element of document.querySelectorAll("[data-live-document]")) {
    startLive({ documentId: element.dataset.liveDocument, cursor: element.dataset.liveCursor ?? null, target: element });
  }
}

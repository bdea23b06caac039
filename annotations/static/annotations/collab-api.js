/**
 * collab-api.js — small client for the collaboration endpoints, for the document page.
 *
 * Every function returns the parsed JSON answer or throws an ApiError whose `message` is the
 * server's `detail` (written for people: show it as text). Writes send the CSRF token from
 * the `csrftoken` cookie. No globals; pass `fetchImpl` only in tests.
 *
 *   import * as collab from "./collab-api.js";
 *   const { layers } = await collab.listLayers(documentId);
 *     // [{id, name, kind: "personal"|"consensus"|"answer_key", owner, mine, spans, relations}]
 *   const other = await collab.loadLayer(documentId, layerId);
 *     // {layer: {id, name, kind, owner}, annotations: [{id, paragraph, start, end, quote, label, note, version, origin, author}],
 *     //  relations: [{id, source, target, kind}]}   (offsets in code points, like the page's own spans)
 *   const { comments } = await collab.listComments(documentId, { annotation: spanId });
 *   const comment = await collab.postComment(spanId, "Is this @annotator_b's claim?");
 *     // {id, document, annotation, author, body, mentions: [usernames], resolved, resolved_by, resolved_at, created_at, updated_at}
 *   await collab.setResolved(comment.id, true);  await collab.editComment(comment.id, "new text");  await collab.deleteComment(comment.id);
 *   collab.compareUrl(documentId, firstLayerId, secondLayerId)  // the side-by-side page
 */

export class ApiError extends Error {
  constructor(message, status, body) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.body = body;
  }
}

function csrfToken() {
  const cookies = globalThis.document ? globalThis.document.cookie.split("; ") : [];
  const found = cookies.find((cookie) => cookie.startsWith("csrftoken="));
  return found ? decodeURIComponent(found.slice("csrftoken=".length)) : "";
}

async function call(method, url, body, fetchImpl = globalThis.fetch) {
  const headers = { Accept: "application/json" };
  const options = { method, credentials: "same-origin", headers };
  if (body !== undefined) {
    headers["Content-Type"] = "application/json";
    options.body = JSON.stringify(body);
  }
  if (method !== "GET") headers["X-CSRFToken"] = csrfToken();
  const response = await fetchImpl(url, options);
  if (response.status === 204) return null;
  let data = null;
  try {
    data = await response.json();
  } catch {
    data = null;
  }
  if (!response.ok) {
    const detail = data && typeof data.detail === "string" ? data.detail : `The server answered ${response.status}.`;
    throw new ApiError(detail, response.status, data);
  }
  return data;
}

const id = (value) => encodeURIComponent(String(value));

export const listLayers = (documentId, { fetchImpl } = {}) => call("GET", `/api/documents/${id(documentId)}/layers/`, undefined, fetchImpl);
export const loadLayer = (documentId, layerId, { fetchImpl } = {}) =>
  call("GET", `/api/documents/${id(documentId)}/layers/${id(layerId)}/`, undefined, fetchImpl);

export function listComments(documentId, { annotation, resolved, fetchImpl } = {}) {
  const query = new URLSearchParams();
  if (annotation !== undefined) query.set("annotation", String(annotation));
  if (resolved !== undefined) query.set("resolved", resolved ? "true" : "false");
  const suffix = query.toString() ? `?${query}` : "";
  return call("GET", `/api/documents/${id(documentId)}/comments/${suffix}`, undefined, fetchImpl);
}

export const postComment = (annotationId, body, { fetchImpl } = {}) =>
  call("POST", "/api/comments/", { annotation: annotationId, body }, fetchImpl);
export const editComment = (commentId, body, { fetchImpl } = {}) => call("PATCH", `/api/comments/${id(commentId)}/`, { body }, fetchImpl);
export const setResolved = (commentId, resolved, { fetchImpl } = {}) =>
  call("PATCH", `/api/comments/${id(commentId)}/`, { resolved: Boolean(resolved) }, fetchImpl);
export const deleteComment = (commentId, { fetchImpl } = {}) => call("DELETE", `/api/comments/${id(commentId)}/`, undefined, fetchImpl);

export const compareUrl = (documentId, first, second) =>
  `/d/${id(documentId)}/compare/?first=${id(first)}&second=${id(second)}`;

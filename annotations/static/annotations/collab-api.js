/**
 * collab-api.js — small client for the collaboration endpoints, for the document page.
 *
 * Named calls over the one API client (api.js): each returns the parsed JSON answer or throws
 * api.js's ApiError, whose `message` is the server's `detail` (written for people: show it as
 * text). No globals; pass `fetchImpl` only in tests.
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

import { makeClient } from "./api.js";

export { ApiError } from "./api.js";

const call = (method, url, body, fetchImpl) => makeClient(fetchImpl ? { fetchImpl } : {})(method, url, body);

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

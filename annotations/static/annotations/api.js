/**
 * api.js — the one client every page module uses to talk to argmap's API, and its one error.
 *
 *   import { makeClient, ApiError } from "../api.js";
 *   const request = makeClient({ root: "/api/" });          // csrfToken, fetchImpl: optional
 *   const span = await request("POST", "annotations/", { paragraph, start, end, quote, label });
 *   await request("GET", "/api/documents/3/suggestions/");   // a path starting with "/" is used as is
 *   await request("POST", "documents/upload/", formData);     // FormData goes as multipart
 *
 * The answer is the parsed JSON (null for an empty answer, e.g. 204). Anything else throws an
 * ApiError: `message` is the server's `detail` (written for people: show it as text), `status`
 * the HTTP status (0 when the server could not be reached), `data` the parsed body, and
 * `retryable` whether sending the same request again later may work (network, 408, 429, 5xx,
 * signed out). Writes carry the CSRF token (from the page's [data-csrf] or the csrftoken
 * cookie) and the session cookie. No globals; pass `fetchImpl` only in tests.
 */

export class ApiError extends Error {
  constructor(status, data = null) {
    const detail = data && typeof data.detail === "string" ? data.detail : "";
    super(detail || (status === 0 ? "No connection to the server." : `The server answered ${status}.`));
    this.name = "ApiError";
    this.status = status;
    this.data = data || {};
    // Signed out (or a stale CSRF token) is not the change's fault: keep it and retry, so
    // signing in again in another tab saves it.
    const signedOut = status === 401 || (status === 403 && /credentials|CSRF/i.test(this.message));
    this.retryable = status === 0 || status === 408 || status === 429 || status >= 500 || signedOut;
    if (signedOut) this.message = `${this.message} Sign in again (in another tab) to save your changes.`;
  }
}

/** The page's CSRF token: the workspace's data-csrf attribute, a form's hidden field, or the cookie. */
export function pageCsrfToken(doc = globalThis.document) {
  if (!doc) return "";
  const holder = doc.querySelector?.("[data-csrf]");
  if (holder && holder.dataset.csrf) return holder.dataset.csrf;
  const field = doc.querySelector?.("input[name=csrfmiddlewaretoken]");
  if (field && field.value) return field.value;
  const cookie = (doc.cookie || "").split("; ").find((item) => item.startsWith("csrftoken="));
  return cookie ? decodeURIComponent(cookie.slice("csrftoken=".length)) : "";
}

/** A request function bound to an API root; see the top of this module. */
export function makeClient({ root = "/api/", csrfToken = null, fetchImpl = (...args) => globalThis.fetch(...args) } = {}) {
  return async function request(method, path, body) {
    const url = /^(\/|https?:)/.test(path) ? path : root + path;
    const headers = { Accept: "application/json" };
    const options = { method, credentials: "same-origin", headers };
    if (body !== undefined && body !== null) {
      if (typeof FormData !== "undefined" && body instanceof FormData) options.body = body;
      else {
        headers["Content-Type"] = "application/json";
        options.body = JSON.stringify(body);
      }
    }
    if (method !== "GET" && method !== "HEAD") headers["X-CSRFToken"] = csrfToken ?? pageCsrfToken();
    let response;
    try {
      response = await fetchImpl(url, options);
    } catch (failure) {
      throw new ApiError(0, { detail: "No connection to the server." });
    }
    let data = null;
    if (response.status !== 204) {
      try {
        data = await response.json();
      } catch (failure) {
        data = null; // empty or not JSON (a proxy's error page): the status speaks
      }
    }
    if (!response.ok) throw new ApiError(response.status, data);
    return data;
  };
}

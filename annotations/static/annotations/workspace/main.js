/**
 * Entry point of the document page: reads the page data (json_script), builds the store and
 * the views, wires the toolbar (label buttons, snap toggle, undo), the save status and the
 * side panels. Everything is found through data- attributes in
 * templates/annotations/document_detail.html; nothing is put on window. Other modules (the
 * suggestions review, collaboration) plug in with plugins.js's registerPlugin and are started
 * here once the workspace is built.
 *
 * Performance marks for bench/bench_document_page.py (read with performance.getEntriesByName):
 *   "argmap:interactive"  the text on screen drawn and handlers attached (from navigation start)
 *   "argmap:text-drawn"   every paragraph with spans drawn (the rest is drawn in slices)
 *   "argmap:map-ready"    the map is built and laid out
 *   measure "argmap:tag"  from a label key/button to the new span drawn in the text (DOM updated)
 *   measure "argmap:tag-frame"  the same, up to the next animation frame (painted)
 */
import { makeClient } from "../api.js";
import { Store, LABEL_NAMES, short } from "./store.js";
import { TextView } from "./text.js";
import { Keyboard } from "./keyboard.js";
import { Inspector } from "./inspector.js";
import { Outline } from "./outline.js";
import { Recovery } from "./recovery.js";
import { startPlugins } from "./plugins.js";

const root = document.querySelector("[data-workspace]");
const pageData = JSON.parse(document.getElementById("page-data").textContent);
const canAnnotate = root.dataset.canAnnotate === "true";
const request = makeClient({ root: root.dataset.apiRoot, csrfToken: root.dataset.csrf });
const store = new Store(pageData, { api: request });
if (!canAnnotate) store.readOnly = root.dataset.readOnlyReason || "You can read this document but not tag it.";

const liveRegion = root.querySelector("[data-live]");
let announceTimer = null;
function announce(message, debounce = false) {
  clearTimeout(announceTimer);
  const say = () => {
    liveRegion.textContent = "";
    requestAnimationFrame(() => (liveRegion.textContent = message));
  };
  if (debounce) announceTimer = setTimeout(say, 250);
  else say();
}

// A message about the last key or button, on screen (the key-target line) and read out.
let noticeTimer = null;
function notice(message) {
  announce(message);
  const line = root.querySelector("[data-key-target]");
  if (!line) return;
  clearTimeout(noticeTimer);
  line.textContent = message;
  line.classList.add("is-notice");
  noticeTimer = setTimeout(() => {
    line.classList.remove("is-notice");
    showKeyTarget(); // the line says again what the keys act on now, not the old message
  }, 6000);
}

// ── side panel tabs ───────────────────────────────────────────────────────────────
let outline = null; // the outline draws itself only while its tab is shown
const tabs = [...root.querySelectorAll("[data-tab]")];
function showTab(name) {
  for (const tab of tabs) {
    const selected = tab.dataset.tab === name;
    tab.setAttribute("aria-selected", String(selected));
    tab.tabIndex = selected ? 0 : -1;
    root.querySelector(`[data-panel="${tab.dataset.tab}"]`).hidden = !selected;
  }
  if (name === "outline" && outline) outline.shown();
}
for (const tab of tabs) {
  tab.addEventListener("click", () => showTab(tab.dataset.tab));
  tab.addEventListener("keydown", (event) => {
    if (event.key !== "ArrowRight" && event.key !== "ArrowLeft") return;
    const index = (tabs.indexOf(tab) + (event.key === "ArrowRight" ? 1 : -1) + tabs.length) % tabs.length;
    showTab(tabs[index].dataset.tab);
    tabs[index].focus();
  });
}

// ── text, panels, keyboard ───────────────────────────────────────────────────────
const text = new TextView({ root: root.querySelector("[data-paragraphs]"), store });
const allDrawn = text.renderAll();
const inspector = new Inspector({ root: root.querySelector("[data-inspector]"), store, text, announce, showTab });
outline = new Outline({ root: root.querySelector("[data-outline]"), store });

function tag(label, selection) {
  if (store.refusedAsReadOnly()) return;
  if (text.selectionCrossesParagraphs()) {
    notice("Not tagged: a span stays inside one paragraph. Select words of one paragraph, then tag again.");
    return;
  }
  performance.mark("argmap:tag-start");
  const span = text.toSpan(selection);
  if (!span) {
    announce("Select some words first.");
    return;
  }
  const key = store.createAnnotation({ ...span, label });
  keyboard.collapseAfter(span.paragraph, span.end);
  text.afterNextDraw(() => {
    performance.mark("argmap:tag-drawn");
    performance.measure("argmap:tag", "argmap:tag-start", "argmap:tag-drawn");
    // The frame after the DOM change: the span is on screen.
    requestAnimationFrame(() => setTimeout(() => {
      performance.mark("argmap:tag-painted");
      performance.measure("argmap:tag-frame", "argmap:tag-start", "argmap:tag-painted");
    }, 0));
  });
  text.flush();
  store.select(key, "text");
  // A drag begun in the margin leaves the focus on the page: give it to the text, so the next keys
  // (Shift+→, ], s) act on the caret just after the new span.
  const region = root.querySelector("[data-text-region]");
  if (region && (document.activeElement === document.body || document.activeElement === null)) region.focus({ preventScroll: true });
  const created = store.annotations.get(key);
  announce(`Tagged ${LABEL_NAMES[label]}: ${short(created.quote, 100)}.`);
}

// A change asked for on a layer that cannot change: say why, on screen and read out.
store.addEventListener("readonly:refused", (event) => notice(event.detail.reason));

const keyboard = new Keyboard({
  store, text, textRegion: root.querySelector("[data-text-region]"), caretBar: root.querySelector("[data-caret]"),
  announce, tag, inspector,
});

for (const button of root.querySelectorAll("[data-tag-label]")) {
  // Keep the text selection when the button is pressed with the mouse.
  button.addEventListener("mousedown", (event) => event.preventDefault());
  button.addEventListener("click", () => {
    const selection = text.currentSelection();
    if (selection) tag(button.dataset.tagLabel, selection);
    else announce("Select some words in the text first, then choose the label.");
  });
}
const snapToggle = root.querySelector("[data-snap]");
snapToggle.addEventListener("change", () => {
  text.snap = snapToggle.checked;
  announce(text.snap ? "Selections snap to whole words." : "Selections keep exact characters.");
});
text.snap = snapToggle.checked;

const undoButton = root.querySelector("[data-undo]");
undoButton.addEventListener("click", () => {
  const description = store.undoDescription;
  if (store.undo()) announce(`Undone: ${description}.`);
});
store.addEventListener("undo:changed", (event) => {
  undoButton.disabled = !event.detail.canUndo;
  undoButton.title = event.detail.canUndo ? `Undo ${event.detail.description} (Ctrl+Z)` : "Nothing to undo";
});
undoButton.disabled = true;
if (!canAnnotate) undoButton.title = store.readOnly;

// ── save status ──────────────────────────────────────────────────────────────────
const status = root.querySelector("[data-save-status]");
const statusText = status.querySelector("[data-save-text]");
const pendingList = status.querySelector("[data-pending-list]");
const pendingBox = status.querySelector("[data-pending]");
const problemsList = status.querySelector("[data-problems]");
const retryButton = status.querySelector("[data-retry]");
const lastError = status.querySelector("[data-last-error]");
retryButton.addEventListener("click", () => store.retryNow());
status.querySelector("[data-dismiss-problems]").addEventListener("click", () => store.dismissProblems());
let lastState = "saved";
store.addEventListener("save:state", (event) => {
  const { state, pending, problems, retryInMs, error } = event.detail;
  // Screen readers hear about failures and recoveries, not every "saving…".
  if (state === "failed" && lastState !== "failed") announce(`Saving failed: ${error} Your changes are kept and will be retried.`);
  if (state === "saved" && lastState === "failed") announce("All changes saved.");
  lastState = state;
  status.dataset.saveState = state;
  // Short, steady-width lines: the toolbar must not change height under the pointer.
  statusText.textContent =
    state === "saved" ? "All changes saved"
    : state === "saving" ? `Saving… (${pending})`
    : `Not saved — retry in ${Math.round(retryInMs / 1000)} s (${pending})`;
  if (error) lastError.textContent = `Last error: ${error}`;
  lastError.hidden = state !== "failed";
  retryButton.hidden = state !== "failed";
  pendingBox.hidden = pending === 0;
  pendingBox.querySelector("summary").textContent = "Pending";
  pendingList.replaceChildren(...store.pendingDescriptions.map((line) => Object.assign(document.createElement("li"), { textContent: line })));
  problemsList.replaceChildren(...problems.map((line) => Object.assign(document.createElement("li"), { textContent: line })));
  problemsList.parentElement.hidden = problems.length === 0;
});
store.addEventListener("save:rejected", (event) => announce(event.detail.message));
window.addEventListener("beforeunload", (event) => {
  if (store.pendingCount) {
    event.preventDefault();
    event.returnValue = "";
  }
});

// ── unsaved changes from an earlier visit ────────────────────────────────────────
new Recovery({
  store, announce, banner: root.querySelector("[data-recovery]"),
  storageKey: `argmap:pending:${pageData.document.id}:${pageData.user.username}`,
});

// ── pick mode cue; after linking the focus goes back to the span that was linked ───────
store.addEventListener("pick:changed", (event) => root.classList.toggle("is-picking", Boolean(event.detail.pick)));
store.addEventListener("pick:completed", (event) => {
  const { source, target, kind } = event.detail;
  const from = store.annotations.get(source);
  const to = store.annotations.get(target);
  store.select(source, "keyboard");
  text.focusSpan(source);
  if (from && to) announce(`Linked: ${LABEL_NAMES[from.label]} “${short(from.quote, 50)}” ${kind} ${LABEL_NAMES[to.label]} “${short(to.quote, 50)}”.`);
});

// ── what the keys act on, said on screen (the focus decides) ─────────────────────
const keyTarget = root.querySelector("[data-key-target]");
function showKeyTarget() {
  if (!keyTarget || keyTarget.classList.contains("is-notice")) return;
  const context = keyboard.context();
  const active = document.activeElement;
  let words;
  if (store.pick) words = `Linking: ] / [ to the other span, Enter links, Esc cancels.`;
  else if (context === "caret") words = "Keys act on the caret: arrows move, Shift selects, Alt+↓ a sentence, a label key tags, ] spans, n suggestions.";
  else if (context === "span") {
    const span = store.annotations.get(active.dataset.key);
    words = span ? `Keys act on ${LABEL_NAMES[span.label]} “${short(span.quote, 40)}”: label key, s/a link, Alt+←/→ end, Alt+Shift+←/→ start, Delete, Esc.` : "";
  } else if (context === "suggestion") words = "Keys act on the suggestion: a accept (or a label key), r reject, n/p next/previous, Esc back to the caret.";
  else words = "Keys act on what has focus: Tab into the text to annotate.";
  keyTarget.textContent = words;
}
document.addEventListener("focusin", showKeyTarget);
document.addEventListener("focusout", () => setTimeout(showKeyTarget, 0));
store.addEventListener("pick:changed", () => {
  keyTarget?.classList.remove("is-notice"); // starting or ending a link: its instructions replace any message
  showKeyTarget();
});
// A change made here answers an old message (a refused drag, say): the line goes back to the keys.
for (const name of ["annotation:added", "annotation:changed", "relation:added"]) {
  store.addEventListener(name, (event) => {
    if (event.detail.origin !== "local" || !keyTarget?.classList.contains("is-notice")) return;
    clearTimeout(noticeTimer);
    keyTarget.classList.remove("is-notice");
    showKeyTarget();
  });
}
store.addEventListener("pick:same", () => notice("That is the span you are linking from: press ] or [ (or click) to reach the other span, then Enter; Esc cancels."));

// ── counts in the legend ─────────────────────────────────────────────────────────
const counts = new Map([...root.querySelectorAll("[data-count]")].map((node) => [node.dataset.count, node]));
function updateCounts() {
  const totals = {};
  for (const span of store.annotations.values()) totals[span.label] = (totals[span.label] || 0) + 1;
  for (const [label, node] of counts) node.textContent = String(totals[label] || 0);
}
for (const name of ["annotation:added", "annotation:changed", "annotation:removed"]) store.addEventListener(name, updateCounts);
updateCounts();

// The outline first, unless a page names another tab to open on (an exercise's feedback, once it shows).
showTab(root.querySelector("[data-tab][data-tab-first]")?.dataset.tab || "outline");
// Plugins (suggestions, other layers, live updates, comments) start now, after the
// workspace's own keys; see plugins.js and the top of store.js.
startPlugins({ store, text, inspector, outline, showTab, announce, pageData, root, canAnnotate, request });
root.dataset.ready = "true";
performance.mark("argmap:interactive");
allDrawn.then(() => {
  root.dataset.textDrawn = "true";
  performance.mark("argmap:text-drawn");
});

// ── the outline and the map come after the text is usable ─────────────────────────
const later = window.requestIdleCallback ? (fn) => window.requestIdleCallback(fn, { timeout: 500 }) : (fn) => setTimeout(fn, 0);
later(() => outline.schedule());
const mapElement = root.querySelector("[data-map]");
import("./map.js").then(({ ArgumentMapView }) => {
  later(() => {
    const map = new ArgumentMapView({
      root: mapElement, store, announce,
      visibleParagraphIds: (margin) => text.visibleParagraphIds(margin),
      caption: root.querySelector("[data-map-caption]"),
      wholeButton: root.querySelector("[data-map-whole]"),
    });
    map.start().then(() => performance.mark("argmap:map-ready"));
  });
}).catch((failure) => {
  mapElement.textContent = `The map could not be loaded (${failure.message}); the outline shows the same structure.`;
});

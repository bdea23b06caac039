/**
 * Feedback on an exercise drawn on the text: each key span found, partly found, found with
 * another label or missed, and each extra span, as an overlay mark with its own line style
 * and glyph (a non-colour cue, see exercises.css), its message as the tooltip; and the
 * feedback list in the Feedback tab ([data-feedback-list]) linked both ways: a list item
 * moves to its mark and says the message; clicking a mark where no span of the person's is
 * (a missed key span) opens the Feedback tab on its item.
 *
 * The marks are passive: a click on a span the feedback is drawn over selects the span and
 * marks its item current, so the feedback never takes the span out of reach. The list stays in
 * view: selecting a span the feedback speaks about (click, keys, map) keeps the Feedback tab
 * shown, with that span's item current and scrolled into view, as a review tool's side list
 * does (a graded paper's comments beside it); the Span panel, a tab away, says the same
 * feedback under the span. There is no feedback while the work can still change, so this never
 * hides the Span panel from someone editing.
 * Data: page data `exercise.feedback` (templates/exercises/workspace.html).
 */
import { registerPlugin } from "./workspace/plugins.js";

const KIND_NAMES = { found: "found", partial: "partly found", wrong_label: "other label", missed: "missed", extra: "not in the key" };

export function feedbackMarks(items, paragraphId) {
  const marks = [];
  items.forEach((item, index) => {
    const span = item.key || item.student;
    if (!span || span.paragraph !== paragraphId) return;
    marks.push({
      key: String(index), start: span.start, end: span.end, passive: true,
      className: `overlay-feedback feedback-${item.kind}`,
      title: `${KIND_NAMES[item.kind] || item.kind}: ${item.message}${item.note ? " " + item.note : ""}`,
    });
  });
  return marks;
}

/** The indexes of the items about the span with this database id (the person's own span). */
export function itemsOfSpan(items, spanId) {
  const id = `s${spanId}`;
  return items.map((item, index) => [item, index]).filter(([item]) => item.student && item.student.id === id).map(([, index]) => index);
}

/** Scroll the side column's panel (only it, never the page: in one column the list is under the
 * text, and the text the person clicked stays where it is) so that ``item`` is in view. */
function reveal(item) {
  const scroller = item.closest(".panels");
  if (!scroller || scroller.scrollHeight <= scroller.clientHeight) return;
  const outer = scroller.getBoundingClientRect(), box = item.getBoundingClientRect();
  if (box.top < outer.top) scroller.scrollTop -= outer.top - box.top;
  else if (box.bottom > outer.bottom) scroller.scrollTop += Math.min(box.bottom - outer.bottom, box.top - outer.top);
}

function start({ store, announce, pageData, showTab }) {
  // "Your feedback is in the Feedback tab" (the exercise bar) opens it and moves there: in one
  // column (a phone) the tab is under the whole text, not beside it.
  for (const link of document.querySelectorAll("[data-show-feedback]")) {
    link.addEventListener("click", (event) => {
      const tab = document.getElementById("tab-feedback");
      if (!tab || !showTab) return;
      event.preventDefault();
      showTab("feedback");
      tab.focus();
      tab.scrollIntoView({ block: "nearest", inline: "nearest" }); // the whole tab, in a strip that scrolls sideways (a phone)
    });
  }
  const items = (pageData.exercise && pageData.exercise.feedback) || [];
  if (!items.length) return;
  store.registerOverlay("feedback", (paragraphId) => feedbackMarks(items, paragraphId));
  const list = document.querySelector("[data-feedback-list]");
  const said = (item) => `${KIND_NAMES[item.kind] || item.kind}: ${item.message}${item.note ? " " + item.note : ""}`;
  const marksOf = (index) => document.querySelectorAll(`.mark[data-overlay="feedback"][data-overlay-key="${index}"]`);
  const current = (index) => {
    for (const node of document.querySelectorAll(".feedback-current")) node.classList.remove("feedback-current");
    for (const node of marksOf(index)) node.classList.add("feedback-current");
    const link = list && list.querySelector(`[data-feedback-item="${index}"]`);
    if (link) link.closest("li").classList.add("feedback-current");
  };
  if (list) {
    list.addEventListener("click", (event) => {
      const link = event.target.closest("[data-feedback-item]");
      if (!link) return;
      event.preventDefault();
      const index = link.dataset.feedbackItem;
      current(index);
      const first = marksOf(index)[0];
      if (first) first.scrollIntoView({ block: "center" });
      const item = items[Number(index)];
      if (item && announce) announce(said(item));
    });
  }
  // After the inspector's own listener (it shows the Span tab): registered later, runs later.
  store.addEventListener("selection:changed", (event) => {
    const span = event.detail.key && store.annotations.get(event.detail.key);
    const mine = span && span.id ? itemsOfSpan(items, span.id) : [];
    if (!mine.length) return;
    current(String(mine[0]));
    if (showTab) showTab("feedback");
    const link = list && list.querySelector(`[data-feedback-item="${mine[0]}"]`);
    if (link) reveal(link.closest("li"));
  });
  store.addEventListener("overlay:activated", (event) => {
    if (event.detail.name !== "feedback") return;
    current(event.detail.key);
    if (event.detail.span) return; // the span under it was selected: its panel says the feedback
    const link = list && list.querySelector(`[data-feedback-item="${event.detail.key}"]`);
    if (!link) return;
    if (showTab) showTab("feedback");
    link.focus();
  });
  // The Span panel of a span the feedback speaks about says it, under the span.
  store.addEventListener("inspector:opened", (event) => {
    const span = store.annotations.get(event.detail.key);
    const mine = span && span.id ? itemsOfSpan(items, span.id) : [];
    if (!mine.length) return;
    const box = document.createElement("div");
    box.className = "inspector-feedback";
    box.dataset.inspectorFeedback = "";
    const heading = document.createElement("h4");
    heading.textContent = "Feedback";
    box.append(heading);
    for (const index of mine) {
      const item = items[index];
      const line = document.createElement("p");
      line.className = `feedback-item feedback-${item.kind}`;
      const cue = document.createElement("span");
      cue.className = "feedback-cue";
      cue.setAttribute("aria-hidden", "true");
      line.append(cue, `${KIND_NAMES[item.kind] || item.kind}: ${item.message}${item.note ? " " + item.note : ""}`);
      box.append(line);
    }
    // Beside the slot, not in it: the comments plugin replaces the slot's content when its thread loads.
    event.detail.slot.before(box);
  });
}

registerPlugin("exercise-feedback", start);

/**
 * Feedback on an exercise drawn on the text: each key span found, partly found, found with
 * another label or missed, and each extra span, as an overlay mark with its own line style
 * and glyph (a non-colour cue, see exercises.css), its message as the tooltip; and the
 * feedback list beside the text ([data-feedback-list]) linked both ways: a list item moves
 * to its mark and says the message; clicking a mark focuses its list item.
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
      key: String(index), start: span.start, end: span.end,
      className: `overlay-feedback feedback-${item.kind}`,
      title: `${KIND_NAMES[item.kind] || item.kind}: ${item.message}${item.note ? " " + item.note : ""}`,
    });
  });
  return marks;
}

function start({ store, announce, pageData }) {
  const items = (pageData.exercise && pageData.exercise.feedback) || [];
  if (!items.length) return;
  store.registerOverlay("feedback", (paragraphId) => feedbackMarks(items, paragraphId));
  const list = document.querySelector("[data-feedback-list]");
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
      if (item && announce) announce(`${KIND_NAMES[item.kind] || item.kind}: ${item.message}${item.note ? " " + item.note : ""}`);
    });
  }
  store.addEventListener("overlay:activated", (event) => {
    if (event.detail.name !== "feedback") return;
    current(event.detail.key);
    const link = list && list.querySelector(`[data-feedback-item="${event.detail.key}"]`);
    if (link) link.focus();
  });
}

registerPlugin("exercise-feedback", start);

/**
 * activity.js — keeps the activity list of a document up to date while the page is open.
 *
 * Listens for live.js events on the element carrying data-live-document and prepends one
 * line per change to the list marked data-activity. Text only (textContent), never markup.
 */
import "./live.js";

const KINDS = { annotation: "span", relation: "relation", comment: "comment" };

for (const feed of document.querySelectorAll("[data-live-document]")) {
  const list = feed.querySelector("[data-activity]");
  if (!list) continue;
  const describe = (change) => {
    const data = change.data || {};
    const what = data.quote || data.body || "";
    const short = what.length > 80 ? `${what.slice(0, 79)}…` : what;
    return `${change.actor || "someone"} ${change.action} a ${KINDS[change.kind] || change.kind}${short ? `: “${short}”` : ""}`;
  };
  for (const name of [
    "argmap:annotation-created", "argmap:annotation-updated", "argmap:annotation-deleted",
    "argmap:relation-created", "argmap:relation-deleted",
    "argmap:comment-created", "argmap:comment-updated", "argmap:comment-deleted",
  ]) {
    feed.addEventListener(name, (event) => {
      const item = document.createElement("li");
      item.dataset.event = String(event.detail.id);
      item.className = "fresh";
      const time = document.createElement("span");
      time.className = "meta";
      time.textContent = new Date(event.detail.at).toISOString().slice(0, 19).replace("T", " ") + " ";
      item.append(time, document.createTextNode(describe(event.detail)));
      list.prepend(item);
    });
  }
}

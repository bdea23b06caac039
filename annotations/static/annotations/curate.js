/**
 * Curation page: adjust a candidate's extent in the text, as in the workspace, instead of
 * typing character offsets. "Adjust in the text" on a candidate makes its disagreement's
 * paragraph ([data-context]) the place to select: drag over the words the consensus span
 * should cover (the selection snaps to whole words) and press Pick. From the keyboard, the
 * paragraph takes focus: ← / → move the start by a word, Shift+← / Shift+→ move the end.
 *
 * The form's hidden start/end inputs carry the new extent, in Unicode code points into the
 * paragraph (the server's offsets; the browser's strings count UTF-16 units, converted
 * here). The server checks the extent and the quote; without this script the candidate is
 * picked as drawn.
 */
const WORD = /[\p{L}\p{N}]/u;

function codePointsBefore(text, utf16Offset) {
  return Array.from(text.slice(0, utf16Offset)).length;
}

/** Grow a [start, end) range of code points to whole words, without edge whitespace. */
export function snapToWords(chars, start, end) {
  while (start < end && /\s/u.test(chars[start])) start += 1;
  while (end > start && /\s/u.test(chars[end - 1])) end -= 1;
  if (start >= end) return null;
  while (start > 0 && WORD.test(chars[start - 1]) && WORD.test(chars[start])) start -= 1;
  while (end < chars.length && WORD.test(chars[end - 1]) && WORD.test(chars[end])) end += 1;
  return [start, end];
}

/** The start moved to the previous / next word's first letter. */
function startStep(chars, at, direction) {
  let i = at;
  if (direction < 0) {
    while (i > 0 && !WORD.test(chars[i - 1])) i -= 1;
    while (i > 0 && WORD.test(chars[i - 1])) i -= 1;
    return i;
  }
  while (i < chars.length && WORD.test(chars[i])) i += 1;
  while (i < chars.length && !WORD.test(chars[i])) i += 1;
  return i;
}

/** The (exclusive) end moved to just after the previous / next word. */
function endStep(chars, at, direction) {
  let i = at;
  if (direction > 0) {
    while (i < chars.length && !WORD.test(chars[i])) i += 1;
    while (i < chars.length && WORD.test(chars[i])) i += 1;
    return i;
  }
  while (i > 0 && !WORD.test(chars[i - 1])) i -= 1;
  while (i > 0 && WORD.test(chars[i - 1])) i -= 1;
  while (i > 0 && !WORD.test(chars[i - 1])) i -= 1;
  return i;
}

function offsetIn(container, node, offset) {
  const range = document.createRange();
  range.setStart(container, 0);
  range.setEnd(node, offset);
  return range.toString().length;
}

function setUp(group) {
  const context = group.querySelector("[data-context]");
  const hint = group.querySelector("[data-adjust-hint]");
  if (!context) return;
  const original = [...context.childNodes].map((node) => node.cloneNode(true));
  const text = context.textContent;
  const chars = Array.from(text);
  let current = null; // {candidate, start, end}

  function draw() {
    if (!current) {
      context.replaceChildren(...original.map((node) => node.cloneNode(true)));
      return;
    }
    const extent = document.createElement("span");
    extent.className = "extent";
    extent.textContent = chars.slice(current.start, current.end).join("");
    context.replaceChildren(
      document.createTextNode(chars.slice(0, current.start).join("")),
      extent,
      document.createTextNode(chars.slice(current.end).join("")),
    );
  }

  function apply(start, end) {
    if (!current || start >= end) return;
    current.start = start;
    current.end = end;
    const { candidate } = current;
    candidate.querySelector("[data-pick-start]").value = String(start);
    candidate.querySelector("[data-pick-end]").value = String(end);
    const quote = chars.slice(start, end).join("");
    const changed = String(start) !== candidate.dataset.start || String(end) !== candidate.dataset.end;
    const line = candidate.querySelector("[data-new-extent]");
    line.hidden = !changed;
    line.textContent = changed ? `New extent: “${quote}”` : "";
    draw();
    hint.textContent = changed
      ? `New extent: “${quote}”. Press Pick to put it into the consensus.`
      : "Drag over the words this span should cover, then press Pick.";
  }

  function stop() {
    if (!current) return;
    current.candidate.classList.remove("is-adjusting");
    current.candidate.querySelector("[data-adjust]").setAttribute("aria-pressed", "false");
    current = null;
    context.classList.remove("is-adjusting");
    context.removeAttribute("tabindex");
    context.removeAttribute("aria-label");
    hint.textContent = "";
    draw();
  }

  function start(candidate) {
    const same = current && current.candidate === candidate;
    stop();
    if (same) return;
    const begin = Number(candidate.querySelector("[data-pick-start]").value);
    const end = Number(candidate.querySelector("[data-pick-end]").value);
    current = { candidate, start: begin, end };
    candidate.classList.add("is-adjusting");
    candidate.querySelector("[data-adjust]").setAttribute("aria-pressed", "true");
    context.classList.add("is-adjusting");
    context.tabIndex = 0;
    context.setAttribute("aria-label", "Paragraph text. Left and right arrows move the start by a word; with Shift, the end.");
    apply(begin, end);
    hint.textContent = "Drag over the words this span should cover, then press Pick (keyboard: focus the text, arrows move the start, Shift+arrows the end).";
  }

  for (const candidate of group.querySelectorAll("[data-candidate]")) {
    const button = candidate.querySelector("[data-adjust]");
    if (!button) continue;
    button.hidden = false;
    button.addEventListener("click", () => start(candidate));
  }

  context.addEventListener("mouseup", () => {
    if (!current) return;
    const selection = window.getSelection();
    if (!selection || selection.isCollapsed || selection.rangeCount === 0) return;
    const range = selection.getRangeAt(0);
    if (!context.contains(range.startContainer) || !context.contains(range.endContainer)) {
      hint.textContent = "Select words inside this paragraph only.";
      return;
    }
    const from = codePointsBefore(text, offsetIn(context, range.startContainer, range.startOffset));
    const to = codePointsBefore(text, offsetIn(context, range.endContainer, range.endOffset));
    const snapped = snapToWords(chars, Math.min(from, to), Math.max(from, to));
    selection.removeAllRanges();
    if (snapped) apply(...snapped);
  });

  context.addEventListener("keydown", (event) => {
    if (!current || (event.key !== "ArrowLeft" && event.key !== "ArrowRight")) return;
    event.preventDefault();
    const direction = event.key === "ArrowLeft" ? -1 : 1;
    if (event.shiftKey) apply(current.start, Math.max(current.start + 1, endStep(chars, current.end, direction)));
    else apply(Math.min(current.end - 1, startStep(chars, current.start, direction)), current.end);
  });
  context.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && current) {
      const { candidate } = current;
      stop();
      candidate.querySelector("[data-adjust]").focus();
    }
  });
}

for (const group of document.querySelectorAll("[data-disagreement]")) setUp(group);

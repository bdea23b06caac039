/**
 * Pure text geometry for the workspace: cutting a paragraph into pieces at every span
 * boundary, stacking levels for nested/overlapping spans, and word-boundary snapping.
 *
 * All offsets here are UTF-16 units (what the DOM uses); offsets.js converts at the API edge.
 * No DOM: importable from node for tests (tests/js/segments.test.mjs).
 */

const WORD_CHAR = /[\p{L}\p{N}\p{M}_'’-]/u;

function charAt(text, index) {
  const code = text.codePointAt(index);
  return code === undefined ? "" : String.fromCodePoint(code);
}

function charBefore(text, index) {
  if (index <= 0) return "";
  const low = text.charCodeAt(index - 1);
  if (low >= 0xdc00 && low <= 0xdfff && index >= 2) return text.slice(index - 2, index);
  return text[index - 1];
}

export function isWordChar(ch) {
  return ch !== "" && WORD_CHAR.test(ch);
}

/**
 * Widen [start, end) to whole words and trim surrounding spaces. A selection made only of
 * non-word characters (punctuation, emoji) is kept as it is, minus outer whitespace.
 */
export function snapToWords(text, start, end) {
  let s = start;
  let e = end;
  while (s < e && /\s/.test(text[s])) s += 1;
  while (e > s && /\s/.test(text[e - 1])) e -= 1;
  if (s >= e) return [start, end];
  if (isWordChar(charAt(text, s))) {
    while (s > 0 && isWordChar(charBefore(text, s))) s -= charBefore(text, s).length;
  }
  if (isWordChar(charBefore(text, e))) {
    while (e < text.length && isWordChar(charAt(text, e))) e += charAt(text, e).length;
  }
  return [s, e];
}

/** Next word boundary after `index` (end of the current or next word), for caret moves. */
export function nextWordBoundary(text, index) {
  let i = index;
  while (i < text.length && !isWordChar(charAt(text, i))) i += charAt(text, i).length;
  while (i < text.length && isWordChar(charAt(text, i))) i += charAt(text, i).length;
  return i;
}

/** Previous word boundary before `index` (start of the current or previous word). */
export function previousWordBoundary(text, index) {
  let i = index;
  while (i > 0 && !isWordChar(charBefore(text, i))) i -= charBefore(text, i).length;
  while (i > 0 && isWordChar(charBefore(text, i))) i -= charBefore(text, i).length;
  return i;
}

/** One character forward/backward, never splitting a surrogate pair. */
export function nextChar(text, index) {
  return Math.min(text.length, index + (charAt(text, index).length || 1));
}

export function previousChar(text, index) {
  return Math.max(0, index - (charBefore(text, index).length || 1));
}

/**
 * Stacking level for each mark: overlapping marks get different levels, a mark that
 * contains another gets the lower level (it is drawn outside/below). Greedy interval
 * colouring over marks sorted by start, longest first.
 * `marks`: [{key, start, end}] -> Map key -> level (0-based).
 */
export function assignLevels(marks) {
  const sorted = [...marks].sort((a, b) => a.start - b.start || b.end - a.end);
  const levelEnds = [];
  const levels = new Map();
  for (const mark of sorted) {
    let level = levelEnds.findIndex((end) => end <= mark.start);
    if (level === -1) {
      level = levelEnds.length;
      levelEnds.push(mark.end);
    } else {
      levelEnds[level] = mark.end;
    }
    levels.set(mark.key, level);
  }
  return levels;
}

/**
 * Cut [0, length) at every mark boundary. Each piece lists the marks covering it, ordered
 * outermost (lowest level) first. Pieces with no mark are included, so the pieces tile
 * the text. `marks`: [{key, start, end, ...}] with 0 <= start < end <= length.
 */
export function segment(length, marks) {
  const levels = assignLevels(marks);
  const cuts = new Set([0, length]);
  for (const mark of marks) {
    cuts.add(mark.start);
    cuts.add(mark.end);
  }
  const points = [...cuts].filter((p) => p >= 0 && p <= length).sort((a, b) => a - b);
  const byStart = [...marks].sort((a, b) => a.start - b.start);
  const pieces = [];
  let active = [];
  let next = 0;
  for (let i = 0; i + 1 < points.length; i += 1) {
    const from = points[i];
    const to = points[i + 1];
    active = active.filter((mark) => mark.end > from);
    while (next < byStart.length && byStart[next].start <= from) {
      if (byStart[next].end > from) active.push(byStart[next]);
      next += 1;
    }
    const covering = active
      .map((mark) => ({ mark, level: levels.get(mark.key), first: mark.start === from, last: mark.end === to }))
      .sort((a, b) => a.level - b.level);
    pieces.push({ start: from, end: to, covering });
  }
  return { pieces, levels };
}

const SPACE = /\s/;

/**
 * Move one edge of the span [start, end) one word (unit "word") or one character ("char")
 * left (direction -1) or right (1). The edge never lands on whitespace: a start sits on the
 * first character of a word, an end just after the last one. Returns the new [start, end], or
 * null when the move would leave nothing (or go past the paragraph).
 */
export function moveEdge(text, start, end, edge, direction, unit = "word") {
  const isSpace = (index) => index >= 0 && index < text.length && SPACE.test(text[index]);
  let i = edge === "start" ? start : end;
  if (edge === "start") {
    if (direction > 0) {
      if (unit === "word" && isWordChar(charAt(text, i))) while (i < text.length && isWordChar(charAt(text, i))) i += charAt(text, i).length;
      else i = nextChar(text, i);
      while (isSpace(i)) i += 1;
    } else {
      i = previousChar(text, i);
      while (i > 0 && isSpace(i)) i -= 1;
      if (unit === "word" && isWordChar(charAt(text, i))) while (i > 0 && isWordChar(charBefore(text, i))) i -= charBefore(text, i).length;
    }
    if (i >= end || i < 0 || isSpace(i)) return null;
    return [i, end];
  }
  if (direction > 0) {
    while (isSpace(i)) i += 1;
    if (unit === "word" && isWordChar(charAt(text, i))) while (i < text.length && isWordChar(charAt(text, i))) i += charAt(text, i).length;
    else i = nextChar(text, i);
  } else {
    if (unit === "word" && isWordChar(charBefore(text, i))) while (i > 0 && isWordChar(charBefore(text, i))) i -= charBefore(text, i).length;
    else i = previousChar(text, i);
    while (i > 0 && isSpace(i - 1)) i -= 1;
  }
  if (i <= start || i > text.length || isSpace(i - 1)) return null;
  return [start, i];
}

/**
 * Sentence starts of a paragraph (UTF-16 offsets, ascending, each on a non-space), from the
 * browser's Unicode sentence segmentation (Intl.Segmenter), or a plain rule where it is missing.
 */
export function sentenceStarts(text) {
  const starts = [];
  const push = (index) => {
    let i = index;
    while (i < text.length && SPACE.test(text[i])) i += 1;
    if (i < text.length && starts[starts.length - 1] !== i) starts.push(i);
  };
  if (typeof Intl !== "undefined" && Intl.Segmenter) {
    for (const { index } of new Intl.Segmenter("en", { granularity: "sentence" }).segment(text)) push(index);
  } else {
    push(0);
    const rule = /[.!?]["'”’)\]]*\s+(?=["'“‘(]?[\p{Lu}\p{N}])/gu;
    for (let match = rule.exec(text); match; match = rule.exec(text)) push(match.index + match[0].length);
  }
  return starts;
}

/** The end of the sentence that starts at or before `index` (before its trailing spaces). */
export function sentenceEndAfter(text, index) {
  const starts = sentenceStarts(text);
  let end = text.length;
  for (const start of starts) {
    if (start > index) {
      end = start;
      break;
    }
  }
  while (end > 0 && SPACE.test(text[end - 1])) end -= 1;
  if (end <= index) {
    // already at this sentence's end: the next sentence's end
    const next = starts.find((start) => start > index);
    return next === undefined ? end : sentenceEndAfter(text, next);
  }
  return end;
}

/** The start of the sentence containing `index`, or of the previous one when `index` is that start. */
export function sentenceStartBefore(text, index) {
  let found = 0;
  for (const start of sentenceStarts(text)) if (start < index) found = start;
  return found;
}

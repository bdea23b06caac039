/**
 * Offsets at the edge between the API and the browser.
 *
 * The API counts Unicode code points into a paragraph's text ([start, end)); the DOM,
 * Selection and Range count UTF-16 code units. A character outside the Basic Multilingual
 * Plane (most emoji, e.g. "😀") is one code point but two UTF-16 units, so the two disagree
 * after the first such character. Convert here, and only here.
 *
 * Pure functions: no DOM, importable from node for tests (tests/js/offsets.test.mjs).
 */

const SURROGATE = /[\uD800-\uDFFF]/;

/** True when every character of the text is in the BMP, so both counts agree. */
export function isBmpOnly(text) {
  return !SURROGATE.test(text);
}

/** Code point offset -> UTF-16 offset in `text`. Offsets past the end clamp to text.length. */
export function codePointToUtf16(text, codePointOffset) {
  if (isBmpOnly(text)) return Math.min(codePointOffset, text.length);
  let units = 0;
  let points = 0;
  while (points < codePointOffset && units < text.length) {
    const code = text.charCodeAt(units);
    units += code >= 0xd800 && code <= 0xdbff && units + 1 < text.length ? 2 : 1;
    points += 1;
  }
  return units;
}

/**
 * UTF-16 offset -> code point offset in `text`. An offset that falls between the two halves
 * of a surrogate pair counts the whole character (it rounds up), so a selection never splits
 * an emoji.
 */
export function utf16ToCodePoint(text, utf16Offset) {
  if (isBmpOnly(text)) return Math.min(utf16Offset, text.length);
  let units = 0;
  let points = 0;
  const limit = Math.min(utf16Offset, text.length);
  while (units < limit) {
    const code = text.charCodeAt(units);
    units += code >= 0xd800 && code <= 0xdbff && units + 1 < text.length ? 2 : 1;
    points += 1;
  }
  return points;
}

/** The text between two code point offsets (what the API calls the quote). */
export function sliceCodePoints(text, start, end) {
  return text.slice(codePointToUtf16(text, start), codePointToUtf16(text, end));
}

/** Move a UTF-16 offset to the start of its character if it sits inside a surrogate pair. */
export function alignUtf16(text, utf16Offset, direction = -1) {
  if (utf16Offset <= 0 || utf16Offset >= text.length) return Math.max(0, Math.min(utf16Offset, text.length));
  const code = text.charCodeAt(utf16Offset);
  const inside = code >= 0xdc00 && code <= 0xdfff && (text.charCodeAt(utf16Offset - 1) & 0xfc00) === 0xd800;
  if (!inside) return utf16Offset;
  return direction < 0 ? utf16Offset - 1 : utf16Offset + 1;
}

// Unit tests for annotations/static/annotations/workspace/offsets.js (run: node --test tests/js/).
import test from "node:test";
import assert from "node:assert/strict";
import { codePointToUtf16, utf16ToCodePoint, sliceCodePoints, alignUtf16, isBmpOnly } from "../../annotations/static/annotations/workspace/offsets.js";

const TEXT = "Party 🎉🎉 time 😀 ok 👍🏽!";

test("BMP-only text: both counts agree", () => {
  assert.equal(isBmpOnly("Cats café – naïve"), true);
  assert.equal(codePointToUtf16("Cats café", 6), 6);
  assert.equal(utf16ToCodePoint("Cats café", 6), 6);
});

test("code points to UTF-16 count each emoji as two units", () => {
  assert.equal(isBmpOnly(TEXT), false);
  assert.equal(codePointToUtf16(TEXT, 6), 6); // before the first 🎉
  assert.equal(codePointToUtf16(TEXT, 7), 8); // after it
  assert.equal(codePointToUtf16(TEXT, 8), 10);
  assert.equal(codePointToUtf16(TEXT, [...TEXT].length), TEXT.length);
});

test("UTF-16 to code points is the inverse at every character boundary", () => {
  const points = [...TEXT];
  let units = 0;
  for (let index = 0; index <= points.length; index += 1) {
    assert.equal(utf16ToCodePoint(TEXT, units), index);
    assert.equal(codePointToUtf16(TEXT, index), units);
    if (index < points.length) units += points[index].length;
  }
});

test("a UTF-16 offset inside a surrogate pair counts the whole character", () => {
  assert.equal(utf16ToCodePoint(TEXT, 7), 7); // between the halves of the first 🎉
  assert.equal(alignUtf16(TEXT, 7, -1), 6);
  assert.equal(alignUtf16(TEXT, 7, 1), 8);
  assert.equal(alignUtf16(TEXT, 6, 1), 6);
});

test("the quote sliced by code points matches Python's str slicing", () => {
  // Python: "Party 🎉🎉 time 😀 ok 👍🏽!"[6:8] == "🎉🎉", [14:15] == "😀", [19:21] == "👍🏽"
  assert.equal(sliceCodePoints(TEXT, 6, 8), "🎉🎉");
  assert.equal(sliceCodePoints(TEXT, 14, 15), "😀");
  assert.equal(sliceCodePoints(TEXT, 19, 21), "👍🏽");
});

test("offsets past the end clamp to the end", () => {
  assert.equal(codePointToUtf16("abc", 10), 3);
  assert.equal(utf16ToCodePoint(TEXT, 1000), [...TEXT].length);
});

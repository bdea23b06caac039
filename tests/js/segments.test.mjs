// Unit tests for annotations/static/annotations/workspace/segments.js (run: node --test tests/js/).
import test from "node:test";
import assert from "node:assert/strict";
import { snapToWords, segment, assignLevels, nextWordBoundary, previousWordBoundary, nextChar, previousChar, moveEdge, sentenceStarts, sentenceEndAfter, sentenceStartBefore } from "../../annotations/static/annotations/workspace/segments.js";

const TEXT = "Cats are better pets than dogs. They need less care.";

test("snapping widens a selection to whole words and trims spaces", () => {
  assert.deepEqual(snapToWords(TEXT, 6, 13), [5, 15]); // "re bett" -> "are better"
  assert.deepEqual(snapToWords(TEXT, 4, 9), [5, 8]); // " are " -> "are"
  assert.deepEqual(snapToWords(TEXT, 26, 31), [26, 31]); // "dogs." keeps the full stop
});

test("snapping keeps a selection of emoji only as it is", () => {
  const text = "fun 🎉🎉 day";
  assert.deepEqual(snapToWords(text, 4, 8), [4, 8]);
  assert.deepEqual(snapToWords(text, 1, 6), [0, 6]); // "un 🎉" -> "fun 🎉"
});

test("word and character steps never split a surrogate pair", () => {
  const text = "a 😀 b";
  assert.equal(nextChar(text, 2), 4);
  assert.equal(previousChar(text, 4), 2);
  assert.equal(nextWordBoundary(TEXT, 0), 4);
  assert.equal(nextWordBoundary(TEXT, 4), 8);
  assert.equal(previousWordBoundary(TEXT, 8), 5);
});

test("nested spans: the container gets the lower level", () => {
  const levels = assignLevels([{ key: "inner", start: 5, end: 15 }, { key: "outer", start: 0, end: 30 }]);
  assert.equal(levels.get("outer"), 0);
  assert.equal(levels.get("inner"), 1);
});

test("disjoint spans share a level; overlapping ones do not", () => {
  const levels = assignLevels([{ key: "a", start: 0, end: 4 }, { key: "b", start: 4, end: 8 }, { key: "c", start: 2, end: 6 }]);
  assert.equal(levels.get("a"), 0);
  assert.equal(levels.get("b"), 0);
  assert.equal(levels.get("c"), 1);
});

test("segments tile the text and list covering spans outermost first", () => {
  const marks = [{ key: "outer", start: 0, end: 20 }, { key: "inner", start: 5, end: 10 }, { key: "cross", start: 15, end: 25 }];
  const { pieces } = segment(30, marks);
  assert.deepEqual(pieces.map((p) => [p.start, p.end]), [[0, 5], [5, 10], [10, 15], [15, 20], [20, 25], [25, 30]]);
  assert.deepEqual(pieces.map((p) => p.covering.map((c) => c.mark.key)), [["outer"], ["outer", "inner"], ["outer"], ["outer", "cross"], ["cross"], []]);
  assert.deepEqual(pieces[1].covering.map((c) => c.first), [false, true]);
});

test("moving a span's edge a word at a time never leaves it on whitespace", () => {
  const text = "built on an anti-US axis. In 1996, a “strategic partnership” was formed.";
  const at = (range) => text.slice(range[0], range[1]);
  assert.equal(at(moveEdge(text, 0, 24, "start", 1)), "on an anti-US axis");
  assert.equal(at(moveEdge(text, 6, 24, "start", -1)), "built on an anti-US axis");
  assert.equal(at(moveEdge(text, 0, 24, "end", -1)), "built on an anti-US");
  assert.equal(at(moveEdge(text, 0, 19, "end", 1)), "built on an anti-US axis");
  assert.equal(at(moveEdge(text, 26, 34, "end", 1, "char")), "In 1996, a");
  assert.equal(at(moveEdge(text, 26, 33, "start", 1, "char")), "n 1996");
  assert.equal(moveEdge(text, 0, 5, "end", -1), null, "a one-word span cannot lose its only word");
  assert.equal(moveEdge(text, 0, 5, "start", 1), null);
  for (let start = 0; start < 30; start += 1) {
    if (/\s/.test(text[start])) continue; // a span never starts on a space
    for (const [edge, direction, unit] of [["start", 1, "word"], ["start", -1, "word"], ["end", 1, "word"], ["end", -1, "word"], ["start", 1, "char"], ["end", -1, "char"]]) {
      const moved = moveEdge(text, start, text.length, edge, direction, unit);
      if (moved) assert.ok(!/\s/.test(text[moved[0]]) && !/\s/.test(text[moved[1] - 1]), `${edge} ${direction} ${unit} from ${start}`);
    }
  }
});

test("sentences: starts, the end after the caret, the start before it", () => {
  const text = "Tibet in China). Since 2014 the U.S military rose. The two agree.";
  assert.deepEqual(sentenceStarts(text).map((i) => text.slice(i, i + 5)), ["Tibet", "Since", "The t"]);
  assert.equal(text.slice(17, sentenceEndAfter(text, 17)), "Since 2014 the U.S military rose.");
  assert.equal(text.slice(0, sentenceEndAfter(text, 0)), "Tibet in China).");
  assert.equal(sentenceStartBefore(text, 30), 17);
});

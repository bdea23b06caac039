"""Scoring a student's map against an exercise's key, and the class-wide views built from
the scores (pure: no ORM, no Django). The rules are written out for teachers and students
in docs/notes/scoring.md and shown on the feedback page (``RULES``); keep the three in step.

Spans are compared per paragraph. A student span and a key span *match* when they are in the
same document and paragraph and their overlap covers at least half of the shorter of the
two. Matching is one to one, best pairs first (same label before another label, then the
larger share of overlap). Then each key span is

- **found**: matched, same label, same boundaries — 1 point;
- **partly found**: matched, same label, other boundaries — the share of overlap
  (characters in both / characters in either), e.g. 0.6;
- **found with the wrong label**: matched, another label — 0 points;
- **missed**: not matched — 0 points.

Each student span left over is **extra** and costs ``EXTRA_PENALTY`` points. The span part is
``max(0, points − penalties) / number of key spans``.

Relations (when the exercise counts them and the key has some): a key relation is
**matched** when the student linked the spans matched to its two ends with the same kind
(1 point), **wrong** when they linked them with the other kind or the other way round
(0 points), **missing** otherwise; each other student relation is extra and costs
``EXTRA_PENALTY``. The relation part is ``max(0, points − penalties) / number of key
relations``; the score is ``SPAN_WEIGHT`` × span part + ``RELATION_WEIGHT`` × relation part.
Without relations to count the score is the span part. Scores are percentages rounded to
one decimal. A key with no spans gives no score (``score`` None).
"""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

EXTRA_PENALTY = 0.25
SPAN_WEIGHT = 0.7
RELATION_WEIGHT = 0.3
MATCH_SHARE = 0.5

FOUND, PARTIAL, WRONG_LABEL, MISSED, EXTRA = "found", "partial", "wrong_label", "missed", "extra"
MATCHED, WRONG, MISSING = "matched", "wrong", "missing"
SPAN_KINDS = (FOUND, PARTIAL, WRONG_LABEL, MISSED, EXTRA)

LABEL_NAMES = {
    "major_claim": "major claim", "claim": "claim", "evidence": "evidence",
    "counterclaim": "counterclaim", "rebuttal": "rebuttal",
}

def rules_for(student: str | None = None) -> list[str]:
    """The scoring rules in words, said to the student (``student`` None) or about them."""
    who, has = ("you", "you have") if student is None else ("the student", "the student has")
    return [
        f"A span {who} tagged matches a span of the key when it covers at least half of the shorter of the two.",
        "Found (same label, same words): 1 point. Partly found (same label, other boundaries): the share of "
        f"words {has} in common, e.g. 0.6. Found with the wrong label, or missed: 0 points.",
        f"Each span that is not in the key costs {EXTRA_PENALTY:g} points.",
        f"When links count: each link of the key {who} drew with the same kind is 1 point, each extra link costs "
        f"{EXTRA_PENALTY:g}; spans make {SPAN_WEIGHT:.0%} of the score and links {RELATION_WEIGHT:.0%}.",
    ]


RULES = rules_for()


@dataclass(frozen=True)
class ScoringSpan:
    id: str
    document: int
    paragraph: int
    start: int
    end: int
    label: str
    quote: str
    note: str = ""

    @property
    def length(self) -> int:
        return self.end - self.start


@dataclass(frozen=True)
class ScoringRelation:
    source: str
    target: str
    kind: str


@dataclass
class SpanFeedback:
    kind: str
    key: ScoringSpan | None
    student: ScoringSpan | None
    credit: float
    message: str
    note: str = ""
    missing: list[str] = field(default_factory=list)
    beyond: list[str] = field(default_factory=list)

    @property
    def span(self) -> ScoringSpan:
        return self.key or self.student

    def to_dict(self) -> dict:
        def span_dict(span):
            if span is None:
                return None
            return {"id": span.id, "document": span.document, "paragraph": span.paragraph, "start": span.start,
                    "end": span.end, "label": span.label, "quote": span.quote}

        return {"kind": self.kind, "key": span_dict(self.key), "student": span_dict(self.student),
                "credit": round(self.credit, 3), "message": self.message, "note": self.note,
                "missing": self.missing, "beyond": self.beyond}


@dataclass
class RelationFeedback:
    kind: str
    key: ScoringRelation | None
    student: ScoringRelation | None
    message: str

    def to_dict(self) -> dict:
        def relation_dict(relation):
            return None if relation is None else {"source": relation.source, "target": relation.target, "kind": relation.kind}

        return {"kind": self.kind, "key": relation_dict(self.key), "student": relation_dict(self.student),
                "message": self.message}


@dataclass
class ScoreResult:
    score: float | None
    span_points: float
    span_max: int
    span_penalty: float
    relation_points: float
    relation_max: int
    relation_penalty: float
    relations_counted: bool
    spans: list[SpanFeedback]
    relations: list[RelationFeedback]
    rules: list[str] = field(default_factory=rules_for)

    @property
    def counts(self) -> dict[str, int]:
        counts = Counter(item.kind for item in self.spans)
        return {kind: counts.get(kind, 0) for kind in SPAN_KINDS}

    @property
    def relation_counts(self) -> dict[str, int]:
        counts = Counter(item.kind for item in self.relations)
        return {kind: counts.get(kind, 0) for kind in (MATCHED, WRONG, MISSING, EXTRA)}

    def parts(self) -> dict:
        """The score's parts, as stored on the submission and written to the grades CSV."""
        return {
            "score": self.score, "span_points": round(self.span_points, 3), "span_max": self.span_max,
            "span_penalty": round(self.span_penalty, 3), "relation_points": round(self.relation_points, 3),
            "relation_max": self.relation_max, "relation_penalty": round(self.relation_penalty, 3),
            "relations_counted": self.relations_counted, **self.counts,
            **{f"relations_{kind}": count for kind, count in self.relation_counts.items()},
        }

    def to_dict(self) -> dict:
        return {**self.parts(), "spans": [item.to_dict() for item in self.spans],
                "relations": [item.to_dict() for item in self.relations], "rules": self.rules}


def _overlap(a: ScoringSpan, b: ScoringSpan) -> int:
    return max(0, min(a.end, b.end) - max(a.start, b.start))


def share_of_overlap(a: ScoringSpan, b: ScoringSpan) -> float:
    """Characters in both / characters in either (Jaccard over characters)."""
    both = _overlap(a, b)
    either = max(a.end, b.end) - min(a.start, b.start)
    return both / either if either else 0.0


def spans_match(key: ScoringSpan, student: ScoringSpan) -> bool:
    if (key.document, key.paragraph) != (student.document, student.paragraph):
        return False
    return _overlap(key, student) >= MATCH_SHARE * min(key.length, student.length)


def match(key_spans: Sequence[ScoringSpan], student_spans: Sequence[ScoringSpan]) -> list[tuple[ScoringSpan, ScoringSpan]]:
    """One-to-one matched (key, student) pairs, best first: same label, then larger overlap.

    The inner loop is ``spans_match`` written out (it runs for every key × student span of a
    paragraph: the dashboard scores a whole class with it)."""
    by_place = defaultdict(list)
    for span in sorted(student_spans, key=lambda s: s.start):
        by_place[(span.document, span.paragraph)].append(span)
    candidates = []
    for key in key_spans:
        key_start, key_end = key.start, key.end
        key_length = key_end - key_start
        for student in by_place.get((key.document, key.paragraph), ()):
            start, end = student.start, student.end
            if start >= key_end:
                break  # sorted by start: no later span overlaps
            if end <= key_start:
                continue
            both = (key_end if key_end < end else end) - (key_start if key_start > start else start)
            length = end - start
            if both < MATCH_SHARE * (key_length if key_length < length else length):
                continue
            exact = key_start == start and key_end == end
            either = (key_end if key_end > end else end) - (key_start if key_start < start else start)
            candidates.append((key.label != student.label, not exact, -both / either, key_start, start, key, student))
    candidates.sort(key=lambda item: item[:5])
    used_keys, used_students, pairs = set(), set(), []
    for *_, key, student in candidates:
        if key.id in used_keys or student.id in used_students:
            continue
        used_keys.add(key.id)
        used_students.add(student.id)
        pairs.append((key, student))
    return pairs


def _name(label: str, names: Mapping[str, str]) -> str:
    return names.get(label, label.replace("_", " "))


UNCOUNTABLE = {"evidence"}


def _article(word: str) -> str:
    if word in UNCOUNTABLE:
        return word
    return f"an {word}" if word[:1] in "aeiou" else f"a {word}"


def _what(span: ScoringSpan) -> str:
    return "this sentence" if re.search(r"[.!?][\"'”’)]*\s*$", span.quote) else "this passage"


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _outside(outer: ScoringSpan, inner: ScoringSpan) -> list[str]:
    """The parts of ``outer``'s quote that ``inner`` does not cover (before, after)."""
    parts = []
    if inner.start > outer.start:
        parts.append(outer.quote[: inner.start - outer.start])
    if inner.end < outer.end:
        parts.append(outer.quote[inner.end - outer.start:])
    return [part.strip() for part in parts if part.strip()]


def score_submission(
    *,
    key_spans: Iterable[ScoringSpan],
    key_relations: Iterable[ScoringRelation] = (),
    student_spans: Iterable[ScoringSpan],
    student_relations: Iterable[ScoringRelation] = (),
    labels: Iterable[str] | None = None,
    relations_count: bool = True,
    label_names: Mapping[str, str] = LABEL_NAMES,
    about: str | None = None,
) -> ScoreResult:
    """Feedback per key span, per extra span and per relation, and the score (rules above). The
    messages speak to the student ("You found this claim.") or, given the student's name in ``about``
    for someone else who reads them (their teacher), about the student ("ana found this claim.")."""
    you, your = ("You", "Your") if about is None else (about, f"{about}'s")
    in_play = set(labels) if labels is not None else None
    keep = (lambda span: True) if in_play is None else (lambda span: span.label in in_play)
    key_spans = sorted(filter(keep, key_spans), key=lambda s: (s.document, s.paragraph, s.start, s.end))
    student_spans = sorted(filter(keep, student_spans), key=lambda s: (s.document, s.paragraph, s.start, s.end))
    pairs = match(key_spans, student_spans)
    partner_of_key = {key.id: student for key, student in pairs}
    partner_of_student = {student.id: key for key, student in pairs}

    feedback: list[SpanFeedback] = []
    points = 0.0
    for key in key_spans:
        student = partner_of_key.get(key.id)
        key_name = _name(key.label, label_names)
        if student is None:
            item = SpanFeedback(MISSED, key, None, 0.0, f"{you} did not tag {_what(key)}; the key has it as {_article(key_name)}.",
                                note=key.note)
        elif student.label != key.label:
            student_name = _name(student.label, label_names)
            item = SpanFeedback(
                WRONG_LABEL, key, student, 0.0,
                f"{you} tagged {_what(key)} as {student_name}; the key has it as {_article(key_name)}.", note=key.note,
            )
        elif (student.start, student.end) == (key.start, key.end):
            item = SpanFeedback(FOUND, key, student, 1.0, f"{you} found this {key_name}.", note=key.note)
        else:
            credit = share_of_overlap(key, student)
            missing, beyond = _outside(key, student), _outside(student, key)
            said = [f"{you} found part of this {key_name} ({credit:.0%} of the words in common)."]
            if missing:
                said.append("The key also includes " + " and ".join(f"“{_short(part)}”" for part in missing) + ".")
            if beyond:
                said.append(f"{your} span also takes in " + " and ".join(f"“{_short(part)}”" for part in beyond) + ", which the key leaves out.")
            item = SpanFeedback(PARTIAL, key, student, credit, " ".join(said), note=key.note, missing=missing, beyond=beyond)
        points += item.credit
        feedback.append(item)
    extras = [span for span in student_spans if span.id not in partner_of_student]
    for student in extras:
        feedback.append(SpanFeedback(
            EXTRA, None, student, 0.0,
            f"{you} tagged {_what(student)} as {_article(_name(student.label, label_names))}; the key has no span here.",
        ))
    feedback.sort(key=lambda item: (item.span.document, item.span.paragraph, item.span.start, item.span.end))
    span_penalty = EXTRA_PENALTY * len(extras)

    key_ids = {s.id for s in key_spans}
    key_relations = [r for r in key_relations if r.source in key_ids and r.target in key_ids]
    student_ids = {s.id for s in student_spans}
    student_relations = [r for r in student_relations if r.source in student_ids and r.target in student_ids]
    counted = relations_count and bool(key_relations)
    relation_feedback: list[RelationFeedback] = []
    relation_points, relation_penalty = 0.0, 0.0
    if counted:
        quotes = {span.id: span.quote for span in [*key_spans, *student_spans]}
        by_pair = {(r.source, r.target): r for r in student_relations}
        used = set()
        for relation in key_relations:
            source, target = partner_of_key.get(relation.source), partner_of_key.get(relation.target)
            described = f"“{_short(quotes[relation.source], 40)}” {relation.kind} “{_short(quotes[relation.target], 40)}”"
            same = by_pair.get((source.id, target.id)) if source and target else None
            backwards = by_pair.get((target.id, source.id)) if source and target else None
            if same is not None and same.kind == relation.kind:
                used.add((same.source, same.target))
                relation_points += 1
                relation_feedback.append(RelationFeedback(MATCHED, relation, same, f"{you} linked these as the key does: {described}."))
            elif same is not None or backwards is not None:
                drawn = same or backwards
                used.add((drawn.source, drawn.target))
                mine = f"“{_short(quotes[drawn.source], 40)}” {drawn.kind} “{_short(quotes[drawn.target], 40)}”"
                relation_feedback.append(RelationFeedback(WRONG, relation, drawn, f"{you} said {mine}; the key has {described}."))
            else:
                relation_feedback.append(RelationFeedback(MISSING, relation, None, f"{you} did not link these; the key has {described}."))
        for relation in student_relations:
            if (relation.source, relation.target) not in used:
                relation_penalty += EXTRA_PENALTY
                mine = f"“{_short(quotes[relation.source], 40)}” {relation.kind} “{_short(quotes[relation.target], 40)}”"
                relation_feedback.append(RelationFeedback(EXTRA, None, relation, f"{you} said {mine}; the key has no such link."))

    if not key_spans:
        score = None
    else:
        span_part = max(0.0, points - span_penalty) / len(key_spans)
        if counted:
            relation_part = max(0.0, relation_points - relation_penalty) / len(key_relations)
            score = SPAN_WEIGHT * span_part + RELATION_WEIGHT * relation_part
        else:
            score = span_part
        score = round(100 * score, 1)
    return ScoreResult(
        score=score, span_points=points, span_max=len(key_spans), span_penalty=span_penalty,
        relation_points=relation_points, relation_max=len(key_relations) if counted else 0,
        relation_penalty=relation_penalty, relations_counted=counted, spans=feedback, relations=relation_feedback,
        rules=rules_for(about),
    )


# ── class-wide views for the dashboard ────────────────────────────────────────────────

# A stop followed by white space and then a lower-case letter ends an abbreviation, not a
# sentence ("at 11 p.m. is the price", "e.g. the board"), so no cut is made there.
_SENTENCE_END = re.compile(r"[.!?]+[\"'”’)\]]*(?=\s+(?![a-z])|$)")


def sentence_bounds(text: str) -> list[tuple[int, int]]:
    """``[start, end)`` of each sentence of a paragraph: cut after ., ! or ? followed by a space,
    unless the next word starts in lower case (the stop ended an abbreviation)."""
    bounds, start = [], 0
    for found in _SENTENCE_END.finditer(text):
        end = found.end()
        if text[start:end].strip():
            bounds.append((start, end))
        start = end
        while start < len(text) and text[start].isspace():
            start += 1
    if text[start:].strip():
        bounds.append((start, len(text)))
    return bounds


def sentence_tags(
    paragraphs: Sequence[tuple[int, int, str]], spans: Sequence[ScoringSpan],
    bounds: Mapping[int, Sequence[tuple[int, int]]] | None = None,
) -> list[tuple[int, int, int, str]]:
    """Which sentences of ``(document, paragraph, text)`` one student tagged with which label:
    ``(paragraph, sentence start, sentence end, label)`` for each label that touches a sentence.
    ``bounds`` (paragraph → ``sentence_bounds``) saves cutting the same texts for every student."""
    by_paragraph = defaultdict(list)
    for span in spans:
        by_paragraph[(span.document, span.paragraph)].append(span)
    tags = []
    for document, paragraph, text in paragraphs:
        mine = by_paragraph.get((document, paragraph))
        if not mine:
            continue
        for start, end in (bounds[paragraph] if bounds is not None else sentence_bounds(text)):
            touched = {span.label for span in mine if span.start < end and span.end > start}
            tags.extend((paragraph, start, end, label) for label in sorted(touched))
    return tags


def heat_map_of(
    paragraphs: Sequence[tuple[int, int, str]],
    tags: Iterable[Iterable[Sequence]],
    labels: Sequence[str],
    class_size: int,
) -> list[dict]:
    """For each sentence of each ``(document, paragraph, text)``: the share of a class of
    ``class_size`` who tagged any of it with each label, from each student's ``sentence_tags``."""
    counts = Counter()
    for student_tags in tags:
        counts.update({(paragraph, start, end, label) for paragraph, start, end, label in student_tags})
    rows = []
    for document, paragraph, text in paragraphs:
        for start, end in sentence_bounds(text):
            shares = {label: (counts[(paragraph, start, end, label)] / class_size if class_size else 0.0) for label in labels}
            rows.append({"document": document, "paragraph": paragraph, "start": start, "end": end,
                         "text": text[start:end], "shares": shares})
    return rows


def heat_map(
    paragraphs: Sequence[tuple[int, int, str]],
    work: Mapping[object, Sequence[ScoringSpan]],
    labels: Sequence[str],
) -> list[dict]:
    """For each sentence of each ``(document, paragraph, text)``: the share of the students in
    ``work`` (student → spans) who tagged any of it with each label."""
    return heat_map_of(paragraphs, [sentence_tags(paragraphs, spans) for spans in work.values()], labels, len(work))


def outcomes(result: ScoreResult) -> dict:
    """What the class views need of one result, small enough to store with the submission:
    ``spans``, each key span's ``[key id, key label, kind, student label or ""]``, and
    ``extras``, the labels of the student's spans that are not in the key."""
    return {
        "spans": [[item.key.id, item.key.label, item.kind, item.student.label if item.student else ""]
                  for item in result.spans if item.key is not None],
        "extras": [item.student.label for item in result.spans if item.kind == EXTRA],
    }


def confusion_of(summaries: Iterable[Mapping], labels: Sequence[str]) -> dict:
    """Key label × student label over stored ``outcomes``, with a "missed" column and a "not in key" row."""
    rows = list(labels) + ["not in key"]
    columns = list(labels) + ["missed"]
    table = {row: {column: 0 for column in columns} for row in rows}
    for summary in summaries:
        for label in summary.get("extras", ()):
            if label in table["not in key"]:
                table["not in key"][label] += 1
        for _, key_label, kind, student_label in summary.get("spans", ()):
            if key_label in table:
                column = "missed" if kind == MISSED else student_label
                if column in table[key_label]:
                    table[key_label][column] += 1
    return {"rows": rows, "columns": columns, "cells": [[table[row][column] for column in columns] for row in rows]}


def confusion(results: Iterable[ScoreResult], labels: Sequence[str]) -> dict:
    """Key label × student label over all results, with a "missed" column and a "not in key" row."""
    return confusion_of((outcomes(result) for result in results), labels)


def most_missed_of(summaries: Sequence[Mapping], key_spans: Iterable[ScoringSpan], limit: int = 10) -> list[dict]:
    """Key spans by how many students missed them (or found them with the wrong label), most
    first, from stored ``outcomes`` (outcomes of spans no longer in the key are ignored)."""
    key_of = {span.id: span for span in key_spans}
    tally: dict[str, dict] = {}
    for summary in summaries:
        for key_id, _, kind, _ in summary.get("spans", ()):
            key = key_of.get(key_id)
            if key is None:
                continue
            entry = tally.setdefault(key_id, {"key": key, "missed": 0, "wrong_label": 0, "partial": 0, "found": 0})
            entry[kind] += 1
    ranked = sorted(tally.values(), key=lambda e: (-(e["missed"] + e["wrong_label"]), e["key"].document, e["key"].paragraph, e["key"].start))
    total = len(summaries)
    return [
        {**entry, "share_missed": (entry["missed"] + entry["wrong_label"]) / total if total else 0.0}
        for entry in ranked[:limit] if entry["missed"] + entry["wrong_label"] > 0
    ]


def most_missed(results: Sequence[ScoreResult], limit: int = 10) -> list[dict]:
    """Key spans by how many students missed them (or found them with the wrong label), most first."""
    keys = {item.key.id: item.key for result in results for item in result.spans if item.key is not None}
    return most_missed_of([outcomes(result) for result in results], keys.values(), limit)

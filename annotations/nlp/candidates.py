"""Candidate units: the sentences of a paragraph, split into clauses at discourse connectives.

A concession and the point it concedes to are different argument components, so
"Despite X, Y", "Even though X, Y", "Although X, Y", "Y, although X", "X, but Y",
"X; however, Y" and "Y, because X" each give two candidates. The split uses the dependency
parse (the subtree of the concessive or causal clause, the conjunct after "but"); with the
blank fallback pipeline, which does not parse, the same splits are found from punctuation.

A project can teach more boundaries: every token where a unit could start inside a sentence
(after a pause, a conjunction, a preposition or a relative word) is a *site* with a key
such as ``", and|clause"`` (``split_sites``); ``LearnedSplits`` lists the keys a project's
people split at (added to the rules' split points) and the keys they keep whole (rules'
split points dropped). ``learning.py`` learns them from adjusted suggestions.

Offsets are Unicode code points into the paragraph text (spaCy's character offsets are
Python string indices), and every unit's quote is ``text[start:end]``, trimmed of
surrounding whitespace and of clause punctuation (commas, semicolons, colons, dashes).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Doc, Span

# Subordinators whose clause is split off from the main clause it modifies.
SPLITTING_SUBORDINATORS = {
    "although": "concession", "though": "concession", "whereas": "contrast",
    "while": "contrast", "whilst": "contrast", "because": "reason", "since": "reason",
    "as": "reason", "despite": "concession", "notwithstanding": "concession",
    "so": "result",
}
PREPOSITIONAL_CONCESSIVES = {"despite", "notwithstanding"}
TEMPORAL_WITHOUT_COMMA = {"while", "whilst"}
# Coordinators that join two independent clauses which argue against each other.
SPLITTING_COORDINATORS = {"but": "contrast", "yet": "contrast", "and": "addition"}
# Connective adverbs that open a new clause after a comma: "X, however, Y".
SPLITTING_ADVERBS = {"however": "contrast", "nevertheless": "contrast",
                     "nonetheless": "contrast", "therefore": "conclusion", "thus": "conclusion",
                     "hence": "conclusion", "consequently": "conclusion"}
# ", which is why Y": a relative clause that draws a conclusion is a unit of its own.
CONCLUDING_RELATIVES = {"is why", "'s why", "means that", "shows that", "explains why"}
# Markers that open a sentence with a concession; without a parse, split at the first comma.
SENTENCE_INITIAL_CONCESSIVES = ("despite", "in spite of", "although", "though", "even though",
                                "even if", "while", "whereas", "admittedly", "granted")
TRIM_CHARACTERS = " \t\r\n\u00a0\u2009\u200b,;:-\u2013\u2014"
MIN_WORDS_PER_UNIT = 3
ANAPHORS = {"this", "that", "these", "those", "it", "them", "which", "all", "so", "then"}
FINITE_VERB_TAGS = {"VBZ", "VBP", "VBD", "MD"}
LONG_SENTENCE_WORDS = 12  # section headings are shorter than this
SUBJECT_DEPENDENCIES = {"nsubj", "nsubjpass", "expl", "csubj"}
PAUSES = {",", ";", ":", "-", "\u2013", "\u2014"}
SITE_POS = {"CCONJ", "SCONJ", "ADP"}
CONTENT_POS = {"NOUN", "PROPN", "ADJ", "NUM", "VERB", "AUX", "X"}  # no site even after a pause
RELATIVE_TAGS = {"WDT", "WP", "WP$", "WRB"}
MAX_ASIDE_WORDS = 4  # "X, in general, however, Y": an aside before a connective adverb
MAX_SUBJECT_WORDS = 4  # "for that course can ...": the subject after a conjunction "for"
SUBJECT_PRONOUNS = {"it", "they", "he", "she", "we", "i", "you", "there", "this", "these",
                    "those", "one"}
NOUN_PHRASE_TAGS = {"JJ", "JJR", "JJS", "NN", "NNS", "NNP", "NNPS", "CD", "RB"}


@dataclass(frozen=True)
class LearnedSplits:
    """Site keys a project splits at (``split``; a class key, ``site_class``, splits at every
    site of its class) and keeps whole (``keep``)."""

    split: frozenset[str] = frozenset()
    keep: frozenset[str] = frozenset()

    def __bool__(self) -> bool:
        return bool(self.split or self.keep)


@dataclass(frozen=True)
class CandidateUnit:
    """A span of the paragraph proposed as one argument component."""

    token_start: int
    token_end: int
    start: int
    end: int
    sentence_index: int
    split_reason: str | None  # e.g. "clause split at 'despite' (concession)"
    split_key: str | None = None  # the site key of the boundary at its start, inside a sentence
    # (character offset, site key) of every site inside the unit, when asked for (learning).
    sites: tuple[tuple[int, str], ...] = field(default=(), compare=False)


def _word_count(doc: Doc, start: int, end: int) -> int:
    return sum(1 for token in doc[start:end] if not (token.is_punct or token.is_space))


def _long_enough(doc: Doc, start: int, end: int) -> bool:
    """Whether tokens ``[start, end)`` can stand as a unit: three words, or two that name
    something ("Despite concerns"), not a bare pronoun ("Despite this")."""
    words = [token for token in doc[start:end] if not (token.is_punct or token.is_space)]
    if len(words) >= MIN_WORDS_PER_UNIT:
        return True
    return len(words) == 2 and words[1].lower_ not in ANAPHORS


def _states(doc: Doc, start: int, end: int) -> bool:
    """Whether tokens ``[start, end)`` can stand as a unit of their own: they hold a verb,
    or open with a preposition ("Despite the costs", "Due to the delays"); "Especially
    now" is an adverbial, not a unit."""
    words = [token for token in doc[start:end] if not (token.is_punct or token.is_space)]
    return bool(words) and (words[0].pos_ in ("ADP", "SCONJ") or any(
        token.pos_ in ("VERB", "AUX") for token in words))


def _holds_clause(doc: Doc, start: int, end: int) -> bool:
    """Whether tokens ``[start, end)`` contain a subject attached to a verb among them."""
    return any(token.dep_ in SUBJECT_DEPENDENCIES and start <= token.head.i < end
               for token in doc[start:end])


def _is_statement(span: Span) -> bool:
    """Whether a sentence states something rather than heading a section: it has a finite
    verb or a verb at its root (imperatives); a longer one needs only some verb, since the
    tagger can miss a finite verb ("Proponents ... count on ..." read as a noun).
    "Region of shared interest: the Arctic" is a heading."""
    if span.root.pos_ in ("VERB", "AUX") or any(
        token.tag_ in FINITE_VERB_TAGS for token in span
    ):
        return True
    return (_word_count(span.doc, span.start, span.end) >= LONG_SENTENCE_WORDS
            and any(token.pos_ in ("VERB", "AUX") for token in span))


def _first_content_index(sentence: Span) -> int:
    for token in sentence:
        if not (token.is_punct or token.is_space or token.lower_ in ("and", "but", "so")):
            return _after_leading_aside(sentence, token.i)
    return sentence.start


def _after_leading_aside(sentence: Span, index: int) -> int:
    """Where a sentence's content starts once a short verbless phrase and its comma that open
    it ("In conclusion, although X, Y"; "For example, because X, Y") are passed: such a
    phrase frames the clause after it and is no unit of its own."""
    doc = sentence.doc
    for position in range(index, min(sentence.end, index + MAX_ASIDE_WORDS + 1)):
        token = doc[position]
        if token.text == ",":
            if position > index and position + 1 < sentence.end:
                return position + 1
            return index
        if token.is_punct or token.pos_ in ("VERB", "AUX") or token.dep_ in SUBJECT_DEPENDENCIES:
            return index
    return index


def _last_content_index(sentence: Span) -> int:
    for token in reversed(sentence):
        if not (token.is_punct or token.is_space):
            return token.i
    return sentence.end - 1


def _parse_split_points(sentence: Span) -> dict[int, str]:
    """Token indices where a new clause starts, with the reason, from the parse."""
    points: dict[int, str] = {}
    first = _first_content_index(sentence)
    last = _last_content_index(sentence)
    for token in sentence:
        lower = token.lower_
        dep = token.dep_
        is_in_spite_of = (lower == "in" and token.i + 1 < sentence.end
                          and token.nbor(1).lower_ == "spite")
        if is_in_spite_of or (lower in SPLITTING_SUBORDINATORS and dep in ("mark", "prep")):
            # The clause this subordinator opens: for "though" (mark) the subtree of the
            # adverbial clause's verb, which must have its own subject ("as a key player"
            # is not a clause); for "despite" (prep) its own subtree.
            if dep == "mark":
                if lower == "as" and token.i >= 2 and token.nbor(-2).lower_ == "as":
                    continue  # "as long as", "as soon as": a condition or time, not a reason
                clause_head = token.head
                if clause_head.dep_ != "advcl" or not any(
                    child.dep_ in SUBJECT_DEPENDENCIES for child in clause_head.children
                ):
                    continue
            elif lower in PREPOSITIONAL_CONCESSIVES or is_in_spite_of:
                clause_head = token
            else:
                continue
            if is_in_spite_of:
                lower = "despite"
            left, right = clause_head.left_edge.i, clause_head.right_edge.i
            marker = token.doc[token.i - 1:token.i + 1] if (
                token.i > sentence.start and token.nbor(-1).lower_ == "even") else token
            reason = (f"clause split at '{marker.text.lower()}' "
                      f"({SPLITTING_SUBORDINATORS[lower]})")
            # A leading phrase that is not a clause ("In conclusion, although X, Y"; "To sum
            # up, because X, Y") does not make the clause a trailing one: it opens the sentence.
            opens = left <= first or not _holds_clause(token.doc, first, left)
            if opens and right < last:
                if lower == "as":
                    continue  # sentence-initial "As X observes, ..." is a source, not a reason
                points.setdefault(right + 1, reason)
            elif left > first and (token.doc[left - 1].text == "," or (
                    right >= last and lower not in TEMPORAL_WITHOUT_COMMA)):
                # A trailing clause ("Y, because X"); after a comma it runs to the end of the
                # sentence even when the parse hangs a last phrase on the main verb. Without
                # a comma "while" is about time ("X while I'm at work"), not a contrast.
                points.setdefault(left, reason)
        elif lower in SPLITTING_COORDINATORS and dep == "cc":
            if lower == "and" and (token.i == sentence.start
                                   or token.nbor(-1).text not in (",", ";", "-", "–", "—")):
                continue  # "X and Y" without a pause is usually one statement
            if lower == "but" and _after_not_only(sentence, token.i):
                continue  # "not only X but (also) Y" is one statement
            head = token.head
            for conjunct in head.children:
                if conjunct.dep_ == "conj" and conjunct.i > token.i and any(
                    child.dep_ in SUBJECT_DEPENDENCIES for child in conjunct.children
                ):
                    points.setdefault(token.i, f"clause split at {_quote_token(token)} "
                                      f"({SPLITTING_COORDINATORS[lower]})")
                    break
        elif lower in SPLITTING_ADVERBS and token.i > first:
            previous = token.doc[token.i - 1]
            # Only between two clauses: the words before must hold a verb with its subject
            # ("The work of the services, however, carries ..." is one clause).
            if previous.text in (",", ";") and _holds_clause(sentence.doc, sentence.start,
                                                             token.i):
                if _opens_complement(sentence, token.i):
                    continue  # "It is true, however, that X": the frame and X are one unit
                points.setdefault(_before_aside(sentence, token.i),
                                  f"clause split at {_quote_token(token)} "
                                  f"({SPLITTING_ADVERBS[lower]})")
        elif (lower == "so" and token.i > first and token.nbor(-1).text == "," and dep != "mark"
              and _opens_finite_clause(sentence, token.i, pronoun_only=False)):
            # "X, so Y": a result clause is a unit of its own ("so that" is a subordinator).
            points.setdefault(token.i, "clause split at 'so' (result)")
        elif lower == "for" and token.i > first and _opens_finite_clause(sentence, token.i):
            # "X, for it is Y": "for" as a conjunction gives a reason.
            points.setdefault(token.i, "clause split at 'for' (reason)")
        elif (lower == "which" and token.i > first and token.nbor(-1).text == ","
              and token.i + 2 < sentence.end
              and " ".join(t.lower_ for t in token.doc[token.i + 1:token.i + 3])
              in CONCLUDING_RELATIVES):
            points.setdefault(token.i, "clause split at 'which' (conclusion)")
        elif token.text == ";" and first < token.i < last:
            points.setdefault(token.i + 1, "clause split at ';'")
        elif (token.text == ":" and first < token.i < last
              and _holds_clause(sentence.doc, sentence.start, token.i)
              and _holds_clause(sentence.doc, token.i + 1, sentence.end)):
            # "X: Y" between two clauses: Y explains or backs X ("We have tried this before:
            # the city ...", "this would be a mistake: schools should ...").
            points.setdefault(token.i + 1, "clause split at ':'")
        elif (lower == "also" and token.i > first and token.nbor(-1).text == ","
              and _holds_clause(sentence.doc, sentence.start, token.i - 1)
              and _opens_finite_clause(sentence, token.i, pronoun_only=False)):
            # ", also they can ...": "also" joins a second clause as "and" would (a comma
            # splice, common in learners' English).
            points.setdefault(token.i, "clause split at 'also' (addition)")
    return points


def _after_not_only(sentence: Span, index: int) -> bool:
    """Whether "not only" stands before token ``index`` in the sentence."""
    doc = sentence.doc
    return any(doc[i].lower_ == "not" and doc[i + 1].lower_ == "only"
               for i in range(sentence.start, index - 1))


def _next_word(sentence: Span, index: int):
    """The first token after ``index`` that is not punctuation, or None."""
    for token in sentence.doc[index + 1:sentence.end]:
        if not (token.is_punct or token.is_space):
            return token
    return None


def _opens_complement(sentence: Span, index: int) -> bool:
    """Whether the adverb at ``index`` is followed by "that" opening a complement clause."""
    following = _next_word(sentence, index)
    return following is not None and following.lower_ == "that" and following.dep_ == "mark"


def _before_aside(sentence: Span, index: int) -> int:
    """Where a clause marked by the adverb at ``index`` starts: before a short aside
    between commas just before it ("X, in general, however, Y" starts at "in general")."""
    doc = sentence.doc
    comma = index - 1  # the comma before the adverb
    position = comma - 1
    while position > sentence.start and doc[position].text not in PAUSES:
        position -= 1
    if position <= sentence.start or doc[position].text != ",":
        return index
    aside = doc[position + 1:comma]
    if 0 < len(aside) <= MAX_ASIDE_WORDS and not any(
            token.pos_ in ("VERB", "AUX") for token in aside):
        return position + 1
    return index


def _opens_finite_clause(sentence: Span, index: int, pronoun_only: bool = True) -> bool:
    """Whether the words after the conjunction at ``index`` are a subject and its finite
    verb ("for it jeopardizes", ", for that course can lead", ", so this has"), not a
    phrase ("for years", "for them to go"). Read from the tags: the parser often takes the
    subject for the object of "for". A noun subject needs a comma before the conjunction
    ("what matters for the country is") and, unless ``pronoun_only`` is false, a
    determiner ("for that course")."""
    doc = sentence.doc
    following = doc[index + 1:min(sentence.end, index + 2 + MAX_SUBJECT_WORDS)]
    if not len(following):
        return False
    if following[0].lower_ in SUBJECT_PRONOUNS:
        return len(following) > 1 and following[1].tag_ in FINITE_VERB_TAGS
    if doc[index - 1].text != "," or following[0].tag_ not in ("DT", "PRP$") and (
            pronoun_only or following[0].tag_ not in NOUN_PHRASE_TAGS | {"EX", "PRP"}):
        return False
    for token in following[1:]:
        if token.tag_ in FINITE_VERB_TAGS:
            return True
        if token.tag_ not in NOUN_PHRASE_TAGS:
            return False
    return False


def split_sites(sentence: Span) -> dict[int, str]:
    """Token index -> site key for every token inside the sentence where a unit could start.

    A site is a function word after a pause (comma, semicolon, colon, dash), or a
    conjunction, preposition or relative word; its key is the pause, the word and whether what follows holds a clause
    of its own (a subject with its verb): ``", and|clause"``, ``"due|phrase"``.
    """
    doc = sentence.doc
    # The last position at which a clause still starts: a site holds a clause when some
    # subject and its verb both stand at or after it.
    clause_from = -1
    for token in sentence:
        if token.dep_ in SUBJECT_DEPENDENCIES and sentence.start <= token.head.i < sentence.end:
            clause_from = max(clause_from, min(token.i, token.head.i))
    first = _first_content_index(sentence)
    sites: dict[int, str] = {}
    for token in doc[first + 1:sentence.end]:
        if token.is_punct or token.is_space:
            continue
        pause = doc[token.i - 1].text in PAUSES
        if not ((pause and token.pos_ not in CONTENT_POS) or token.pos_ in SITE_POS
                or token.tag_ in RELATIVE_TAGS):
            continue
        sites[token.i] = (f"{doc[token.i - 1].text + ' ' if pause else ''}{token.lower_}|"
                          f"{'clause' if clause_from >= token.i else 'phrase'}")
    return sites


# The classes of site words a project's boundary convention generalises over ("this project
# splits before subordinate clauses"), so a few splits at "because" and "if" teach "unless".
SITE_CLASSES = {
    **{word: "relative word" for word in ("which", "who", "whom", "whose", "where")},
    **{word: "subordinator" for word in (
        "because", "since", "as", "if", "unless", "although", "though", "while", "whilst",
        "whereas", "when", "whenever", "until", "before", "after", "once", "so", "even")},
    **{word: "coordinator" for word in ("and", "but", "or", "yet", "nor")},
}
CLASS_PREFIX = "class:"


def site_class(key: str) -> str | None:
    """The class key of a site key: ``", because|clause"`` -> ``"class:, subordinator|clause"``
    (the pause and what follows are kept: ", and" before a clause is not "and" in a list);
    None for a word of no class (prepositions, pronouns)."""
    words, _bar, kind = key.partition("|")
    pause, _space, word = words.rpartition(" ")
    word_class = SITE_CLASSES.get(word)
    if word_class is None:
        return None
    return f"{CLASS_PREFIX}{pause + ' ' if pause else ''}{word_class}|{kind}"


def site_label(key: str) -> str:
    """A site key as people read it: ``", and|clause"`` -> ``', and' (before a clause)``;
    a class key: ``"class:, subordinator|clause"`` -> ``', subordinator' (before a clause)``."""
    words, _bar, kind = key.removeprefix(CLASS_PREFIX).partition("|")
    return f"'{words}' (before a {kind})"


def _quote_token(token) -> str:
    return "'" + token.lower_ + "'"


def _punctuation_split_points(sentence: Span) -> dict[int, str]:
    """Token indices where a new clause starts, from punctuation and words alone."""
    points: dict[int, str] = {}
    tokens = list(sentence)
    lowered = [token.lower_ for token in tokens]
    opening = " ".join(lowered[:3])
    for marker in SENTENCE_INITIAL_CONCESSIVES:
        if opening.startswith(marker + " "):
            for token in tokens:
                if token.text == ",":
                    points[token.i + 1] = f"clause split at '{marker}' (concession)"
                    break
            break
    for position in range(1, len(tokens) - 1):
        token, word = tokens[position], lowered[position]
        if token.text == ";":
            points.setdefault(token.i + 1, "clause split at ';'")
        elif (tokens[position - 1].text == "," and word in SPLITTING_COORDINATORS
              and word != "and"):  # without a parse, ", and" may join a list of nouns
            points.setdefault(token.i, f"clause split at '{word}' "
                              f"({SPLITTING_COORDINATORS[word]})")
        elif tokens[position - 1].text == "," and word in SPLITTING_ADVERBS:
            points.setdefault(token.i, f"clause split at '{word}' "
                              f"({SPLITTING_ADVERBS[word]})")
    return points


def _trimmed_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in TRIM_CHARACTERS:
        start += 1
    while end > start and text[end - 1] in TRIM_CHARACTERS:
        end -= 1
    return start, end


def candidate_units(doc: Doc, learned: LearnedSplits | None = None,
                    record_sites: bool = False) -> list[CandidateUnit]:
    """The candidate units of one paragraph Doc, in text order.

    ``learned`` adds the sites a project splits at and drops the rules' split points at
    sites it keeps whole; ``record_sites`` keeps every unit's sites (for learning).
    """
    parsed = doc.has_annotation("DEP")
    tagged = doc.has_annotation("POS")
    text = doc.text
    units: list[CandidateUnit] = []
    for sentence_index, sentence in enumerate(doc.sents):
        if _word_count(doc, sentence.start, sentence.end) < MIN_WORDS_PER_UNIT:
            continue
        points = _parse_split_points(sentence) if parsed else _punctuation_split_points(sentence)
        sites = split_sites(sentence) if (learned or record_sites) else {}
        if learned:
            for point in [p for p in points if sites.get(p) in learned.keep]:
                del points[point]
            for point, key in sites.items():
                if key in learned.split or (key not in learned.keep
                                            and site_class(key) in learned.split):
                    points.setdefault(point, f"split at {site_label(key)}, as people in "
                                      "this project split")
        boundaries: list[tuple[int, str | None]] = [(sentence.start, None)]
        for point in sorted(points):
            if point <= boundaries[-1][0] or point >= sentence.end:
                continue
            if (_long_enough(doc, boundaries[-1][0], point)
                    and _long_enough(doc, point, sentence.end)
                    and (not tagged or (_states(doc, boundaries[-1][0], point)
                                        and _states(doc, point, sentence.end)))):
                boundaries.append((point, points[point]))
        if len(boundaries) > 1 and not sites:
            sites = split_sites(sentence)
        for position, (token_start, reason) in enumerate(boundaries):
            token_end = (boundaries[position + 1][0] if position + 1 < len(boundaries)
                         else sentence.end)
            span = doc[token_start:token_end]
            if len(boundaries) == 1 and tagged and not _is_statement(span):
                continue  # a heading or fragment, not a statement
            start, end = _trimmed_bounds(text, span.start_char, span.end_char)
            if start >= end:
                continue
            if reason is None and position + 1 < len(boundaries):
                reason = boundaries[position + 1][1]
            inside = tuple((doc[i].idx, key) for i, key in sites.items()
                           if token_start < i < token_end) if record_sites else ()
            units.append(CandidateUnit(
                token_start, token_end, start, end, sentence_index, reason,
                split_key=(sites.get(token_start) or sites.get(token_start + 1)
                           if doc[token_start].is_punct else sites.get(token_start))
                if position else None,
                sites=inside))
    return units


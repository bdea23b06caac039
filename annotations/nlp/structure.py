"""Where a unit stands in a structured text, and the shell language around what it states.

A text of several paragraphs (an essay, an article) has a shape the rules use:

- a **title** (a first line that is a question or has no closing full stop) proposes nothing;
- the **opening** paragraph moves from background to the writer's position: the unit with the
  strongest claim cues there (else its last unit) states the position (a claim); the
  background before it carries little signal and is scored below the default threshold;
- the **closing** paragraph restates the position: its first unit on the writer's side is
  a claim;
- **body** paragraphs keep the per-paragraph rules (one main point, cues, contrast).

Annotators of such texts mark the proposition, not the discourse marker or the frame that
introduces it ("First of all,", "I firmly believe that", "In conclusion,", "Some people
argue that"): ``shell_end`` moves a unit's start past them. Short single-paragraph texts
(such as arg-microtexts) are segmented into units that keep their connectives, so there the
shape rules and the stripping stay off.

``relevance`` calibrates scores so that ``score >= ARGMAP_SUGGESTION_THRESHOLD`` (0.5 by
default) is what is worth showing: a unit with no argument cue in a paragraph with few
cues (narrative, background) is kept, with a lower score, below the threshold.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from annotations.nlp import lexicon

TITLE = "title"
OPENING = "opening"
BODY = "body"
CLOSING = "closing"
SINGLE = "single"  # the only paragraph of a short text: no shape rules
MIN_STRUCTURED_PARAGRAPHS = 3

# Leading discourse markers (with an optional comma) that annotators leave out of a unit.
_MARKERS = (
    "first of all", "firstly", "secondly", "thirdly", "first", "second", "third", "finally",
    "lastly", "to begin with", "to start with", "in addition", "additionally", "furthermore",
    "moreover", "besides", "what is more", "also", "for example", "for instance", "in conclusion",
    "to conclude", "to sum up", "in summary", "in sum", "in short", "all in all",
    "all things considered", "overall", "thus", "therefore", "hence", "consequently",
    "as a result", "however", "nevertheless", "nonetheless", "still", "yet", "but", "and", "so",
    "on the one hand", "on the other hand", "admittedly", "of course", "granted", "in fact",
    "indeed", "for these reasons", "for this reason", "in my opinion", "in my view",
    "from my point of view", "personally", "to my mind", "in contrast", "by contrast",
    "on the contrary", "because", "although", "though", "even though",
    "while", "whereas", "if", "which", "that is why", "this is why", "surely",
    "clearly", "obviously", "undoubtedly", "certainly", "similarly", "likewise", "in the end",
    "ultimately", "as a consequence", "after all", "that said", "even so", "conversely",
    "to conclude", "to summarize", "to summarise", "in other words", "namely", "specifically",
)
_FIRST_PERSON_FRAME = (
    r"(?:i|we)\s+(?:do\s+|would\s+|really\s+|firmly\s+|strongly\s+|truly\s+|personally\s+|"
    r"totally\s+|completely\s+|fully\s+)*(?:believe|think|agree|feel|argue|hold|maintain|"
    r"contend|suppose|reckon|am\s+convinced|are\s+convinced|am\s+sure|am\s+certain|"
    r"strongly\s+support|support\s+the\s+idea|would\s+say|disagree\s+with\s+the\s+idea)"
    r"(?:\s+that)?"
)
_GENERIC_VOICE_FRAME = (
    r"(?:some|many|most|other)?\s*(?:people|persons|individuals|critics|opponents|supporters|"
    r"proponents|sceptics|skeptics|others|some|many|parents|experts|adults|teachers)\s+"
    r"(?:would\s+|may\s+|might\s+|often\s+|also\s+)*(?:argue|argues|believe|say|claim|think|"
    r"feel|fear|contend|maintain|insist|suggest|point\s+out|hold)\s+that"
)
_IMPERSONAL_FRAME = (
    r"it\s+(?:is|has\s+been|could\s+be|can\s+be|might\s+be|may\s+be|would\s+be|is\s+often|"
    r"is\s+sometimes|is\s+commonly|is\s+widely)\s+(?:often\s+|sometimes\s+|commonly\s+|widely\s+)?"
    r"(?:argued|said|claimed|believed|suggested|objected|thought|true|clear|obvious|evident|"
    r"undeniable|certain|possible)\s+that"
)
_REASON_FRAME = (
    r"(?:the|one|another|a\s+further|a\s+second|a\s+third|my|an\s+other)\s+(?:main\s+|most\s+"
    r"important\s+|major\s+|first\s+|second\s+|final\s+|other\s+|key\s+|big\s+|additional\s+)?"
    r"(?:reason|argument|advantage|benefit|point|problem|drawback|disadvantage|factor|"
    r"aspect)(?:\s+\w+){0,3}?\s+is\s+that"
)
_OTHER_FRAMES = (
    r"there\s+is\s+no\s+doubt\s+that", r"no\s+doubt", r"needless\s+to\s+say",
    r"it\s+seems\s+to\s+me\s+that",
    # The contracted first person ("now I'm convinced that X", "we're sure that X").
    r"(?:now\s+)?(?:i['’]m|we['’]re)\s+(?:now\s+|really\s+|fully\s+)*(?:convinced|sure|certain)"
    r"(?:\s+that)?", r"i\s+(?:do\s+not|don't)\s+agree\s+with\s+this\s+view",
)
_SHELL = re.compile(
    r"(?:" + "|".join([_FIRST_PERSON_FRAME, _GENERIC_VOICE_FRAME, _IMPERSONAL_FRAME,
                       _REASON_FRAME, *_OTHER_FRAMES,
                       *sorted((re.escape(m).replace(r"\ ", r"\s+") for m in _MARKERS),
                               key=len, reverse=True)])
    + r")(?![\w'’-])(?!\s+of\b)[\s,:;–—-]*",
    re.IGNORECASE,
)
MIN_WORDS_LEFT = 3
# Cue keys that say nothing about arguing: position, tense and figures (news narrates too).
_NEUTRAL_KEY_PREFIXES = ("position_", "past_tense", "entity_", "contrast@answer")
_NEUTRAL_REASON_PREFIXES = ("position", "past tense")


@dataclass(frozen=True)
class DocumentShape:
    """The role of each paragraph of one text."""

    roles: tuple[str, ...]

    @property
    def structured(self) -> bool:
        return any(role != SINGLE for role in self.roles)


def _looks_like_title(text: str) -> bool:
    stripped = text.strip()
    words = len(stripped.split())
    return words <= 25 and (stripped.endswith("?") or not stripped.endswith((".", "!", '"', "”")))


def shape_of(texts: list[str]) -> DocumentShape:
    """Paragraph roles for the body paragraphs of one text, in order."""
    filled = [i for i, text in enumerate(texts) if text.strip()]
    roles = [SINGLE] * len(texts)
    content = [i for i in filled if not _looks_like_title(texts[i])]
    if len(content) < MIN_STRUCTURED_PARAGRAPHS:
        return DocumentShape(tuple(roles))
    for i in filled:
        roles[i] = TITLE if _looks_like_title(texts[i]) and i < content[0] else BODY
    roles[content[0]] = OPENING
    roles[content[-1]] = CLOSING
    return DocumentShape(tuple(roles))


def shell_end(text: str, start: int, end: int) -> int:
    """Where the unit ``text[start:end]`` starts once its leading shell is stripped."""
    position = start
    for _round in range(4):
        found = _SHELL.match(text, position, end)
        if not found or found.end() == position:
            break
        rest = text[found.end():end]
        if len(re.findall(r"\w+", rest)) < MIN_WORDS_LEFT:
            break
        position = found.end()
    return position


def subordinate_kept(doc, token_start: int, token_end: int, start: int) -> int:
    """Where a unit over tokens ``[token_start, token_end)`` starts, given ``start`` from
    ``shell_end``: a subordinator stripped there ("if", "because", "although", "when") stays
    when its clause does not make the whole unit, since the main clause it conditions is in
    the unit too ("If the shop takes only cards, these people cannot buy food" is one unit;
    a reason clause split off on its own, "because Y", loses its "because")."""
    for token in doc[token_start:token_end]:
        if token.idx >= start:
            break
        if token.dep_ != "mark":
            continue
        clause = token.head
        governor = clause.head
        if (clause.dep_ == "advcl" and governor.i != clause.i
                and token_start <= governor.i < token_end and governor.i > clause.right_edge.i):
            return token.idx if token.i == token_start or doc[token.i - 1].lower_ != "even" \
                else doc[token.i - 1].idx
    return start


def argument_strength(reasons: list[tuple[str, float, str]]) -> float:
    """The summed weight of a unit's argument cues (not position, tense or figures)."""
    return sum(weight for _label, weight, name in reasons
               if not name.startswith(_NEUTRAL_REASON_PREFIXES) and " entity " not in name)


# Cues by which a text voices a view it then answers (a concession, a reported opponent),
# as against a mere contrast between two facts ("In some countries X, while in others Y").
_VOICED_COUNTER_KEY_PREFIXES = ("concessive_connective", "concession_marker", "opposing_voice")
ANAPHORS = {"this", "that", "these", "those", "it", "them", "they", "which", "so"}
STANCE_VERBS = {"agree", "disagree", "support", "share", "accept", "reject", "oppose",
                "endorse", "dispute", "doubt", "deny"}


def voices_a_view(keys: list[str]) -> bool:
    """Whether a unit grants or reports a view (concession, opposing voice), not just contrasts."""
    return any(key.startswith(_VOICED_COUNTER_KEY_PREFIXES) for key in keys)


# Who or what voices another side, read from the parse (``voices_other_side``): a verb of
# saying or thinking with someone other than the writer as its subject and a clause as its
# object ("Companies argue that X", "Parents often fear that X"); a noun naming a side
# ("Supporters have a point", "Critics of X"); a noun naming an objection ("Their complaint
# is that X", "The serious objection is money").
# The cue finder's speech and cognition verbs, and the verbs of answering and adding that
# voice a side in a debate ("Opponents reply that X").
VIEW_VERBS = frozenset(lexicon.SPEECH_VERBS) | {"warn", "reply", "respond", "counter", "protest",
                                               "answer", "add", "note", "stress"}
SIDE_NOUNS = frozenset({"critic", "opponent", "sceptic", "skeptic", "detractor", "proponent",
                        "supporter", "advocate", "defender", "objector", "opposer"})
OBJECTION_NOUNS = frozenset({"objection", "complaint", "criticism", "counterargument",
                             "counter-argument", "counterpoint", "rebuttal", "reservation"})
WRITER_WORDS = frozenset({"i", "we", "me", "us", "my", "our", "mine", "ours", "myself",
                          "ourselves"})
# Subjects that voice no one: the text's own reasoning ("This suggests that X") or a source
# it cites as evidence ("Research shows", ``lexicon.SOURCE_NOUNS``).
NOT_A_VOICE = frozenset({"this", "that", "these", "those", "it", "which", "what"})


def voices_other_side(span) -> bool:
    """Whether a unit (a spaCy Span) voices a view that is not the writer's: someone other than
    the writer says or thinks what its clause states, a noun names a side of the debate, or a
    noun names an objection (``VIEW_VERBS``, ``SIDE_NOUNS``, ``OBJECTION_NOUNS``). The cue
    finder's opposing voices cover generic subjects ("some people say"); this also reads
    "Companies argue that X" and "Their complaint is that X". Without a parse: False."""
    if not span.doc.has_annotation("DEP"):
        return False
    for token in span:
        lemma = token.lemma_.lower()
        if token.pos_ == "NOUN" and (lemma in SIDE_NOUNS or (
                lemma in OBJECTION_NOUNS and not any(
                    child.lower_ in WRITER_WORDS for child in token.children))):
            return True
        if token.pos_ == "VERB" and lemma in VIEW_VERBS and any(
                child.dep_ in ("ccomp", "xcomp") or (child.dep_ == "prt" and lemma == "point")
                for child in token.children):
            subjects = [child for child in token.children if child.dep_ in ("nsubj", "nsubjpass")]
            if subjects and not any(
                    subject.lower_ in WRITER_WORDS or subject.lower_ in NOT_A_VOICE
                    or subject.lemma_.lower() in lexicon.SOURCE_NOUNS for subject in subjects):
                return True
    return False


def bare_stance(span) -> bool:
    """Whether a unit only takes a side on something said before ("I do not agree with this
    view", "We support that"): a stance verb whose objects are all anaphors, with no clause
    of its own (a clause the parse hangs on it outside the unit, "..., because X" split off,
    is not its own). Shell language: the proposition is elsewhere."""
    root = span.root
    if root.lemma_.lower() not in STANCE_VERBS or any(
            child.dep_ in ("ccomp", "xcomp", "advcl") and span.start <= child.i < span.end
            for child in root.children):
        return False
    objects = [token for token in span if token.head.i != token.i and token.dep_ in
               ("dobj", "pobj", "attr") and token.head in (root, *root.children)]
    if not objects:
        return len([t for t in span if t.is_alpha]) <= 4
    return all(token.lower_ in ANAPHORS or any(child.lower_ in ANAPHORS and child.dep_ == "det"
                                               for child in token.children)
               for token in objects)


BARE_COMMENT_MAX_WORDS = 6
DEMONSTRATIVES = {"this", "that", "these", "those"}


def bare_comment(span) -> bool:
    """Whether a unit only comments on what was said before ("This is partly true", "That is
    a fair point", "These are exceptions, though"): a short copula whose subject is a
    demonstrative (not "it" or "they", which name a thing: "it is healthier"), with no clause
    of its own. Shell language: the proposition is elsewhere."""
    root = span.root
    if root.lemma_.lower() != "be" or len([t for t in span if t.is_alpha]) > BARE_COMMENT_MAX_WORDS:
        return False
    if any(child.dep_ in ("ccomp", "xcomp", "advcl", "relcl") and span.start <= child.i < span.end
           for child in root.children):
        return False
    subjects = [child for child in root.children if child.dep_ in ("nsubj", "nsubjpass")]
    return bool(subjects) and all(token.lower_ in DEMONSTRATIVES for token in subjects) and any(
        child.dep_ in ("acomp", "attr") for child in root.children)


def has_argument_cue(keys: list[str]) -> bool:
    """Whether a unit's cue keys include one that signals arguing, not just narrating."""
    return any(not key.startswith(_NEUTRAL_KEY_PREFIXES) for key in keys)


# Whether a paragraph argues throughout or narrates (``narrating_sentences``, ``argues``).
# Narration and news tell what named actors did, where and when: a sentence narrates when it
# names one (a person, organisation, place, nation, event, law, work: these entity labels) or
# a dated time (a DATE entity with a digit, "in 1996"), or when its main verb is in the past
# tense, unless the writer speaks in the first or second person (an essay's own example, "When
# I was at school, ..."; a news text reports others, not itself). An essay argues in the
# present about kinds of things ("students", "the government"), so few of its sentences do.
NARRATIVE_ENTITY_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP", "LOC", "FAC", "EVENT",
                                     "LAW", "WORK_OF_ART", "PRODUCT"})
PERSONAL_PRONOUNS = frozenset({"i", "me", "my", "mine", "myself", "we", "us", "our", "ours",
                               "ourselves", "you", "your", "yours", "yourself", "yourselves"})
# A paragraph argues throughout when under this share of its sentences narrates, and so do
# the sentences of its whole text (a news analysis that names its actors in most sentences
# narrates even in a paragraph that does not).
NARRATING_SHARE = 0.5


def _past_tense(root) -> bool:
    return root.tag_ == "VBD" or (root.tag_ == "VBN" and any(
        child.tag_ == "VBD" and child.dep_ in ("aux", "auxpass") for child in root.children))


def sentence_narrates(sentence) -> bool:
    """Whether a sentence (a spaCy Span) tells what named actors did, where or when."""
    if any(token.lower_ in PERSONAL_PRONOUNS for token in sentence):
        return False
    for entity in sentence.ents:
        if entity.label_ in NARRATIVE_ENTITY_LABELS or (
                entity.label_ == "DATE" and any(character.isdigit() for character in entity.text)):
            return True
    return sentence.doc.has_annotation("TAG") and _past_tense(sentence.root)


def narrating_sentences(doc) -> tuple[int, int]:
    """(sentences that narrate, sentences) of one paragraph Doc; (0, 0) without the entity
    recogniser (the blank fallback pipeline cannot tell)."""
    if not doc.has_annotation("ENT_IOB"):
        return 0, 0
    sentences = list(doc.sents)
    return sum(1 for sentence in sentences if sentence_narrates(sentence)), len(sentences)


def argues(paragraph: tuple[int, int], text: tuple[int, int]) -> bool:
    """Whether a paragraph argues throughout: under ``NARRATING_SHARE`` of its sentences
    narrate, and of its text's (``(narrating, sentences)`` counts from
    ``narrating_sentences``). Without counts (no parse) nothing is known: False."""
    (own, own_total), (all_, all_total) = paragraph, text
    if not own_total or not all_total:
        return False
    return own < NARRATING_SHARE * own_total and all_ < NARRATING_SHARE * all_total


# The writer's own story in a text that argues (a blog post's anecdote, a letter's plans):
# "I sat through the meeting", "I will pay it on Saturday", "My sister and I are planning a
# trip". The writer is the subject and the verb tells what they did or will do; not a stance
# ("I think", a cue of its own) and not a possibility or duty ("I can", "I should").
FUTURE_AUXILIARIES = frozenset({"will", "'ll", "wo", "shall", "going"})
PRESENT_BE = frozenset({"am", "'m", "are", "'re"})


def tells_past(root) -> bool:
    """Whether a clause's verb is in the past tense, "did" + verb included ("did not ask")."""
    return _past_tense(root) or (root.tag_ == "VB" and any(
        child.lower_ == "did" and child.dep_ == "aux" for child in root.children))


def writer_narrates(span) -> bool:
    """Whether a unit (a spaCy Span) tells what the writer did, has done or will do, or who
    they are: its main verb has the writer ("I", or "X and I") as subject and is past, perfect
    ("I have read the report"), future, a plan in progress ("I'm paying it on Saturday") or a
    copula with a noun ("I'm a person who ..."), with no modal of possibility or duty."""
    root = unit_root(span)
    if root.pos_ not in ("VERB", "AUX"):
        return False
    subjects = [child for child in root.children if child.dep_ in ("nsubj", "nsubjpass")]
    if not subjects or not any(token.lower_ == "i" for subject in subjects
                               for token in (subject, *subject.conjuncts)):
        return False
    if any(child.dep_ == "ccomp" for child in root.children):
        return False  # "I will argue that X", "I learned that X": X may be the point
    auxiliaries = [child for child in root.children if child.dep_ in ("aux", "auxpass")]
    if any(child.tag_ == "MD" and child.lower_ not in FUTURE_AUXILIARIES for child in auxiliaries):
        return False
    if any(token.text == ":" for token in span[:-1]):
        return False  # "I've come round to a view: X" frames the statement after the colon
    perfect = (root.tag_ == "VBN" and any(child.lower_ in ("have", "'ve") for child in auxiliaries)
               ) or (root.tag_ == "VBG" and any(child.lower_ == "been" for child in auxiliaries))
    # "I'm a person who ...", "I'm not a scientist": who the writer is, not a reason.
    describes_self = root.lemma_.lower() == "be" and any(
        child.dep_ == "attr" and child.pos_ in ("NOUN", "PROPN") for child in root.children)
    return tells_past(root) or perfect or describes_self or any(
        child.lower_ in FUTURE_AUXILIARIES for child in auxiliaries) or (
        root.tag_ == "VBG" and any(child.lower_ in PRESENT_BE for child in auxiliaries))


def in_brackets(text: str, start: int) -> bool:
    """Whether a unit starting at ``start`` of its paragraph ``text`` opens with a bracket or
    stands inside one opened before it: an aside ("(Yes, I know, ...)"), not a unit."""
    before = text[:start]
    return text[start:start + 1] in "([" and start < len(text) or (
        before.count("(") > before.count(")") or before.count("[") > before.count("]"))


def story_cue_keys(keys: list[str]) -> list[str]:
    """A unit's cue keys but the prediction a told plan carries ("I will pay it Saturday")."""
    return [key for key in keys if not key.startswith("prediction")]


def only_narrates(doc, keys: list[list[str]]) -> bool:
    """Whether a paragraph only tells a story: at least ``NARRATING_SHARE`` of its sentences
    narrate (``sentence_narrates``) and none of its units (``keys``: each unit's cue keys) has
    an argument cue (``has_argument_cue``): a news hook, an anecdote, a scene between the
    arguments. Without the entity recogniser nothing is known: False."""
    narrating, sentences = narrating_sentences(doc)
    return bool(sentences) and narrating >= NARRATING_SHARE * sentences and not any(
        has_argument_cue(story_cue_keys(unit_keys)) for unit_keys in keys)


# Nouns by which a sentence names an argument without making it ("Supporters have a real
# point", "The serious objection is money", "Opponents make a serious case"); "problem" or
# "risk" name a state of things and can be a claim ("zoos have some problems").
ARGUMENT_NOUNS = frozenset({"point", "case", "reason", "objection", "argument", "thing",
                            "question", "line", "issue", "side", "view", "answer", "detour",
                            "opinion", "position", "stance"})
ANNOUNCEMENT_MAX_WORDS = 8


def announces_a_point(span) -> bool:
    """Whether a unit (a spaCy Span) only announces a point made after it: a short clause
    ("Here is why.", "Here's the thing that surprised me most.") or one whose subject, object
    or complement is an argument noun (``ARGUMENT_NOUNS``), with no clause of its own ("There
    are good reasons to doubt X" names reasons to come). Shell language: set-up, not a unit."""
    words = [token for token in span if token.is_alpha]
    if not words or len(words) > ANNOUNCEMENT_MAX_WORDS:
        return False
    root = unit_root(span)
    if any(child.dep_ in ("ccomp", "advcl") for child in root.children):
        return False
    if words[0].lower_ == "here" and root.lemma_.lower() == "be":
        return True
    arguments = [child for child in root.children
                 if child.dep_ in ("nsubj", "nsubjpass", "dobj", "attr")]
    return any(token.lemma_.lower() in ARGUMENT_NOUNS for token in arguments)


def unit_root(span):
    """The unit's own verb: a unit split off at "and" has the conjunction as a second root."""
    heads = [token for token in span if not (span.start <= token.head.i < span.end)
             or token.head.i == token.i]
    return next((token for token in heads if token.pos_ in ("VERB", "AUX")), span.root)

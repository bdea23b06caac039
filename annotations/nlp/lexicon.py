"""The English indicator lexicon: words and phrases that signal claims, evidence and counterclaims.

Written for argmap from general knowledge of English argumentative writing (discourse
connectives, modal and stance expressions, reporting verbs), not from any particular text.
``LEXICON.md`` next to this file documents each group and why it signals what it does.

Each ``PhraseGroup`` is matched with spaCy's PhraseMatcher on lower-cased tokens, so it works
with the blank fallback pipeline too. ``weight_at_start`` applies when the phrase opens a
candidate unit (after at most a conjunction or punctuation); ``weight_inside`` applies
elsewhere in the unit (0 means the phrase only counts at the start, e.g. "while", which is
temporal as often as contrastive in mid-sentence). The lists of verbs and subjects at the end
feed the dependency patterns in ``cues.py``.
"""
from __future__ import annotations

from dataclasses import dataclass

CLAIM = "claim"
EVIDENCE = "evidence"
COUNTERCLAIM = "counterclaim"
LABELS = (CLAIM, EVIDENCE, COUNTERCLAIM)


@dataclass(frozen=True)
class PhraseGroup:
    """Phrases with one meaning: the label they point to, how strongly, and where."""

    key: str
    label: str
    kind: str  # how the cue is named to a person, e.g. "connective", "modal"
    meaning: str  # the rhetorical function, e.g. "concession"
    weight_at_start: float
    weight_inside: float
    phrases: tuple[str, ...]


PHRASE_GROUPS: tuple[PhraseGroup, ...] = (
    # ---- counterclaim: the writer grants or reports a view they then answer ----
    PhraseGroup(
        "concessive_connective", COUNTERCLAIM, "connective", "concession", 2.5, 0.6,
        ("despite", "in spite of", "although", "though", "even though", "even if",
         "notwithstanding", "regardless of", "albeit", "granted that", "much as"),
    ),
    PhraseGroup(
        "contrastive_subordinator", COUNTERCLAIM, "connective", "contrast", 1.6, 0.0,
        ("while", "whereas", "whilst"),
    ),
    PhraseGroup(
        "concession_marker", COUNTERCLAIM, "marker", "concession", 2.2, 0.8,
        ("admittedly", "granted", "of course", "it is true that", "it's true that",
         "true ,", "to be sure", "yes ,", "sure ,", "it may be true that", "it might be true that",
         "it is undeniable that", "undeniably", "it is possible that", "on the one hand",
         "at first glance", "at first sight", "it may seem", "it might seem",
         "it may well be that", "there is no denying that", "i admit", "we admit",
         "i concede", "i grant that", "one must admit", "it must be admitted"),
    ),
    PhraseGroup(
        "opposing_voice", COUNTERCLAIM, "opposing voice", "an opposing view is reported", 2.5, 2.2,
        ("some might speculate", "some may speculate", "some might argue", "some may argue",
         "some argue", "some would argue", "some people argue", "some people say",
         "some people think", "some people believe", "some people claim", "some say",
         "some claim", "some believe", "some think", "some would say", "some might say",
         "some may say", "some might think", "some may think", "some might object",
         "many people think", "many people believe", "many people say", "many believe",
         "critics argue", "critics say", "critics claim", "critics contend", "critics point out",
         "opponents argue", "opponents say", "opponents claim", "skeptics argue",
         "sceptics argue", "detractors argue", "it is often said", "it is often argued",
         "it is often claimed", "it is sometimes said", "it is sometimes argued",
         "it is commonly believed", "it is widely believed", "it is commonly assumed",
         "it is widely assumed", "it has been argued", "it has been said",
         "it has been claimed", "it has been suggested", "one might argue",
         "one could argue", "one may argue", "one might think", "one might object",
         "one could object", "one may object", "it could be argued", "it can be argued",
         "it might be argued", "it may be argued", "it could be objected",
         "there are those who", "others argue", "others say", "others claim",
         "it is argued that", "it is claimed that", "the argument goes", "the objection that",
         "conventional wisdom"),
    ),
    # ---- contrast: the unit answers what came before it (see scoring in suggest.py) ----
    PhraseGroup(
        "contrast_connective", COUNTERCLAIM, "connective", "contrast", 0.0, 0.0,
        ("however", "but", "yet", "nevertheless", "nonetheless", "on the other hand",
         "despite this", "despite that", "in spite of this", "in spite of that",
         "despite all this", "despite these", "despite it all", "even so",
         "still", "in contrast", "by contrast", "on the contrary", "conversely",
         "all the same", "that said", "having said that", "then again"),
    ),
    # ---- claim: the writer concludes, evaluates, recommends or predicts ----
    PhraseGroup(
        "conclusion_connective", CLAIM, "connective", "conclusion", 1.6, 1.0,
        ("therefore", "thus", "hence", "consequently", "accordingly", "in conclusion",
         "to conclude", "to sum up", "in sum", "in summary", "all in all", "overall",
         "in short", "ultimately", "it follows that", "this shows that", "this means that",
         "this proves that", "this suggests that", "which means that", "for this reason",
         "for these reasons", "that is why", "this is why",
         "that 's why", "this 's why", "which is why", "which means", "all things considered",
         "on balance", "in the end", "in the long run", "as a consequence"),
    ),
    PhraseGroup(
        "conclusion_so", CLAIM, "connective", "conclusion", 1.2, 0.0, ("so", "so ,"),
    ),
    PhraseGroup(
        "obligation_modal", CLAIM, "modal", "recommendation", 1.2, 1.2,
        ("should", "ought to", "must", "shall", "should not", "shouldn't", "must not",
         "mustn't", "it is time to", "let us", "let 's"),
    ),
    PhraseGroup(
        "need_modal", CLAIM, "modal", "necessity", 0.6, 0.6,
        ("need to", "needs to", "have to", "has to", "it is necessary", "is required to",
         "are required to"),
    ),
    PhraseGroup(
        "stance_expression", CLAIM, "stance", "the writer's opinion", 1.6, 1.6,
        ("in my opinion", "in my view", "in our view", "from my point of view",
         "to my mind", "personally", "i am convinced", "i 'm convinced", "we are convinced",
         "it seems to me", "as far as i am concerned", "my position is", "i would argue",
         "i would say", "i firmly believe", "i strongly believe"),
    ),
    PhraseGroup(
        "certainty_adverb", CLAIM, "stance", "certainty", 1.0, 1.0,
        ("clearly", "obviously", "undoubtedly", "certainly", "evidently", "surely",
         "without doubt", "no doubt", "there is no doubt", "it is clear that",
         "it is obvious that", "definitely", "indeed", "in fact", "of course not",
         "needless to say", "it is evident that", "plainly"),
    ),
    PhraseGroup(
        "likelihood", CLAIM, "hedge", "likelihood", 0.9, 0.9,
        ("it is likely", "is likely to", "are likely to", "likely", "unlikely",
         "it is unlikely", "probably", "will likely", "is expected to", "are expected to",
         "may well", "is bound to", "are bound to", "it seems", "seems to", "seem to",
         "appears to", "appear to", "it is difficult to foresee", "it is hard to say",
         "it is difficult to say", "it is possible", "is set to", "are set to"),
    ),
    PhraseGroup(
        "prediction", CLAIM, "modal", "prediction", 0.4, 0.4,
        ("will", "will not", "won't", "would", "could", "might", "may", "can"),
    ),
    # ---- evidence: examples, figures, sources and reasons ----
    PhraseGroup(
        "example_marker", EVIDENCE, "marker", "example", 1.8, 1.5,
        ("for example", "for instance", "e.g.", "as an example", "to illustrate",
         "a case in point", "take the case of", "as shown by", "as demonstrated by",
         "as illustrated by"),
    ),
    PhraseGroup(
        "enumeration_marker", EVIDENCE, "marker", "specific cases", 0.6, 0.6,
        ("such as", "including", "in particular", "namely", "especially"),
    ),
    PhraseGroup(
        "source_attribution", EVIDENCE, "source", "attribution to a source", 1.6, 1.6,
        ("according to", "reportedly", "as reported by", "as noted by", "studies show",
         "research shows", "research suggests", "studies suggest", "studies have shown",
         "research has shown", "data show", "data shows", "statistics show",
         "figures show", "surveys show", "a survey", "a study", "a report", "a poll",
         "evidence shows", "evidence suggests", "experts say", "scientists say",
         "researchers found", "it has been shown", "it was found", "official figures",
         "the data", "the statistics", "in a study", "in a survey", "a recent study"),
    ),
    PhraseGroup(
        "causal_connective", EVIDENCE, "connective", "reason", 1.6, 0.6,
        ("because", "given that", "the reason is",
         "the reason for this", "after all", "this is because",
         "on the grounds that", "considering that"),
    ),
    PhraseGroup(
        # A causal preposition names a cause inside its own unit ("Due to X, Y should Z"):
        # the unit states Y, so the cue leans to evidence no more at its start than inside.
        "causal_preposition", EVIDENCE, "connective", "reason", 0.6, 0.6,
        ("due to", "owing to", "as a result of", "in view of"),
    ),
    PhraseGroup(
        # "as" and "since" are causal only as subordinators ("as it is cheap"), not in
        # "as well as" or "since 2014"; cues.py checks the parse for that.
        "causal_subordinator", EVIDENCE, "connective", "reason", 1.6, 0.0, ("as", "since"),
    ),
    PhraseGroup(
        "additive_connective", EVIDENCE, "connective", "an additional point", 0.9, 0.3,
        ("moreover", "furthermore", "in addition", "besides", "additionally", "also",
         "what is more", "on top of that", "firstly", "secondly", "thirdly", "first of all",
         "another reason", "not to mention", "likewise", "similarly", "equally"),
    ),
)

# Predicative evaluation: "X is (very) harmful", "this would be unfair".
COPULAS = ("is", "are", "was", "were", "be", "been", "being", "'s", "'re", "seems",
           "seem", "remains", "remain", "becomes", "become")
EVALUATIVE_ADJECTIVES = (
    "important", "necessary", "essential", "crucial", "vital", "beneficial", "harmful",
    "dangerous", "wrong", "right", "better", "worse", "best", "worst", "unfair", "fair",
    "unjust", "just", "unacceptable", "acceptable", "reasonable", "unreasonable", "absurd",
    "pointless", "useless", "useful", "valuable", "desirable", "undesirable", "good", "bad",
    "preferable", "justified", "unjustified", "sensible", "appropriate", "inappropriate",
    "effective", "ineffective", "problematic", "irresponsible", "unnecessary", "sustainable",
    "unsustainable", "ridiculous", "outrageous", "unethical", "ethical", "immoral", "moral",
    "legitimate", "illegitimate", "advisable", "wise", "unwise", "foolish", "sensible",
    "questionable", "doubtful", "difficult", "impossible", "inevitable", "misguided",
    "counterproductive", "worthwhile", "welcome", "far", "key", "obvious", "clear",
    "insignificant", "significant", "essential", "indispensable", "superior", "inferior",
)
EVALUATIVE_NOUNS = ("mistake", "error", "failure", "success", "problem", "disaster",
                    "scandal", "shame", "pity", "necessity", "priority", "must")

# Speech and cognition verbs: with a generic subject ("critics argue") they report an
# opposing view; with "I"/"we" they state the writer's own stance.
SPEECH_VERBS = ("argue", "say", "claim", "believe", "think", "speculate", "object", "contend",
                "suggest", "insist", "maintain", "assert", "fear", "worry", "complain",
                "hold", "feel", "assume", "point", "allege", "reckon")
GENERIC_OPPONENT_SUBJECTS = ("some", "critics", "critic", "opponents", "opponent", "skeptics",
                             "sceptics", "others", "detractors", "many", "someone",
                             "people", "proponents", "supporters", "advocates")
GENERIC_SUBJECT_DETERMINERS = ("some", "many", "most")
FIRST_PERSON_SUBJECTS = ("i", "we")
STANCE_VERBS = ("think", "believe", "argue", "contend", "maintain", "claim", "suggest", "feel",
                "doubt", "agree", "disagree", "recommend", "propose", "hold", "consider",
                "find", "conclude", "insist", "reckon", "demand", "oppose", "support", "favour",
                "favor", "reject", "urge", "want")

# Reporting verbs: with a named or institutional source as subject they attribute
# information ("Gabuev observes", "the survey found"), which is how evidence is cited.
REPORTING_VERBS = ("report", "observe", "find", "show", "state", "note", "say", "reveal",
                   "estimate", "indicate", "write", "announce", "confirm", "document",
                   "demonstrate", "conclude", "warn", "point", "explain", "record", "measure",
                   "calculate", "predict", "acknowledge", "describe", "highlight", "emphasize",
                   "emphasise", "stress", "argue", "suggest", "claim")
SOURCE_NOUNS = ("study", "survey", "report", "research", "data", "statistic", "statistics",
                "analysis", "researcher", "expert", "scientist", "economist", "official",
                "poll", "census", "figure", "paper", "author", "analyst", "journal",
                "ministry", "agency", "government", "institute", "commission", "evidence",
                "experiment", "trial", "review", "index", "record")

# Entity types from the named-entity recogniser that carry facts: figures, dates, amounts.
EVIDENCE_ENTITY_TYPES = {"CARDINAL": 0.7, "PERCENT": 1.2, "DATE": 0.7, "MONEY": 1.2,
                         "QUANTITY": 1.0}
MAX_ENTITY_WEIGHT = 1.8  # many numbers in one unit do not make it more evidence than this

# Position: a paragraph's opening sentence states its point more often than not (topic
# sentence); its closing sentence often concludes.
FIRST_UNIT_CLAIM_WEIGHT = 0.9
LAST_UNIT_CLAIM_WEIGHT = 0.5
# Contrast at the very start of a paragraph sets the unit against the preceding paragraph.
PARAGRAPH_INITIAL_CONTRAST_WEIGHT = 1.8
# Contrast after an earlier unit of the same paragraph: the unit answers it, so it is the
# writer's side (claim or evidence, decided by its other cues), and the unit before it is the
# point conceded (counterclaim): "Certainly X, but Y".
ANSWERING_CONTRAST_WEIGHT = 0.4
CONCEDED_BEFORE_CONTRAST_WEIGHT = 2.2
# Contrast adverbs that mark their whole unit wherever they stand in it ("X, however, is Y").
UNIT_CONTRAST_ADVERBS = ("however", "nevertheless", "nonetheless", "though")
# Past-tense main verb: a unit that narrates what happened reads as evidence.
PAST_TENSE_EVIDENCE_WEIGHT = 0.5
EVALUATION_WEIGHT = 0.9
OPPOSING_VOICE_DEPENDENCY_WEIGHT = 2.2
FIRST_PERSON_STANCE_WEIGHT = 1.6
REPORTED_SOURCE_WEIGHT = 1.5
# Priors when nothing fires: an unmarked sentence in an argument is most often support.
PRIOR = {CLAIM: 0.3, EVIDENCE: 0.5, COUNTERCLAIM: 0.0}

# Structured texts (several paragraphs; see structure.py): the opening paragraph's position
# statement and the closing paragraph's restatement lean to claim.
OPENING_POSITION_WEIGHT = 2.0
CLOSING_POSITION_WEIGHT = 1.2
# "First of all," / "Furthermore," opening a body paragraph of a structured text: a new point.
NEW_POINT_CLAIM_WEIGHT = 1.5
# A body paragraph that opens with the other side's view answers it: a unit of the writer's
# there is a claim only with claim cues of its own (not position) of at least this weight (a
# conclusion connective, an obligation modal, a stance; not a hedge or a prediction alone).
ANSWER_CLAIM_CUE_MIN = 1.5
# Calibration (suggest._calibrated): a label's share is rescaled into [floor, 1] and
# multiplied by the unit's relevance. Background before the position and unmarked units in
# paragraphs with few argument cues fall below the default threshold of 0.5 (background
# always: 0.45 x at most 1).
LABEL_SCORE_FLOOR = 0.55
BACKGROUND_RELEVANCE = 0.45
SHORT_PARAGRAPH_UNITS = 3
UNCUED_RELEVANCE_MAX = 0.9
UNCUED_RELEVANCE_MIN = 0.5
UNCUED_RELEVANCE_STEP = 0.1
CUE_RELEVANCE = 0.1
# An unmarked statement of a paragraph that argues throughout (structure.argues) is a unit.
ARGUING_RELEVANCE = 1.0
# Units held back in a structured text (questions; beyond a long paragraph's strongest
# half) keep their order but fall below the default threshold.
HELD_BACK_FACTOR = 0.45
LONG_PARAGRAPH_SHOWN_SHARE = 0.35

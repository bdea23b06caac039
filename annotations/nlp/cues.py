"""Finding argument cues in a parsed paragraph with spaCy's matchers.

``CueFinder`` compiles the lexicon (``lexicon.py``) once per pipeline into a PhraseMatcher
(connectives, markers, modal and stance phrases), a token Matcher (predicative evaluation:
"is harmful", "is a mistake") and, when the pipeline parses, a DependencyMatcher (opposing
voices such as "critics argue", the writer's stance "I believe", reported sources such as
"Gabuev observes"). Numbers, dates and amounts come from the entity recogniser. Each hit is a
``Cue`` with a name a person can read, e.g. ``connective 'despite' (concession)``.
"""
from __future__ import annotations

import weakref
from dataclasses import dataclass

from spacy.language import Language
from spacy.matcher import DependencyMatcher, Matcher, PhraseMatcher
from spacy.tokens import Doc

from annotations.nlp import lexicon


@dataclass(frozen=True)
class Cue:
    """One argument indicator found in a Doc, over tokens ``[token_start, token_end)``."""

    group: str
    label: str
    name: str
    weight_at_start: float
    weight_inside: float
    token_start: int
    token_end: int


INTENSIFIERS = ("very", "so", "too", "quite", "really", "extremely", "highly", "particularly",
                "rather", "absolutely", "simply", "not", "more", "most", "less", "also",
                "still", "generally", "often", "always", "never", "hardly", "deeply",
                "fundamentally", "increasingly", "relatively", "completely", "totally",
                "clearly", "certainly", "definitely", "probably", "even", "just", "truly",
                "entirely", "largely", "hugely", "incredibly", "especially", "somewhat")
CAUSAL_SUBORDINATORS_NEEDING_PARSE = {"as", "since"}


ANAPHORIC_OBJECTS = {"this", "that", "these", "those", "it", "all"}


def _refers_back(doc: Doc, end: int) -> bool:
    """Whether the words after a concessive connective only point back ("despite this,")."""
    position = end
    while position < len(doc) and doc[position].lower_ in ANAPHORIC_OBJECTS:
        position += 1
    return position > end and (position == len(doc) or doc[position].is_punct)


def _quoted(text: str) -> str:
    return "'" + " ".join(text.split()) + "'"


class CueFinder:
    """The lexicon compiled into matchers for one pipeline's vocabulary."""

    def __init__(self, nlp: Language):
        self.vocab = nlp.vocab
        self.groups = {group.key: group for group in lexicon.PHRASE_GROUPS}
        self.phrase_matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        for group in lexicon.PHRASE_GROUPS:
            self.phrase_matcher.add(group.key, [nlp.make_doc(p) for p in group.phrases])
        self.evaluation_matcher = Matcher(nlp.vocab)
        copula = {"LOWER": {"IN": list(lexicon.COPULAS)}}
        intensifier = {"LOWER": {"IN": list(INTENSIFIERS)}, "OP": "*"}
        self.evaluation_matcher.add(
            "evaluation",
            [
                [copula, intensifier, {"LOWER": {"IN": list(lexicon.EVALUATIVE_ADJECTIVES)}}],
                [copula, intensifier, {"LOWER": {"IN": ["a", "an", "the"]}},
                 {"LOWER": {"IN": list(INTENSIFIERS) + ["big", "great", "serious", "huge"]},
                  "OP": "*"},
                 {"LOWER": {"IN": list(lexicon.EVALUATIVE_NOUNS)}}],
            ],
        )
        self.parses = "parser" in nlp.pipe_names
        self.dependency_matcher = DependencyMatcher(nlp.vocab) if self.parses else None
        if self.dependency_matcher is not None:
            self._add_dependency_patterns(self.dependency_matcher)

    @staticmethod
    def _add_dependency_patterns(matcher: DependencyMatcher) -> None:
        def verb_with_subject(verbs, subject_constraint):
            return [
                {"RIGHT_ID": "verb", "RIGHT_ATTRS": {"LEMMA": {"IN": list(verbs)}}},
                {"LEFT_ID": "verb", "REL_OP": ">", "RIGHT_ID": "subject",
                 "RIGHT_ATTRS": {"DEP": {"IN": ["nsubj", "nsubjpass"]}, **subject_constraint}},
            ]

        matcher.add(
            "opposing_voice_subject",
            [verb_with_subject(lexicon.SPEECH_VERBS,
                               {"LOWER": {"IN": list(lexicon.GENERIC_OPPONENT_SUBJECTS)}})],
        )
        matcher.add(
            "opposing_voice_determiner",
            [verb_with_subject(lexicon.SPEECH_VERBS, {"POS": {"IN": ["NOUN", "PRON"]}})
             + [{"LEFT_ID": "subject", "REL_OP": ">", "RIGHT_ID": "determiner",
                 "RIGHT_ATTRS": {"DEP": {"IN": ["det", "amod"]},
                                 "LOWER": {"IN": list(lexicon.GENERIC_SUBJECT_DETERMINERS)}}}]],
        )
        matcher.add(
            "first_person_stance",
            [verb_with_subject(lexicon.STANCE_VERBS,
                               {"LOWER": {"IN": list(lexicon.FIRST_PERSON_SUBJECTS)}})],
        )
        matcher.add(
            "reported_source",
            [verb_with_subject(lexicon.REPORTING_VERBS, {"POS": "PROPN"}),
             verb_with_subject(lexicon.REPORTING_VERBS,
                               {"LEMMA": {"IN": list(lexicon.SOURCE_NOUNS)}})],
        )

    def find(self, doc: Doc) -> list[Cue]:
        """Every cue in ``doc``, in no particular order."""
        cues: list[Cue] = []
        cues.extend(self._phrase_cues(doc))
        for _match_id, start, end in self.evaluation_matcher(doc, as_spans=False):
            cues.append(Cue("evaluation", lexicon.CLAIM,
                            f"evaluation {_quoted(doc[start:end].text)}",
                            lexicon.EVALUATION_WEIGHT, lexicon.EVALUATION_WEIGHT, start, end))
        if self.dependency_matcher is not None and doc.has_annotation("DEP"):
            cues.extend(self._dependency_cues(doc))
        for entity in doc.ents:
            weight = lexicon.EVIDENCE_ENTITY_TYPES.get(entity.label_)
            if weight:
                cues.append(Cue(f"entity_{entity.label_}", lexicon.EVIDENCE,
                                f"{entity.label_} entity {_quoted(entity.text)}",
                                weight, weight, entity.start, entity.end))
        return cues

    def _phrase_cues(self, doc: Doc) -> list[Cue]:
        matches = self.phrase_matcher(doc)
        strings = self.vocab.strings
        parsed = doc.has_annotation("DEP")
        # Keep the longest match where one phrase of a group contains another
        # ("even though" over "though").
        by_group: dict[str, list[tuple[int, int]]] = {}
        for match_id, start, end in matches:
            by_group.setdefault(strings[match_id], []).append((start, end))
        cues = []
        for key, spans in by_group.items():
            group = self.groups[key]
            spans.sort(key=lambda span: (span[0], -(span[1] - span[0])))
            covered_until = -1
            for start, end in spans:
                if end <= covered_until:
                    continue
                covered_until = max(covered_until, end)
                if key == "causal_subordinator" and parsed and doc[start].dep_ != "mark":
                    continue
                if key == "concessive_connective" and _refers_back(doc, end):
                    continue  # "Despite this, ..." answers what came before: a contrast
                cues.append(Cue(key, group.label,
                                f"{group.kind} {_quoted(doc[start:end].text)} ({group.meaning})",
                                group.weight_at_start, group.weight_inside, start, end))
        return cues

    def _dependency_cues(self, doc: Doc) -> list[Cue]:
        strings = self.vocab.strings
        cues = []
        for match_id, token_ids in self.dependency_matcher(doc):
            key = strings[match_id]
            verb, subject = doc[token_ids[0]], doc[token_ids[1]]
            if key.startswith("opposing_voice"):
                words = " ".join(doc[i].text for i in sorted(set(token_ids)))
                if subject.lower_ in lexicon.FIRST_PERSON_SUBJECTS:
                    continue
                cues.append(Cue("opposing_voice_parse", lexicon.COUNTERCLAIM,
                                f"opposing voice {_quoted(words)} (a view the writer reports)",
                                lexicon.OPPOSING_VOICE_DEPENDENCY_WEIGHT,
                                lexicon.OPPOSING_VOICE_DEPENDENCY_WEIGHT,
                                min(token_ids), max(token_ids) + 1))
            elif key == "first_person_stance":
                cues.append(Cue(key, lexicon.CLAIM,
                                f"stance {_quoted(subject.text + ' ' + verb.text)} "
                                "(the writer's opinion)",
                                lexicon.FIRST_PERSON_STANCE_WEIGHT,
                                lexicon.FIRST_PERSON_STANCE_WEIGHT,
                                min(token_ids), max(token_ids) + 1))
            else:
                cues.append(Cue(key, lexicon.EVIDENCE,
                                f"reporting verb {_quoted(verb.text)} with source "
                                f"{_quoted(subject.text)}",
                                lexicon.REPORTED_SOURCE_WEIGHT, lexicon.REPORTED_SOURCE_WEIGHT,
                                min(token_ids), max(token_ids) + 1))
        return cues


_finders: "weakref.WeakKeyDictionary[Language, CueFinder]" = weakref.WeakKeyDictionary()


def cue_finder_for(nlp: Language) -> CueFinder:
    """The CueFinder for ``nlp``, compiled once and reused while ``nlp`` lives."""
    finder = _finders.get(nlp)
    if finder is None:
        finder = CueFinder(nlp)
        _finders[nlp] = finder
    return finder

"""Tests for suggest_paragraphs: labels, scores, reasons and offsets of suggestions."""
import pytest

from annotations.nlp.suggest import CandidateSuggestion, suggest_paragraphs

LABELS = {"claim", "evidence", "counterclaim"}


@pytest.fixture(scope="module")
def article_suggestions(nlp, article_paragraphs):
    return suggest_paragraphs(article_paragraphs, nlp=nlp)


def find(article_paragraphs, article_suggestions, opening) -> CandidateSuggestion:
    for suggestions in article_suggestions:
        for suggestion in suggestions:
            text = article_paragraphs[suggestion.paragraph_index]
            unit_start = suggestion.context.get("unit_start", suggestion.start)
            if text[unit_start:].startswith(opening):  # the unit before its shell was cut
                return suggestion
    raise AssertionError(f"no suggestion starts with {opening!r}")


@pytest.mark.parametrize(
    ("opening", "reason"),
    [
        ("Despite ups and downs", "connective 'Despite' (concession)"),
        ("Despite Western skepticism", "connective 'Despite' (concession)"),
        ("Despite general positive coverage", "connective 'Despite' (concession)"),
        ("Despite numerous challenges", "connective 'Despite' (concession)"),
        ("Despite concerns", "connective 'Despite' (concession)"),
        ("Even though the asymmetry is likely to grow", "connective 'Even though' (concession)"),
        ("Even though some might speculate", "opposing voice 'some might speculate'"),
        ("Even though Russia sought", "connective 'Even though' (concession)"),
        ("Even though odds are", "connective 'Even though' (concession)"),
    ],
)
def test_sample_article_concessions_are_counterclaims(
    article_paragraphs, article_suggestions, opening, reason
):
    """The sample article's concessive clauses come out as counterclaims with their reason."""
    suggestion = find(article_paragraphs, article_suggestions, opening)
    assert suggestion.label == "counterclaim"
    assert any(cue.startswith(reason) for cue in suggestion.cues), suggestion.cues


def test_sample_article_main_clause_after_concession_is_not_a_counterclaim(
    article_paragraphs, article_suggestions
):
    """The clause a concession gives way to is proposed separately, on the writer's side."""
    suggestion = find(article_paragraphs, article_suggestions,
                      "Moscow and Beijing realize that they can gain more")
    assert suggestion.label in {"claim", "evidence"}


def test_sample_article_figures_are_evidence(article_paragraphs, article_suggestions):
    """A sentence with an example marker and percentages is evidence, citing both."""
    suggestion = find(article_paragraphs, article_suggestions, "For example, by 2011")
    assert suggestion.label == "evidence"
    assert "marker 'For example' (example)" in suggestion.cues
    assert any(cue.startswith("PERCENT entity") for cue in suggestion.cues)


def test_sample_article_suggestions_are_well_formed(article_paragraphs, article_suggestions):
    """Every suggestion quotes its paragraph exactly and has a label, a score and a reason."""
    assert len(article_suggestions) == len(article_paragraphs)
    total = 0
    for index, (text, suggestions) in enumerate(zip(article_paragraphs, article_suggestions)):
        for suggestion in suggestions:
            total += 1
            assert suggestion.paragraph_index == index
            assert text[suggestion.start:suggestion.end] == suggestion.quote
            assert suggestion.label in LABELS
            assert 0.0 <= suggestion.score <= 1.0
            assert suggestion.cues and all(isinstance(cue, str) for cue in suggestion.cues)
    assert total > 80


def test_sample_article_paragraphs_have_a_claim(article_paragraphs, article_suggestions):
    """Every paragraph with two or more candidates has exactly one proposed claim."""
    for suggestions in article_suggestions:
        if len(suggestions) >= 2:
            assert [s.label for s in suggestions].count("claim") == 1, suggestions


def test_paragraphs_keep_their_order_and_empty_ones_give_nothing(nlp):
    """One result list per input paragraph, in order; an empty paragraph has no suggestions."""
    results = suggest_paragraphs(["", "We should plant more trees.", "   "], nlp=nlp)
    assert [len(found) for found in results] == [0, 1, 0]
    assert results[1][0].paragraph_index == 1
    assert results[1][0].label == "claim"


def test_concession_then_answer(nlp):
    """'Certainly X, but Y': X is conceded (counterclaim), Y is the writer's side."""
    text = ("Cars are convenient for many families. "
            "Certainly the car lobby has a point, but the city has no room for more traffic.")
    labels = _labels_by_quote(text, nlp)
    assert labels["Certainly the car lobby has a point"] == "counterclaim"
    assert labels["but the city has no room for more traffic."] != "counterclaim"


def test_odd_inputs_never_break_offsets(nlp):
    """Random mixes of words, punctuation, emoji and whitespace give exact quotes, no crash."""
    check_odd_inputs(nlp)


def test_odd_inputs_with_the_fallback_pipeline():
    """The blank fallback pipeline copes with the same odd inputs."""
    from annotations.nlp.pipeline import build_fallback_pipeline

    check_odd_inputs(build_fallback_pipeline())


def check_odd_inputs(nlp):
    import random

    pieces = ["Despite", "however", "but", ",", ";", ".", "!", "?", "—", "😀", "🌍", "é",
              "\u00a0", "  ", "\n", "the", "city", "should", "build", "40%", "in", "1999",
              "Critics", "argue", "although", "it", "rains", "(", ")", "\"", "'s", "e.g."]
    generator = random.Random(7)
    texts = ["".join(generator.choice(pieces) + generator.choice(["", " "])
                     for _ in range(generator.randint(0, 60))) for _ in range(60)]
    texts += ["", " ", ".", ";;;", "😀😀😀", "Despite.", "However,"]
    for text, suggestions in zip(texts, suggest_paragraphs(texts, nlp=nlp)):
        for suggestion in suggestions:
            assert 0 <= suggestion.start < suggestion.end <= len(text)
            assert text[suggestion.start:suggestion.end] == suggestion.quote
            assert suggestion.quote == suggestion.quote.strip()
            assert suggestion.label in LABELS


def test_sample_article_shows_at_most_one_suggestion_per_two_body_sentences(nlp):
    """On the sample article as imported, score >= 0.5 (shown by default) is at most one per two
    body sentences; the rest stay below the threshold."""
    from annotations.ingest import parse_article
    from annotations.nlp.suggest import DEFAULT_THRESHOLD
    from tests.paths import SAMPLE_ARTICLE

    body = [block.text for block in parse_article(SAMPLE_ARTICLE.read_bytes(), SAMPLE_ARTICLE.name).blocks
            if block.kind == "body"]
    sentences = sum(len(list(doc.sents)) for doc in nlp.pipe(body))
    found = [s for suggestions in suggest_paragraphs(body, nlp=nlp) for s in suggestions]
    shown = [s for s in found if s.score >= DEFAULT_THRESHOLD]
    assert len(shown) * 2 <= sentences
    assert len(found) > len(shown)


def test_essay_shell_language_is_cut_from_units(nlp):
    """In a text of several paragraphs, 'First of all,', 'I firmly believe that' and
    'In conclusion,' stay outside the units; a one-paragraph text keeps its connectives."""
    essay = [
        "Cities are growing fast. Many people drive to work every day. "
        "I firmly believe that cities should ban cars from their centres.",
        "First of all, cars pollute the air that children breathe. Doctors see more asthma.",
        "Some people argue that shops will lose customers. However, streets without cars attract walkers.",
        "In conclusion, car-free centres make cities healthier.",
    ]
    quotes = [s.quote for suggestions in suggest_paragraphs(essay, nlp=nlp) for s in suggestions]
    assert "cities should ban cars from their centres." in quotes
    assert "cars pollute the air that children breathe." in quotes
    assert "shops will lose customers." in quotes
    assert "car-free centres make cities healthier." in quotes
    (single,) = suggest_paragraphs(["First of all, cars pollute the air. We should ban them."], nlp=nlp)
    assert single[0].quote.startswith("First of all")


def test_opening_background_is_below_the_threshold(nlp):
    """The background sentences before the writer's position score below 0.5; the position is a claim."""
    essay = ["Cities are growing fast. Many people drive to work every day. "
             "In my opinion, cities should ban cars from their centres.",
             "Cars pollute the air. Doctors see more asthma in children.",
             "Walking is healthy. Streets without cars attract walkers.",
             "To sum up, car-free centres make cities healthier."]
    (opening, *_rest) = suggest_paragraphs(essay, nlp=nlp)
    position = [s for s in opening if s.quote.startswith("cities should ban")]
    assert position and position[0].label == "claim" and position[0].score >= 0.5
    assert all(s.score < 0.5 for s in opening if s is not position[0])


ESSAY_WITH_SHELLS = [
    "In some countries students pay high fees, while in others university costs nothing. "
    "I believe that university education should be free.",
    "Some people say that free study makes students lazy. I do not agree with this view. "
    "Most students choose their subject out of interest.",
    "Furthermore, graduates pay more taxes later in their lives.",
    "In conclusion, governments should pay for higher education.",
]


def test_a_bare_stance_on_an_earlier_view_is_shell_not_a_unit(nlp):
    """'I do not agree with this view' takes a side on what was said before: below the threshold."""
    from annotations.nlp.suggest import DEFAULT_THRESHOLD

    found = [s for paragraph in suggest_paragraphs(ESSAY_WITH_SHELLS, nlp=nlp) for s in paragraph]
    (stance,) = [s for s in found if s.quote.startswith("I do not agree")]
    assert stance.score < DEFAULT_THRESHOLD
    assert any("shell language" in cue for cue in stance.cues)


def test_opening_facts_set_against_each_other_are_background(nlp):
    """In the opening, '..., while in others ...' contrasts facts (background, below the
    threshold); an opposing voice the position's sentence concedes ('Although some people argue
    that X, I believe Y') is still a counterclaim."""
    from annotations.nlp.suggest import DEFAULT_THRESHOLD

    (opening, *_rest) = suggest_paragraphs(ESSAY_WITH_SHELLS, nlp=nlp)
    contrast = [s for s in opening if "in others" in s.quote]
    assert contrast and all(s.score < DEFAULT_THRESHOLD for s in contrast)
    voiced = ["Although some people argue that exams measure only memory, I believe that "
              "schools should drop them."] + ESSAY_WITH_SHELLS[1:]
    (opening, *_rest) = suggest_paragraphs(voiced, nlp=nlp)
    (view,) = [s for s in opening if "exams" in s.quote]
    assert view.label == "counterclaim" and view.score >= DEFAULT_THRESHOLD


def _labels_by_quote(text, nlp):
    """The label of each suggestion of a one-paragraph text, by its quote."""
    (suggestions,) = suggest_paragraphs([text], nlp=nlp)
    return {s.quote: s.label for s in suggestions}


def test_writers_own_stance_is_not_the_point_conceded(nlp):
    """'I believe X. However, Y': the contrast does not turn the writer's view into a
    concession."""
    text = ("Schools should start an hour later. "
            "We think that teenagers learn better after a long sleep. "
            "However, buses would have to change their timetables.")
    labels = _labels_by_quote(text, nlp)
    assert labels["We think that teenagers learn better after a long sleep."] != "counterclaim"


def test_a_causal_preposition_does_not_make_the_main_clause_evidence(nlp):
    """'Due to X, Y should Z' states Y: the recommendation is the main claim, not evidence."""
    text = ("Many shops in the old town have closed. "
            "Rents have doubled in five years. "
            "Due to the empty shops the council should lower the business rates.")
    labels = _labels_by_quote(text, nlp)
    assert labels["Due to the empty shops the council should lower the business rates."] == "claim"


@pytest.mark.parametrize(("view", "answer"), [
    # 'Some say X, because Y.': Y argues for the view the writer answers.
    ("Some residents say it is too slow", "A faster bus would cost far more to run."),
    # 'X, because Y. But Z': the contrast opening the next sentence answers X and its reason Y.
    ("Its critics have a point", "But a faster bus would cost far more to run."),
])
def test_the_opposing_view_and_its_reason_are_counterclaims(nlp, view, answer):
    """The other side's point and the reason given for it are both counterclaims."""
    text = f"The town should keep its old tram line. {view}, because the trams stop at every corner. {answer}"
    labels = _labels_by_quote(text, nlp)
    assert labels[view] == "counterclaim"
    assert labels["because the trams stop at every corner."] == "counterclaim"


@pytest.mark.parametrize(("sentence", "narrates"), [
    ("In 1996, Moscow and Beijing signed a strategic partnership.", True),  # actors, a dated time
    ("The minister resigned after the vote.", True),  # a past-tense main verb
    ("Pupils learn more when lessons start later.", False),  # kinds of things, in the present
    ("When I was at school, we wore the same grey jumper every day.", False),  # the writer's own example
])
def test_a_sentence_narrates_when_it_names_actors_dates_or_past_events(nlp, sentence, narrates):
    """Narration tells what named actors did, where and when; an essay argues about kinds of
    things in the present, and its own examples speak in the first person."""
    from annotations.nlp.structure import sentence_narrates

    (span,) = list(nlp(sentence).sents)
    assert sentence_narrates(span) is narrates


ARGUING_ESSAY = [
    "Many towns are thinking about their libraries. In my opinion, every town should keep its public library.",
    "First of all, a library gives everyone access to books. Books cost more than many families can spend. "
    "Children from poor homes read less at home. A library lets them borrow books for free. "
    "Reading at an early age shapes how well a child does at school.",
    "Some people say that the internet makes libraries useless. However, a library is also a quiet place to study.",
    "In conclusion, towns should keep their libraries open.",
]
NEWS_TEXT = [
    "The town council of Brenton met on Monday. Councillor Mary Hale opened the debate on the library.",
    "In 2019 the council closed two branches in Eastfield and Norton. The Brenton Gazette reported a protest "
    "outside the town hall in March. Councillor Hale told reporters that the budget had fallen by a third. "
    "The Friends of Brenton Library collected 4,000 signatures in 2020. The council voted to keep the "
    "central branch open in May.",
    "Residents of Eastfield now travel to the centre. The bus company Brenton Transit added a line in 2021.",
    "The council will meet again in June.",
]


def _shown_quotes(paragraphs, nlp, index):
    from annotations.nlp.suggest import DEFAULT_THRESHOLD

    found = suggest_paragraphs(paragraphs, nlp=nlp)[index]
    return [s.quote for s in found if s.score >= DEFAULT_THRESHOLD], found


def test_a_long_paragraph_that_argues_throughout_shows_all_its_statements(nlp):
    """In an essay that argues (its sentences name no actors or dates and do not report past
    events), every statement of a five-sentence body paragraph is shown, the unmarked
    premises included: it is not cut to its strongest part."""
    shown, found = _shown_quotes(ARGUING_ESSAY, nlp, 1)
    assert len(found) == 5 and len(shown) == 5
    assert "Children from poor homes read less at home." in shown
    assert all(s.context["argues"] for s in found)


def test_a_long_paragraph_that_narrates_shows_only_its_strongest_part(nlp):
    """A news text that names its actors and dates in most sentences narrates: its long
    paragraph keeps only its strongest part above the threshold, the rest stays reachable."""
    shown, found = _shown_quotes(NEWS_TEXT, nlp, 1)
    assert len(found) == 5 and len(shown) <= 2
    assert not any(s.context["argues"] for s in found)


def test_a_narrating_paragraph_of_an_essay_is_still_cut(nlp):
    """The paragraph decides as well as its text: an essay's paragraph that tells a dated story
    about named actors narrates and keeps only its strongest part."""
    essay = [ARGUING_ESSAY[0], NEWS_TEXT[1], *ARGUING_ESSAY[1:]]
    shown, found = _shown_quotes(essay, nlp, 1)
    assert len(found) == 5 and len(shown) <= 2
    shown, found = _shown_quotes(essay, nlp, 2)
    assert len(shown) == 5


def test_a_text_that_narrates_cuts_even_its_paragraph_that_does_not(nlp):
    """The text decides as well as the paragraph: in a news text that names its actors and
    dates in most sentences, a long paragraph of general statements is still cut."""
    news = [*NEWS_TEXT[:2], NEWS_TEXT[1], ARGUING_ESSAY[1], *NEWS_TEXT[2:]]
    shown, found = _shown_quotes(news, nlp, 3)
    assert len(found) == 5 and len(shown) <= 2


def test_in_an_essay_the_facts_given_for_a_voiced_view_are_its_premises(nlp):
    """'Some people argue that X. Y. However, Z.' in an essay: X is the counterclaim, Y backs
    it (a premise, as essay annotators tag it), not a second conceded point. In a lone
    paragraph (arg-microtexts) every unit of the other side stays a counterclaim."""
    paragraph = ("Some people argue that tourism creates many jobs. Hotels and shops employ "
                 "thousands of people. However, a limit would only spread visitors over the year.")
    essay = [ARGUING_ESSAY[0], ARGUING_ESSAY[1], paragraph, ARGUING_ESSAY[3]]
    labels = {s.quote: s.label for s in suggest_paragraphs(essay, nlp=nlp)[2]}
    assert labels["tourism creates many jobs."] == "counterclaim"
    assert labels["Hotels and shops employ thousands of people."] == "evidence"
    alone = _labels_by_quote(paragraph, nlp)
    assert alone["Hotels and shops employ thousands of people."] == "counterclaim"


def test_a_rhetorical_question_is_not_the_main_claim_of_an_essay_paragraph(nlp):
    """A question is held back below the threshold, so it does not take the paragraph's one
    main claim from the unit that states the point."""
    paragraph = ("Firstly, these shows give young people a false picture of success. "
                 "Contestants become famous without any special talent. "
                 "Is this really the message we want to give our children?")
    essay = [ARGUING_ESSAY[0], paragraph, *ARGUING_ESSAY[2:]]
    found = suggest_paragraphs(essay, nlp=nlp)[1]
    labels = {s.quote: s.label for s in found}
    assert labels["these shows give young people a false picture of success."] == "claim"
    (question,) = [s for s in found if s.quote.endswith("?")]
    assert question.label != "claim" and question.score < 0.5


def test_the_closing_sums_up_each_point_in_a_sentence_of_its_own(nlp):
    """In a closing paragraph that argues, each sentence on the writer's side states a claim (the
    restated position, then the points summed up); a reason given inside a sentence
    ("X, since Y") stays evidence."""
    closing = ("In conclusion, towns should keep their libraries open, since they serve "
               "everyone. Councils that cut them save very little money.")
    essay = [*ARGUING_ESSAY[:3], closing]
    labels = {s.quote: s.label for s in suggest_paragraphs(essay, nlp=nlp)[3]}
    assert labels["towns should keep their libraries open"] == "claim"
    assert labels["since they serve everyone."] == "evidence"
    assert labels["Councils that cut them save very little money."] == "claim"


def test_opening_background_with_strong_evidence_cues_stays_below_the_threshold(nlp):
    """Background before the position stays below the threshold even when it reads as firm
    evidence (a past event, a figure, a reason clause)."""
    from annotations.nlp.suggest import DEFAULT_THRESHOLD

    opening = ("Last year, our town closed two of its three libraries because the council cut "
               "their budget by 40%. In my opinion, every town should keep its public library.")
    (found, *_rest) = suggest_paragraphs([opening, *ARGUING_ESSAY[1:]], nlp=nlp)
    background = [s for s in found if "every town" not in s.quote]
    assert background and all(s.score < DEFAULT_THRESHOLD for s in background), background


@pytest.mark.parametrize(("comment", "bare"), [
    ("This is partly true.", True),
    ("That is a fair point.", True),
    ("These are exceptions, though.", True),
    ("It is healthier and friendlier.", False),  # "it" names a thing: a proposition
    ("This is why towns need their libraries.", False),  # a clause of its own
])
def test_a_bare_comment_on_an_earlier_point_is_shell_not_a_unit(nlp, comment, bare):
    """'This is partly true. However, ...' only comments on what was said: in an essay it is
    held back below the threshold; a short copula about a thing is kept."""
    from annotations.nlp.structure import bare_comment
    from annotations.nlp.suggest import DEFAULT_THRESHOLD

    (sentence,) = list(nlp(comment).sents)
    assert bare_comment(sentence) is bare
    paragraph = f"Some people say that libraries are empty. {comment} Libraries lend books to everyone."
    essay = [ARGUING_ESSAY[0], ARGUING_ESSAY[1], paragraph, ARGUING_ESSAY[3]]
    found = [s for s in suggest_paragraphs(essay, nlp=nlp)[2] if s.quote.rstrip(".").endswith(
        comment.rstrip(".").split()[-1])]
    assert found and (found[0].score < DEFAULT_THRESHOLD) is bare, found


TREE_ESSAY = [
    "Cities are growing fast. In my opinion, every city should plant more trees.",
    "First of all, trees cool the streets in summer. A shaded pavement is much cooler than an "
    "open one. People walk more where there is shade.",
    "Some people argue that trees cost too much to keep. Pruning and watering take many working "
    "hours. However, a tree lasts for decades. Its shade saves money on cooling the houses "
    "around it.",
    "In conclusion, every city should plant more trees. Shaded streets are better streets.",
]


def _essay_paragraph(paragraph, index=2, essay=TREE_ESSAY, nlp=None):
    texts = [*essay[:index], paragraph, *essay[index + 1:]]
    return suggest_paragraphs(texts, nlp=nlp)[index]


def test_a_paragraph_that_opens_with_the_other_sides_view_answers_it_with_premises(nlp):
    """A body paragraph that opens with a view the writer answers has that view as its point:
    the answer is a premise against it; its last sentence is no claim by position alone."""
    found = _essay_paragraph(TREE_ESSAY[2], nlp=nlp)
    labels = {s.quote: s.label for s in found}
    assert labels["trees cost too much to keep."] == "counterclaim"
    assert labels["Its shade saves money on cooling the houses around it."] == "evidence"
    assert "claim" not in labels.values()


def test_in_an_answering_paragraph_a_cued_conclusion_is_still_a_claim(nlp):
    """A unit of the writer's with a claim cue of its own (a conclusion connective) stays the
    paragraph's claim after the view it answers."""
    paragraph = TREE_ESSAY[2].replace("Its shade saves", "For this reason, its shade saves")
    labels = {s.quote: s.label for s in _essay_paragraph(paragraph, nlp=nlp)}
    (claim,) = [quote for quote, label in labels.items() if label == "claim"]
    assert "its shade saves money" in claim


def test_a_paragraph_that_answers_a_point_at_once_keeps_its_claim(nlp):
    """'Despite X, Y' opening a paragraph answers X in the same sentence: the paragraph keeps
    its main claim."""
    paragraph = ("Despite the costs of pruning, trees pay for themselves. Their shade saves "
                 "energy. Their roots hold the rain.")
    labels = [s.label for s in _essay_paragraph(paragraph, nlp=nlp)]
    assert labels.count("claim") == 1


def test_what_follows_the_view_a_paragraph_opens_with_backs_that_view(nlp):
    """Between the view a paragraph opens with and the contrast that answers it, every unit
    backs the view (a premise), even one voiced itself ("Critics fear that ...") or after a
    view set against the text before ("On the other hand, X. Y. However, Z")."""
    voiced = ("Of course, trees take up room on narrow streets. Critics fear that the roots "
              "break the pavement. However, modern planters keep the roots down.")
    labels = {s.quote: s.label for s in _essay_paragraph(voiced, nlp=nlp)}
    assert labels["trees take up room on narrow streets."] == "counterclaim"
    assert labels["the roots break the pavement."] == "evidence"
    contrasted = ("On the other hand, trees take up room on narrow streets. They also drop "
                  "their leaves on parked cars. However, modern planters keep them small.")
    labels = {s.quote: s.label for s in _essay_paragraph(contrasted, nlp=nlp)}
    assert labels["trees take up room on narrow streets."] == "counterclaim"
    assert labels["They also drop their leaves on parked cars."] == "evidence"


def test_a_point_conceded_in_the_closing_frames_the_restated_position(nlp):
    """'X, but Y' or 'Although X, Y' in the closing: X is held back below the threshold (it
    frames the position, it is not the other side) and Y restates the position (a claim)."""
    from annotations.nlp.suggest import DEFAULT_THRESHOLD

    for closing, conceded, position in (
        ("In conclusion, not every street has room for trees, but every city should plant "
         "more of them.", "not every street has room for trees",
         "every city should plant more of them."),
        ("To sum up, although trees cost money, every city should plant more of them.",
         "To sum up, although trees cost money", "every city should plant more of them."),
    ):
        found = {s.quote: s for s in _essay_paragraph(closing, index=3, nlp=nlp)}
        assert found[position].label == "claim" and found[position].score >= DEFAULT_THRESHOLD
        (held,) = [s for quote, s in found.items() if conceded.endswith(quote)]
        assert held.score < DEFAULT_THRESHOLD and held.context["held_back"] == "conceded_in_closing"


def test_a_view_the_opening_voices_in_a_sentence_of_its_own_is_background(nlp):
    """The opening sets out the debate before the position: a view voiced in a sentence of its
    own is background (a counterclaim below the threshold); one the position's own sentence
    concedes ("Although some say X, I believe Y") is shown."""
    from annotations.nlp.suggest import DEFAULT_THRESHOLD

    opening = ("Some people say that trees cost cities too much. I believe that every city "
               "should plant more trees.")
    (view,) = [s for s in _essay_paragraph(opening, index=0, nlp=nlp) if "cost" in s.quote]
    assert view.label == "counterclaim" and view.score < DEFAULT_THRESHOLD
    opening = ("Although some people say that trees cost cities too much, I believe that every "
               "city should plant more trees.")
    (view,) = [s for s in _essay_paragraph(opening, index=0, nlp=nlp) if "cost" in s.quote]
    assert view.label == "counterclaim" and view.score >= DEFAULT_THRESHOLD


def test_a_bare_stance_before_a_reason_split_off_is_still_shell(nlp):
    """'I do not agree with this view, because X': the reason is a unit of its own, so the
    stance left before it takes a side and nothing more (below the threshold)."""
    from annotations.nlp.suggest import DEFAULT_THRESHOLD

    paragraph = ("Some people say that free study makes students lazy. I do not agree with "
                 "this view, because most students choose their subject out of interest.")
    found = suggest_paragraphs([*ESSAY_WITH_SHELLS[:1], paragraph, *ESSAY_WITH_SHELLS[2:]],
                               nlp=nlp)[1]
    (stance,) = [s for s in found if s.quote.startswith("I do not agree")]
    assert stance.score < DEFAULT_THRESHOLD


SCHOOL_ESSAY = [
    "Schools are changing fast. In my opinion, every school should keep its classes small.",
    "First of all, small classes help pupils learn. A teacher can answer every question. "
    "Pupils also talk more in a small group.",
    "PLACEHOLDER",
    "In conclusion, small classes are worth what they cost.",
]


def _school_labels(paragraph, nlp):
    return {s.quote: s.label
            for s in _essay_paragraph(paragraph, index=2, essay=SCHOOL_ESSAY, nlp=nlp)}


def test_a_point_set_against_the_next_with_no_side_voiced_is_the_writers_own(nlp):
    """In an essay's body, 'X, and Y. However, Z' with no concession, no opposing voice and no
    one else's words in the paragraph is the writer's own contrast: X and Y are support, not
    the other side; a 'while' clause contrasting two facts is support too."""
    labels = _school_labels(
        "A small class lets a teacher see every pupil, and a shy child gets more attention. "
        "However, small classes need more teachers. Good teachers are hard to find.", nlp)
    assert labels["A small class lets a teacher see every pupil"] == "evidence"
    assert labels["a shy child gets more attention."] == "evidence"
    labels = _school_labels(
        "Small classes cost more. Some families can pay for extra lessons, while others "
        "cannot afford them. A small class gives every pupil the same chance.", nlp)
    assert labels["others cannot afford them."] == "evidence"


def test_a_view_voiced_by_someone_else_is_conceded_and_its_grounds_back_it(nlp):
    """When another voice states the point ("Parents often argue that X" or "Their complaint
    is that X", read from the parse), it is the counterclaim; the units after it in its
    sentence give its grounds (evidence)."""
    for frame in ("Parents often argue that", "Their complaint is that"):
        labels = _school_labels(
            f"{frame} big classes teach children to be independent, and pupils learn to "
            "wait their turn. However, independence grows from attention. A neglected "
            "pupil learns to give up.", nlp)
        (view,) = [quote for quote in labels if "big classes teach" in quote]
        assert labels[view] == "counterclaim"
        assert labels["pupils learn to wait their turn."] == "evidence"


def test_a_contrast_opening_a_paragraph_that_nothing_answers_is_the_writers_next_point(nlp):
    """'However, X.' opening a body paragraph with no other side voiced and no contrast after
    it turns to the writer's next point (its claim); answered later ("Yet ...") it is still
    the other side."""
    labels = _school_labels(
        "However, small classes also help teachers. A teacher with twenty pupils marks "
        "faster. Tired teachers make more mistakes.", nlp)
    assert labels["small classes also help teachers."] == "claim"
    labels = _school_labels(
        "However, small classes cost a lot of money. A school needs more rooms for them. "
        "Yet the cost is small next to what pupils gain.", nlp)
    assert labels["small classes cost a lot of money."] == "counterclaim"


def test_in_an_essay_the_reason_given_for_the_opposing_view_is_its_premise(nlp):
    """'Some people say X because Y' in an essay's body: X is the counterclaim, Y its premise
    (evidence), as essay annotators tag it; a lone paragraph keeps Y a counterclaim."""
    labels = _school_labels(
        "Some people say that small classes are a waste because pupils learn from each other. "
        "But pupils also copy each other's mistakes.", nlp)
    assert labels["small classes are a waste"] == "counterclaim"
    assert labels["pupils learn from each other."] == "evidence"

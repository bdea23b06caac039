"""Tests for structure.py: shell language, subordinate clauses kept, narration in a text's shape."""
import pytest

from annotations.nlp.suggest import suggest_paragraphs

ESSAY_OPENING = ("Many shops no longer take cash. Some people welcome this change. "
                 "In my opinion, every shop should still accept coins and notes.")
ESSAY_CLOSING = "To sum up, cash keeps the economy open to everyone."


def quotes_of(nlp, paragraphs):
    return [s.quote for suggestions in suggest_paragraphs(paragraphs, nlp=nlp)
            for s in suggestions]


def test_a_subordinator_stays_when_its_main_clause_is_in_the_unit(nlp):
    """Shell stripping takes "If" / "When" off only when the clause it opens is the whole unit:
    "If X, Y" kept as one unit keeps its "If"; a reason clause split off loses its "because"."""
    body = ("If a shop accepts only cards, old people cannot buy their food there. "
            "When the card system breaks down, nobody can pay for anything. "
            "Cash is still needed, because many people have no bank account.")
    quotes = quotes_of(nlp, [ESSAY_OPENING, body, ESSAY_CLOSING])
    assert "If a shop accepts only cards, old people cannot buy their food there." in quotes
    assert "When the card system breaks down, nobody can pay for anything." in quotes
    assert "many people have no bank account." in quotes


def shown(nlp, paragraphs):
    return {s.quote: s.score >= 0.5 for suggestions in suggest_paragraphs(paragraphs, nlp=nlp)
            for s in suggestions}


def test_the_writers_own_story_in_an_argued_text_is_below_the_threshold(nlp):
    """In a blog post's voice, what the writer did or will do ("I wrote to my councillor", "I'm
    paying it on Saturday", "My sister and I are planning ...") is an anecdote, not a unit;
    the writer's reasons in the first person ("When I pay by card, I spend more") stay shown."""
    body = ("I wrote to my councillor about the fines last winter. "
            "I'm paying my own fine on Saturday. "
            "My sister and I are planning a protest at the town hall. "
            "When I pay by card, I spend more than I intend.")
    scores = shown(nlp, [ESSAY_OPENING, "Fines hurt the poorest families most. " + body,
                         ESSAY_CLOSING])
    assert scores["I wrote to my councillor about the fines last winter."] is False
    assert scores["I'm paying my own fine on Saturday."] is False
    assert scores["My sister and I are planning a protest at the town hall."] is False
    assert scores["When I pay by card, I spend more than I intend."] is True


def test_a_paragraph_that_only_tells_a_story_is_below_the_threshold(nlp):
    """A body paragraph whose sentences mostly narrate (named actors, dates, past events) and
    hold no argument cue is scene-setting: none of it is shown. A narrating paragraph with an
    argument cue keeps its strongest part."""
    story = ("In 2021 a lorry hit a cyclist outside the Central Library in Leeds. "
             "Her brother spoke at the council meeting in March. "
             "He read out the names of the streets she used to ride.")
    argued = ("In 2021 the council in Leeds closed two libraries. "
              "The closures were a serious mistake, because readers lost their only quiet room. "
              "Visits fell by a third in the next year.")
    scores = shown(nlp, [ESSAY_OPENING, story, argued, ESSAY_CLOSING])
    assert not any(scores[q] for q in scores if "lorry" in q or "brother" in q or "streets" in q)
    assert any(scores[q] for q in scores if "readers" in q or "Visits" in q)


def test_a_sentence_that_announces_a_point_without_making_it_is_shell(nlp):
    """"Here is why.", "Critics have a fair point about cost.", "The real objection is time."
    name an argument to come: below the threshold. A short claim with a content noun ("Zoos
    have serious problems.") stays a unit."""
    from annotations.nlp import structure

    for sentence, announces in [
        ("Here is why.", True),
        ("Here's the thing that worried me most.", True),
        ("Critics have a fair point about cost.", True),
        ("The real objection is time.", True),
        ("Opponents of the ban make a strong case.", True),
        ("This is my opinion about the bus lanes.", True),
        ("My opinion is that the bus lanes should stay.", False),
        ("Zoos have serious problems.", False),
        ("The main reason is that buses are cheap.", False),
        ("Parks make a city healthier.", False),
    ]:
        doc = nlp(sentence)
        assert structure.announces_a_point(doc[:]) is announces, sentence
    body = ("Critics have a fair point about cost. "
            "Each new bus lane costs the city money it could spend on schools.")
    scores = shown(nlp, [ESSAY_OPENING, body, ESSAY_CLOSING])
    assert scores["Critics have a fair point about cost."] is False
    assert scores["Each new bus lane costs the city money it could spend on schools."] is True


def test_a_told_plan_of_others_is_still_a_story(nlp):
    """A paragraph of named actors and dates whose only cue is a future ("will vote") narrates
    what is coming, as news does: none of it is shown."""
    story = ("Senator Maria Lopez expects a vote on the bill before June 12. "
             "A similar bill failed in the House in 2023. "
             "The chair has not said how she will vote.")
    scores = shown(nlp, [ESSAY_OPENING, story, ESSAY_CLOSING])
    story_units = [quote for quote in scores
                   if "Senator" in quote or "House" in quote or "chair" in quote]
    assert len(story_units) == 3
    assert not any(scores[quote] for quote in story_units)


BODY = "Fines keep the poorest readers away from the library."


def test_a_bare_stance_in_the_opening_is_not_the_position(nlp):
    """"..., and I disagree. The board should X.": the writer's side is taken in the bare
    stance, the position is stated in the sentence after it."""
    opening = ("Your editorial urged the board to close the branch library, and I disagree. "
               "The board should keep every branch open.")
    scores = shown(nlp, [opening, BODY, ESSAY_CLOSING])
    assert scores["The board should keep every branch open."] is True
    assert not any(shown_ for quote, shown_ in scores.items() if "disagree" in quote)


def test_an_opening_that_tells_a_past_story_states_no_position(nlp):
    """An opening that only tells what happened (its last sentence in the past, no claim cue)
    states no position: all of it stays below the threshold; the argument comes after it."""
    opening = ("Last spring the council closed the branch library on Elm Street. "
               "Two hundred readers lost their nearest library. "
               "Nobody asked them first.")
    scores = shown(nlp, [opening, BODY, ESSAY_CLOSING])
    assert not any(shown_ for quote, shown_ in scores.items()
                   if "Elm" in quote or "readers lost" in quote or "Nobody" in quote)


def test_a_contracted_first_person_frame_is_shell():
    """"I'm convinced that X" and "we're sure that X" frame X as "I am convinced that X" does."""
    from annotations.nlp import structure

    for text, rest in [("now I'm convinced that we should stop changing the clocks.",
                        "we should stop changing the clocks."),
                       ("We’re sure that the fines must go.", "the fines must go.")]:
        assert text[structure.shell_end(text, 0, len(text)):] == rest


def test_an_aside_in_brackets_is_below_the_threshold(nlp):
    """A sentence in brackets, or one inside a bracket opened before it, is an aside."""
    body = ("Fines keep the poorest readers away from the library. "
            "(My neighbour, who works nights, stopped going years ago. "
            "She still owes four dollars.) "
            "A blocked card cuts a family off from every branch.")
    scores = shown(nlp, [ESSAY_OPENING, body, ESSAY_CLOSING])
    assert not any(shown_ for quote, shown_ in scores.items()
                   if "neighbour" in quote or "four dollars" in quote)
    assert scores["A blocked card cuts a family off from every branch."] is True


def test_what_the_writer_has_done_or_is_stays_below_the_threshold(nlp):
    """"I have read the report", "I've been reading about it for weeks", "I'm a person who
    ..." tell the writer's experience or who they are; a frame before a colon does not."""
    from annotations.nlp import structure

    for sentence, narrates in [
        ("I have read the council's report on the fines.", True),
        ("I've been reading about library fines for weeks.", True),
        ("I'm a person who hates paying late fees.", True),
        ("I have come to a clear view: libraries should drop their fines.", False),
        ("I think that libraries should drop their fines.", False),
    ]:
        assert structure.writer_narrates(nlp(sentence)[:]) is narrates, sentence


@pytest.mark.parametrize(("sentence", "voiced"), [
    ("Companies argue that a ban limits their freedom.", True),  # someone else says it
    ("Their complaint is that the buses are late.", True),  # a noun naming an objection
    ("Supporters have a real point about the price.", True),  # a noun naming a side
    ("Many parents reckon that the fares will rise.", True),  # a speech verb of the cue finder's
    ("Opponents reply that the fares will rise.", True),  # a verb of answering
    ("I argue that a ban limits their freedom.", False),  # the writer's own stance
    ("This suggests that the buses are late.", False),  # the text's own reasoning
    ("Research shows that the buses are late.", False),  # a source cited as evidence
    ("My objection is that the buses are late.", False),  # the writer's own objection
    ("The buses are late every morning.", False),
])
def test_a_view_voiced_by_someone_other_than_the_writer_is_read_from_the_parse(nlp, sentence, voiced):
    """``voices_other_side``: another voice says or thinks what the clause states, or a noun
    names a side or an objection; the writer's stance, its own reasoning and cited sources do not."""
    from annotations.nlp.structure import voices_other_side

    assert voices_other_side(nlp(sentence)[:]) is voiced

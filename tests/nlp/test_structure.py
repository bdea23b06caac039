"""Tests for structure.py: shell language, subordinate clauses kept, narration in a text's shape."""
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

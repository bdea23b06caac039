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
            if suggestion.quote.startswith(opening):
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
        ("However, rhetoric is far from reality", "contrast 'However' opens the paragraph"),
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
    (suggestions,) = suggest_paragraphs([text], nlp=nlp)
    labels = {s.quote: s.label for s in suggestions}
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

"""Tests for candidate units: clause splits at discourse connectives and exact offsets."""
import pytest

from annotations.nlp.candidates import candidate_units
from annotations.nlp.pipeline import build_fallback_pipeline


def quotes(nlp, text):
    doc = nlp(text)
    return [text[unit.start:unit.end] for unit in candidate_units(doc)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Despite the high costs, the city should build the tunnel.",
         ["Despite the high costs", "the city should build the tunnel."]),
        ("Even though prices rose sharply, demand for housing stayed strong.",
         ["Even though prices rose sharply", "demand for housing stayed strong."]),
        ("The plan is expensive, but it will pay for itself within a decade.",
         ["The plan is expensive", "but it will pay for itself within a decade."]),
        ("Although the law is popular, it does little to reduce crime.",
         ["Although the law is popular", "it does little to reduce crime."]),
        ("The deal looks good on paper; however, the buyer may not be able to pay.",
         ["The deal looks good on paper", "however, the buyer may not be able to pay."]),
        ("Fees should be abolished, because they keep poor students away.",
         ["Fees should be abolished", "because they keep poor students away."]),
    ],
)
def test_clause_split(nlp, text, expected):
    """A concessive, contrastive or causal clause and its main clause are separate units."""
    assert quotes(nlp, text) == expected


def test_no_split_inside_a_single_clause(nlp):
    """'however' between a subject and its verb does not split the clause."""
    text = "The unregulated work of the services, however, carries the danger of misuse."
    assert quotes(nlp, text) == [text]


def test_despite_this_is_not_split_off(nlp):
    """'Despite this' alone is too little to stand as a unit."""
    text = "Despite this, the talks went on for another year."
    assert quotes(nlp, text) == [text]


def test_sentences_are_units(nlp):
    """Each sentence of a paragraph without connectives is one unit."""
    text = "Prices rose in 2020. Wages did not keep up. Families spent their savings."
    assert quotes(nlp, text) == ["Prices rose in 2020.", "Wages did not keep up.",
                                 "Families spent their savings."]


def test_offsets_are_code_points_with_emoji(nlp):
    """Offsets count code points, so characters outside the BMP do not shift quotes."""
    text = ("🚀 Launches are costly 💸 for everyone. Despite the delays 😀, the mission 🌍 "
            "should continue. Critics 🙄 say it costs too much 💰.")
    units = candidate_units(nlp(text))
    found = [text[unit.start:unit.end] for unit in units]
    assert "Despite the delays 😀" in found
    assert "the mission 🌍 should continue." in found
    assert "Critics 🙄 say it costs too much 💰." in found
    despite = text.index("Despite")
    bounds = {(unit.start, unit.end) for unit in units}
    assert (despite, despite + len("Despite the delays 😀")) in bounds
    # Two astral characters come before "Despite": UTF-16 offsets would be two larger.
    assert len(text[:despite].encode("utf-16-le")) // 2 == despite + 2


def test_quotes_are_trimmed(nlp):
    """Units carry no surrounding whitespace, commas or semicolons."""
    text = "  Although   it rained all week ,  the festival went ahead ; people came anyway.  "
    for quote in quotes(nlp, text):
        assert quote == quote.strip(" ,;")
        assert quote


def test_headings_are_not_units(nlp):
    """A heading without a verb is not proposed."""
    assert quotes(nlp, "Economy and asymmetrical dependence") == []


def test_fallback_splits_by_punctuation():
    """Without a parser the split is found from the connective and the comma."""
    nlp = build_fallback_pipeline()
    text = "Even though prices rose, demand stayed strong. It fell, but slowly it recovered."
    assert quotes(nlp, text) == ["Even though prices rose", "demand stayed strong.",
                                 "It fell", "but slowly it recovered."]


def test_heading_with_participle_is_not_a_unit(nlp):
    """A heading whose only verb is a participle ('shared') is not proposed."""
    assert quotes(nlp, "Region of shared interest: Plans for the Arctic") == []
    assert quotes(nlp, "Consider the costs of doing nothing.") == [
        "Consider the costs of doing nothing."]


def test_learned_split_sites_split_and_keep_units_whole(nlp):
    """A site key a project splits at adds a boundary; a rule split it keeps whole is dropped."""
    from annotations.nlp.candidates import LearnedSplits

    text = "Health insurers should not pay for such treatment unless its benefit has been proven."
    assert len(candidate_units(nlp(text))) == 1
    units = candidate_units(nlp(text), LearnedSplits(split=frozenset({"unless|clause"})))
    assert [text[u.start:u.end] for u in units] == [
        "Health insurers should not pay for such treatment",
        "unless its benefit has been proven."]
    assert units[1].split_key == "unless|clause"
    assert "as people in this project split" in units[1].split_reason
    joined = "Intelligence services must be regulated by parliament; this should be clear to everyone."
    assert len(candidate_units(nlp(joined))) == 2
    assert len(candidate_units(nlp(joined), LearnedSplits(keep=frozenset({"; this|clause"})))) == 1


def test_sites_are_recorded_only_when_asked(nlp):
    """Learning asks for each unit's sites (offset and key); plain suggesting does not pay for them."""
    text = "Poor families spend much of their income on travel, so they would benefit the most."
    (plain,) = candidate_units(nlp(text))
    (recorded,) = candidate_units(nlp(text), record_sites=True)
    assert plain.sites == ()
    assert (text.index("so they"), ", so|clause") in recorded.sites


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # "for" as a conjunction opens a reason clause (a pronoun subject, or a noun
        # subject after a comma).
        ("Cities should ban cars from the centre for they poison the air of everyone.",
         ["Cities should ban cars from the centre", "for they poison the air of everyone."]),
        ("Libraries deserve more money this year, for every branch has lost its staff.",
         ["Libraries deserve more money this year", "for every branch has lost its staff."]),
        # ", so" before a clause opens a result.
        ("The bus fares went up twice, so many pupils now walk to school.",
         ["The bus fares went up twice", "so many pupils now walk to school."]),
        # A short aside before "however" goes with the clause "however" opens.
        ("In rare cases the tax may raise revenue, on the whole, however, it drives firms away.",
         ["In rare cases the tax may raise revenue",
          "on the whole, however, it drives firms away."]),
    ],
)
def test_more_clause_splits(nlp, text, expected):
    """Reason clauses after "for", asides before a connective adverb."""
    assert quotes(nlp, text) == expected


@pytest.mark.parametrize(
    "text",
    [
        # "for" before a phrase, not a clause.
        "The council has argued for years that the bridge is too old to repair.",
        "What matters most for the town is whether the factory stays open.",
        # "not only X but (also) Y" is one statement.
        "The new law not only protects tenants, but it also lowers the rents.",
        # An adverbial without a verb is not a unit ("Now more than ever").
        "Now more than ever, as prices keep rising, it is unwise to cut the pensions.",
        # "while" without a comma is about time.
        "Parents can plan their errands freely while we are stuck at our desks.",
        # "so" before a phrase is not a result clause.
        "The winter of that year was cold, so cold and wet that the harvest failed.",
        # "It is true, however, that X": the frame and its complement are one unit.
        "It is true, however, that the scheme has cut the waiting lists by half.",
    ],
)
def test_statements_kept_whole(nlp, text):
    """Phrases after "for", correlatives and framed complements are not split."""
    assert quotes(nlp, text) == [text]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("In conclusion, although the tax is unpopular, it keeps the buses running.",
         ["In conclusion, although the tax is unpopular", "it keeps the buses running."]),
        ("For example, because the trains are late, many workers drive to the city.",
         ["For example, because the trains are late", "many workers drive to the city."]),
    ],
)
def test_a_leading_marker_goes_with_the_clause_it_opens(nlp, text, expected):
    """A short verbless phrase opening the sentence ("In conclusion,") is no unit of its own:
    the sentence-initial clause after it is split off at its end, as without the phrase."""
    assert quotes(nlp, text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("To sum up, although the new tram line is expensive, it will serve the whole town.",
         ["To sum up, although the new tram line is expensive", "it will serve the whole town."]),
        ("All things considered, since the rents keep rising, the city has to build more flats.",
         ["All things considered, since the rents keep rising",
          "the city has to build more flats."]),
    ],
)
def test_a_concession_after_a_leading_adverbial_is_split_from_its_main_clause(nlp, text, expected):
    """A leading phrase that is no clause, even with a verb of its own ("To sum up,": no
    subject), does not make the clause after it a trailing one: the split falls where the main
    clause starts, not before the subordinator."""
    assert quotes(nlp, text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A colon between two clauses: the second explains or backs the first.
        ("We have tried this before: the city closed the road in 1998 and reopened it a year later.",
         ["We have tried this before", "the city closed the road in 1998 and reopened it a year later."]),
        # ", also" before a clause joins a second statement (a learner's comma splice).
        ("Students can copy the answers from the internet, also they can send photos of the test.",
         ["Students can copy the answers from the internet", "also they can send photos of the test."]),
    ],
)
def test_clauses_after_a_colon_or_a_comma_also_are_units(nlp, text, expected):
    """"X: Y" and "X, also Y" between two clauses give two units."""
    assert quotes(nlp, text) == expected


@pytest.mark.parametrize(
    "text",
    [
        # A colon before a list or a phrase is not a split.
        "The plan has three parts: cheaper tickets, more buses and longer hours.",
        # "also" inside a clause is not a split.
        "The buses are cheap, also on Sundays and at night.",
    ],
)
def test_a_colon_before_a_phrase_and_an_inner_also_keep_the_unit_whole(nlp, text):
    """No split where no clause follows the colon or "also"."""
    assert quotes(nlp, text) == [text]

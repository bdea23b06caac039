"""Tests that the indicator lexicon's cues fire on crafted sentences."""
import pytest

from annotations.nlp.cues import cue_finder_for


def cue_groups(nlp, text):
    doc = nlp(text)
    return {cue.group: cue for cue in cue_finder_for(nlp).find(doc)}


@pytest.mark.parametrize(
    ("text", "group", "label"),
    [
        ("Despite the costs, the bridge was built.", "concessive_connective", "counterclaim"),
        ("Even though prices rose, demand stayed strong.", "concessive_connective",
         "counterclaim"),
        ("Admittedly, the plan has flaws.", "concession_marker", "counterclaim"),
        ("Some might speculate that the deal will fail.", "opposing_voice", "counterclaim"),
        ("Critics argue that the tax hurts the poor.", "opposing_voice", "counterclaim"),
        ("It is often said that money cannot buy happiness.", "opposing_voice",
         "counterclaim"),
        ("Some economists argue that growth will slow.", "opposing_voice_parse",
         "counterclaim"),
        ("Therefore, the city must act now.", "conclusion_connective", "claim"),
        ("The council should ban cars from the centre.", "obligation_modal", "claim"),
        ("I believe that the law is unjust.", "first_person_stance", "claim"),
        ("Growth is likely to slow next year.", "likelihood", "claim"),
        ("This policy is very harmful to small firms.", "evaluation", "claim"),
        ("According to the ministry, exports fell sharply.", "source_attribution", "evidence"),
        ("For example, Norway taxes sugar.", "example_marker", "evidence"),
        ("Gabuev observes that their threats lie elsewhere.", "reported_source", "evidence"),
        ("The survey found that most people recycle.", "reported_source", "evidence"),
        ("Exports rose by 40% last year.", "entity_PERCENT", "evidence"),
        ("The project cost $5 million.", "entity_MONEY", "evidence"),
        ("The treaty was signed in 1996.", "entity_DATE", "evidence"),
    ],
)
def test_cue_fires(nlp, text, group, label):
    """Each crafted sentence triggers the cue group it was written for, with its label."""
    groups = cue_groups(nlp, text)
    assert group in groups, f"{group} not in {sorted(groups)}"
    assert groups[group].label == label


def test_cue_names_are_readable(nlp):
    """Cue names quote the words that fired and say what they mean."""
    names = {cue.name for cue in cue_finder_for(nlp).find(
        nlp("Despite the costs, exports rose by 40% in 2019."))}
    assert "connective 'Despite' (concession)" in names
    assert "PERCENT entity '40%'" in names


def test_despite_this_is_a_contrast_not_a_concession(nlp):
    """'Despite this,' points back to the preceding sentence: a contrast, not a concession."""
    groups = cue_groups(nlp, "Despite this, the talks went on.")
    assert "concessive_connective" not in groups
    assert "contrast_connective" in groups


def test_causal_as_needs_a_subordinate_clause(nlp):
    """'as' counts as a reason only when it opens a clause, not in 'as well as'."""
    assert "causal_subordinator" in cue_groups(
        nlp, "The plan failed, as the money ran out.")
    assert "causal_subordinator" not in cue_groups(
        nlp, "Farmers as well as miners lost their jobs.")


def test_no_cues_in_plain_statement(nlp):
    """A plain descriptive sentence fires no counterclaim or claim-modal cue."""
    groups = cue_groups(nlp, "The river runs through the valley.")
    assert not {"concessive_connective", "opposing_voice", "obligation_modal"} & set(groups)


def test_every_lexicon_group_is_documented():
    """LEXICON.md documents every phrase group and dependency pattern of the lexicon."""
    from pathlib import Path

    from annotations.nlp import lexicon

    documented = (Path(lexicon.__file__).parent / "LEXICON.md").read_text(encoding="utf-8")
    keys = [group.key for group in lexicon.PHRASE_GROUPS]
    keys += ["evaluation", "first_person_stance", "reported_source", "opposing_voice_parse"]
    for key in keys:
        assert f"`{key}`" in documented, key

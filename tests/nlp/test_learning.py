"""Tests for the per-project classifier learned from decisions."""
import pytest

from annotations.nlp import evaluation, learning
from annotations.nlp.suggest import suggest_paragraphs

CLAIMS = ["The city should ban cars from the old town.", "Schools must start later in the day.",
          "We should tax sugary drinks.", "The council ought to build more bike lanes.",
          "Museums should be free for children.", "Parliament must regulate the secret services.",
          "Libraries should open on Sundays.", "The state should fund night buses."]
EVIDENCE = ["In 2019, 40% of trips were made by car.", "For example, Paris closed two roads.",
            "According to the survey, 60% of pupils sleep too little.",
            "Sales fell by 12% in Mexico after the tax.", "The study found fewer accidents.",
            "Bike traffic doubled between 2010 and 2020.", "Visitors rose to 2 million in 2018.",
            "Night buses carried 5,000 people a week."]
COUNTERCLAIMS = ["Critics argue that the ban hurts shops.", "Some say teenagers just stay up later.",
                 "Admittedly, the tax hits poor families hardest.",
                 "Despite the costs of the lanes", "Opponents claim that museums need the fees.",
                 "It is often said that secrecy protects us.", "Some might speculate it is a fad.",
                 "Even though buses are expensive"]
NONE = ["Click here to subscribe.", "Share this article.", "Read more about cities.",
        "Photo by the author.", "Posted in Politics.", "Follow us on social media.",
        "Comments are closed.", "Related posts below."]


def examples():
    rows = []
    for label, texts in (("claim", CLAIMS), ("evidence", EVIDENCE),
                         ("counterclaim", COUNTERCLAIMS), ("none", NONE)):
        rows.extend(learning.LabelledExample(text, label) for text in texts)
    return rows


@pytest.fixture(scope="module")
def trained(nlp):
    return learning.train_project_model(examples(), base_nlp=nlp, held_back_share=0.25, seed=1)


def test_training_reports_model_and_rule_accuracy(trained):
    """Training measures both the model and the rules on the same held-back examples."""
    assert trained.held_back == 8
    assert trained.trained_on == 32
    assert 0.0 <= trained.accuracy <= 1.0
    assert 0.0 <= trained.rule_accuracy <= 1.0
    assert trained.nlp.pipe_names == ["textcat"]


def test_model_learns_what_the_rules_cannot(trained):
    """The model learns the 'none' class (page furniture) that the rules never predict."""
    probabilities = learning.predict(trained.nlp, ["Subscribe to our newsletter."],
                                     [()], ["evidence"])[0]
    assert set(probabilities) == set(learning.CLASSES)
    assert max(probabilities, key=probabilities.get) == "none"


def test_model_round_trips_through_bytes(trained):
    """A model stored as bytes loads back and predicts the same probabilities."""
    data = learning.model_to_bytes(trained.nlp)
    assert isinstance(data, bytes)
    loaded = learning.model_from_bytes(data)
    inputs = (["We should plant trees."], [("obligation_modal",)], ["claim"])
    before = learning.predict(trained.nlp, *inputs)[0]
    after = learning.predict(loaded, *inputs)[0]
    assert before == pytest.approx(after)
    assert loaded.meta["argmap"]["trained_on"] == 32


def test_unreadable_model_bytes_get_a_clear_error():
    """Corrupt stored bytes raise a ValueError that says the model is not readable."""
    with pytest.raises(ValueError, match="not readable"):
        learning.model_from_bytes(b"not a model")


def test_relabel_suggestions(nlp, trained):
    """Relabelling keeps offsets, states the model's reason and keeps one claim per paragraph."""
    text = ("Critics argue that the ban hurts shops. In 2019, 40% of trips were made by car. "
            "The city should ban cars from the old town.")
    (suggestions,) = suggest_paragraphs([text], nlp=nlp)
    relabelled = learning.relabel_suggestions(trained.nlp, suggestions, drop_none=False)
    assert len(relabelled) == len(suggestions)
    for suggestion in relabelled:
        assert text[suggestion.start:suggestion.end] == suggestion.quote
        assert suggestion.cues[0].startswith("project model: ")
        assert suggestion.label in {"claim", "evidence", "counterclaim"}
    assert [s.label for s in relabelled].count("claim") == 1
    assert [s.score for s in relabelled] == sorted((s.score for s in relabelled), reverse=True)


def test_too_few_or_bad_examples_are_refused():
    """Fewer than ten examples, or an unknown label, give a message naming the problem."""
    with pytest.raises(learning.NotEnoughExamples, match="at least 10"):
        learning.train_project_model(examples()[:3])
    bad = examples()
    bad[4] = learning.LabelledExample("Some text.", "premise")
    with pytest.raises(ValueError, match="example 5 .* label 'premise'"):
        learning.train_project_model(bad)


def test_learning_on_microtexts_decisions(nlp, microtexts_dir):
    """Simulated decisions from a few microtexts train a model evaluated on the others."""
    corpus = evaluation.read_corpus(microtexts_dir, limit=14)
    learned, rules, result = evaluation.evaluate_after_learning(corpus, nlp, decisions=40)
    assert result.trained_on >= 40
    assert learned.texts == rules.texts
    assert 0 < learned.texts < len(corpus)
    assert 0.0 <= learned.macro_f1("overlap") <= 1.0

"""Tests for the per-project classifier learned from decisions."""
import pytest

from annotations.nlp import gold, learning, learning_curve
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
def trained():
    return learning.train_project_model(examples(), held_back_share=0.25, seed=1)


def test_training_reports_model_and_rule_accuracy(trained):
    """Training measures both the model and the rules on the same held-back examples."""
    assert trained.held_back == 8
    assert trained.trained_on == 32
    assert 0.0 <= trained.accuracy <= 1.0
    assert 0.0 <= trained.rule_accuracy <= 1.0


def test_model_learns_what_the_rules_cannot(trained):
    """The model learns the 'none' class (page furniture) that the rules never predict."""
    (row,) = trained.model.probabilities([learning._word_features("Subscribe to our newsletter here.")])
    assert learning.CLASSES[int(row.argmax())] == "none"


def test_model_round_trips_through_bytes(trained):
    """A model stored as bytes loads back and predicts the same probabilities."""
    data = learning.model_to_bytes(trained.model)
    assert isinstance(data, bytes)
    loaded = learning.model_from_bytes(data)
    rows = [learning._word_features("We should plant trees.")]
    assert loaded.probabilities(rows) == pytest.approx(trained.model.probabilities(rows))
    assert loaded.trained_on == 32


def test_unreadable_model_bytes_get_a_clear_error():
    """Corrupt stored bytes raise a ValueError that says the model is not readable."""
    with pytest.raises(ValueError, match="not readable"):
        learning.model_from_bytes(b"not a model")


def test_relabel_suggestions_keeps_offsets_and_says_why(nlp, trained):
    """Relabelling keeps the offsets, states the model's reason and sorts best first."""
    text = ("Critics argue that the ban hurts shops. In 2019, 40% of trips were made by car. "
            "The city should ban cars from the old town.")
    (suggestions,) = suggest_paragraphs([text], nlp=nlp)
    relabelled = learning.relabel_suggestions(trained.model, suggestions)
    assert len(relabelled) == len(suggestions)
    assert {(s.start, s.end) for s in relabelled} == {(s.start, s.end) for s in suggestions}
    assert all(s.cues[0].startswith("project model") for s in relabelled)
    assert [s.score for s in relabelled] == sorted((s.score for s in relabelled), reverse=True)


def test_without_decisions_the_model_says_what_the_rules_say(nlp):
    """Ten neutral decisions leave the rules' labels in place (the model starts from them)."""
    text = ("Critics argue that the ban hurts shops. In 2019, 40% of trips were made by car. "
            "The city should ban cars from the old town.")
    (suggestions,) = suggest_paragraphs([text], nlp=nlp)
    agreeing = [learning.LabelledExample(s.quote, s.label, learning.features_of(s))
                for s in suggestions] * 4
    model = learning.train_project_model(agreeing).model
    relabelled = {s.start: s.label for s in learning.relabel_suggestions(model, suggestions)}
    assert relabelled == {s.start: s.label for s in suggestions}


def test_shells_people_cut_are_learned(nlp):
    """Accepting suggestions without their opening 'I think that' teaches the model to cut it."""
    texts = ["I think that cities should plant more trees.", "I think that buses must be free.",
             "I think that schools should start later.", "I think that taxes on sugar help."]
    examples = []
    for suggestions in suggest_paragraphs(texts, nlp=nlp):
        for s in suggestions:
            kept = s.quote[len("I think that "):]
            examples.append(learning.LabelledExample(kept, "claim", learning.features_of(s),
                                                     cut_prefix="I think that "))
    model = learning.train_project_model(examples * 3).model
    assert model.shells == ["i think that"]
    (new,) = suggest_paragraphs(["I think that parks should stay open at night."], nlp=nlp)
    (relabelled,) = learning.relabel_suggestions(model, new)
    assert relabelled.quote == "parks should stay open at night."


def test_too_few_or_bad_examples_are_refused():
    """Fewer than ten examples, or an unknown label, give a message naming the problem."""
    with pytest.raises(learning.NotEnoughExamples, match="at least 10"):
        learning.train_project_model(examples()[:3])
    bad = examples()
    bad[4] = learning.LabelledExample("Some text.", "premise")
    with pytest.raises(ValueError, match="example 5 .* label 'premise'"):
        learning.train_project_model(bad)


def test_learning_curve_on_microtexts(nlp, microtexts_dir):
    """The curve has one point per size with one figure per seed, and the rules as baseline."""
    corpus = gold.read_path(microtexts_dir, limit=12)
    points = learning_curve.learning_curve(corpus, nlp, sizes=(10, 25), seeds=(0, 1))
    assert [p.decisions for p in points] == [10, 25]
    for point in points:
        assert len(point.learned["exact"]) == len(point.rules["exact"]) == 2
        assert all(0.0 <= f1 <= 1.0 for f1 in point.learned["overlap"])
    assert "gain" in learning_curve.render_curve(points, len(corpus))


def test_simulated_decisions_accept_reject_and_tag(nlp, microtexts_dir):
    """Each gold unit gets a decision (accepted or tagged by hand); wrong shown ones are rejected."""
    (item,) = gold.read_path(microtexts_dir / "micro_b001.xml")
    from annotations.nlp.evaluation import suggestions_for

    (found,) = suggestions_for([item], nlp)
    decisions = learning_curve.simulated_decisions(item, found)
    labelled = [d for d in decisions if d.label != learning.NONE_LABEL]
    assert sorted(d.label for d in labelled) == sorted(s.label for s in item.spans)


def _split_example(boundaries=(), inside=(), kept=(), merged=()):
    return learning.LabelledExample("Some unit text here.", "evidence", boundaries=boundaries,
                                    inside=inside, split_kept=kept, split_merged=merged)


def test_split_sites_are_learned_when_people_split_there_more_than_they_keep_whole():
    """Two splits at ', so' teach it; one does not; a site kept whole more often is not split."""
    two = [_split_example(boundaries=(", so|clause",))] * 2
    assert learning.learned_splits(two).split == {", so|clause"}
    assert learning.learned_splits(two[:1]).split == set()
    outvoted = two + [_split_example(inside=(", so|clause",))] * 3
    assert learning.learned_splits(outvoted).split == set()
    merged = [_split_example(merged=("; this|clause",))] * 2 + [_split_example(kept=("; this|clause",))]
    assert learning.learned_splits(merged).keep == {"; this|clause"}


def test_simulated_reviewer_adjusts_a_merged_suggestion_and_teaches_the_split(nlp):
    """A suggestion covering two gold units is adjusted to one (the other tagged by hand), and the
    site between them is what the adjustment teaches; a second text like it makes a learned split."""
    from annotations.nlp.gold import GoldText, LabelledSpan
    from annotations.nlp.suggest import suggest_paragraphs

    text = "Health insurers should not pay for such treatment unless its benefit has been proven."
    cut = text.index("unless")
    item = GoldText("t", text, [LabelledSpan(0, cut - 1, "claim"),
                                LabelledSpan(cut, len(text) - 1, "counterclaim")], [(0, text)])
    (suggestions,) = suggest_paragraphs([text], nlp=nlp, record_sites=True)
    decisions = learning_curve.simulated_decisions(item, [(s, 0) for s in suggestions])
    assert sorted((d.text, d.label) for d in decisions) == sorted(
        (text[s.start:s.end], s.label) for s in item.spans)
    adjusted = next(d for d in decisions if d.features is not None)
    assert adjusted.boundaries == ("unless|clause",)
    model = learning.train_project_model(decisions * 5).model
    assert model.splits.split == {"unless|clause"}
    assert learning.model_from_bytes(learning.model_to_bytes(model)).splits == model.splits
    (again,) = suggest_paragraphs(["Schools should not open on Sundays unless the parents agree to it."],
                                  nlp=nlp, learned=model.splits)
    assert [s.quote for s in again] == ["Schools should not open on Sundays",
                                        "unless the parents agree to it."]


def test_first_decisions_count_decisions_not_implicit_examples():
    """Implicit examples before the N-th decision come along without counting as decisions."""
    decided = learning.LabelledExample("A unit here.", "claim")
    left = learning.LabelledExample("Background here.", "none", implicit=True)
    taken, count = learning_curve.first_decisions([left, decided, left, decided, decided], 2)
    assert count == 2 and taken == [left, decided, left, decided]
    assert learning_curve.first_decisions([decided], 5)[1] == 1


def test_learning_from_essay_decisions_pays_off(nlp):
    """On the hand-written essays, 50 simulated decisions raise the measured half's macro-F1
    over the rules on average (the reviewer's untouched hidden suggestions teach 'not a unit';
    the rules alone follow these essays' counter-argument paragraphs since rules4, so the gain
    left is small)."""
    from tests.nlp.essays import ESSAYS_DEV, ESSAYS_HELD_OUT

    corpus = gold.read_gold([ESSAYS_DEV, ESSAYS_HELD_OUT], label_map={"majorclaim": "claim"})
    (point,) = learning_curve.learning_curve(corpus, nlp, sizes=(50,), seeds=(0, 1, 2))
    assert point.gain("exact")[0] > 0.01 and point.gain("overlap")[0] > 0.01


def _shell_example(kept="", cut=""):
    return learning.LabelledExample("Some unit text here.", "claim", shell_kept=kept, shell_cut=cut)


def test_shells_people_keep_are_learned_per_shell_and_in_all():
    """Two kept 'First of all,' keep that shell; three kept shells (more than cut) keep any other;
    a shell people cut as often as they keep it stays cut."""
    habits = learning.learned_shell_habits([_shell_example(kept="First of all, ")] * 2)
    assert habits.keep == {"first of all"} and not habits.keep_others
    assert habits.keeps("First of all,") and not habits.keeps("Moreover, ")
    habits = learning.learned_shell_habits(
        [_shell_example(kept="Firstly, "), _shell_example(kept="Moreover, "),
         _shell_example(kept="In my view, "), _shell_example(cut="I think that "),
         _shell_example(cut="I think that ")])
    assert habits.keep_others and habits.keeps("Secondly, ") and not habits.keeps("I think that ")
    assert not learning.learned_shell_habits([_shell_example(cut="Firstly, ")] * 3)


def test_reviewer_who_keeps_shells_teaches_the_model_to_keep_them(nlp):
    """House-style essays keep 'First of all,' in their units: the simulated reviewer's accepted
    suggestions say so, the model learns it, and the next essay's suggestions keep their shells."""
    from annotations.nlp.evaluation import suggestions_for
    from tests.nlp.essays import ESSAYS_HOUSE_STYLE

    corpus = gold.read_gold([ESSAYS_HOUSE_STYLE], label_map={"majorclaim": "claim"})[:4]
    found = suggestions_for(corpus, nlp)
    decisions = [d for item, f in zip(corpus[:3], found) for d in learning_curve.simulated_decisions(item, f)]
    assert sum(bool(d.shell_kept) for d in decisions) >= 6 and not any(d.shell_cut for d in decisions)
    model = learning.train_project_model(decisions).model
    assert model.shell_habits.keep_others
    assert learning.model_from_bytes(learning.model_to_bytes(model)).shell_habits == model.shell_habits
    item, last = corpus[3], found[3]
    rules = {s.quote for s, _offset in last}
    relabelled = learning.relabel_suggestions(model, [s for s, _offset in last])
    kept = [s for s in relabelled if s.quote not in rules]
    assert kept and all(s.quote.startswith(s.context["shell"]) for s in kept)
    assert any(s.quote.startswith("The main reason is that a compulsory vote") for s in kept)
    assert all(item.text[offset + s.start:offset + s.end] == s.quote
               for s in relabelled for s2, offset in last if s2.end == s.end
               and s2.paragraph_index == s.paragraph_index)


def test_learning_pays_off_on_house_style_essays(nlp):
    """On essays annotated in a house style the rules do not follow (shells kept in the units,
    examples and the closing restatement left untagged), 50 decisions lift macro-F1 far (by
    overlap the rules alone reach about 0.77 there since arguing paragraphs show all their
    statements and answer a counter-argument with premises, so the gain is smaller but the
    learned figure is above 0.9)."""
    from tests.nlp.essays import ESSAYS_HOUSE_STYLE

    corpus = gold.read_gold([ESSAYS_HOUSE_STYLE], label_map={"majorclaim": "claim"})
    (point,) = learning_curve.learning_curve(corpus, nlp, sizes=(50,), seeds=(0, 1))
    assert point.gain("exact")[0] > 0.4 and point.gain("overlap")[0] > 0.1
    assert point.mean_spread("overlap")[0] > 0.9


def test_a_person_who_keeps_a_split_sentence_whole_teaches_the_merge(nlp):
    """The rules split '..., and children breathe ...'; the person's unit is the whole sentence.
    The simulated reviewer extends the first part (it lies inside the unit), which teaches that
    the rules' split point where it ends is merged across; the second part is left out."""
    from annotations.nlp.gold import GoldText, LabelledSpan

    text = ("Exhaust fumes cause asthma and heart disease, and children breathe them on their way "
            "to school.")
    item = GoldText("t", text, [LabelledSpan(0, len(text) - 1, "evidence")], [(0, text)])
    (suggestions,) = suggest_paragraphs([text], nlp=nlp, record_sites=True)
    assert [s.context.get("end_split_key") for s in suggestions] == [", and|clause", None]
    lessons = learning.boundary_lessons(text, [(0, len(text) - 1)], suggestions[0])
    assert lessons["split_merged"] == (", and|clause",)
    decisions = learning_curve.simulated_decisions(item, [(s, 0) for s in suggestions], threshold=0.0)
    accepted = [d for d in decisions if d.label == "evidence"]
    assert [d.text for d in accepted] == [text[:-1]] and accepted[0].split_merged == (", and|clause",)
    assert learning.learned_splits(accepted * 2).keep == {", and|clause"}


def test_a_paragraph_the_model_gives_no_claim_keeps_none():
    """Where the rules proposed one claim but the model reads every unit as evidence (a
    project that gives an answered counter-argument no claim), no claim is forced on it."""
    from annotations.nlp.suggest import CandidateSuggestion

    vocabulary = {name: j for j, name in enumerate(
        [*(f"rule={label}" for label in learning.lexicon.LABELS), "rule_none_logit"])}
    weights, bias = learning._start_weights(vocabulary)
    weights[vocabulary["rule=claim"], learning.CLASSES.index("evidence")] = 2 * learning.PRIOR_WEIGHT
    model = learning.ProjectModel(vocabulary=vocabulary, weights=weights, bias=bias, trained_on=50)
    suggestions = [CandidateSuggestion(0, 0, 20, "Some people say so.", "counterclaim", 0.9, []),
                   CandidateSuggestion(0, 21, 60, "However, buses can still run there.", "claim", 0.9, [])]
    labels = [s.label for s in sorted(learning.relabel_suggestions(model, suggestions), key=lambda s: s.start)]
    assert labels == ["counterclaim", "evidence"]


def test_learned_lessons_name_what_the_model_learned():
    """The project page's sentences: how closely the model follows the rules, the shells it keeps
    or cuts and the sites it splits at or keeps whole; a model that learned none of them says
    only the first; the pull survives the bytes."""
    plain = learning.train_project_model(examples()).model
    assert learning.learned_lessons(plain) == [learning.learned_lessons(plain)[0]]
    shaped = learning.ProjectModel(
        vocabulary=plain.vocabulary, weights=plain.weights, bias=plain.bias, trained_on=40,
        shells=["i think that"], splits=learning.LearnedSplits(frozenset({", which|clause"}), frozenset({", and|clause"})),
        shell_habits=learning.ShellHabits(frozenset({"firstly", "moreover"}), keep_others=True), pull=0.3)
    assert learning.learned_lessons(shaped) == [
        "moves away from the rules' labels where its decisions differ",
        "keeps the leading phrases the rules cut (such as 'firstly', 'moreover') in its units",
        "cuts 'i think that' from the start of suggestions",
        "splits sentences at ', which'", "keeps sentences whole at ', and'"]
    assert learning.model_from_bytes(learning.model_to_bytes(shaped)).pull == 0.3


def _ruled(label, rule, document="", score=0.8, **extra):
    features = {f"rule={rule}": 1.0, "rule_none_logit": float(learning.math.log((1 - score) / score)),
                **extra}
    return learning.LabelledExample(f"A {label} unit said by the rules to be {rule}.", label, features,
                                    document=document)


def test_cross_validation_holds_out_whole_texts():
    """Each text's decisions fall in one fold (what is learned must hold on the project's other
    texts); decisions with no text named are dealt in turn, as before."""
    examples = [_ruled("claim", "claim", document=f"d{k % 7}") for k in range(21)]
    examples.append(learning.LabelledExample("Left alone.", "none", implicit=True, document="d0"))
    decided = [i for i, e in enumerate(examples) if not e.implicit]
    folds = learning._folds(examples, decided)
    assert len(folds) == learning.CV_FOLDS and sorted(i for fold in folds for i in fold) == decided
    assert all(len({examples[i].document for i in fold} & {examples[j].document for j in other}) == 0
               for a, fold in enumerate(folds) for b, other in enumerate(folds) if a != b)
    anonymous = [replace_document(e, "") for e in examples]
    assert learning._folds(anonymous, decided) == [decided[k::5] for k in range(5)]
    assert len(learning._folds(examples[:6], list(range(6)))) == 5  # 6 texts, 5 folds


def replace_document(example, document):
    from dataclasses import replace
    return replace(example, document=document)


def test_a_small_cross_validated_gain_keeps_the_firmer_pull():
    """The standard-error rule: a freer pull that is likelier by less than the noise of the
    held-out decisions loses to the firmest one; a consistent gain wins."""
    import numpy as np

    rng = np.random.default_rng(0)
    firm = rng.normal(-0.6, 0.5, 40)
    noisy = firm + np.tile([0.5, -0.45], 20)  # likelier on the sum, but within the noise
    assert noisy.sum() > firm.sum()
    assert learning.firmest_within({0.3: noisy, 30.0: firm}) == 30.0
    consistent = firm + 0.3 + rng.normal(0, 0.05, 40)
    assert learning.firmest_within({0.3: consistent, 30.0: firm}) == 0.3
    assert learning.firmest_within({0.3: firm - 0.1, 3.0: noisy, 30.0: firm}) == 30.0


def test_one_odd_text_does_not_pull_the_model_away_from_the_rules():
    """Four texts agree with the rules; one text calls what the rules call evidence a
    counterclaim. Holding out whole texts shows that lesson does not carry to other texts, so
    the firmest pull is kept (the 25-decision drop on the microtexts); with the decisions
    dealt in turn, the freer pull fits the odd text and is chosen."""
    agreeing = [_ruled(label, label, document=f"text{k}", **{"unit=first": float(j == 0)})
                for k in range(4) for j, label in enumerate(("claim", "evidence", "evidence", "evidence", "counterclaim"))]
    odd = [_ruled("counterclaim", "evidence", document="odd") for _ in range(4)]
    examples = agreeing[:10] + odd + agreeing[10:]
    assert learning._chosen_scale(examples) == learning.PULL_SCALES[-1]
    assert learning._chosen_scale([replace_document(e, "") for e in examples]) < learning.PULL_SCALES[-1]


def test_where_a_unit_stands_is_learned_from_a_few_decisions():
    """Where a unit stands (first / last unit, paragraph role) recurs in every text, so it is
    held less firmly than words and cues: twelve decisions that a paragraph's last unit is its
    claim, where the rules said evidence, move a firm model to claim there, not elsewhere."""
    examples = []
    for k in range(12):
        examples.append(_ruled("claim", "evidence", document=f"t{k}", **{"unit=last": 1.0, f"first=w{k}": 1.0}))
        examples.append(_ruled("evidence", "evidence", document=f"t{k}", **{"unit=first": 1.0}))
        examples.append(_ruled("claim", "claim", document=f"t{k}", **{"unit=first": 1.0}))
    model = learning._fit(examples, scale=learning.PULL_SCALES[-1])
    last, first = model.probabilities([examples[0].features, examples[1].features])
    claim, evidence = learning.CLASSES.index("claim"), learning.CLASSES.index("evidence")
    assert last[claim] > 0.7 and first[evidence] > first[claim]


def test_splits_at_several_words_of_a_class_teach_the_whole_class(nlp):
    """Splits before 'because', 'if' and 'since' clauses teach 'this project splits before
    subordinate clauses': the next text is split before 'unless' too, which nobody split at;
    a class people keep inside their units as often is not learned, nor one word three times."""
    from annotations.nlp.candidates import site_class

    assert site_class(", because|clause") == "class:, subordinator|clause"
    assert site_class("unless|clause") == site_class("if|clause") == "class:subordinator|clause"
    assert site_class("due|phrase") is None
    splits = [learning.LabelledExample("Some unit text.", "claim", boundaries=(key,))
              for key in ("because|clause", "if|clause", "since|clause")]
    learned = learning.learned_splits(splits)
    assert learned.split == {"class:subordinator|clause"}
    assert not learning.learned_splits(splits + [learning.LabelledExample(
        "Some unit text.", "claim", inside=("when|clause", "as|clause", "if|clause"))]).split
    assert learning.learned_splits(splits[:1] * 3).split == {"because|clause"}
    text = "Schools should not open on Sundays unless the parents of the pupils agree to it."
    (rules,) = suggest_paragraphs([text], nlp=nlp)
    (split,) = suggest_paragraphs([text], nlp=nlp, learned=learned)
    assert [s.quote for s in rules] == [text]
    assert [s.quote for s in split] == ["Schools should not open on Sundays",
                                        "unless the parents of the pupils agree to it."]
    model = learning.train_project_model(splits * 4).model
    assert "class:subordinator|clause" in model.splits.split
    assert learning.model_from_bytes(learning.model_to_bytes(model)).splits == model.splits
    assert ("splits sentences at every subordinator before a clause ('because', 'since', 'as' ...), "
            "as people here split at several of them") in learning.learned_lessons(model)


def test_a_stored_format_4_model_still_loads():
    """Models stored before class keys (format 4) load with their splits, habits and pull."""
    import numpy as np
    import srsly

    names = ["rule=claim", "rule=evidence", "rule=counterclaim", "rule_none_logit"]
    weights = np.zeros((len(names), len(learning.CLASSES)), dtype=np.float32)
    data = srsly.msgpack_dumps({
        "format": 4, "vocabulary": names, "weights": weights.tobytes(), "bias": [0.0] * 4,
        "trained_on": 30, "shells": ["i think that"], "classes": list(learning.CLASSES),
        "splits": [", which|clause"], "keep": [], "shells_kept": ["firstly"], "shells_cut": [],
        "keep_other_shells": False, "pull": 3.0})
    model = learning.model_from_bytes(data)
    assert model.splits.split == {", which|clause"} and model.pull == 3.0
    assert model.shell_habits.keep == {"firstly"} and model.trained_on == 30
    assert srsly.msgpack_loads(learning.model_to_bytes(model))["format"] == learning.FORMAT_VERSION == 7


def test_the_firmest_pull_on_a_few_examples_stays_finite():
    """A cross-validation fold can train on four decisions with the firmest pull: the pull is
    applied as a proximal step, so the weights stay finite and near the rules (a plain
    gradient step overshoots and overflows there)."""
    import numpy as np

    examples = [_ruled(label, "evidence", **{"unit=first": 1.0, "first=w": 1.0})
                for label in ("claim", "counterclaim", "evidence", "none")]
    model = learning._fit(examples, scale=learning.PULL_SCALES[-1])
    assert np.isfinite(model.weights).all() and np.isfinite(model.bias).all()
    start, _bias = learning._start_weights(model.vocabulary)
    assert np.abs(model.weights - start).max() < 1.0


def _paragraph(document, number, units, role="body"):
    """The decisions of one reviewed paragraph: ``units`` are (people's label, rules' label)
    in text order."""
    return [learning.LabelledExample(
        f"Unit {k} of paragraph {number}.", label,
        {f"rule={rule}": 1.0, "rule_none_logit": -1.0, f"role={role}": 1.0},
        document=document, paragraph=f"{document}#{number}", start=100 * k)
        for k, (label, rule) in enumerate(units)]


def test_where_a_paragraphs_claim_stands_is_learned_per_kind_of_paragraph():
    """Body paragraphs whose claim people put first (where the rules put it last in two of
    them) teach "the claim of a body paragraph is its first point"; paragraphs that answer a
    counterclaim with evidence only teach "no claim there". A position the rules already
    place well (no paragraph it would fix) or one paragraph shows is not learned."""
    first = [("claim", "evidence"), ("evidence", "evidence"), ("evidence", "claim")]
    right = [("claim", "claim"), ("evidence", "evidence")]
    answered = [("counterclaim", "counterclaim"), ("evidence", "claim")]
    examples = (_paragraph("a", 1, first) + _paragraph("a", 2, right) + _paragraph("b", 1, first)
                + _paragraph("b", 2, right) + [e for k in range(3) for e in _paragraph(f"c{k}", 3, answered)])
    assert learning.learned_paragraph_habits(examples) == {"body": "first", "body+counterclaim": "none"}
    assert learning.learned_paragraph_habits([e for k in range(4) for e in _paragraph(f"r{k}", 2, right)]) == {}
    assert learning.learned_paragraph_habits(_paragraph("a", 1, first)) == {}
    # Wrong in one of four paragraphs: 3 of 4 still hold, but one the rules had right breaks.
    mixed = (_paragraph("a", 1, first) + _paragraph("b", 1, first)
             + _paragraph("c", 1, [("evidence", "evidence"), ("claim", "claim")]) + _paragraph("d", 1, right))
    assert learning.learned_paragraph_habits(mixed) == {}
    # Closings that restate the position first and end on a call: a claim at each end.
    ends = [("claim", "claim"), ("evidence", "evidence"), ("claim", "evidence")]
    closings = [e for k in range(3) for e in _paragraph(f"e{k}", 4, ends, role="closing")]
    assert learning.learned_paragraph_habits(closings) == {"closing": "first+last"}


def test_a_paragraph_habit_decides_which_unit_is_the_claim():
    """With the habit "a body paragraph's claim is its first point", the units shown on the
    writer's side compete: the first becomes the claim and the rules' last-unit claim evidence;
    a counterclaim keeps its label; "none" leaves such a paragraph without a claim; the habit
    survives the bytes and the project page says it in words."""
    from annotations.nlp.suggest import CandidateSuggestion

    vocabulary = {name: j for j, name in enumerate(
        [*(f"rule={label}" for label in learning.lexicon.LABELS), "rule_none_logit"])}
    weights, bias = learning._start_weights(vocabulary)
    model = learning.ProjectModel(vocabulary=vocabulary, weights=weights, bias=bias, trained_on=50,
                                  paragraph_habits={"body": "first", "body+counterclaim": "none"})

    def unit(start, label, paragraph=0):
        return CandidateSuggestion(paragraph, start, start + 20, f"Unit at {start}.", label, 0.9, [],
                                   context={"role": "body"})

    body = [unit(0, "evidence"), unit(30, "evidence"), unit(60, "claim")]
    answered = [unit(0, "counterclaim", 1), unit(30, "claim", 1)]
    relabelled = sorted(learning.relabel_suggestions(model, body + answered),
                        key=lambda s: (s.paragraph_index, s.start))
    assert [s.label for s in relabelled] == ["claim", "evidence", "evidence", "counterclaim", "evidence"]
    assert relabelled[0].cues[1] == ("project model: in a paragraph of the body, takes the first point "
                                     "made on the writer's side as its claim, as people here place it")
    plain = learning.ProjectModel(vocabulary=vocabulary, weights=weights, bias=bias, trained_on=50)
    assert [s.label for s in sorted(learning.relabel_suggestions(plain, body), key=lambda s: s.start)] == [
        "evidence", "evidence", "claim"]
    both = learning.ProjectModel(vocabulary=vocabulary, weights=weights, bias=bias, trained_on=50,
                                 paragraph_habits={"body": "first+last"})
    assert [s.label for s in sorted(learning.relabel_suggestions(both, body), key=lambda s: s.start)] == [
        "claim", "evidence", "claim"]
    stored = learning.model_from_bytes(learning.model_to_bytes(model))
    assert stored.paragraph_habits == model.paragraph_habits
    assert learning.learned_lessons(model)[1:] == [
        "in a paragraph of the body, takes the first point made on the writer's side as its claim, "
        "as people here place it",
        "in a paragraph of the body that gives the other side's view, tags no claim (people here "
        "tag none there)"]


def test_simulated_decisions_name_their_paragraph_and_start(nlp):
    """The simulated reviewer's decisions say which paragraph of the text they were made in
    and where their unit starts, as the app's decisions do (its paragraph id, the span's start)."""
    text = "Schools should start later.\n\nTeenagers sleep too little. A study found that."
    item = gold.GoldText("t1", text, [gold.LabelledSpan(0, 26, "claim"),
                                      gold.LabelledSpan(29, 55, "evidence")],
                         gold.line_paragraphs(text))
    found = [(s, offset) for (offset, paragraph), per in zip(item.paragraphs, suggest_paragraphs(
        [p for _o, p in item.paragraphs], nlp=nlp, record_sites=True)) for s in per]
    decided = [e for e in learning_curve.simulated_decisions(item, found) if not e.implicit]
    assert {(e.paragraph, e.start) for e in decided if e.label != "none"} == {("t1#0", 0), ("t1#1", 29)}


def test_a_stored_format_5_model_still_loads():
    """Models stored before paragraph habits (format 5) load, with none."""
    import numpy as np
    import srsly

    names = ["rule=claim", "rule=evidence", "rule=counterclaim", "rule_none_logit"]
    data = srsly.msgpack_dumps({
        "format": 5, "vocabulary": names,
        "weights": np.zeros((len(names), len(learning.CLASSES)), dtype=np.float32).tobytes(),
        "bias": [0.0] * 4, "trained_on": 30, "shells": [], "classes": list(learning.CLASSES),
        "splits": ["class:subordinator|clause"], "keep": [], "shells_kept": [], "shells_cut": [],
        "keep_other_shells": False, "pull": 10.0})
    model = learning.model_from_bytes(data)
    assert model.paragraph_habits == {} and model.splits.split == {"class:subordinator|clause"}


def test_ten_decisions_on_microtexts_never_fall_below_the_rules(nlp, microtexts_dir):
    """Cross-validation needs ``CV_MIN_PER_FOLD`` decisions per fold: ten decisions on two
    microtexts keep the firmest pull, so the measured half is never worse than the rules alone
    (with two per fold, seed 4 chose the freest pull on ten decisions and lost 0.04)."""
    corpus = gold.read_path(microtexts_dir)
    (point,) = learning_curve.learning_curve(corpus, nlp, sizes=(10,), seeds=(4,))
    assert point.learned["exact"][0] >= point.rules["exact"][0]


def test_ten_decisions_without_a_counterclaim_keep_the_rules_counterclaims():
    """Too few decisions for cross-validation to choose a pull: where a unit stands and the
    class biases are held to the rules too. Ten decisions with no counterclaim among them, one
    of them a rejected first unit of a body paragraph, once hid the measured texts'
    counterclaims (the counterclaim bias fell to -2.9, or the first-unit features rose for
    ``none``); now a counterclaim the rules show at 0.7 stays shown and stays a counterclaim."""
    where = {"role=body": 1.0, "unit=first": 1.0, "previous=none": 1.0, "role=body&first": 1.0}
    examples = [_ruled("claim", "claim", document="d1", **where),
                _ruled("none", "counterclaim", document="d1", score=0.6, **where)]
    examples += [_ruled("evidence", "evidence", document=f"d{k % 2}", **{"role=body": 1.0})
                 for k in range(6)]
    examples += [_ruled("claim", "claim", document="d2", **{"role=body": 1.0}) for _ in range(2)]
    model = learning.train_project_model(examples, held_back_share=0.2).model
    counterclaim = _ruled("counterclaim", "counterclaim", score=0.7, **where).features
    (row,) = model.probabilities([counterclaim])
    assert learning.CLASSES[int(row[:3].argmax())] == "counterclaim"
    assert 1.0 - row[learning.CLASSES.index("none")] >= 0.6
    # Once the decisions are enough to choose a pull, the biases follow them as before.
    assert not learning._bias_pull(examples * 2, 30.0).any()


def test_ten_decisions_that_reject_most_of_it_do_not_yet_hide_what_the_rules_show():
    """Below the decisions cross-validation needs, the ``none`` column is held as firmly as the
    labels: six rejections in ten (an op-ed project) relabel nothing away and leave a unit the
    rules show at 0.6 shown (with the ``none`` column free it fell below 0.5)."""
    examples = [_ruled("none", "evidence", document=f"d{k % 3}", score=0.6) for k in range(6)]
    examples += [_ruled("evidence", "evidence", document=f"d{k % 3}", score=0.6) for k in range(4)]
    model = learning.train_project_model(examples, held_back_share=0.2).model
    (row,) = model.probabilities([_ruled("evidence", "evidence", score=0.6).features])
    assert 1.0 - row[learning.CLASSES.index("none")] >= 0.5


def test_a_split_kept_where_a_suggestion_ends_is_counted_as_kept():
    """A person whose units meet where a suggestion ends, at the rules' split point there, keeps
    that split: the lesson says so (before, only merges were read at a suggestion's end, so
    two merges against one kept taught the project to keep ", and" clauses whole)."""
    from annotations.nlp.suggest import CandidateSuggestion

    text = "Cars are loud in town, and buses are slow at night."
    first = CandidateSuggestion(0, 0, 21, text[:21], "evidence", 0.8, [],
                                context={"end_split_key": ", and|clause"})
    kept = learning.boundary_lessons(text, [(0, 21), (27, 51)], first)
    assert kept["split_kept"] == (", and|clause",) and kept["split_merged"] == ()
    merged = learning.boundary_lessons(text, [(0, 51)], first)
    assert merged["split_merged"] == (", and|clause",) and merged["split_kept"] == ()
    # Two merges and two kept: the rules' split point stays.
    lessons = [learning.LabelledExample("x y z", "evidence", split_merged=(", and|clause",))] * 2
    lessons += [learning.LabelledExample("x y z", "evidence", split_kept=(", and|clause",))] * 2
    assert learning.learned_splits(lessons).keep == frozenset()


def test_a_paragraph_habit_is_read_over_the_units_the_rules_showed():
    """Habits are learned as the decoding sees a paragraph: its shown units, a rejected one
    included. Op-ed paragraphs that open with a shown unit people reject and then give their
    claim looked like "the claim stands first" among people's units, and the decoding then made
    the rejected opener the claim; now no habit is learned from them. Paragraphs whose first
    shown unit is the people's claim still teach it."""
    rejected_first = [("none", "evidence"), ("claim", "evidence"), ("evidence", "evidence")]
    examples = [e for k in range(4) for e in _paragraph(f"o{k}", 1, rejected_first)]
    assert learning.learned_paragraph_habits(examples) == {}
    claim_first = [("claim", "evidence"), ("evidence", "evidence"), ("none", "evidence")]
    examples = [e for k in range(4) for e in _paragraph(f"p{k}", 1, claim_first)]
    assert learning.learned_paragraph_habits(examples) == {"body": "first"}


def test_a_label_people_reject_often_is_shown_from_half_its_f1():
    """Per-label thresholds: where people reject 7 of the 10 pieces of evidence the rules show,
    the model's calibrated probability of such evidence falls below 0.5, and hiding it all
    would cost more F1 than showing it; so evidence is shown from half the rules' F1 on it
    (2·3 / (2·3 + 7) = 0.46 -> 0.23), claims people accept keep the caller's threshold. The
    thresholds survive the bytes, format 6 models load without them, fewer than fifteen
    decisions learn none, and the project page says it."""
    import numpy as np
    import srsly

    from annotations.nlp.suggest import CandidateSuggestion

    examples = [_ruled("none", "evidence", document=f"d{k % 5}") for k in range(7)]
    examples += [_ruled("evidence", "evidence", document=f"d{k % 5}") for k in range(3)]
    examples += [_ruled("claim", "claim", document=f"d{k % 5}") for k in range(6)]
    assert learning.learned_label_thresholds(examples) == {"evidence": 0.231, "claim": 0.5}
    assert learning.learned_label_thresholds(examples[:12]) == {}
    vocabulary = {name: j for j, name in enumerate(
        [*(f"rule={label}" for label in learning.lexicon.LABELS), "rule_none_logit"])}
    weights, bias = learning._start_weights(vocabulary)
    model = learning.ProjectModel(vocabulary=vocabulary, weights=weights, bias=bias, trained_on=16,
                                  label_thresholds={"evidence": 0.231})
    unsure = CandidateSuggestion(0, 0, 20, "Bus fares rose by 5%.", "evidence", 0.35, [])
    (shown,) = learning.relabel_suggestions(model, [unsure])
    plain = learning.ProjectModel(vocabulary=vocabulary, weights=weights, bias=bias, trained_on=16)
    (hidden,) = learning.relabel_suggestions(plain, [unsure])
    assert hidden.score < 0.5 <= shown.score
    assert learning.model_from_bytes(learning.model_to_bytes(model)).label_thresholds == {
        "evidence": 0.231}
    names = list(vocabulary)
    old = srsly.msgpack_dumps({
        "format": 6, "vocabulary": names,
        "weights": np.zeros((len(names), len(learning.CLASSES)), dtype=np.float32).tobytes(),
        "bias": [0.0] * 4, "trained_on": 30, "shells": [], "classes": list(learning.CLASSES),
        "splits": [], "keep": [], "shells_kept": [], "shells_cut": [], "keep_other_shells": False,
        "pull": 10.0, "paragraph_habits": {"body": "first"}})
    assert learning.model_from_bytes(old).label_thresholds == {}
    assert learning.learned_lessons(model)[-1] == (
        "shows evidence it is less sure of (from 0.23 instead of 0.50): with how often people "
        "here accept them, hiding them would lose more than showing them")

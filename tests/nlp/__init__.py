"""Tests of the pure NLP core (annotations/nlp): no database, no Django settings."""

"""argmap's one Django app: projects, documents, spans, suggestions, formats and the API."""

"""Server-rendered pages, one module per concern: projects, documents, members, activity,
agreement, curation, exchange, and the classroom: classes, exercises, submissions (their
forms parsed in ``exercise_forms``).

Each view parses the request, calls one selector or service and renders. Domain errors become
error pages (``DomainErrorMiddleware``); the refusals in ``SHOWN_ON_PAGE`` a page reports as a
message on the page the person came from instead.
"""
from annotations.errors import Conflict, InvalidInput, NotFound

# Refusals a page reports as a message and stays; NotPermitted still becomes the 403 page.
SHOWN_ON_PAGE = (InvalidInput, Conflict, NotFound)

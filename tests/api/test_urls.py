"""Every API route answers at its own address: the resources' router comes first in
``annotations.api.urls`` (the hot paths match early), so no later route may be shadowed by it."""
from __future__ import annotations

import pytest
from django.urls import URLPattern, URLResolver, converters, get_resolver, resolve

from annotations.api import urls as api_urls

SAMPLES = {converters.IntConverter: "7", converters.SlugConverter: "some-slug", converters.StringConverter: "someone"}
REGEX_SAMPLES = {"pk": "7", "slug": "some-slug", "format": "json"}


def routes(patterns):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from routes(entry.url_patterns)
        elif isinstance(entry, URLPattern) and entry.name:
            yield entry


def sample_kwargs(route: URLPattern) -> dict[str, str]:
    found = getattr(route.pattern, "converters", {})
    if found:
        return {name: "json" if name == "format" else SAMPLES[type(converter)] for name, converter in found.items()}
    return {name: REGEX_SAMPLES[name] for name in route.pattern.regex.groupindex}


ROUTES = list(routes(api_urls.urlpatterns))


def test_the_router_comes_first():
    """The span and relation routes are tried before the fifty named action routes."""
    first = api_urls.urlpatterns[0]
    assert isinstance(first, URLResolver) and any(route.name == "annotation-list" for route in routes([first]))


@pytest.mark.parametrize("route", ROUTES, ids=[f"{route.name}:{route.pattern}" for route in ROUTES])
def test_each_route_resolves_to_its_own_view(route):
    """The address built from a route's name and sample arguments reaches that route's view
    (names are looked up among the API's routes: some, like ``project-list``, are also pages')."""
    address = "/api/" + get_resolver("annotations.api.urls").reverse(route.name, **sample_kwargs(route))
    match = resolve(address)
    assert (match.url_name, match.func) == (route.name, route.callback), address

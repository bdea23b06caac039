"""A URL map with one view that fails, for the production logging test (the app's own handler500)."""
from django.urls import path

from argmap.urls import handler500, urlpatterns as app_urlpatterns  # noqa: F401  (handler500 is read from here)


def boom(request):
    raise RuntimeError("boom: a deliberate failure for the logging test")


urlpatterns = [path("boom/", boom), path("api/boom/", boom), *app_urlpatterns]

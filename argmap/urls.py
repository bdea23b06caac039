"""argmap's URL map: pages, the admin, the API and its docs, and /favicon.ico for clients that
ask for it without reading the page's <link rel="icon">."""
from django.contrib import admin
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import include, path

# A lost database answers 503 with Retry-After; any other uncaught error a 500 (argmap/faults.py).
handler500 = "argmap.faults.server_error"


def favicon(request):
    return redirect(static("annotations/favicon.svg"), permanent=True)


urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("django.contrib.auth.urls")),
    path("api/", include("annotations.api.urls")),
    path("favicon.ico", favicon, name="favicon"),
    path("", include("annotations.urls")),
]

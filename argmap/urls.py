"""argmap's URL map: pages, the admin, the API and its docs."""
from django.contrib import admin
from django.urls import include, path

# A lost database answers 503 with Retry-After; any other uncaught error a 500 (argmap/faults.py).
handler500 = "argmap.faults.server_error"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("django.contrib.auth.urls")),
    path("api/", include("annotations.api.urls")),
    path("", include("annotations.urls")),
]

"""preference_update and GET/PATCH /api/me/preferences/: the suggestions toggle and threshold,
remembered per person, the site default when unset, refusals that store nothing."""
from __future__ import annotations

import pytest
from django.test import override_settings

from annotations import services
from annotations.errors import InvalidInput
from annotations.models import UserPreference
from annotations.selectors.preferences import preference_get

pytestmark = pytest.mark.django_db


@override_settings(ARGMAP_SUGGESTION_THRESHOLD=0.6)
def test_defaults_then_changes_per_person(people):
    """Suggestions start hidden at the site's threshold; one person's change leaves another's alone."""
    ann, bob = people["annotator"], people["annotator_b"]
    assert preference_get(user=ann) == {"show_suggestions": False, "suggestion_threshold": 0.6, "default_threshold": 0.6}
    services.preference_update(user=ann, show_suggestions=True)
    services.preference_update(user=ann, suggestion_threshold=0.35)
    assert preference_get(user=ann)["show_suggestions"] is True and preference_get(user=ann)["suggestion_threshold"] == 0.35
    assert preference_get(user=bob)["show_suggestions"] is False
    services.preference_update(user=ann, suggestion_threshold=None)
    assert preference_get(user=ann)["suggestion_threshold"] == 0.6


def test_a_threshold_outside_0_1_is_refused_and_nothing_stored(people):
    """1.5 is refused with a message; no row is written."""
    with pytest.raises(InvalidInput, match="between 0 and 1"):
        services.preference_update(user=people["annotator"], suggestion_threshold=1.5)
    assert not UserPreference.objects.exists()


def test_api_reads_and_patches_your_own_preferences(api, people):
    """PATCH answers the whole preference; a bad value is a 400 naming the field; anonymous is 401."""
    client = api.as_user(people["annotator"])
    answer = client.patch("/api/me/preferences/", {"show_suggestions": True, "suggestion_threshold": 0.7}, format="json")
    assert answer.status_code == 200 and answer.json()["show_suggestions"] is True and answer.json()["suggestion_threshold"] == 0.7
    assert client.get("/api/me/preferences/").json()["suggestion_threshold"] == 0.7
    bad = client.patch("/api/me/preferences/", {"suggestion_threshold": 2}, format="json")
    assert bad.status_code == 400 and "suggestion_threshold" in bad.content.decode()
    client.force_authenticate(user=None)
    assert client.get("/api/me/preferences/").status_code == 401

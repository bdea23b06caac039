"""A project's members over the API (``api/members.py``): nobody is added by a username."""
from __future__ import annotations

from annotations.models import Membership


def test_nobody_is_added_by_username(api, people):
    """POST …/members/ adds nobody, for an existing or unknown name alike (no consent, no username oracle)."""
    owner = api.as_user(people["owner"])
    existing = owner.post("/api/projects/cats/members/", {"username": "outsider", "role": "annotator"}, format="json")
    unknown = owner.post("/api/projects/cats/members/", {"username": "no-such-person", "role": "annotator"}, format="json")
    assert existing.status_code == unknown.status_code == 405
    assert existing.json() == unknown.json()
    assert "invitation link" in existing.json()["detail"]
    assert not Membership.objects.filter(project__slug="cats", user=people["outsider"]).exists()

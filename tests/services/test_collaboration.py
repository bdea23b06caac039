"""Invitations by link, sign-up through a link, roles and removal of members."""
from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from annotations import services
from annotations.errors import Conflict, InvalidInput, NotFound, NotPermitted
from annotations.models import Membership, Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_owner_creates_invitation_with_role_and_expiry(project, people):
    """An owner's invitation carries a secret token, the role, its creator and an expiry."""
    invitation = services.invitation_create(project=project, by=people["owner"], role=Role.CURATOR, days=3)
    assert len(invitation.token) >= 30
    assert invitation.role == "curator" and invitation.created_by == people["owner"]
    assert timedelta(days=2, hours=23) < invitation.expires_at - timezone.now() <= timedelta(days=3)


@pytest.mark.parametrize("who", ["curator", "annotator", "viewer"])
def test_only_owner_creates_invitations(project, people, who):
    """Curators, annotators and viewers cannot invite."""
    with pytest.raises(NotPermitted):
        services.invitation_create(project=project, by=people[who], role=Role.ANNOTATOR)


def test_accepting_adds_membership_with_role_and_uses_up_link(project, people):
    """A signed-in person accepting joins with the invitation's role; a single-use link then stops working."""
    invitation = services.invitation_create(project=project, by=people["owner"], role=Role.VIEWER)
    newcomer, second = UserFactory(username="newcomer"), UserFactory(username="second")
    membership = services.invitation_accept(token=invitation.token, user=newcomer)
    assert (membership.project, membership.user, membership.role) == (project, newcomer, "viewer")
    invitation.refresh_from_db()
    assert invitation.use_count == 1
    with pytest.raises(Conflict, match="already been used"):
        services.invitation_accept(token=invitation.token, user=second)
    assert not Membership.objects.filter(user=second).exists()


def test_existing_member_keeps_role_and_link_keeps_its_use(project, people):
    """A member following a link keeps their role and does not use the link up."""
    invitation = services.invitation_create(project=project, by=people["owner"], role=Role.VIEWER)
    membership = services.invitation_accept(token=invitation.token, user=people["curator"])
    assert membership.role == "curator"
    invitation.refresh_from_db()
    assert invitation.use_count == 0


def test_expired_and_revoked_invitations_refused(project, people):
    """Expired or withdrawn links say so and add nobody."""
    expired = services.invitation_create(project=project, by=people["owner"], role=Role.ANNOTATOR)
    expired.expires_at = timezone.now() - timedelta(minutes=1)
    expired.save()
    revoked = services.invitation_create(project=project, by=people["owner"], role=Role.ANNOTATOR)
    services.invitation_revoke(invitation=revoked, by=people["owner"])
    person = UserFactory(username="late")
    with pytest.raises(Conflict, match="expired"):
        services.invitation_accept(token=expired.token, user=person)
    with pytest.raises(Conflict, match="withdrawn"):
        services.invitation_accept(token=revoked.token, user=person)
    with pytest.raises(NotFound):
        services.invitation_accept(token="no-such-token", user=person)
    assert not Membership.objects.filter(user=person).exists()


def test_members_page_says_why_each_link_no_longer_works(client, project, people):
    """The owner's list of links names each one's state: active, used up, expired or withdrawn."""
    active = services.invitation_create(project=project, by=people["owner"], role=Role.ANNOTATOR, note="active one")
    used = services.invitation_create(project=project, by=people["owner"], role=Role.ANNOTATOR, note="used one")
    services.invitation_accept(token=used.token, user=UserFactory(username="joiner"))
    expired = services.invitation_create(project=project, by=people["owner"], role=Role.VIEWER, note="old one")
    expired.expires_at = timezone.now() - timedelta(minutes=1)
    expired.save()
    withdrawn = services.invitation_create(project=project, by=people["owner"], role=Role.VIEWER, note="taken back")
    services.invitation_revoke(invitation=withdrawn, by=people["owner"])
    client.force_login(people["owner"])
    page = client.get(f"/p/{project.slug}/members/").content.decode()
    states = {}
    for invitation in (active, used, expired, withdrawn):
        row = page[page.index(f'data-invitation="{invitation.pk}"'):]
        row = row[:row.index("</tr>")]
        states[invitation.note] = row[row.index('data-label="State">') + len('data-label="State">'):].split("<")[0]
    assert states == {"active one": "active", "used one": "used up", "old one": "expired", "taken back": "withdrawn"}


def test_multi_use_link_admits_that_many(project, people):
    """A link for three people admits three and refuses the fourth."""
    invitation = services.invitation_create(project=project, by=people["owner"], role=Role.ANNOTATOR, max_uses=3)
    for number in range(3):
        services.invitation_accept(token=invitation.token, user=UserFactory(username=f"student{number}"))
    with pytest.raises(Conflict):
        services.invitation_accept(token=invitation.token, user=UserFactory(username="student3"))
    assert Membership.objects.filter(project=project, role="annotator").count() == 2 + 3


def test_sign_up_through_invitation_creates_user_and_membership(project, people):
    """Signing up through a link creates the account and joins the project in one go."""
    invitation = services.invitation_create(project=project, by=people["owner"], role=Role.ANNOTATOR)
    user = services.user_sign_up(
        token=invitation.token, username="fresh", email="fresh@example.org",
        password="a long enough passphrase", password_again="a long enough passphrase",
    )
    assert user.check_password("a long enough passphrase")
    assert Membership.objects.get(project=project, user=user).role == "annotator"


def test_sign_up_racing_another_for_the_same_name_is_a_conflict(project, people, monkeypatch):
    """A name taken between the check and the save (two sign-ups at once) is a Conflict, not a 500."""
    from annotations.services import collaboration

    invitation = services.invitation_create(project=project, by=people["owner"], role=Role.ANNOTATOR)
    real_validate = collaboration.password_validation.validate_password

    def validate_while_another_signs_up(password, user=None):
        UserFactory(username="racer")  # the other request commits its account now
        return real_validate(password, user)

    monkeypatch.setattr(collaboration.password_validation, "validate_password", validate_while_another_signs_up)
    with pytest.raises(Conflict, match="taken"):
        services.user_sign_up(
            token=invitation.token, username="racer", email="",
            password="a long enough passphrase", password_again="a long enough passphrase",
        )
    assert not Membership.objects.filter(project=project, user__username="racer").exists()


@pytest.mark.parametrize(
    "username, password, again, error",
    [
        ("owner", "a long enough passphrase", "a long enough passphrase", "taken"),
        ("fresh", "a long enough passphrase", "another long passphrase", "differ"),
        ("fresh", "short", "short", "too short"),
        ("bad name!", "a long enough passphrase", "a long enough passphrase", "username"),
    ],
)
def test_sign_up_refusals_name_the_problem(project, people, username, password, again, error):
    """Taken names, mismatched or weak passwords and bad usernames are refused with a reason; nobody joins."""
    invitation = services.invitation_create(project=project, by=people["owner"], role=Role.ANNOTATOR)
    with pytest.raises((InvalidInput, Conflict), match=error):
        services.user_sign_up(token=invitation.token, username=username, email="", password=password, password_again=again)
    invitation.refresh_from_db()
    assert invitation.use_count == 0


def test_roles_change_and_last_owner_is_kept(project, people):
    """The owner changes roles; the only owner can neither step down nor be removed."""
    services.membership_change_role(project=project, user=people["viewer"], role=Role.ANNOTATOR, by=people["owner"])
    assert Membership.objects.get(project=project, user=people["viewer"]).role == "annotator"
    with pytest.raises(Conflict, match="needs an owner"):
        services.membership_change_role(project=project, user=people["owner"], role=Role.VIEWER, by=people["owner"])
    with pytest.raises(Conflict, match="needs an owner"):
        services.membership_remove(project=project, user=people["owner"], by=people["owner"])
    with pytest.raises(Conflict, match="needs an owner"):
        services.membership_set(project=project, user=people["owner"], role=Role.VIEWER, by=people["owner"])


def test_members_leave_but_only_owner_removes_others(project, people):
    """A member may leave; removing someone else needs the owner."""
    with pytest.raises(NotPermitted):
        services.membership_remove(project=project, user=people["annotator_b"], by=people["curator"])
    services.membership_remove(project=project, user=people["viewer"], by=people["viewer"])
    services.membership_remove(project=project, user=people["annotator_b"], by=people["owner"])
    assert set(Membership.objects.filter(project=project).values_list("user__username", flat=True)) == {
        "owner", "curator", "annotator",
    }


def test_invitation_page_signs_up_and_logs_in(client, project, people):
    """The invitation page's sign-up form creates the account, signs in and opens the project."""
    invitation = services.invitation_create(project=project, by=people["owner"], role=Role.ANNOTATOR)
    url = f"/invite/{invitation.token}/"
    page = client.get(url)
    assert page.status_code == 200 and b"Create an account" in page.content
    response = client.post(url, {"username": "joiner", "email": "", "password": "pass phrase long", "password_again": "pass phrase long"})
    assert response.status_code == 302 and response["Location"] == f"/p/{project.slug}/"
    assert client.get(f"/p/{project.slug}/").status_code == 200


def test_invitation_page_accept_while_signed_in(client, project, people):
    """A signed-in visitor accepts with one button."""
    invitation = services.invitation_create(project=project, by=people["owner"], role=Role.CURATOR)
    person = UserFactory(username="signedin")
    client.force_login(person)
    assert b"Accept and join" in client.get(f"/invite/{invitation.token}/").content
    assert client.post(f"/invite/{invitation.token}/").status_code == 302
    assert Membership.objects.get(project=project, user=person).role == "curator"


def test_password_reset_sends_console_mail_and_pages_render(client, mailoutbox, people):
    """The reset form mails a link; change and reset pages use our templates."""
    response = client.post("/accounts/password_reset/", {"email": "viewer@example.org"})
    assert response.status_code == 302
    assert len(mailoutbox) == 1 and "/accounts/reset/" in mailoutbox[0].body
    assert b"Forgot your password?" in client.get("/accounts/password_reset/").content
    client.force_login(people["viewer"])
    page = client.get("/accounts/password_change/")
    assert page.status_code == 200 and b"Change your password" in page.content

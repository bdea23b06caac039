"""Rate limits on sign-in (site, admin, API token) per account and per address, answering 429
with when to try again; sign-ups through an invitation link are limited per address and only
reachable with a valid link, so the "username is taken" answer is no oracle for strangers."""
from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from django.db import connections
from django.test import Client
from django.utils import timezone

from annotations import services
from annotations.models import Role, SignInThrottle
from annotations.services import throttle
from tests.factories import UserFactory

GOOD = "pass-word-123"  # the factories' password


@pytest.fixture
def limits(settings):
    settings.ARGMAP_SIGNIN_LIMIT_ACCOUNT = 3
    settings.ARGMAP_SIGNIN_LIMIT_ADDRESS = 6
    settings.ARGMAP_SIGNUP_LIMIT_ADDRESS = 2
    return settings


def page_login(client, path, username, password):
    return client.post(path, {"username": username, "password": password})


def token_login(client, username, password):
    return client.post("/api/auth/token/", {"username": username, "password": password}, content_type="application/json")


@pytest.mark.parametrize("path", ["/accounts/login/", "/admin/login/"])
def test_login_pages_refuse_after_too_many_failures_for_an_account(db, limits, path):
    """After 3 wrong passwords for one account, even the right one is refused with 429 saying when to try again."""
    UserFactory(username="victim", is_staff=True)
    client = Client()
    for _ in range(3):
        assert page_login(client, path, "victim", "wrong").status_code == 200  # the form with its error
    refused = page_login(client, path, "Victim", GOOD)  # the account, whatever the case
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    text = refused.content.decode()
    assert "Too many failed sign-ins for this account. Try again in " in text
    assert re.search(r"Try again in \d+ minutes? \(after \d\d:\d\d UTC\)", text)
    assert "_auth_user_id" not in client.session


def test_token_endpoint_refuses_with_json(db, limits):
    """The API token endpoint answers 429 JSON with Retry-After once the account's limit is reached."""
    UserFactory(username="scripted")
    client = Client()
    for _ in range(3):
        assert token_login(client, "scripted", "wrong").status_code == 400
    refused = token_login(client, "scripted", GOOD)
    assert refused.status_code == 429 and refused["Content-Type"] == "application/json"
    assert refused.json()["detail"].startswith("Too many failed sign-ins for this account. Try again in ")
    assert int(refused["Retry-After"]) > 0


def test_address_limit_covers_many_accounts(db, limits):
    """Guessing across accounts from one address stops at the address limit (6), other addresses are unaffected."""
    for index in range(7):
        UserFactory(username=f"user{index}")
    client = Client(REMOTE_ADDR="203.0.113.9")
    statuses = [page_login(client, "/accounts/login/", f"user{index}", "wrong").status_code for index in range(7)]
    assert statuses == [200] * 6 + [429]
    assert "from your address" in page_login(client, "/accounts/login/", "user0", GOOD).content.decode()
    other = Client(REMOTE_ADDR="198.51.100.7")
    assert page_login(other, "/accounts/login/", "user6", GOOD).status_code == 302


def test_success_clears_the_account_count(db, limits):
    """A right password before the limit clears the account's failures (people mistype)."""
    UserFactory(username="typo")
    client = Client()
    for _ in range(2):
        page_login(client, "/accounts/login/", "typo", "wrong")
    assert page_login(client, "/accounts/login/", "typo", GOOD).status_code == 302
    assert not SignInThrottle.objects.filter(scope="account", key="typo").exists()
    client.logout()
    for _ in range(3):
        assert page_login(client, "/accounts/login/", "typo", "wrong").status_code == 200


def test_window_passes(db, limits):
    """Failures in a past window do not count in the next one."""
    earlier = timezone.now() - timedelta(minutes=20)
    for _ in range(3):
        throttle.signin_attempt_reserve(username="late", address="192.0.2.1", now=earlier)
    with pytest.raises(throttle.Throttled):
        throttle.signin_attempt_reserve(username="late", address="192.0.2.1", now=earlier)
    throttle.signin_attempt_reserve(username="late", address="192.0.2.1")


@pytest.mark.django_db(transaction=True)
def test_concurrent_guesses_cannot_pass_the_limit(limits):
    """Twelve guesses at once for one account: exactly 3 reach the password check, 9 are refused."""
    UserFactory(username="raced")

    def guess(_):
        try:
            return page_login(Client(), "/accounts/login/", "raced", "wrong").status_code
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=6) as pool:
        statuses = sorted(pool.map(guess, range(12)))
    assert statuses == [200] * 3 + [429] * 9
    assert SignInThrottle.objects.get(scope="account", key="raced").attempts == 12


def test_sign_up_needs_a_valid_link_and_is_limited(db, limits):
    """A stranger without a valid link learns nothing; with one, sign-up attempts from an address stop at the limit."""
    owner = UserFactory(username="boss")
    UserFactory(username="taken")
    project = services.project_create(name="Club", slug="club", creator=owner)
    invitation = services.invitation_create(project=project, by=owner, role=Role.ANNOTATOR, max_uses=5)
    client = Client(REMOTE_ADDR="203.0.113.50")
    form = {"username": "taken", "email": "", "password": "a long pass phrase", "password_again": "a long pass phrase"}
    assert client.post("/invite/not-a-token/", form).status_code == 404
    first = client.post(f"/invite/{invitation.token}/", form)
    assert first.status_code == 400 and "is taken" in first.content.decode()
    assert client.post(f"/invite/{invitation.token}/", {**form, "username": "fresh1", "password_again": "x"}).status_code == 400
    refused = client.post(f"/invite/{invitation.token}/", {**form, "username": "fresh2"})
    assert refused.status_code == 429 and "Too many sign-up attempts from your address" in refused.content.decode()
    assert not type(owner).objects.filter(username="fresh2").exists()


def test_revoked_link_refuses_before_the_username_check(db, limits):
    """With a withdrawn link the form never says whether a username exists."""
    owner = UserFactory(username="boss2")
    UserFactory(username="taken2")
    project = services.project_create(name="Club2", slug="club2", creator=owner)
    invitation = services.invitation_create(project=project, by=owner, role=Role.ANNOTATOR)
    services.invitation_revoke(invitation=invitation, by=owner)
    response = Client().post(f"/invite/{invitation.token}/", {"username": "taken2", "email": "", "password": "a long pass phrase",
                                                            "password_again": "a long pass phrase"})
    assert response.status_code == 400 and "taken" not in response.content.decode()


@pytest.mark.parametrize("body", [
    '{"username": "a\\u0000b", "password": "x"}',  # PostgreSQL cannot store the NUL in the counting key
    '{"username": "a\\ud800b", "password": "x"}',  # nor a lone surrogate (and the error page failed to encode it)
    '{"username": ' * 5000 + '"a"' + '}' * 5000,  # the middleware's json.loads hit Python's recursion limit
    "[" * 100_000 + "]" * 100_000,
])
def test_token_endpoint_answers_a_hostile_body_with_a_400(db, limits, body):
    """A NUL or lone surrogate in the username, or a body nested thousands deep, is a 400 from the token
    endpoint (it was a 500 from the sign-in limit before any password was checked), and still counts."""
    client = Client(raise_request_exception=False)
    response = client.post("/api/auth/token/", body.encode("utf-8", "surrogatepass"), content_type="application/json")
    assert response.status_code == 400, response.content[:200]
    assert response["Content-Type"] == "application/json"
    assert SignInThrottle.objects.filter(scope=throttle.Scope.ADDRESS).get().attempts == 1


@pytest.mark.parametrize("path", ["/accounts/login/", "/admin/login/"])
def test_login_pages_answer_a_nul_in_the_username_without_a_500(db, limits, path):
    """A NUL in the typed username (form encoded as %00) is counted under a storable key; the form answers, no 500."""
    client = Client(raise_request_exception=False)
    response = client.post(path, "username=a%00b&password=x", content_type="application/x-www-form-urlencoded")
    assert response.status_code in (200, 400), response.content[:200]
    assert SignInThrottle.objects.filter(scope=throttle.Scope.ACCOUNT).get().key == "a\ufffdb"

"""Production settings come from the environment: with the variables of the README's
"Production settings" table set, ``check --deploy`` is clean; without them it warns; mail must
be configured with DEBUG off and the console backend (which logs reset links) is refused."""
from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.paths import REPOSITORY

PRODUCTION = {
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": "prod-" + "x9Kq2LmZ7vB4nR8tW1yH5jD3fG6sA0pE" * 2,
    "DJANGO_ALLOWED_HOSTS": "argmap.example.org",
    "DJANGO_CSRF_TRUSTED_ORIGINS": "https://argmap.example.org",
    "DJANGO_SECURE_SSL_REDIRECT": "1",
    "DJANGO_SECURE_HSTS_SECONDS": "31536000",
    "DJANGO_SECURE_HSTS_PRELOAD": "1",
    "DJANGO_SECURE_COOKIES": "1",
    "DJANGO_SECURE_PROXY_SSL_HEADER": "X-Forwarded-Proto",
    "DJANGO_EMAIL_HOST": "smtp.example.org",
}


def run(code_or_args, env_overrides, drop=()):
    environment = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "ARGMAP_MAIL"))}
    environment.update(env_overrides)
    for key in drop:
        environment.pop(key, None)
    args = code_or_args if isinstance(code_or_args, list) else ["-c", code_or_args]
    return subprocess.run([sys.executable, *args], cwd=REPOSITORY, env=environment, capture_output=True,
                          text=True, timeout=240)


def test_check_deploy_is_clean_with_the_production_variables():
    """DJANGO_DEBUG=0 manage.py check --deploy --fail-level WARNING passes with no issue at all."""
    result = run([str(REPOSITORY / "manage.py"), "check", "--deploy", "--fail-level", "WARNING"], PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_check_deploy_warns_without_them():
    """The same check without the HTTPS variables names HSTS, the SSL redirect and both cookies."""
    bare = {key: PRODUCTION[key] for key in ("DJANGO_DEBUG", "DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS", "DJANGO_EMAIL_HOST")}
    result = run([str(REPOSITORY / "manage.py"), "check", "--deploy"], bare)
    for warning in ("security.W004", "security.W008", "security.W012", "security.W016"):
        assert warning in result.stdout + result.stderr


def test_settings_read_from_the_environment():
    """Each variable lands in its Django setting (the proxy header in Django's META form)."""
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SECURE_HSTS_PRELOAD, "
        "s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_PROXY_SSL_HEADER, s.CSRF_TRUSTED_ORIGINS, "
        "s.ALLOWED_HOSTS, s.EMAIL_BACKEND)"
    )
    result = run(code, {**PRODUCTION, "DJANGO_SETTINGS_MODULE": "argmap.settings"})
    assert result.stdout.strip().splitlines()[-1] == (
        "True 31536000 True True True True ('HTTP_X_FORWARDED_PROTO', 'https') ['https://argmap.example.org'] "
        "['argmap.example.org'] django.core.mail.backends.smtp.EmailBackend"
    )


@pytest.mark.parametrize("mail, message", [
    ({}, "with DJANGO_DEBUG=0 choose how mail is sent"),
    ({"DJANGO_EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"},
     "the console e-mail backend writes password-reset links into the server's log"),
])
def test_debug_off_needs_a_mail_backend_and_refuses_the_console(mail, message):
    """With DEBUG off and no mail configured, or the console backend, every command stops with one line."""
    environment = {**{k: v for k, v in PRODUCTION.items() if k != "DJANGO_EMAIL_HOST"}, **mail}
    result = run([str(REPOSITORY / "manage.py"), "check"], environment)
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [f"argmap cannot start: {message}" + result.stderr.strip().split(message, 1)[1]]


def test_mail_off_is_said_in_one_line():
    """DJANGO_EMAIL_BACKEND=off runs with mail dropped and says so in one line on stderr."""
    environment = {**{k: v for k, v in PRODUCTION.items() if k != "DJANGO_EMAIL_HOST"}, "DJANGO_EMAIL_BACKEND": "off"}
    result = run([str(REPOSITORY / "manage.py"), "check", "--deploy", "--fail-level", "WARNING"], environment)
    assert result.returncode == 0, result.stderr
    assert result.stderr.strip().splitlines() == [
        "argmap: mail is off (DJANGO_EMAIL_BACKEND=off): password-reset e-mails are not sent"
    ]

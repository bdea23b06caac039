"""Tests for ``manage.py evaluate_suggestions`` (run once the Django settings exist)."""
import io
import os
import re

import pytest


def django_is_configured() -> bool:
    if not os.environ.get("DJANGO_SETTINGS_MODULE"):
        return False
    try:
        from django.conf import settings

        return "annotations" in settings.INSTALLED_APPS
    except Exception:  # noqa: BLE001 - any settings problem means: not configured here
        return False


pytestmark = pytest.mark.skipif(not django_is_configured(),
                                reason="needs the Django settings (pytest-django)")


def test_command_prints_table_and_macro_f1_last(microtexts_dir):
    """The command prints both tables and ends with 'macro-F1 X.XX'."""
    from django.core.management import call_command

    output = io.StringIO()
    call_command("evaluate_suggestions", "--corpus", str(microtexts_dir), "--limit", "3",
                 stdout=output)
    lines = output.getvalue().strip().splitlines()
    assert any(line.startswith("counterclaim") for line in lines)
    assert re.fullmatch(r"macro-F1 \d\.\d\d", lines[-1])


def test_command_names_a_bad_corpus(tmp_path):
    """A directory without microtexts is a CommandError naming it."""
    from django.core.management import call_command
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="no arg-microtexts"):
        call_command("evaluate_suggestions", "--corpus", str(tmp_path))

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
    assert "score >= 0.50" in output.getvalue()  # the default threshold, from the settings
    assert re.fullmatch(r"macro-F1 \d\.\d\d", lines[-1])


def test_command_reads_brat_with_a_label_map_and_writes_json(tmp_path):
    """Brat essays with --map and --json: the file holds the per-label counts of the gold."""
    import json

    from django.core.management import call_command

    from tests.nlp.essays import ESSAYS_HELD_OUT

    target = tmp_path / "figures.json"
    call_command("evaluate_suggestions", str(ESSAYS_HELD_OUT), "--map", "MajorClaim=none",
                 "--threshold", "0", "--json", str(target), stdout=io.StringIO())
    figures = json.loads(target.read_text())
    assert figures["texts"] == 6 and figures["threshold"] == 0.0
    claims = figures["modes"]["exact"]["labels"]["claim"]
    stated = sum(line.split("\t")[1].startswith("Claim ")
                 for path in ESSAYS_HELD_OUT.glob("*.ann") for line in path.read_text().splitlines()
                 if line.startswith("T"))
    against = sum(line.endswith("Against") for path in ESSAYS_HELD_OUT.glob("*.ann")
                  for line in path.read_text().splitlines())
    assert claims["gold"] == stated - against
    assert figures["modes"]["exact"]["labels"]["counterclaim"]["gold"] == against


def test_command_refuses_a_bad_map(microtexts_dir):
    """A --map without '=' is a CommandError that shows the expected form."""
    from django.core.management import call_command
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="FROM=TO"):
        call_command("evaluate_suggestions", str(microtexts_dir), "--map", "Premise")


def test_command_names_a_bad_corpus(tmp_path):
    """A directory without microtexts is a CommandError naming it."""
    from django.core.management import call_command
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="no arg-microtexts"):
        call_command("evaluate_suggestions", "--corpus", str(tmp_path))


def test_learning_curve_command_prints_one_row_per_size(tmp_path):
    """learning_curve on the dev essays prints a row per --sizes value, then the load average, and
    writes the JSON."""
    import json

    from django.core.management import call_command

    from tests.nlp.essays import ESSAYS_DEV

    output = io.StringIO()
    target = tmp_path / "curve.json"
    call_command("learning_curve", str(ESSAYS_DEV), "--map", "MajorClaim=claim", "--sizes", "10,20",
                 "--seeds", "2", "--json", str(target), stdout=output)
    lines = output.getvalue().splitlines()
    rows = [line.split() for line in lines[2:-1]]
    assert [row[0] for row in rows] == ["10", "20"]
    assert re.fullmatch(r"load average \d+\.\d \d+\.\d \d+\.\d", lines[-1])  # read figures with the load
    figures = json.loads(target.read_text())
    assert [point["decisions"] for point in figures] == [10, 20]
    assert all(len(point["learned"]["exact"]) == 2 for point in figures)


def test_learning_curve_command_refuses_bad_sizes():
    """--sizes that are not numbers are a CommandError saying what is expected."""
    from django.core.management import call_command
    from django.core.management.base import CommandError

    from tests.nlp.essays import ESSAYS_DEV

    with pytest.raises(CommandError, match="numbers separated by commas"):
        call_command("learning_curve", str(ESSAYS_DEV), "--sizes", "ten")

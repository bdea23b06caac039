"""tests/ mirrors the code (tests/README.md): every module of annotations/services/ has its tests in
tests/services/test_<module>.py, and tests/services/ holds no test file named after no module."""
from __future__ import annotations

from pathlib import Path

TESTS = Path(__file__).resolve().parent
SERVICES = TESTS.parent / "annotations" / "services"


def modules(folder: Path) -> set[str]:
    return {path.stem for path in folder.glob("*.py") if path.stem != "__init__"}


def test_every_service_module_has_a_test_file_of_its_name():
    """A new services/<name>.py fails here until tests/services/test_<name>.py exists."""
    tested = {path.stem.removeprefix("test_") for path in (TESTS / "services").glob("test_*.py")}
    assert modules(SERVICES) - tested == set()


def test_every_services_test_file_is_named_after_a_service_module():
    """No tests/services/test_<name>.py for a module that does not exist (renamed or merged away)."""
    tested = {path.stem.removeprefix("test_") for path in (TESTS / "services").glob("test_*.py")}
    assert tested - modules(SERVICES) == set()


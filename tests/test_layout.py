"""tests/ mirrors the code (tests/README.md): a module's tests are in the folder of its layer, in a
file named after it. For services that is exactly one file per module, both ways; for the API,
selectors, tasks, the NLP, agreement, the ``argmap`` package and the app root, every test file is
named after a module of the mirrored folder (``test_<module>.py``, or ``test_<module>_<aspect>.py``
for a big module split by resource or aspect), or is one of the few files of cross-cutting rules
listed here."""
from __future__ import annotations

from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent
REPO = TESTS.parent
APP = REPO / "annotations"

# tests folder → (the code it mirrors, the files of rules that hold across that code's modules)
MIRRORED = {
    "api": (APP / "api", {
        "concurrency", "error_shape", "malformed_bodies", "parameters", "permissions", "query_counts",
        "response_schemas", "schemathesis",
    }),
    "selectors": (APP / "selectors", set()),
    "tasks": (APP / "tasks", set()),
    "nlp": (APP / "nlp", set()),
    "agreement": (APP / "agreement", set()),
    "argmap": (REPO / "argmap", set()),
    ".": (APP, {"end_to_end", "imports", "layout", "requirements"}),
}


def modules(folder: Path) -> set[str]:
    return {path.stem for path in folder.glob("*.py") if path.stem != "__init__"}


def files_named(folder: Path) -> set[str]:
    return {path.stem.removeprefix("test_") for path in folder.glob("test_*.py")}


def test_every_service_module_has_a_test_file_of_its_name():
    """A new services/<name>.py fails here until tests/services/test_<name>.py exists."""
    assert modules(APP / "services") - files_named(TESTS / "services") == set()


def test_every_services_test_file_is_named_after_a_service_module():
    """No tests/services/test_<name>.py for a module that does not exist (renamed or merged away)."""
    assert files_named(TESTS / "services") - modules(APP / "services") == set()


@pytest.mark.parametrize("folder", sorted(MIRRORED))
def test_every_test_file_is_named_after_a_module_of_the_code_it_mirrors(folder):
    """tests/<folder>/test_<name>.py: <name> is a module there (or <module>_<aspect>), or a listed cross-cutting rule."""
    code, cross_cutting = MIRRORED[folder]
    names = modules(code)
    stray = {
        name for name in files_named(TESTS / folder) - cross_cutting
        if name not in names and not any(name.startswith(f"{module}_") for module in names)
    }
    assert stray == set(), f"name these after a module of {code.relative_to(REPO)} (tests/README.md)"


def test_the_cross_cutting_files_exist():
    """Each file of rules listed above is there (a rename updates the list and tests/README.md)."""
    for folder, (_code, cross_cutting) in MIRRORED.items():
        assert cross_cutting <= files_named(TESTS / folder), folder

"""The lock file: every package the code imports is listed in requirements.in, and
requirements.txt pins each of them and everything they pull in to one version."""
from __future__ import annotations

import ast
import re
import sys
from importlib.metadata import PackageNotFoundError, packages_distributions, requires, version

from packaging.requirements import Requirement

from tests.paths import REPOSITORY

CODE_FOLDERS = ["annotations", "argmap", "tests", "bench"]
LOCAL_MODULES = {"annotations", "argmap", "tests", "bench", "conftest", "manage"}


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def listed(path) -> dict[str, str]:
    """Requirement lines of a requirements file: canonical name → the rest of the line."""
    names = {}
    for line in path.read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if not line or line.startswith("-"):
            continue
        match = re.match(r"([A-Za-z0-9][A-Za-z0-9._-]*)(\[[^\]]*\])?\s*(.*)", line)
        names[canonical(match.group(1))] = match.group(3)
    return names


def imported_top_level_modules() -> set[str]:
    modules = set()
    for folder in CODE_FOLDERS:
        for path in (REPOSITORY / folder).rglob("*.py"):
            tree = ast.parse(path.read_text(), filename=str(path))
            for node in ast.walk(tree):
                if isinstance(node, ast.Import):
                    modules.update(alias.name.split(".")[0] for alias in node.names)
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    modules.add(node.module.split(".")[0])
    return modules


def test_every_imported_package_is_listed_in_requirements_in():
    """A module the code imports that is neither standard library nor ours comes from a package named in requirements.in."""
    direct = listed(REPOSITORY / "requirements.in")
    owners = packages_distributions()
    missing = []
    for module in sorted(imported_top_level_modules()):
        if module in sys.stdlib_module_names or module in LOCAL_MODULES or module.startswith("test_"):
            continue
        if any(any((REPOSITORY / folder).glob(pattern)) for folder in CODE_FOLDERS for pattern in (f"**/{module}.py", f"**/{module}/")) \
                or (REPOSITORY / module).is_dir():
            continue  # one of our own modules (a test helper, a bench script) imported by name
        distributions = {canonical(name) for name in owners.get(module, [])}
        if not distributions & set(direct):
            missing.append(f"{module} (from {', '.join(sorted(distributions)) or 'no installed package'})")
    assert not missing, "imported but not in requirements.in: " + "; ".join(missing)


def test_lock_pins_every_direct_requirement_and_its_dependencies():
    """requirements.txt pins with == every package of requirements.in and every package they require."""
    direct = listed(REPOSITORY / "requirements.in")
    lock = listed(REPOSITORY / "requirements.txt")
    unpinned = [name for name, rest in lock.items() if not re.fullmatch(r"==\s*[^\s;,]+", rest)]
    assert not unpinned, f"not pinned to one version in requirements.txt: {unpinned}"
    assert not set(direct) - set(lock), f"in requirements.in but not in the lock: {sorted(set(direct) - set(lock))}"
    unlocked = set()
    for name in lock:
        try:
            needs = requires(name) or []
        except PackageNotFoundError:
            continue
        for line in needs:
            requirement = Requirement(line)
            if requirement.marker is not None and not requirement.marker.evaluate({"extra": ""}):
                continue  # another platform or Python, or an extra we do not use
            dependency = canonical(requirement.name)
            if dependency not in lock:
                unlocked.add(f"{dependency} (needed by {name})")
    assert not unlocked, f"dependencies missing from the lock: {sorted(unlocked)}"


def test_installed_versions_are_the_locked_ones():
    """The environment the tests run in is the one the lock describes (what a newcomer gets)."""
    lock = listed(REPOSITORY / "requirements.txt")
    differing = []
    for name, rest in lock.items():
        try:
            installed = version(name)
        except PackageNotFoundError:
            differing.append(f"{name}: not installed")
            continue
        if installed != rest.removeprefix("==").strip():
            differing.append(f"{name}: {installed} installed, {rest} locked")
    assert not differing, "; ".join(differing)


def test_html_cleaner_is_installed_from_the_lock():
    """lxml_html_clean, which lxml 6 no longer brings as an extra for older pips, is in the lock and importable."""
    assert "lxml-html-clean" in listed(REPOSITORY / "requirements.txt")
    import lxml.html.clean  # noqa: F401  (raises ImportError without lxml_html_clean)

"""The app's modules form an import tree: no circles, none hidden by imports inside functions
(the app's own modules are imported at the top, where a circle would show), and each module
imports on its own in a fresh interpreter."""
from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "annotations"
# Imports that run inside a function on purpose: Django's AppConfig.ready() registers the checks.
ALLOWED_INNER = {("annotations.apps", "annotations.checks")}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _modules() -> dict[str, Path]:
    return {
        _module_name(path): path for path in sorted(APP.rglob("*.py"))
        if "migrations" not in path.parts and "static" not in path.parts
    }


def _targets(node: ast.AST, module: str, is_package: bool, known: set[str]) -> set[str]:
    """The app modules an import statement loads: the named modules and the packages above them,
    except the importing module's own packages (they are always loaded before it)."""
    if isinstance(node, ast.Import):
        names = [alias.name for alias in node.names]
    else:
        base = node.module or ""
        if node.level:
            anchor = module.split(".") if is_package else module.split(".")[:-1]
            anchor = anchor[: len(anchor) - node.level + 1]
            base = ".".join(anchor + ([base] if base else []))
        names = [base] + [f"{base}.{alias.name}" for alias in node.names]
    own_packages = {".".join(module.split(".")[:end]) for end in range(1, module.count(".") + 1 + is_package)}
    found = set()
    for name in names:
        parts = name.split(".")
        for end in range(1, len(parts) + 1):
            candidate = ".".join(parts[:end])
            if candidate in known and candidate not in own_packages:
                found.add(candidate)
    return found


def _graph() -> tuple[dict[str, set[str]], list[tuple[str, str, int]]]:
    modules = _modules()
    known = set(modules)
    edges, inner = {}, []
    for name, path in modules.items():
        tree = ast.parse(path.read_text(), filename=str(path))
        top = set()
        for node in tree.body:
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                top |= _targets(node, name, path.name == "__init__.py", known)
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                for inside in ast.walk(node):
                    if isinstance(inside, (ast.Import, ast.ImportFrom)):
                        for target in _targets(inside, name, path.name == "__init__.py", known):
                            if (name, target) not in ALLOWED_INNER:
                                inner.append((name, target, inside.lineno))
        edges[name] = top - {name}
    return edges, inner


def _libraries() -> set[str]:
    """The third-party modules the app imports (loaded once in the parent of the forks, to save time)."""
    found = set()
    for path in _modules().values():
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                found |= {alias.name for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                found.add(node.module)
    return {name for name in found if name.split(".")[0] not in {"annotations", "argmap", "tests"}}


def _cycle(edges: dict[str, set[str]]) -> list[str] | None:
    state, stack = {}, []

    def visit(node):
        state[node] = "open"
        stack.append(node)
        for target in sorted(edges.get(node, ())):
            if state.get(target) == "open":
                return stack[stack.index(target):] + [target]
            if target not in state:
                found = visit(target)
                if found:
                    return found
        stack.pop()
        state[node] = "done"
        return None

    for node in sorted(edges):
        if node not in state:
            found = visit(node)
            if found:
                return found
    return None


def test_no_import_circle_among_the_apps_modules():
    """Following the top-level imports (and each module's packages) never comes back to where it started."""
    edges, _ = _graph()
    assert _cycle(edges) is None, " -> ".join(_cycle(edges))


def test_no_import_inside_a_function_hides_a_circle():
    """Moving every function-level import of an app module to the top would still make no circle."""
    edges, inner = _graph()
    for module, target, _line in inner:
        edges[module] = edges[module] | {target}
    assert _cycle(edges) is None, " -> ".join(_cycle(edges))


def test_outside_nlp_the_apps_modules_are_imported_at_the_top():
    """Only ``annotations.nlp`` (which loads spaCy and the format readers when it needs them) imports
    app modules inside functions; everything else imports them at the top."""
    _, inner = _graph()
    inside = [
        (module, target, line) for module, target, line in inner
        if not module.startswith("annotations.nlp")
    ]
    assert inside == [], "\n".join(f"{module}:{line} imports {target}" for module, target, line in inside)


def test_the_checker_finds_a_circle():
    """The circle finder reports a loop it is given (so the test above can fail)."""
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": set()}) is None


FRESH_IMPORT = """
import importlib, os, sys
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "argmap.settings")
import django
django.setup()
for library in os.environ["LIBRARIES"].split():  # third-party code loads once, before the forks
    try:
        importlib.import_module(library)
    except ImportError:
        pass
failed = []
for name in sys.argv[1:]:
    pid = os.fork()
    if pid == 0:
        try:
            __import__(name)
        except BaseException as error:
            print(f"{name}: {type(error).__name__}: {error}", flush=True)
            os._exit(1)
        os._exit(0)
    _, status = os.waitpid(pid, 0)
    if status:
        failed.append(name)
sys.exit(1 if failed else 0)
"""


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork()")
def test_every_module_imports_alone_in_a_fresh_interpreter():
    """Each module imports by itself in a process that has only set Django up (nothing else loaded first)."""
    names = sorted(_modules())
    done = subprocess.run(
        [sys.executable, "-c", FRESH_IMPORT, *names], cwd=ROOT, capture_output=True, text=True, timeout=600,
        env={**os.environ, "LIBRARIES": " ".join(sorted(_libraries()))},
    )
    assert done.returncode == 0, done.stdout + done.stderr

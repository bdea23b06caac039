"""Running the app's ES modules under node for the tests in tests/static/ (no browser)."""
from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

needs_node = pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")


def run_module_script(tmp_path: Path, script: str, module: Path) -> dict:
    """Run ``script``, an ES module that imports ``process.argv[2]``, with ``module``'s file URL there;
    fail on a non-zero exit (showing node's stderr) and return what the script printed as JSON."""
    path = tmp_path / "run.mjs"
    path.write_text(script)
    result = subprocess.run(["node", str(path), module.as_uri()], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)

"""Runs the node unit tests of suggestions.js (tests/js/suggestions.test.mjs): overlay marks,
reading order, keys, accept bodies, polling until done, accept / adjust / reject / bulk against
a fake store and server."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

TEST_FILE = Path(__file__).resolve().parents[1] / "js" / "suggestions.test.mjs"


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
def test_suggestions_module_node_tests_pass():
    """Every node test of the suggestions review module passes."""
    result = subprocess.run(["node", "--test", str(TEST_FILE)], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert "# fail 0" in result.stdout and "# pass 14" in result.stdout

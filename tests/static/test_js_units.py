"""Runs the workspace's pure JavaScript unit tests (tests/js/*.test.mjs) with node's test runner."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

JS_TESTS = Path(__file__).resolve().parents[1] / "js"


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
def test_workspace_javascript_units_pass():
    """Offsets (UTF-16/code points), word snapping, segmentation and the store's queue/undo behave as their node tests say."""
    result = subprocess.run(
        ["node", "--test", *sorted(str(path) for path in JS_TESTS.glob("*.test.mjs"))],
        capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert "# fail 0" in result.stdout

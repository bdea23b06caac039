"""Where test data lives: the sample article shipped in fixtures/, and ../shared (the corpora).

Pure (no Django), so pure test packages and bench scripts can use it. A missing shared
folder is an error, not a skip: a test that cannot find its data must not pass silently.
"""
from __future__ import annotations

import os
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parents[1]
SAMPLE_ARTICLE = REPOSITORY / "fixtures" / "russia-china-relations.txt"


def shared_dir() -> Path:
    """``ARGMAP_SHARED_DIR``, else the nearest ``shared`` folder beside a parent of the repository."""
    configured = os.environ.get("ARGMAP_SHARED_DIR")
    if configured:
        return Path(configured)
    for parent in REPOSITORY.parents:
        candidate = parent / "shared"
        if (candidate / "corpora").is_dir():
            return candidate
    raise RuntimeError("cannot find the shared folder (../shared with corpora/); set ARGMAP_SHARED_DIR")


def microtexts_dir() -> Path:
    """The English arg-microtexts corpus (CC BY-NC-SA; read in place, never copied into the repo)."""
    return shared_dir() / "corpora" / "arg-microtexts" / "en"

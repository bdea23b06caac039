"""Where the hand-written persuasive essays live (brat pairs written for argmap's tests).

``dev``: the essays the rules were developed on; ``held_out``: essays kept aside and only
measured, never tuned on; ``fresh``: three essays written after the fourth round of rules
(issue 12), measured once with the final rules, for an unseen figure. Both follow the Argument Annotated Essays scheme (MajorClaim,
Claim with a Stance attribute, Premise) but are argmap's own texts.

``house_style``: sixteen more essays annotated in a house style the rules do not follow,
as a project of its own might: units keep their leading connectives and frames ("First of
all, ...", "Some people argue that ..."), illustrations ("For example, ...", anecdotes) and
the closing paragraph's restatement are not tagged, and sentences are kept whole. Learning
from decisions must pick that up (``test_learning.py``).
"""
from pathlib import Path

ESSAYS = Path(__file__).resolve().parent / "data" / "essays"
ESSAYS_DEV = ESSAYS / "dev"
ESSAYS_HELD_OUT = ESSAYS / "held_out"
ESSAYS_FRESH = ESSAYS / "fresh"
ESSAYS_HOUSE_STYLE = Path(__file__).resolve().parent / "data" / "essays_house_style"

"""Where the hand-written persuasive essays live (brat pairs written for argmap's tests).

``dev``: the essays the rules were developed on; ``held_out``: essays kept aside and only
measured, never tuned on. Both follow the Argument Annotated Essays scheme (MajorClaim,
Claim with a Stance attribute, Premise) but are argmap's own texts.
"""
from pathlib import Path

ESSAYS = Path(__file__).resolve().parent / "data" / "essays"
ESSAYS_DEV = ESSAYS / "dev"
ESSAYS_HELD_OUT = ESSAYS / "held_out"

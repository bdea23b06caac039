"""Reads the brat `.ann` files of the hand-written development sets line by line, for their file tests."""

import re
from pathlib import Path

T_LINE = re.compile(r"^(T\d+)\t(MajorClaim|Claim|Premise) (\d+) (\d+)\t(.+)$")
A_LINE = re.compile(r"^(A\d+)\tStance (T\d+) (For|Against)$")
R_LINE = re.compile(r"^(R\d+)\t(supports|attacks) Arg1:(T\d+) Arg2:(T\d+)$")


def read_units(ann_path: Path) -> tuple[dict[str, tuple[str, int, int, str]], dict[str, str], list]:
    """The file's units by id (type, start, end, text), stances by unit id, and relations."""
    units, stances, relations = {}, {}, []
    for line in ann_path.read_text(encoding="utf-8").splitlines():
        if match := T_LINE.match(line):
            units[match[1]] = (match[2], int(match[3]), int(match[4]), match[5])
        elif match := A_LINE.match(line):
            stances[match[2]] = match[3]
        elif match := R_LINE.match(line):
            relations.append((match[2], match[3], match[4]))
        else:
            raise AssertionError(f"{ann_path.name}: a line outside the scheme: {line!r}")
    return units, stances, relations

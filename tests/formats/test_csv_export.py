"""CSV: one row per span, readable by the csv module, with supports/attacks ids."""
import csv
import io

from annotations.formats.csv_export import COLUMNS, FORMAT as CSV


def _rows(argument_map) -> list[dict]:
    data = CSV.export(argument_map)
    assert data.startswith(b"\xef\xbb\xbf")  # BOM so spreadsheets read UTF-8
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))


def test_one_row_per_span_with_all_columns(sample_map):
    """The header is the documented columns and each span is one row with its quote and offsets."""
    rows = _rows(sample_map)
    assert tuple(rows[0].keys()) == COLUMNS
    assert len(rows) == len(sample_map.spans)
    text_of = {p.position: p.text for p in sample_map.paragraphs}
    for row in rows:
        paragraph = text_of[int(row["paragraph"])]
        assert paragraph[int(row["start"]):int(row["end"])] == row["text"]
    emoji = next(r for r in rows if r["id"] == "x1")
    assert emoji["text"] == "the bear 🐻 and the dragon 🐉 are friends" and emoji["note"] == "emoji check"


def test_supports_and_attacks_list_target_ids(sample_map):
    """Each row lists the ids it supports and attacks; together they are every relation."""
    rows = {r["id"]: r for r in _rows(sample_map)}
    assert rows["c1"]["supports"] == "c3"
    assert rows["r1"]["attacks"] == "k1" and rows["r1"]["supports"] == ""
    pairs = {(row_id, kind, target) for row_id, row in rows.items() for kind in ("supports", "attacks")
             for target in row[kind].split(";") if target}
    assert pairs == {(r.source, r.kind, r.target) for r in sample_map.relations}


def test_quotes_with_commas_quotes_and_newlines_survive(tiny_map):
    """Commas, double quotes and line breaks in notes come back intact."""
    tiny_map.spans[0].note = 'says "always", then\nnever'
    rows = _rows(tiny_map)
    assert rows[0]["note"] == 'says "always", then\nnever' and rows[0]["author"] == ""

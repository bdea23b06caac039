"""brat as corpora ship and as brat users keep it: a corpus zip made on a Mac, a folder of
.txt/.ann pairs with its annotation.conf, a single pair; export faithful to the source scheme
(checked by ``brat_verifier`` against the corpus's own conf); hostile variants refused."""
from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from annotations.formats.base import FormatError, ImportOptions
from annotations.formats.brat import FORMAT as BRAT, export_files, import_zip
from tests.formats.brat_verifier import verify

CORPUS = Path(__file__).parent / "data" / "brat-corpus"
STEMS = ("essay01", "essay02")
APPLE_DOUBLE = b"\x00\x05\x16\x07\x00\x02\x00\x00Mac OS X        \x00\x02\xff\xfe"


def corpus_files() -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(CORPUS.iterdir())}


def corpus_zip(extra: dict[str, bytes] | None = None) -> bytes:
    """The corpus as the official zip of such corpora comes: one folder, macOS resource forks, .DS_Store."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("brat-project/", b"")
        for name, data in corpus_files().items():
            archive.writestr(f"brat-project/{name}", data)
            archive.writestr(f"__MACOSX/brat-project/._{name}", APPLE_DOUBLE)
        archive.writestr("brat-project/.DS_Store", b"\x00\x00\x00\x01Bud1\x00\x00\x10\x00\xff")
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return buffer.getvalue()


def brat():
    return BRAT


def test_corpus_zip_from_a_mac_imports_whole():
    """__MACOSX/._* (not UTF-8) and .DS_Store are skipped; both essays import with the prompt as title."""
    maps = brat().import_files([("corpus.zip", corpus_zip())], options=ImportOptions())
    assert [m.provenance["stem"] for m in maps] == list(STEMS)
    assert maps[0].title == "Should students be taught to compete or to cooperate?"
    assert maps[1].title == "More people are migrating to other countries than ever before"
    for argument_map in maps:
        assert argument_map.paragraphs[0].kind == "heading"
        assert all(span.paragraph != 0 for span in argument_map.spans)
        assert argument_map.source_name.startswith("corpus.zip: brat-project/")
    labels = {span.quote: span.label for span in maps[1].spans}
    assert labels["this trend harms the countries they leave"] == "counterclaim"  # Claim + Stance Against
    assert labels["migrants send money home to their families"] == "claim"


@pytest.mark.parametrize("how", ["zip", "folder", "pair"])
def test_brat_in_brat_out_is_faithful_and_passes_the_verifier(how):
    """Byte-identical .txt, the same T/A/R lines (ids, types, offsets, attributes, relation names), the corpus's
    conf, and 0 verifier errors against that conf — from a zip, a folder (with conf) or a .txt + .ann pair."""
    files = corpus_files()
    if how == "zip":
        maps = brat().import_files([("corpus.zip", corpus_zip())], options=ImportOptions())
    elif how == "folder":
        maps = brat().import_files([(f"brat-project/{n}", d) for n, d in files.items()], options=ImportOptions())
    else:
        maps = brat().import_files([("essay01.txt", files["essay01.txt"]), ("essay01.ann", files["essay01.ann"])],
                                   options=ImportOptions())
    conf = files["annotation.conf"].decode()
    for argument_map in maps:
        stem = argument_map.provenance["stem"]
        out = export_files(argument_map)
        assert out[f"{stem}.txt"].encode("utf-8") == files[f"{stem}.txt"]
        assert sorted(out[f"{stem}.ann"].splitlines()) == sorted(files[f"{stem}.ann"].decode().splitlines())
        if how != "pair":
            assert out["annotation.conf"] == conf
        assert verify(conf, out[f"{stem}.txt"], out[f"{stem}.ann"]) == []
    assert len(maps) == (1 if how == "pair" else 2)


def test_verifier_catches_an_export_that_ignores_the_scheme():
    """Without the provenance (argmap's own type names, the .txt rewritten), the corpus conf reports errors."""
    (argument_map, _) = brat().import_files([("corpus.zip", corpus_zip())], options=ImportOptions())
    argument_map.provenance = {}
    out = export_files(argument_map)
    stem = next(name[:-4] for name in out if name.endswith(".txt"))
    errors = verify(corpus_files()["annotation.conf"].decode(), out[f"{stem}.txt"], out[f"{stem}.ann"])
    assert any("'Evidence' is not in the conf" in e for e in errors)
    assert any("relation type 'Supports' is not in the conf" in e for e in errors)


def test_edited_span_falls_back_to_argmap_names_and_the_conf_gains_them():
    """A span relabelled after import is written with argmap's type, which is added to the corpus's conf."""
    (argument_map, _) = brat().import_files([("corpus.zip", corpus_zip())], options=ImportOptions())
    relabelled = next(span for span in argument_map.spans if span.label == "evidence")
    relabelled.label = "rebuttal"
    out = export_files(argument_map)
    assert "Rebuttal" in out["annotation.conf"] and out["annotation.conf"].startswith("# Argument annotation scheme")
    assert "supports\tArg1:Premise|Rebuttal, Arg2:Premise|Claim" in out["annotation.conf"]
    assert verify(out["annotation.conf"], out["essay01.txt"], out["essay01.ann"]) == []
    assert any(line.split("\t")[1].startswith("Rebuttal ") for line in out["essay01.ann"].splitlines() if line.startswith("T"))


def test_crlf_text_goes_back_with_its_own_bytes():
    """A .txt saved with Windows line ends: offsets as brat counts them (universal newlines), bytes kept."""
    files = corpus_files()
    text = files["essay02.txt"].decode().replace("\n", "\r\n")
    (argument_map,) = brat().import_files([("essay02.txt", text.encode()), ("essay02.ann", files["essay02.ann"])],
                                          options=ImportOptions())
    assert export_files(argument_map)["essay02.txt"] == text


def test_txt_without_ann_is_reported_and_conf_only_uploads_are_refused():
    """A corpus .txt with no .ann is left out and reported; a conf alone is not an import."""
    options = ImportOptions()
    maps = brat().import_files([("corpus.zip", corpus_zip({"brat-project/readme-essay.txt": b"Notes."}))], options=options)
    assert len(maps) == 2 and any("readme-essay.txt: a .txt without its .ann" in line for line in options.left_out)
    with pytest.raises(FormatError, match="needs the .ann file"):
        brat().import_files([("annotation.conf", corpus_files()["annotation.conf"])], options=ImportOptions())
    with pytest.raises(FormatError, match="essay.pdf: not a brat file"):
        brat().import_files([("essay.pdf", b"%PDF-1.4")], options=ImportOptions())


def test_label_mapping_and_leaving_types_out():
    """--map Premise=- leaves premises and their relations out (reported); MajorClaim=claim relabels."""
    options = ImportOptions(label_map={"premise": "", "majorclaim": "claim"})
    maps = brat().import_files([("corpus.zip", corpus_zip())], options=options)
    assert {span.label for m in maps for span in m.spans} <= {"claim", "counterclaim"}
    assert any("type 'Premise' mapped to be left out" in line for line in options.left_out)
    assert any("links a span that was left out" in line for line in options.left_out)


def _ann_with(line: str) -> list[tuple[str, bytes]]:
    files = corpus_files()
    return [("essay01.txt", files["essay01.txt"]), ("essay01.ann", files["essay01.ann"] + line.encode())]


@pytest.mark.parametrize("line, message", [
    ("T9\tPremise 10", "essay01.ann, line 10: cannot read this annotation"),  # truncated
    ("T9\tPremise a b\tx", "essay01.ann, line 10: cannot read this annotation"),  # wrong types
    ("T9\tPremise 10 5\tx", "essay01.ann, line 10: offsets 10 5 do not fit"),
    ("T9\tPremise 0 99999\tx", "essay01.ann, line 10: offsets 0 99999 do not fit"),
    ("R9\tsupports Arg1:T3 Arg2:T42\t", r"essay01.ann, line 10 \(R9\): Arg2 T42 is not a text annotation"),
    ("R9\tsupports Arg1:T3 Arg2:T3\t", r"essay01.ann, line 10 \(R9\): T3 cannot support or attack itself"),
    ("T1\tClaim 0 6\tShould", "essay01.ann, line 10: T1 is defined twice"),
    ("garbage", "essay01.ann, line 10: not a brat standoff line"),
])
def test_hostile_variants_name_the_file_and_line(line, message):
    """Each broken .ann names the file and the line; nothing is returned."""
    with pytest.raises(FormatError, match=message):
        brat().import_files(_ann_with(line), options=ImportOptions())


def test_support_cycle_is_kept():
    """A cycle of supports (T2 → T3 → T2) is stored as two relations, as a person drew it."""
    (argument_map,) = brat().import_files(_ann_with("R9\tsupports Arg1:T2 Arg2:T3\t"), options=ImportOptions())
    pairs = {(r.source, r.target) for r in argument_map.relations}
    assert ("T3", "T2") in pairs and ("T2", "T3") in pairs


def test_100k_spans_are_refused_before_parsing_them():
    """A .ann with 100,000 text-bound annotations is refused by counting lines, naming the limit."""
    text = "word " * 20
    ann = "".join(f"T{i}\tClaim 0 4\tword\n" for i in range(1, 100_001))
    with pytest.raises(FormatError, match=r"big.ann: holds 100,000 annotations; one import stores at most 50,000"):
        brat().import_files([("big.txt", text.encode()), ("big.ann", ann.encode())], options=ImportOptions())


def test_not_utf8_member_is_named():
    """A .txt in another encoding names the member, not the macOS fork beside it."""
    with pytest.raises(FormatError, match=r"brat-project/bad.txt is not UTF-8"):
        import_zip(corpus_zip({"brat-project/bad.txt": "caf\xe9".encode("latin-1"), "brat-project/bad.ann": b""}),
                   what="corpus.zip")
